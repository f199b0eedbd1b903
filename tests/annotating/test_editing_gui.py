"""Editing in the main window: comment, status, tags, replies, filters, groups, undo and redo,
delete, J/K, page notes and areas, the shortcut sheet. Each checks the database."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from PySide6.QtCore import QEvent, QPoint, QPointF, Qt
from PySide6.QtGui import QMouseEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from reviewer.ui.annotation_model import GroupBy
from tests.annotating.gui_helpers import drag_select, open_window, show_quote

QUOTES = ("judicial or other independent review", "the right to an effective remedy")


def dump(db_path: Path) -> dict[str, list[tuple]]:
    """Every row a reviewer's work lives in, to compare whole database states."""
    conn = sqlite3.connect(db_path)
    out = {
        table: sorted(conn.execute(f"SELECT * FROM {table}").fetchall())
        for table in ("annotations", "annotation_tags", "replies", "tags")
    }
    conn.close()
    return out


@pytest.fixture
def window(qtbot, sample_pdf, db_path):
    return open_window(qtbot, sample_pdf, db_path)


def highlight(qtbot, window, quote: str, tag_key: int | None = None) -> str:
    view = window.view
    start = view.text_flow().text.index(quote)
    quads = show_quote(qtbot, window, start, start + len(quote))
    drag_select(qtbot, window, quads)
    view.setFocus()
    QTest.keyClick(view, Qt.Key.Key_H)
    controller = window.annotating
    qtbot.waitUntil(lambda: controller.panel.current_annotation_id() != "")
    if tag_key:
        QTest.keyClick(controller.panel.editor.comment_edit, Qt.Key(Qt.Key.Key_0 + tag_key))
    return controller.panel.current_annotation_id()


