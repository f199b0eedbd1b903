"""Compare mode in the app (pytest-qt, offscreen): File → Compare With…, the Concordance panel,
panes scrolled in step through the concordance, L to link a passage selected in each pane,
a click on a link's end showing the other end, undo."""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from reviewer.core.review import Review
from reviewer.core.settings import Identity
from reviewer.core.textflow import find_all

ROOT = Path(__file__).resolve().parents[2]
VALIDATOR = ROOT.parent / "shared" / "tools" / "validate_web_annotation.py"
W3C_TESTS = ROOT.parent / "shared" / "w3c-annotation-tests"

_spec = importlib.util.spec_from_file_location(
    "gui_helpers_for_compare", Path(__file__).parents[1] / "annotating" / "gui_helpers.py"
)
assert _spec and _spec.loader
gui_helpers = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(gui_helpers)


@pytest.fixture
def compare(qtbot, pair, tmp_path: Path):  # type: ignore[no-untyped-def]
    from reviewer.ui.compare_window import open_compare

    a, b = pair
    window = gui_helpers.open_window(qtbot, a, tmp_path / "gui.sqlite3")
    assert window.compare_action.text() == "Compare &With\u2026"
    file_menu = next(m.menu() for m in window.menuBar().actions() if m.text() == "&File")
    assert window.compare_action in file_menu.actions()
    compare = open_compare(window, window.annotating.review, str(a), str(b))
    qtbot.addWidget(compare)
    with qtbot.waitSignal(compare.ready, timeout=60000):
        pass
    for view in (compare.view_a, compare.view_b):
        qtbot.waitUntil(lambda view=view: view.text_flow() is not None, timeout=30000)
    compare.activateWindow()
    return compare


def _select(qtbot, view, quote: str) -> None:  # type: ignore[no-untyped-def]
    [hit] = find_all(view.text_flow(), quote)
    pane = SimpleNamespace(view=view)
    quads = gui_helpers.show_quote(qtbot, pane, hit.start, hit.end)
    gui_helpers.drag_select(qtbot, pane, quads)
    assert view.selected_text() == quote


def _article_range(compare, side: str, citation: str) -> tuple[int, int]:  # type: ignore[no-untyped-def]
    articles = compare.prepared.a_articles if side == "a" else compare.prepared.b_articles
    article = next(x for x in articles if x.citation == citation)
    return article.start, article.end


def test_the_concordance_panel_lists_the_pairs_and_confirms_one(compare, qtbot) -> None:  # type: ignore[no-untyped-def]
    panel = compare.panel
    assert panel.table.rowCount() == len(compare.comparison.pairs) >= 25
    row = next(i for i, p in enumerate(panel.pairs) if (p.a, p.b) == ("Art. 15", "Art. 17"))
    panel.table.selectRow(row)
    # Choosing a pair brings both panes to it.
    start, end = _article_range(compare, "a", "Art. 15")
    qtbot.waitUntil(lambda: start <= (compare.view_a.top_offset() or -1) < end, timeout=5000)
    b_start, b_end = _article_range(compare, "b", "Art. 17")
    assert b_start <= (compare.view_b.top_offset() or -1) < b_end
    panel.relation.setCurrentText("safeguard-missing")
    panel.confirm_button.click()
    confirmed = [p for p in compare.comparison.pairs if p.confirmed]
    assert [(p.a, p.b, p.relation) for p in confirmed] == [("Art. 15", "Art. 17", "safeguard-missing")]
    assert panel.table.item(row, 2).text() == "safeguard-missing"
    compare.undo.undo()
    assert not any(p.confirmed for p in compare.comparison.pairs)


