"""Annotating in the main window: the panel in the right dock, highlights on the page, the
actions and their shortcuts. Wiring only; every change goes through ``Review`` and the
``UndoController`` and is committed to SQLite as it happens.

Over 700 lines: the controller is where the panel, the page view and the undo stack meet; each
annotating action (create, tag, status, reply, delete, re-attach) is a few lines of that wiring.
"""

from __future__ import annotations

import json
import os
import weakref
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, QPointF, QRectF, Qt, QTimer
from PySide6.QtGui import QAction, QColor, QKeySequence, QMouseEvent, QPainter, QPen
from PySide6.QtWidgets import QFrame, QHBoxLayout, QMenu, QToolBar, QToolButton, QWidget

from reviewer.core.errors import ReviewerError
from reviewer.core.geometry import Quad
from reviewer.core.model import STATUSES, AnnotationEntry, Tag
from reviewer.core.operations import Change
from reviewer.core.pdf import PdfDocument
from reviewer.core.review import Review
from reviewer.core.store import default_db_path
from reviewer.ui.annotation_editor import chip_style
from reviewer.ui.highlights import HighlightItem
from reviewer.ui.identity import ensure_identity
from reviewer.ui.main_window import PANEL_MIN_WIDTH
from reviewer.ui.panel import AnnotationPanel, hover_html, hover_text
from reviewer.ui.plain import plain_label
from reviewer.ui.shortcuts import ShortcutSheet, key_sequences
from reviewer.ui.tag_manager import TagManagerDialog
from reviewer.ui.undo import ChangeNotice, UndoController

if TYPE_CHECKING:
    from reviewer.ui.main_window import MainWindow

PAGES_BEFORE = 2  # quads are read for the pages around the one shown
PAGES_AFTER = 3
NOTE_SIZE = 18.0  # points: the square a page note occupies
DEFAULT_HIGHLIGHT = "#FFD54F"


class PanelHighlight(HighlightItem):
    """A highlight whose hover text is made when the page asks for it (10,000 tooltips
    built up front cost ~0.2 s when a document opens)."""

    entry: AnnotationEntry

    @classmethod
    def make(
        cls, entry: AnnotationEntry, quads: list[Quad], colors: list[str], selected: bool
    ) -> PanelHighlight:
        # filled directly: the dataclass __init__ was a fifth of the time to open 10,000
        item = cls.__new__(cls)
        item.__dict__.update(
            id=entry.id, quads=quads, colors=colors, selected=selected, geometry={}, entry=entry
        )
        return item

    @property  # type: ignore[override]
    def tooltip(self) -> str:
        return hover_text(self.entry)

    @property
    def tooltip_html(self) -> str:
        """The tooltip with the comment's Markdown rendered (safe HTML, see hover_html)."""
        return hover_html(self.entry)

    @tooltip.setter
    def tooltip(self, _value: str) -> None:
        pass


_new_quad = object.__new__
_set = object.__setattr__


def parse_quads(text: str) -> list[Quad]:
    """Stored quads JSON (written by the core, validated then) without re-validating: frozen
    dataclass construction dominated opening a document with 10,000 annotations."""
    quads = []
    for q in json.loads(text):
        quad = _new_quad(Quad)
        _set(quad, "page", q["page"])
        _set(quad, "points", tuple(q["points"]))
        quads.append(quad)
    return quads


