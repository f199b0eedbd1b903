"""What the editor's comment box receives (typed or pasted) is stored without control or
bidirectional override characters; Arabic and Hebrew stay."""

from __future__ import annotations

import sqlite3

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from tests.annotating.gui_helpers import drag_select, open_window, show_quote


def test_pasted_override_and_escape_do_not_reach_the_database(qtbot, sample_pdf, db_path):  # type: ignore[no-untyped-def]
    window = open_window(qtbot, sample_pdf, db_path)
    view = window.view
    quote = "judicial or other independent review"
    start = view.text_flow().text.index(quote)
    drag_select(qtbot, window, show_quote(qtbot, window, start, start + len(quote)))
    view.setFocus()
    QTest.keyClick(view, Qt.Key.Key_H)
    panel = window.annotating.panel
    qtbot.waitUntil(lambda: panel.current_annotation_id() != "")
    editor = panel.editor
    editor.comment_edit.setPlainText("Weak \u202eweiver\u202c \x1b[31mالدولة\x07 עברית")
    qtbot.waitUntil(
        lambda: sqlite3.connect(db_path).execute("SELECT comment FROM annotations").fetchone()[0] != "",
        timeout=5000,
    )
    stored = sqlite3.connect(db_path).execute("SELECT comment FROM annotations").fetchone()[0]
    assert stored == "Weak weiver الدولة עברית"