def test_scrolling_a_brings_b_to_the_counterpart(compare, qtbot) -> None:  # type: ignore[no-untyped-def]
    # A's Art. 19 (real-time collection) is B's Art. 22; A's Art. 21 (jurisdiction) is B's Art. 15.
    for a_citation, b_citation in (("Art. 19", "Art. 22"), ("Art. 21", "Art. 15")):
        start, _ = _article_range(compare, "a", a_citation)
        quads = compare.prepared.pdf_a.flow().quads(start + 40, start + 41)
        view = compare.view_a
        q = quads[0]
        y = q.view_rect(view.page_geometry(q.page))[1]
        target = view.viewport_point(q.page, 0, y).y() + view.verticalScrollBar().value()
        view.verticalScrollBar().setValue(round(target - 8))  # as a reader's scrolling does
        b_start, b_end = _article_range(compare, "b", b_citation)
        qtbot.waitUntil(
            lambda b_start=b_start, b_end=b_end: b_start <= (compare.view_b.top_offset() or -1) < b_end,
            timeout=5000,
        )


def test_select_in_each_pane_and_press_l_to_link(compare, qtbot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    _select(qtbot, compare.view_a, "principle of proportionality")
    _select(qtbot, compare.view_b, "protection of human rights")
    compare.view_b.setFocus()
    QTest.keyClick(compare.view_b, Qt.Key.Key_L)
    review = compare.review
    [seen_from_b] = [x for x in review.annotations(compare.b_id) if x.kind == "link"]
    assert seen_from_b.citation == "Art. 17" and seen_from_b.quote == "protection of human rights"
    assert seen_from_b.links[0].citation == "Art. 15"
    [seen_from_a] = [x for x in review.annotations(compare.a_id) if x.kind == "link"]
    assert seen_from_a.id == seen_from_b.id
    # Painted on both panes, counted in the panel.
    assert [h.id for h in compare.view_a._highlights] == [seen_from_a.id]
    assert [h.id for h in compare.view_b._highlights] == [seen_from_a.id]
    row = next(i for i, p in enumerate(compare.panel.pairs) if (p.a, p.b) == ("Art. 15", "Art. 17"))
    assert compare.panel.table.item(row, 4).text() == "1"
    # Clicking B's end (a real click on its highlight) shows A's end in the other pane.
    compare.view_a.verticalScrollBar().setValue(0)
    b_quad = seen_from_b.quads[0]
    view_b = compare.view_b
    view_b.scroll_to(b_quad.page, b_quad.view_rect(view_b.page_geometry(b_quad.page)), record=False)
    gui_helpers.wait_idle(qtbot, view_b)
    x0, y0, x1, y1 = b_quad.view_rect(view_b.page_geometry(b_quad.page))
    spot = view_b.viewport_point(b_quad.page, (x0 + x1) / 2, (y0 + y1) / 2).toPoint()
    with qtbot.waitSignal(view_b.highlightClicked, timeout=3000):
        QTest.mouseClick(view_b.viewport(), Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, spot)
    a_quad = seen_from_a.quads[0]
    point = compare.view_a.viewport_point(
        a_quad.page, *a_quad.view_rect(compare.view_a.page_geometry(a_quad.page))[:2]
    )
    assert 0 <= point.y() <= compare.view_a.viewport().height()
    # A link made in the window travels like one made on the command line.
    from reviewer.core.exchange.service import export_review_file, import_files

    first = tmp_path / "gui-a.review.json"
    export_review_file(review, compare.a_id, first)
    done = subprocess.run(
        [sys.executable, str(VALIDATOR), str(W3C_TESTS), str(first)], capture_output=True, text=True
    )
    assert done.returncode == 0, done.stdout
    other = Review.open(tmp_path / "other.sqlite3", Identity("22222222-2222-4222-8222-222222222222", "Ben"))
    import_files(other, [str(first)], pdf_path=str(compare.prepared.pdf_a.path))
    again = tmp_path / "gui-a-again.review.json"
    export_review_file(other, compare.a_id, again)
    other.close()
    assert again.read_bytes() == first.read_bytes()
    # One undo step takes the link away from both documents.
    compare.undo.undo()
    assert [x for x in review.annotations(compare.b_id) if x.kind == "link"] == []
    assert compare.view_b._highlights == []


def test_l_without_two_selections_says_what_to_do(compare, qtbot) -> None:  # type: ignore[no-untyped-def]
    _select(qtbot, compare.view_a, "principle of proportionality")
    compare.link_action.trigger()
    assert "Select a passage in each pane" in compare.statusBar().currentMessage()
    assert [x for x in compare.review.annotations(compare.a_id) if x.kind == "link"] == []
