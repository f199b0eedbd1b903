"""A reviewer in the real window: select, H, 2, type; then the database, the panel, the page."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from tests.annotating.gui_helpers import (
    blend,
    close_to,
    drag_select,
    open_window,
    quad_pixels,
    show_quote,
    wait_idle,
)

QUOTE = "judicial or other independent review"


def db_rows(db_path: Path) -> list[dict]:
    conn = sqlite3.connect(db_path)
    conn.row_factory = sqlite3.Row
    rows = [dict(r) for r in conn.execute("SELECT * FROM annotations ORDER BY created")]
    for row in rows:
        row["tags"] = [
            r[0]
            for r in conn.execute(
                "SELECT t.name FROM annotation_tags at JOIN tags t ON t.id = at.tag_id "
                "WHERE at.annotation_id = ? ORDER BY at.position",
                [row["id"]],
            )
        ]
    conn.close()
    return rows


def test_select_h_2_type_comment(qtbot, sample_pdf, db_path):
    window = open_window(qtbot, sample_pdf, db_path)
    controller = window.annotating
    view = window.view
    flow = view.text_flow()
    start = flow.text.index(QUOTE)
    quads = show_quote(qtbot, window, start, start + len(QUOTE))
    before = quad_pixels(window, quads[0])

    drag_select(qtbot, window, quads)
    assert view.selected_text() == QUOTE

    view.setFocus()
    QTest.keyClick(view, Qt.Key.Key_H)
    qtbot.waitUntil(lambda: len(db_rows(db_path)) == 1)
    editor = controller.panel.editor
    assert editor.comment_edit.hasFocus()

    QTest.keyClick(editor.comment_edit, Qt.Key.Key_2)
    QTest.keyClicks(editor.comment_edit, "No judicial authorisation.")

    rows = db_rows(db_path)
    assert len(rows) == 1
    row = rows[0]
    assert row["quote"] == QUOTE
    assert row["tags"] == ["safeguard"]  # tag 2 of the default taxonomy
    assert row["comment"] == "No judicial authorisation."
    assert row["author_name"] == "Ada Tester"
    stored = [q["points"] for q in json.loads(row["quads"])]
    expected = [list(q.to_json()["points"]) for q in quads]
    assert stored == expected

    # the panel shows the entry
    model = controller.panel.model
    assert model.rowCount() == 1
    text = model.index(0, 0).data()
    assert QUOTE in text and "safeguard" in text and "No judicial authorisation." in text
    assert controller.panel.current_annotation_id() == row["id"]

    # the page shows the highlight in the tag's colour at the quads
    wait_idle(qtbot, view)
    after = quad_pixels(window, quads[0])
    assert sum(close_to(c, QColorWhite()) for c in before) >= len(before) // 2
    green = [blend("#3FA34D", 150), blend("#3FA34D", 110)]
    hits = sum(any(close_to(c, g) for g in green) for c in after)
    assert hits >= len(after) // 2, [c.name() for c in after]


def QColorWhite():  # noqa: N802
    from PySide6.QtGui import QColor

    return QColor("#FFFFFF")


def test_highlights_of_far_pages_appear_when_scrolled_to(qtbot, sample_pdf, db_path):
    """Quads are read for the pages around the one shown; a CLI-made annotation on the last
    page is painted once the reviewer gets there."""
    from reviewer.core.pdf import open_pdf
    from reviewer.core.review import Review
    from reviewer.core.settings import Identity
    from tests.annotating.gui_helpers import wait_idle

    review = Review.open(db_path, Identity("33333333-3333-4333-8333-333333333333", "Chen Wei"))
    pdf = open_pdf(sample_pdf)
    far = review.annotate_quote(
        pdf, "through negotiation or any other peaceful means", tags=["good practice"]
    )
    pdf.close()
    review.close()
    assert far.page == 6

    window = open_window(qtbot, sample_pdf, db_path)
    controller = window.annotating
    assert window.view.current_page() == 0
    assert far.id not in controller._items  # not read yet
    assert controller.panel.model.indexes_of(far.id)  # but listed in the panel

    controller.panel.select_annotation(far.id)
    controller.reveal(far.id)  # what clicking the entry does
    qtbot.waitUntil(lambda: far.id in controller._items)
    wait_idle(qtbot, window.view)
    pixels = quad_pixels(window, far.quads[0])
    teal = [blend("#00A6A6", 150), blend("#00A6A6", 110)]
    assert sum(any(close_to(c, t) for t in teal) for c in pixels) >= len(pixels) // 2