class SelectionToolbar(QFrame):
    """The floating mini-toolbar shown next to a text selection: highlight, or tag at once."""

    def __init__(self, controller: AnnotatingController, parent: QWidget) -> None:
        super().__init__(parent)
        self.controller = controller
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setAutoFillBackground(True)
        self.setStyleSheet(
            "SelectionToolbar { background: palette(window); border: 1px solid palette(mid);"
            " border-radius: 6px; }"
        )
        self.row = QHBoxLayout(self)
        self.row.setContentsMargins(4, 3, 4, 3)
        self.row.setSpacing(3)
        self.hide()

    def fill(self, tags: list[Tag]) -> None:
        while self.row.count():
            item = self.row.takeAt(0)
            widget = item.widget() if item else None
            if widget is not None:
                widget.hide()
                widget.setParent(None)
                widget.deleteLater()
        button = QToolButton()
        button.setText("Highlight (H)")
        button.clicked.connect(lambda: self.controller.highlight_selection())
        self.row.addWidget(button)
        for number, tag in enumerate(tags[:5], start=1):
            chip = QToolButton()
            chip.setText(f"{number} {tag.name}".replace("&", "&&"))
            chip.setStyleSheet(chip_style(tag.color))
            chip.setToolTip(f"Highlight with the tag {number}")
            chip.clicked.connect(lambda _=False, n=number: self.controller.tag_key(n))
            self.row.addWidget(chip)
        self.adjustSize()


class RegionTool(QObject):
    """Page note (click a point) and area (drag a rectangle) input on the page viewport."""

    def __init__(self, controller: AnnotatingController) -> None:
        super().__init__(controller)
        self.controller = controller
        self.mode: str | None = None  # "note" or "area"
        self._start: tuple[int, float, float] | None = None
        self._current: QPointF | None = None

    def start(self, mode: str) -> None:
        self.mode = mode
        self._start = None
        viewport = self.controller.view.viewport()
        viewport.setCursor(Qt.CursorShape.CrossCursor)
        what = (
            "click where the note goes" if mode == "note" else "drag a rectangle around the table or figure"
        )
        self.controller.show_message(f"{'Page note' if mode == 'note' else 'Area'}: {what} (Esc cancels)")

    def cancel(self) -> None:
        self.mode = None
        self._start = None
        self.controller.view.viewport().unsetCursor()
        self.controller.update_rubber()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        if self.mode is None:
            return False
        kind = event.type()
        if kind == QEvent.Type.KeyPress and getattr(event, "key", lambda: 0)() == Qt.Key.Key_Escape:
            self.cancel()
            return True
        if not isinstance(event, QMouseEvent):
            return False
        spot = self.controller.page_point(event.position())
        if kind == QEvent.Type.MouseButtonPress and event.button() == Qt.MouseButton.LeftButton:
            if spot is None:
                return True
            if self.mode == "note":
                page, x, y = spot
                half = NOTE_SIZE / 2
                self.cancel()
                self.controller.create_region(page, (x - half, y - half, x + half, y + half), "note")
                return True
            self._start = spot
            self._current = event.position()
            self.controller.update_rubber()
            return True
        if kind == QEvent.Type.MouseMove and self._start is not None:
            self._current = event.position()
            self.controller.update_rubber()
            return True
        if kind == QEvent.Type.MouseButtonRelease and self._start is not None:
            page, x0, y0 = self._start
            end = self.controller.page_point(event.position(), page)
            self.cancel()
            if end is None:
                return True
            _, x1, y1 = end
            if abs(x1 - x0) < 4 or abs(y1 - y0) < 4:
                self.controller.show_message("Area too small: drag a rectangle")
                return True
            self.controller.create_region(page, (min(x0, x1), min(y0, y1), max(x0, x1), max(y0, y1)), "area")
            return True
        return kind == QEvent.Type.MouseButtonDblClick

    def rubber_band(self) -> QRectF | None:
        if self._start is None or self._current is None:
            return None
        page, x, y = self._start
        origin = self.controller.view.viewport_point(page, x, y)
        return QRectF(origin, self._current).normalized()


class RubberBand(QWidget):
    """Draws the area being dragged over the viewport (transparent for the mouse)."""

    def __init__(self, tool: RegionTool, parent: QWidget) -> None:
        super().__init__(parent)
        self.tool = tool
        self.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        self.setAttribute(Qt.WidgetAttribute.WA_NoSystemBackground)

    def paintEvent(self, event: object) -> None:  # noqa: N802
        rect = self.tool.rubber_band()
        if rect is None:
            return
        painter = QPainter(self)
        painter.setPen(QPen(QColor("#1565C0"), 1.5, Qt.PenStyle.DashLine))
        fill = QColor("#1565C0")
        fill.setAlpha(40)
        painter.fillRect(rect, fill)
        painter.drawRect(rect)
        painter.end()