def test_edit_reply_status_then_undo_and_redo_each(qtbot, window, db_path):
    controller = window.annotating
    editor = controller.panel.editor
    annotation_id = highlight(qtbot, window, QUOTES[0], tag_key=1)
    states = [dump(db_path)]

    QTest.keyClicks(editor.comment_edit, "Too weak")
    states.append(dump(db_path))
    editor.status_combo.setCurrentIndex(2)
    editor.status_combo.activated.emit(2)  # what choosing "rejected" does
    states.append(dump(db_path))
    editor.reply_input.setFocus()
    QTest.keyClicks(editor.reply_input, "Agreed, see Art. 15.")
    QTest.keyClick(editor.reply_input, Qt.Key.Key_Return)
    states.append(dump(db_path))

    review = controller.review
    record = review.annotation(annotation_id)
    assert record.comment == "Too weak"
    assert record.status == "rejected"
    assert record.tag_names == ["surveillance power"]
    assert [(r.author_name, r.comment) for r in record.replies] == [("Ada Tester", "Agreed, see Art. 15.")]
    assert editor.replies_list.count() == 1
    assert "1 reply" in controller.panel.model.index(0, 0).data() or record.replies

    # undo walks back through every state (the typed comment is one step), redo forward
    window.view.setFocus()
    for expected in reversed(states[:-1]):
        QTest.keyClick(window.view, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
        assert dump(db_path) == expected
    for expected in states[1:]:
        QTest.keyClick(
            window.view,
            Qt.Key.Key_Z,
            Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier,
        )
        assert dump(db_path) == expected
    assert controller.panel.editor.comment_edit.toPlainText() == "Too weak"


def test_undo_of_creation_removes_the_row_and_redo_brings_it_back(qtbot, window, db_path):
    empty = dump(db_path)
    annotation_id = highlight(qtbot, window, QUOTES[0])
    created = dump(db_path)
    assert len(created["annotations"]) == 1
    window.view.setFocus()
    QTest.keyClick(window.view, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert dump(db_path) == empty
    assert window.annotating.panel.model.rowCount() == 0
    assert not window.annotating._items
    QTest.keyClick(window.view, Qt.Key.Key_Y, Qt.KeyboardModifier.ControlModifier)
    assert dump(db_path) == created
    assert window.annotating.panel.model.indexes_of(annotation_id)


def test_ctrl_z_inside_the_comment_box_undoes_the_typing(qtbot, window, db_path):
    controller = window.annotating
    highlight(qtbot, window, QUOTES[0])
    before = dump(db_path)
    edit = controller.panel.editor.comment_edit
    QTest.keyClicks(edit, "abc def")
    assert controller.review.annotation(controller.panel.current_annotation_id()).comment == "abc def"
    QTest.keyClick(edit, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert dump(db_path) == before
    assert edit.toPlainText() == ""


def test_delete_asks_nothing_and_undo_restores(qtbot, window, db_path):
    controller = window.annotating
    annotation_id = highlight(qtbot, window, QUOTES[0], tag_key=2)
    before = dump(db_path)
    controller.panel.view.setFocus()
    QTest.keyClick(controller.panel.view, Qt.Key.Key_Delete)
    assert controller.review.annotation(annotation_id).deleted
    assert controller.panel.model.rowCount() == 0
    QTest.keyClick(controller.panel.view, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert dump(db_path) == before
    assert controller.panel.model.indexes_of(annotation_id)


def test_filter_by_tag_and_search_then_group_by_tag(qtbot, window):
    controller = window.annotating
    panel = controller.panel
    first = highlight(qtbot, window, QUOTES[0], tag_key=2)
    QTest.keyClicks(panel.editor.comment_edit, "independent judge")
    second = highlight(qtbot, window, QUOTES[1], tag_key=6)
    QTest.keyClicks(panel.editor.comment_edit, "remedy is too thin")

    # the tag menu, as the reviewer uses it: check "safeguard"
    panel.tag_menu.aboutToShow.emit()
    action = next(a for a in panel.tag_menu.actions() if a.text().startswith("safeguard"))
    assert action.text().split()[-1] == "1/1" or "1 / 1" in action.text()
    action.trigger()
    assert panel.model.visible_ids == [first]
    panel.set_tag_filter([])

    panel.search_box.setFocus()
    QTest.keyClicks(panel.search_box, "thin")
    assert panel.model.visible_ids == [second]
    panel.search_box.clear()

    index = panel.group_combo.findData(GroupBy.TAG)
    panel.group_combo.setCurrentIndex(index)
    panel.group_combo.activated.emit(index)
    assert [(g.label, g.ids) for g in panel.model.groups()] == [
        ("safeguard", [first]),
        ("human-rights concern", [second]),
    ]


def test_j_and_k_walk_the_annotations_and_clicking_a_highlight_selects(qtbot, window):
    controller = window.annotating
    first = highlight(qtbot, window, QUOTES[0])
    second = highlight(qtbot, window, QUOTES[1])
    window.view.setFocus()
    QTest.keyClick(window.view, Qt.Key.Key_K)
    assert controller.panel.current_annotation_id() == first
    QTest.keyClick(window.view, Qt.Key.Key_J)
    assert controller.panel.current_annotation_id() == second
    # click on the first highlight on the page
    quad = controller.quads_of(first)[0]
    x0, y0, x1, y1 = quad.view_rect(window.view.page_geometry(quad.page))
    point = window.view.viewport_point(quad.page, (x0 + x1) / 2, (y0 + y1) / 2).toPoint()
    QTest.mouseClick(window.view.viewport(), Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, point)
    assert controller.panel.current_annotation_id() == first
    assert controller._items[first].selected and not controller._items[second].selected


def _send(widget, kind, point, buttons):
    button = Qt.MouseButton.LeftButton if kind != QEvent.Type.MouseMove else Qt.MouseButton.NoButton
    QApplication.sendEvent(
        widget,
        QMouseEvent(kind, QPointF(point), QPointF(point), button, buttons, Qt.KeyboardModifier.NoModifier),
    )


def test_page_note_and_area_annotation(qtbot, window, db_path):
    controller = window.annotating
    view = window.view
    view.go_to_page(1, record=False)
    qtbot.wait(50)
    viewport = view.viewport()
    view.setFocus()
    QTest.keyClick(view, Qt.Key.Key_N)
    note_point = view.viewport_point(1, 100, 120).toPoint()
    QTest.mouseClick(viewport, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, note_point)
    note = controller.review.annotation(controller.panel.current_annotation_id())
    assert note.kind == "note" and note.page == 1
    QTest.keyClicks(controller.panel.editor.comment_edit, "Whole page: check the numbering.")
    assert controller.review.annotation(note.id).comment == "Whole page: check the numbering."

    view.setFocus()
    QTest.keyClick(view, Qt.Key.Key_A)
    a = view.viewport_point(1, 60, 80).toPoint()
    b = view.viewport_point(1, 400, 260).toPoint()
    _send(viewport, QEvent.Type.MouseButtonPress, a, Qt.MouseButton.LeftButton)
    _send(
        viewport,
        QEvent.Type.MouseMove,
        QPoint((a.x() + b.x()) // 2, (a.y() + b.y()) // 2),
        Qt.MouseButton.LeftButton,
    )
    assert controller.rubber.isVisible()
    _send(viewport, QEvent.Type.MouseMove, b, Qt.MouseButton.LeftButton)
    _send(viewport, QEvent.Type.MouseButtonRelease, b, Qt.MouseButton.NoButton)
    area = controller.review.annotation(controller.panel.current_annotation_id())
    assert area.kind == "area" and area.page == 1
    x0, y0, x1, y1 = area.quads[0].view_rect(view.page_geometry(1))
    assert abs(x0 - 60) < 1.5 and abs(y0 - 80) < 1.5 and abs(x1 - 400) < 1.5 and abs(y1 - 260) < 1.5
    assert area.quote  # the text inside the rectangle
    assert not controller.rubber.isVisible()


def test_shortcut_sheet_and_every_action_has_a_shortcut(qtbot, window):
    controller = window.annotating
    for name, action in controller.actions.items():
        assert not action.shortcut().isEmpty(), name
    window.view.setFocus()
    QTest.keyClick(window.view, Qt.Key.Key_F1)
    sheet = controller.sheet
    assert sheet is not None and sheet.isVisible()
    assert any("Next annotation" in t for t in sheet.texts())
    sheet.close()
    QTest.keyClick(window.view, Qt.Key.Key_Question, Qt.KeyboardModifier.ShiftModifier)
    assert sheet.isVisible()


def test_mini_toolbar_tags_the_selection(qtbot, window):
    controller = window.annotating
    view = window.view
    start = view.text_flow().text.index(QUOTES[1])
    quads = show_quote(qtbot, window, start, start + len(QUOTES[1]))
    drag_select(qtbot, window, quads)
    qtbot.waitUntil(controller.toolbar.isVisible)
    buttons = [w for w in controller.toolbar.findChildren(type(controller.toolbar.row.itemAt(1).widget()))]
    chip = next(b for b in buttons if b.text().startswith("3 "))
    chip.click()
    record = controller.review.annotation(controller.panel.current_annotation_id())
    assert record.quote == QUOTES[1]
    assert record.tag_names == ["weak or missing safeguard"]
    assert not controller.toolbar.isVisible()


def test_number_key_on_a_selection_tags_it_and_keys_s_c_r_and_hover(qtbot, window):
    controller = window.annotating
    view = window.view
    start = view.text_flow().text.index(QUOTES[1])
    quads = show_quote(qtbot, window, start, start + len(QUOTES[1]))
    drag_select(qtbot, window, quads)
    view.setFocus()
    QTest.keyClick(view, Qt.Key.Key_4)
    annotation_id = controller.panel.current_annotation_id()
    record = controller.review.annotation(annotation_id)
    assert record.quote == QUOTES[1] and record.tag_names == ["data sharing"]
    QTest.keyClicks(controller.panel.editor.comment_edit, "Transfers evidence abroad.")

    view.setFocus()
    QTest.keyClick(view, Qt.Key.Key_S)
    assert controller.review.annotation(annotation_id).status == "accepted"
    QTest.keyClick(view, Qt.Key.Key_R)
    assert controller.panel.editor.reply_input.hasFocus()
    view.setFocus()
    QTest.keyClick(view, Qt.Key.Key_C)
    assert controller.panel.editor.comment_edit.hasFocus()
    QTest.keyClick(controller.panel.editor.comment_edit, Qt.Key.Key_Escape)
    assert view.hasFocus()

    # what hovering the highlight shows: tags, the start of the comment, author, status
    tooltip = controller._items[annotation_id].tooltip
    assert tooltip.splitlines() == [
        "data sharing",
        "Transfers evidence abroad.",
        "\u2014 Ada Tester (accepted)",
    ]

    # clicking the entry scrolls to the highlight and flashes it
    view.go_to_page(0, record=False)
    index = controller.panel.model.indexes_of(annotation_id)[0]
    rect = controller.panel.view.visualRect(index)
    QTest.mouseClick(
        controller.panel.view.viewport(),
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
        rect.center(),
    )
    assert view._flash_id == annotation_id
    assert view.current_page() == record.page


def test_typing_a_comment_is_one_revision_per_burst(qtbot, window, db_path):
    """Every keystroke is committed at once, but one burst of typing is one new revision (and
    one undo step), not one revision per character; undo then typing starts a new one."""
    controller = window.annotating
    editor = controller.panel.editor
    annotation_id = highlight(qtbot, window, QUOTES[1])
    review = controller.review

    def row() -> tuple[str, int]:
        r = review.store.annotation_row(annotation_id)
        return r["comment"], r["revision"]

    assert row() == ("", 1)
    QTest.keyClicks(editor.comment_edit, "Too broad")
    assert row() == ("Too broad", 2)
    controller.undo.end_typing()  # focus left the editor: the next typing is a new burst
    QTest.keyClicks(editor.comment_edit, "!!")
    assert row() == ("Too broad!!", 3)
    controller.undo.stack.undo()
    assert row() == ("Too broad", 2)
    QTest.keyClicks(editor.comment_edit, "?")  # after an undo, a new revision again
    assert row() == ("Too broad?", 3)
