"""The reading view driven through its real widgets (pytest-qt, offscreen)."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QPointF, Qt
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QApplication, QMessageBox

from .conftest import wait_rendered, wait_text


def test_opens_sample_and_paints_the_first_page(make_window, sample_pdf: Path, qtbot) -> None:
    window = make_window(sample_pdf)
    wait_rendered(qtbot, window)
    view = window.view
    assert view.page_count() == 7
    assert window.page_label.text() == "1 / 7"
    x, y, w, h = view.page_rect_in_viewport(0)
    image: QImage = view.viewport().grab().toImage()
    # Inside the page: white paper with black text somewhere in the title area.
    dark = sum(
        1
        for px in range(int(x) + 20, int(x + w) - 20, 3)
        for py in range(int(y) + 80, int(y) + 160, 3)
        if QImage.pixelColor(image, px, py).lightness() < 100
    )
    assert dark > 20
    assert QImage.pixelColor(image, int(x) + 5, int(y) + 5).lightness() > 240


def test_scroll_zoom_and_jump(make_window, sample_pdf: Path, qtbot) -> None:
    window = make_window(sample_pdf)
    view = window.view
    wait_rendered(qtbot, window)
    window.actual_size_action.trigger()
    assert window.zoom_label.text() == "100%"
    qtbot.keyClick(view, Qt.Key.Key_PageDown)
    qtbot.keyClick(view, Qt.Key.Key_PageDown)
    assert view.verticalScrollBar().value() > 0
    qtbot.waitUntil(lambda: view.current_page() >= 1)
    before = view.current_page()
    window.zoom_in_action.trigger()
    assert window.zoom_label.text() == "110%"
    assert view.current_page() == before  # zoom keeps the reading position
    window.fit_width_action.trigger()
    assert "fit width" in window.zoom_label.text()
    _, _, width, _ = view.page_rect_in_viewport(view.current_page())
    assert abs(width - (view.viewport().width() - 20)) <= 1  # page width = view minus margins
    assert view.horizontalScrollBar().maximum() == 0
    # jump with the page box, then back and forward
    window.page_box.setText("5")
    qtbot.keyClick(window.page_box, Qt.Key.Key_Return)
    assert view.current_page() == 4
    assert window.page_label.text() == "5 / 7"
    view.go_back()
    assert view.current_page() == before
    view.go_forward()
    assert view.current_page() == 4
    qtbot.keyClick(view, Qt.Key.Key_End)
    assert view.current_page() == 6
    qtbot.keyClick(view, Qt.Key.Key_Home)
    assert view.current_page() == 0
    wait_rendered(qtbot, window)


def test_ctrl_wheel_zoom_keeps_the_point_under_the_cursor(make_window, sample_pdf: Path, qtbot) -> None:
    from PySide6.QtCore import QPoint as P
    from PySide6.QtGui import QWheelEvent

    window = make_window(sample_pdf)
    view = window.view
    window.actual_size_action.trigger()
    cursor = QPointF(300, 200)
    spot_before = view._layout.hit(cursor.x() + view._sx(), cursor.y() + view._sy(), view.viewport().width())
    event = QWheelEvent(
        cursor,
        view.viewport().mapToGlobal(cursor),
        P(0, 0),
        P(0, 240),
        Qt.MouseButton.NoButton,
        Qt.KeyboardModifier.ControlModifier,
        Qt.ScrollPhase.NoScrollPhase,
        False,
    )
    QApplication.sendEvent(view.viewport(), event)
    assert view.zoom() == pytest.approx(1.21)
    spot_after = view._layout.hit(cursor.x() + view._sx(), cursor.y() + view._sy(), view.viewport().width())
    assert spot_after.page == spot_before.page
    assert spot_after.x == pytest.approx(spot_before.x, abs=1.5)
    assert spot_after.y == pytest.approx(spot_before.y, abs=1.5)


def test_page_labels_show_printed_numbers(make_window, corpus_copy, qtbot) -> None:
    window = make_window(corpus_copy("pagelabels-roman-arabic.pdf"))
    view = window.view
    view.go_to_page(1)
    assert window.page_label.text() == "iv (2) / 5"
    window.page_box.setText("iii")
    qtbot.keyClick(window.page_box, Qt.Key.Key_Return)
    assert view.current_page() == 0


def test_find_counts_and_highlights_every_hit(make_window, sample_pdf: Path, qtbot) -> None:
    window = make_window(sample_pdf)
    wait_text(qtbot, window)
    qtbot.keyClick(window.view, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert window.find_bar.isVisible()
    qtbot.keyClicks(window.find_bar.field, "COMPETENT   authorities")  # case and spacing ignored
    qtbot.waitUntil(lambda: bool(window.finder.finished and window.finder.hits), timeout=5000)
    flow = window.view.text_flow()
    expected = flow.text.lower().count("competent authorities")
    assert expected >= 2
    assert len(window.finder.hits) == expected
    assert window.find_bar.count.text() == f"1 of {expected}"
    first = window.finder.current
    qtbot.keyClick(window.find_bar.field, Qt.Key.Key_Return)
    assert window.finder.current == (first + 1) % expected
    assert window.find_bar.count.text() == f"{window.finder.current + 1} of {expected}"
    # The current hit is scrolled into view and painted in the find colour.
    start, end = window.finder.hits[window.finder.current]
    quad = flow.quads(start, end)[0]
    view = window.view
    x0, y0, x1, y1 = quad.view_rect(view.page_geometry(quad.page))
    centre = view.viewport_point(quad.page, (x0 + x1) / 2, (y0 + y1) / 2)
    wait_rendered(qtbot, window)
    image = view.viewport().grab().toImage()
    color = image.pixelColor(int(centre.x()), int(centre.y() - 2))
    assert color.red() > 200 and color.blue() < 150  # orange over white paper
    qtbot.keyClick(window.find_bar.field, Qt.Key.Key_Escape)
    assert not window.find_bar.isVisible() and window.finder.hits == []


def test_find_is_ligature_proof(make_window, corpus_copy, qtbot) -> None:
    window = make_window(corpus_copy("pdfjs-ligatures.pdf"))
    wait_text(qtbot, window)
    flow = window.view.text_flow()
    word = next(w for w in flow.text.split() if any(lig in w for lig in ("ffi", "ffl", "fi", "fl", "ff")))
    window.finder.search(word.upper(), immediately=True)
    qtbot.waitUntil(lambda: window.finder.finished, timeout=5000)
    assert len(window.finder.hits) >= 1


def _drag(qtbot, widget, start: QPointF, end: QPointF) -> None:
    qtbot.mousePress(widget, Qt.MouseButton.LeftButton, pos=start.toPoint())
    steps = 8
    for i in range(1, steps + 1):
        p = start + (end - start) * (i / steps)
        qtbot.mouseMove(widget, pos=p.toPoint())
    qtbot.mouseRelease(widget, Qt.MouseButton.LeftButton, pos=end.toPoint())


def test_select_by_drag_and_copy(make_window, sample_pdf: Path, qtbot) -> None:
    window = make_window(sample_pdf)
    view = window.view
    window.actual_size_action.trigger()
    wait_text(qtbot, window)
    flow = view.text_flow()
    phrase = "Statement of purpose"
    start = flow.text.index(phrase)
    quads = flow.quads(start, start + len(phrase))
    assert len(quads) == 1
    page = quads[0].page
    geometry = view.page_geometry(page)
    x0, y0, x1, y1 = quads[0].view_rect(geometry)
    view.scroll_to(page, (x0, y0, x1, y1))
    a = view.viewport_point(page, x0 + 1.5, (y0 + y1) / 2)
    b = view.viewport_point(page, x1 - 1.5, (y0 + y1) / 2)
    _drag(qtbot, view.viewport(), a, b)
    assert view.selection_range() == (start, start + len(phrase))
    QApplication.clipboard().clear()
    view.setFocus()
    qtbot.keyClick(view, Qt.Key.Key_C, Qt.KeyboardModifier.ControlModifier)
    assert QApplication.clipboard().text() == phrase
    window.copy_citation_action.trigger()
    cited = QApplication.clipboard().text()
    assert cited.startswith(f"\u201c{phrase}\u201d (")
    assert f"p. {view.page_label(page)}" in cited
    assert "Art. 1" in cited  # the article, from structure detection
    # the selection is drawn in the selection colour
    wait_rendered(qtbot, window)
    image = view.viewport().grab().toImage()
    mid = view.viewport_point(page, (x0 + x1) / 2, y0 + 1)
    color = image.pixelColor(int(mid.x()), int(mid.y()))
    assert color.blue() > color.red() + 40


def test_double_and_triple_click_snap_to_word_and_line(make_window, sample_pdf: Path, qtbot) -> None:
    window = make_window(sample_pdf)
    view = window.view
    wait_text(qtbot, window)
    flow = view.text_flow()
    phrase = "Statement of purpose"
    start = flow.text.index(phrase) + len("Statement of ")
    quad = flow.quads(start, start + 3)[0]
    geometry = view.page_geometry(quad.page)
    x0, y0, x1, y1 = quad.view_rect(geometry)
    view.scroll_to(quad.page, (x0, y0, x1, y1))
    point = view.viewport_point(quad.page, (x0 + x1) / 2, (y0 + y1) / 2).toPoint()
    qtbot.mouseDClick(view.viewport(), Qt.MouseButton.LeftButton, pos=point)
    assert view.selected_text() == "purpose"
    # Shift+click on "Statement" extends the selection back to it
    first = flow.quads(start - len("Statement of "), start - len("Statement of ") + 2)[0]
    fx0, fy0, fx1, fy1 = first.view_rect(geometry)
    left = view.viewport_point(first.page, fx0 + 1, (fy0 + fy1) / 2).toPoint()
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, Qt.KeyboardModifier.ShiftModifier, left)
    assert view.selected_text() == phrase
    qtbot.wait(QApplication.doubleClickInterval() + 50)  # the next press is not a triple click
    qtbot.mouseDClick(view.viewport(), Qt.MouseButton.LeftButton, pos=point)
    qtbot.mousePress(view.viewport(), Qt.MouseButton.LeftButton, pos=point)
    qtbot.mouseRelease(view.viewport(), Qt.MouseButton.LeftButton, pos=point)
    assert view.selected_text() == phrase


def test_selection_across_a_page_break_skips_running_headers(make_window, sample_pdf: Path, qtbot) -> None:
    window = make_window(sample_pdf, size=(1000, 1600))
    view = window.view
    window.fit_page_action.trigger()
    wait_text(qtbot, window)
    flow = view.text_flow()
    boundary = flow.page_start[1]
    # a word near the end of page 1 and one near the start of page 2
    first = flow.text.rfind(" ", 0, boundary - 40) + 1
    last = flow.text.find(" ", boundary + 40)
    q0 = flow.quads(first, first + 1)[0]
    q1 = flow.quads(last - 1, last)[0]
    view.scroll_to(0, q0.view_rect(view.page_geometry(0)))
    r0 = q0.view_rect(view.page_geometry(q0.page))
    r1 = q1.view_rect(view.page_geometry(q1.page))
    a = view.viewport_point(q0.page, r0[0] + (r0[2] - r0[0]) * 0.3, (r0[1] + r0[3]) / 2)
    b = view.viewport_point(q1.page, r1[2] - (r1[2] - r1[0]) * 0.3, (r1[1] + r1[3]) / 2)
    assert 0 < a.y() < view.viewport().height() and 0 < b.y() < view.viewport().height()
    _drag(qtbot, view.viewport(), a, b)
    assert view.selection_range() == (first, last)
    text = view.selected_text()
    assert q0.page == 0 and q1.page == 1
    assert "Draft text, version 1" not in text  # the running header is not in the copy
    assert text == flow.text[first:last].strip()


def test_highlights_are_painted_and_clickable(make_window, sample_pdf: Path, qtbot) -> None:
    from reviewer.ui.highlights import HighlightItem

    window = make_window(sample_pdf)
    view = window.view
    wait_text(qtbot, window)
    flow = view.text_flow()
    start = flow.text.index("Statement of purpose")
    quads = flow.quads(start, start + 20)
    clicked: list[str] = []
    view.highlightClicked.connect(clicked.append)
    view.set_highlights([HighlightItem("ann-1", quads, ["#00C000", "#C00000"], "a <b>comment</b>")])
    page = quads[0].page
    x0, y0, x1, y1 = quads[0].view_rect(view.page_geometry(page))
    view.scroll_to(page, (x0, y0, x1, y1))
    wait_rendered(qtbot, window)
    image = view.viewport().grab().toImage()
    top = view.viewport_point(page, (x0 + x1) / 2 - 30, y0 + (y1 - y0) * 0.15)
    bottom = view.viewport_point(page, (x0 + x1) / 2 - 30, y1 - (y1 - y0) * 0.15)
    c_top = image.pixelColor(top.toPoint())
    c_bottom = image.pixelColor(bottom.toPoint())
    assert c_top.green() > c_top.red() + 40  # first colour stripe on top
    assert c_bottom.red() > c_bottom.green() + 40  # second colour below
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=top.toPoint())
    assert clicked == ["ann-1"]
    view.flash("ann-1")
    view.set_highlights([])
    assert view._highlights_by_page == {}


def test_encrypted_file_asks_for_the_password(make_window, sample_pdf: Path, corpus_copy, qtbot) -> None:
    window = make_window(sample_pdf)
    asked: list[bool] = []

    def answer(path: str, retry: bool) -> str:
        asked.append(retry)
        return "æøå" if retry else "wrong"

    window.ask_password = answer
    assert window.open_document(str(corpus_copy("pdfjs-encrypted-nonascii-password.pdf")))
    assert asked == [False, True]
    wait_text(qtbot, window)
    assert "Issue 6010" in window.view.text_flow().text
    wait_rendered(qtbot, window)
    assert not window.view.tile_errors()


def test_encrypted_saslprep_password_from_the_command_line(make_window, corpus_copy, qtbot) -> None:
    window = make_window(corpus_copy("pdfjs-encrypted-saslprep-r6.pdf"), password="S\u00aaSL\u00adprep")
    assert window.view.page_count() == 1
    wait_rendered(qtbot, window)
    assert not window.view.tile_errors()


def test_cancelled_password_keeps_the_current_document(make_window, sample_pdf: Path, corpus_copy) -> None:
    window = make_window(sample_pdf)
    window.ask_password = lambda path, retry: None
    assert not window.open_document(str(corpus_copy("encrypted-aes256-r6.pdf")))
    assert window.view.page_count() == 7


def test_repaired_file_opens_with_a_visible_warning(make_window, corpus_copy, qtbot) -> None:
    path = corpus_copy("derived-truncated-55pct-crpt-118hrpt728.pdf")
    before = path.read_bytes()
    window = make_window(path)
    assert window.view.page_count() == 9
    assert window.banner.isVisible()
    assert "damaged" in window.banner.text()
    wait_rendered(qtbot, window)
    window.close()
    assert path.read_bytes() == before  # never written to


def test_unreadable_file_gives_a_message_and_the_app_keeps_running(
    make_window, sample_pdf: Path, corpus_copy, qtbot, tmp_path: Path
) -> None:
    window = make_window(sample_pdf)
    assert not window.open_document(str(corpus_copy("qpdf-broken-xref-loop.pdf")))
    assert "no pages" in window.last_error
    boxes = [b for b in window.findChildren(QMessageBox) if b.isVisible()]
    assert boxes and "no pages" in boxes[0].text()
    boxes[0].close()
    not_pdf = tmp_path / "notes.pdf"
    not_pdf.write_text("hello")
    assert not window.open_document(str(not_pdf))
    assert "not a PDF" in window.last_error
    assert window.view.page_count() == 7  # still showing the treaty
    window.view.go_to_page(3)
    assert window.view.current_page() == 3


def test_broken_corpus_files_open_without_a_crash(make_window, corpus_copy, qtbot) -> None:
    window = make_window(corpus_copy("pdfbox-broken-missing-catalog.pdf"))
    wait_rendered(qtbot, window)
    assert window.open_document(str(corpus_copy("corrupted-zen-of-python-rot90.pdf")))
    wait_rendered(qtbot, window)
    assert window.view.page_count() == 1


def test_last_page_and_zoom_are_remembered(make_window, sample_pdf: Path, qtbot) -> None:
    window = make_window(sample_pdf)
    window.view.set_zoom(1.5)
    window.view.go_to_page(4)
    window.close()
    again = make_window(sample_pdf)
    assert again.view.current_page() == 4
    assert again.view.zoom() == pytest.approx(1.5)
    assert again.zoom_label.text() == "150%"


def test_no_argument_opens_the_last_document_else_the_sample(make_window, sample_pdf: Path) -> None:
    first = make_window(None)
    assert first.view.document().info().title.startswith("Convention")
    first.open_document(str(sample_pdf))
    first.close()
    again = make_window(None)
    assert Path(again.view.document().path) == sample_pdf


def test_outline_lists_treaty_structure_and_jumps(make_window, sample_pdf: Path, qtbot) -> None:
    window = make_window(sample_pdf)
    wait_text(qtbot, window)
    outline = window.outline
    qtbot.waitUntil(lambda: outline.topLevelItemCount() > 0)
    titles = [outline.topLevelItem(i).text(0) for i in range(outline.topLevelItemCount())]
    assert titles[0].startswith("Chapter I")
    chapter3 = next(
        outline.topLevelItem(i) for i in range(len(titles)) if titles[i].startswith("Chapter III")
    )
    article = chapter3.child(0)
    assert article.text(0).startswith("Article 11")
    window._on_outline_item(article)
    flow = window.view.text_flow()
    page = flow.page_of_offset(flow.text.index("Article 11"))
    assert window.view.current_page() in (page, page - 1, page + 1)
    x, y, w, h = window.view.page_rect_in_viewport(page)
    assert y < window.view.viewport().height() and y + h > 0


def test_bookmarks_are_used_when_present(make_window, corpus_copy) -> None:
    window = make_window(corpus_copy("sf-geotopo-117p-objstreams.pdf"))
    assert window.outline.topLevelItemCount() > 3


def test_drop_a_pdf_opens_it(make_window, sample_pdf: Path, corpus_copy) -> None:
    from PySide6.QtCore import QMimeData, QUrl
    from PySide6.QtGui import QDropEvent

    window = make_window(sample_pdf)
    target = corpus_copy("pagelabels-roman-arabic.pdf")
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(target))])
    event = QDropEvent(
        QPointF(50, 50),
        Qt.DropAction.CopyAction,
        mime,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    window.dropEvent(event)
    assert window.view.page_count() == 5
    assert window.settings.recent_files[0] == str(target.resolve())


def test_panel_dock_is_on_the_right_for_the_annotation_panel(make_window, sample_pdf: Path) -> None:
    window = make_window(sample_pdf)
    assert window.dockWidgetArea(window.panel_dock) == Qt.DockWidgetArea.RightDockWidgetArea
    assert window.dockWidgetArea(window.outline_dock) == Qt.DockWidgetArea.LeftDockWidgetArea
    menus = [a.text().replace("&", "") for a in window.menuBar().actions()]
    assert menus == ["File", "Edit", "View", "Go", "Annotate", "Help"]  # Annotate: annotating area