class AnnotatingController(QObject):
    """Owns the review, the undo stack and the panel of one main window."""

    def __init__(self, window: MainWindow, review: Review) -> None:
        super().__init__(window)
        self.window = window
        self.view = window.view
        self.review = review
        self.undo = UndoController(review, self)
        self.panel = AnnotationPanel(review, self.undo)
        self.panel.set_width_floor(PANEL_MIN_WIDTH)  # the placeholder's: the page does not move
        window.panel_dock.setWidget(self.panel)
        self.document: PdfDocument | None = None
        self.document_id: str | None = None
        self._quads: dict[str, list[Quad]] = {}
        self._loaded_pages: set[int] = set()
        self._items: dict[str, PanelHighlight] = {}
        self.toolbar = SelectionToolbar(self, self.view.viewport())
        self.region_tool = RegionTool(self)
        self.view.viewport().installEventFilter(self.region_tool)
        self.view.installEventFilter(self.region_tool)
        self.rubber = RubberBand(self.region_tool, self.view.viewport())
        self.rubber.hide()
        self.tag_manager: TagManagerDialog | None = None
        self.sheet: ShortcutSheet | None = None

        window.documentOpened.connect(self.set_document)
        self.view.highlightClicked.connect(self._on_highlight_clicked)
        self.view.currentPageChanged.connect(self._on_page_changed)
        self.view.selectionChanged.connect(self._on_selection_changed)
        self.panel.annotationActivated.connect(self.reveal)
        self.panel.currentAnnotationChanged.connect(self._on_current_changed)
        self.panel.message.connect(self.show_message)
        self.panel.editor.comment_edit.escaped.connect(self.view.setFocus)
        self.panel.editor.comment_edit.tagKey.connect(self.tag_key)
        self.undo.changed.connect(self._on_change)
        self.undo.changed.connect(self._tell_other_windows)
        self.undo.failed.connect(self.show_message)
        self._build_actions()
        _CONTROLLERS.add(self)
        if window.view.document() is not None:
            self.set_document(window.view.document())

    def _tell_other_windows(self, notice: ChangeNotice) -> None:
        """Windows sharing this review (File → Open in New Window) show its changes too: each
        keeps its own undo stack, the database is one."""
        global _relaying
        if _relaying:
            return
        _relaying = True
        try:
            for other in list(_CONTROLLERS):
                if other is not self and other.review is self.review:
                    other.undo.changed.emit(notice)  # a refresh for its panel and page
        finally:
            _relaying = False

    # actions -----------------------------------------------------------------------------
    def _action(self, name: str, text: str, slot: Callable[[], object]) -> QAction:
        action = QAction(text, self.window)
        action.setObjectName(name)
        action.setShortcuts(key_sequences(name))
        action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        action.triggered.connect(lambda _checked=False: slot())
        self.window.addAction(action)
        self.actions[name] = action
        return action

    def _build_actions(self) -> None:
        self.actions: dict[str, QAction] = {}
        a = self._action
        a("highlight", "&Highlight", self.highlight_selection)
        a("comment", "&Comment", self.focus_comment)
        a("page_note", "Page &Note", lambda: self.region_tool.start("note"))
        a("area", "&Area Annotation", lambda: self.region_tool.start("area"))
        a("next", "Ne&xt Annotation", lambda: self.step(1))
        a("previous", "Pre&vious Annotation", lambda: self.step(-1))
        a("status", "Cycle &Status", self.cycle_status)
        a("reply", "&Reply", self.focus_reply)
        a("delete", "&Delete Annotation", self.panel.editor.delete)
        a("undo", "&Undo", self.undo.undo)
        a("redo", "&Redo", self.undo.redo)
        a("search", "Search &Annotations", self.focus_search)
        a("tag_manager", "&Tags\u2026", self.open_tag_manager)
        self.actions["page_note"].setIconText("Note")
        self.actions["area"].setIconText("Area")
        a("panel", "Annotation &Panel", self.toggle_panel)
        a("shortcuts", "&Keyboard Shortcuts", self.show_shortcuts)
        self.tag_actions = []
        for number in range(1, 10):
            action = QAction(f"Tag {number}", self.window)
            action.setObjectName(f"tag_{number}")
            action.setShortcut(QKeySequence(str(number)))
            action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
            action.triggered.connect(lambda _checked=False, n=number: self.tag_key(n))
            self.window.addAction(action)
            self.tag_actions.append(action)
        self.undo.stack.canUndoChanged.connect(self.actions["undo"].setEnabled)
        self.undo.stack.canRedoChanged.connect(self.actions["redo"].setEnabled)
        self.undo.stack.undoTextChanged.connect(
            lambda text: self.actions["undo"].setText(f"&Undo {text}".strip())
        )
        self.undo.stack.redoTextChanged.connect(
            lambda text: self.actions["redo"].setText(f"&Redo {text}".strip())
        )
        self.actions["undo"].setEnabled(False)
        self.actions["redo"].setEnabled(False)

        menu_bar = self.window.menuBar()
        edit_menu = next((m.menu() for m in menu_bar.actions() if m.text() == "&Edit"), None)
        if edit_menu is not None:
            first = edit_menu.actions()[0] if edit_menu.actions() else None
            edit_menu.insertAction(first, self.actions["undo"])
            edit_menu.insertAction(first, self.actions["redo"])
            edit_menu.insertSeparator(first)
        help_entry = next((m for m in menu_bar.actions() if m.text() == "&Help"), None)
        menu = QMenu("&Annotate", self.window)
        if help_entry is not None:
            menu_bar.insertMenu(help_entry, menu)
        else:
            menu_bar.addMenu(menu)
        for name in (
            "highlight",
            "comment",
            "page_note",
            "area",
            None,
            "next",
            "previous",
            None,
            "status",
            "reply",
            "delete",
            None,
            "search",
            "tag_manager",
            "panel",
        ):
            if name is None:
                menu.addSeparator()
            else:
                menu.addAction(self.actions[name])
        toolbar = self.window.findChild(QToolBar, "main_toolbar")
        if toolbar is not None:
            toolbar.addSeparator()
            for name in ("highlight", "page_note", "area", "tag_manager"):
                action = self.actions[name]
                action.setToolTip(f"{action.text().replace('&', '')} ({action.shortcut().toString()})")
                toolbar.addAction(action)
        self.tags_menu = menu.addMenu("Apply &Tag")
        self.tags_menu.aboutToShow.connect(self._fill_tags_menu)
        help_menu = next((m.menu() for m in menu_bar.actions() if m.text() == "&Help"), None)
        if help_menu is not None:
            help_menu.insertAction(
                help_menu.actions()[0] if help_menu.actions() else None, self.actions["shortcuts"]
            )

    def _fill_tags_menu(self) -> None:
        self.tags_menu.clear()
        for number, tag in enumerate(self.review.tags(include_retired=False)[:9], start=1):
            action = self.tags_menu.addAction(f"&{number} {tag.name.replace('&', '&&')}")
            action.triggered.connect(lambda _c=False, n=number: self.tag_key(n))

    # document ----------------------------------------------------------------------------
    def set_document(self, document: PdfDocument) -> None:
        self.document = document
        try:
            self.document_id = self.review.register(document)["id"]
        except ReviewerError as exc:
            self.show_message(str(exc))
            self.document_id = None
        self.panel.set_document(self.document_id, document.page_label)
        self._quads = {}
        self._loaded_pages = set()
        self._load_pages_around(self.view.current_page())
        self._rebuild_highlights()

    def _on_page_changed(self, page: int) -> None:
        if self._load_pages_around(page):
            self._rebuild_highlights()

    def _load_pages_around(self, page: int) -> bool:
        """Quads of the annotations starting near the shown page, read once per page.

        Reading and parsing every quad of 10,000 annotations took ~0.2 s on opening; an
        annotation over several pages starts at most a page or two before the one shown.
        """
        if self.document_id is None or self.document is None:
            return False
        count = self.document.page_count
        wanted = [
            p
            for p in range(page - PAGES_BEFORE, page + PAGES_AFTER + 1)
            if 0 <= p < count and p not in self._loaded_pages
        ]
        if not wanted:
            return False
        for annotation_id, quads_json in self.review.store.annotation_quads(self.document_id, pages=wanted):
            self._quads[annotation_id] = parse_quads(quads_json)
        self._loaded_pages.update(wanted)
        return True

    def _load_quads(self, ids: list[str]) -> None:
        """Read again the quads of annotations a change touched."""
        if self.document_id is None or not ids:
            return
        for annotation_id in ids:
            self._quads.pop(annotation_id, None)
        for annotation_id, quads_json in self.review.store.annotation_quads(self.document_id, ids):
            self._quads[annotation_id] = parse_quads(quads_json)

    def quads_of(self, annotation_id: str) -> list[Quad]:
        if annotation_id not in self._quads:
            self._load_quads([annotation_id])
        return self._quads.get(annotation_id, [])

    def _rebuild_highlights(self) -> None:
        current = self.panel.current_annotation_id()
        items: dict[str, PanelHighlight] = {}
        quads_of = self._quads
        for annotation_id, entry in self.panel.model.records.items():
            quads = quads_of.get(annotation_id)
            if not quads:
                continue
            items[annotation_id] = PanelHighlight.make(
                entry,
                quads,
                [t.color for t in entry.tags] if entry.tags else [DEFAULT_HIGHLIGHT],
                annotation_id == current,
            )
        self._items = items
        self.view.set_highlights(list(items.values()))

    def _on_change(self, notice: ChangeNotice) -> None:
        if notice.typing:
            for annotation_id in notice.annotation_ids:
                entry = self.panel.model.records.get(annotation_id)
                item = self._items.get(annotation_id)
                if entry is not None and item is not None:
                    item.entry = entry
            return
        self._load_quads(list(notice.annotation_ids))  # a tag change only needs new colours
        self._rebuild_highlights()

    # creating ----------------------------------------------------------------------------
    def _run(self, action: Callable[[], Change | None]) -> Change | None:
        try:
            return self.undo.run(action)
        except ReviewerError as exc:
            self.show_message(str(exc))
            return None

    def highlight_selection(self, tags: list[str] | None = None) -> str | None:
        """Create a highlight from the text selection; returns its id."""
        selection = self.view.selection_range()
        if selection is None or self.document is None:
            self.show_message("Select some text first, then press H")
            return None
        start, end = selection
        document = self.document
        created: list[str] = []

        def create() -> Change | None:
            annotation = self.review.annotate_range(document, start, end, tags=tags or ())
            created.append(annotation.id)
            return self.review.last_change

        if self._run(create) is None or not created:
            return None
        self.view.clear_selection()
        self.toolbar.hide()
        self._select_new(created[0])
        return created[0]

    def create_region(self, page: int, view_rect: tuple[float, float, float, float], kind: str) -> str | None:
        """A page note or an area from a rectangle in displayed-page points."""
        if self.document is None:
            return None
        geometry = self.view.page_geometry(page)
        x0, y0 = geometry.view_to_unrotated(view_rect[0], view_rect[1])
        x1, y1 = geometry.view_to_unrotated(view_rect[2], view_rect[3])
        rect = (min(x0, x1), min(y0, y1), max(x0, x1), max(y0, y1))
        document = self.document
        created: list[str] = []

        def create() -> Change | None:
            annotation = self.review.annotate_region(document, page, rect, kind=kind)
            created.append(annotation.id)
            return self.review.last_change

        if self._run(create) is None or not created:
            return None
        self._select_new(created[0])
        return created[0]

    def _select_new(self, annotation_id: str) -> None:
        if not self.panel.select_annotation(annotation_id):
            self.panel.set_tag_filter([])
            self.panel.search_box.clear()
            self.panel.select_annotation(annotation_id)
        self.panel.editor.start_quick_tagging()
        self.window.panel_dock.show()
        self.panel.editor.focus_comment()

    def tag_key(self, number: int) -> None:
        """Keys 1-9: tag the selection as a new highlight, else toggle the tag on the
        selected annotation."""
        tags = self.review.tags(include_retired=False)
        if not 1 <= number <= len(tags):
            self.show_message(f"No tag {number} (the taxonomy has {len(tags)} active tags)")
            return
        tag = tags[number - 1]
        if self.view.selection_range() is not None:
            self.highlight_selection([tag.name])
            return
        if not self.panel.current_annotation_id():
            self.show_message("Select an annotation or some text first")
            return
        self.panel.editor.toggle_tag(tag.name)

    # moving around -----------------------------------------------------------------------
    def step(self, delta: int) -> None:
        walk = getattr(self.window, "carry_walk", None)
        if walk is not None and walk.active():  # J/K walk through a carry's changes first
            walk.step(delta)
            return
        annotation_id = self.panel.step(delta)
        if annotation_id:
            self.reveal(annotation_id)

    def reveal(self, annotation_id: str) -> None:
        """Scroll the page to an annotation and flash it."""
        quads = self.quads_of(annotation_id)
        if not quads:
            return
        first = quads[0]
        geometry = self.view.page_geometry(first.page)
        self.view.scroll_to(first.page, first.view_rect(geometry))
        self.view.flash(annotation_id)

    def _on_highlight_clicked(self, annotation_id: str) -> None:
        if not self.panel.select_annotation(annotation_id):
            self.panel.set_tag_filter([])
            self.panel.search_box.clear()
            self.panel.set_status_filter("")
            self.panel.set_author_filter("")
            self.panel.select_annotation(annotation_id)

    def _on_current_changed(self, annotation_id: str) -> None:
        changed = False
        for item in self._items.values():
            selected = item.id == annotation_id
            if item.selected != selected:
                item.selected = selected
                changed = True
        if changed:
            self.view.viewport().update()

    def _on_selection_changed(self) -> None:
        selection = self.view.selection_range()
        if selection is None or self.view.text_flow() is None:
            self.toolbar.hide()
            return
        QTimer.singleShot(0, self._place_toolbar)

    def _place_toolbar(self) -> None:
        selection = self.view.selection_range()
        flow = self.view.text_flow()
        if selection is None or flow is None:
            self.toolbar.hide()
            return
        quads = flow.quads(*selection)
        if not quads:
            return
        last = quads[-1]
        x0, y0, x1, y1 = last.view_rect(self.view.page_geometry(last.page))
        point = self.view.viewport_point(last.page, x1, y1)
        self.toolbar.fill(self.review.tags(include_retired=False))
        viewport = self.view.viewport()
        x = int(
            min(
                max(0.0, point.x() - self.toolbar.width() / 2),
                viewport.width() - self.toolbar.width(),
            )
        )
        y = int(point.y() + 6)
        if y + self.toolbar.height() > viewport.height():
            top = self.view.viewport_point(last.page, x0, y0)
            y = int(top.y() - self.toolbar.height() - 6)
        self.toolbar.move(x, max(0, y))
        self.toolbar.show()
        self.toolbar.raise_()

    def update_rubber(self) -> None:
        active = self.region_tool.rubber_band() is not None
        if active:
            self.rubber.setGeometry(self.view.viewport().rect())
            self.rubber.show()
            self.rubber.raise_()
            self.rubber.update()
        elif self.rubber.isVisible():
            self.rubber.hide()

    def page_point(self, pos: QPointF, page: int | None = None) -> tuple[int, float, float] | None:
        """Viewport position -> (page, x, y) in displayed-page points (y down)."""
        zoom = self.view.zoom()
        pages = [page] if page is not None else range(self.view.page_count())
        for index in pages:
            x, y, w, h = self.view.page_rect_in_viewport(index)
            if page is not None or (x <= pos.x() <= x + w and y <= pos.y() <= y + h):
                px = min(max(0.0, (pos.x() - x) / zoom), w / zoom)
                py = min(max(0.0, (pos.y() - y) / zoom), h / zoom)
                return (index, px, py)
        return None

    # editing shortcuts ---------------------------------------------------------------------
    def focus_comment(self) -> None:
        if self.panel.current_annotation_id():
            self.window.panel_dock.show()
            self.panel.editor.focus_comment()

    def focus_reply(self) -> None:
        if self.panel.current_annotation_id():
            self.window.panel_dock.show()
            self.panel.editor.reply_input.setFocus()

    def focus_search(self) -> None:
        self.window.panel_dock.show()
        self.panel.search_box.setFocus()
        self.panel.search_box.selectAll()

    def cycle_status(self) -> None:
        annotation = self.panel.editor.annotation
        if annotation is None:
            return
        current = self.review.annotation(annotation.id).status
        self.panel.editor.set_status(STATUSES[(STATUSES.index(current) + 1) % len(STATUSES)])

    def toggle_panel(self) -> None:
        self.window.panel_dock.setVisible(not self.window.panel_dock.isVisible())

    def open_tag_manager(self) -> TagManagerDialog:
        if self.tag_manager is None:
            self.tag_manager = TagManagerDialog(self.review, self.undo, self.document_id, self.window)
        self.tag_manager.document_id = self.document_id
        self.tag_manager.refresh()
        self.tag_manager.show()
        self.tag_manager.raise_()
        return self.tag_manager

    def show_shortcuts(self) -> ShortcutSheet:
        if self.sheet is None:
            self.sheet = ShortcutSheet(parent=self.window)
        self.sheet.show()
        self.sheet.raise_()
        return self.sheet

    def show_message(self, text: str) -> None:
        self.window.statusBar().showMessage(text, 8000)

    def close(self) -> None:
        self.review.close()


_CONTROLLERS: weakref.WeakSet[AnnotatingController] = weakref.WeakSet()
_relaying = False


def attach_annotating(
    window: MainWindow,
    author: str | None = None,
    db_path: Path | None = None,
    review: Review | None = None,
) -> AnnotatingController | None:
    """Give a main window its annotation panel, highlights and annotating shortcuts
    (``reviewer.ui.app.attach_review_layer`` adds File → Import/Export/Report, carrying and the
    Conflicts banner).

    Asks for the reviewer's name on first run (``--author`` / ``REVIEWER_AUTHOR`` skip it).
    The database is ``db_path``, else ``REVIEWER_DB`` (as for the CLI), else the user's one.
    When it cannot be opened (damaged, or from a newer Reviewer) the document stays readable
    and the panel says why; nothing is written. ``review``: the one another window of this
    process has open (one writer per database), shared.
    """
    try:
        if review is None:
            identity = ensure_identity(window.settings, author, window)
            path = db_path or Path(os.environ.get("REVIEWER_DB") or default_db_path())
            from reviewer.ui.startup_checks import open_review_for_app

            review = open_review_for_app(window, path, identity)  # dialogs; app writer lock
    except ReviewerError as exc:
        from reviewer.ui.startup_checks import HandedOver

        if isinstance(exc, HandedOver):  # the app holding the database shows the document
            window.annotating = None  # type: ignore[attr-defined]
            window.handed_over = True  # type: ignore[attr-defined]
            QTimer.singleShot(0, window.close)
            return None
        message = plain_label(f"Annotations are unavailable:\n{exc}")
        message.setWordWrap(True)
        message.setAlignment(Qt.AlignmentFlag.AlignCenter)
        window.panel_dock.setWidget(message)
        window.statusBar().showMessage(str(exc), 15000)
        window.annotating = None  # type: ignore[attr-defined]
        return None
    controller = AnnotatingController(window, review)
    window.annotating = controller  # type: ignore[attr-defined]
    return controller
