"""The main window: page view in the centre, outline on the left, annotation panel on the right.

Wiring only: opening, menus, toolbar, status bar, remembered positions. Every string that
comes from a file (titles, bookmarks, labels) is shown as plain text.
"""

from __future__ import annotations

import contextlib
import html
import threading
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QApplication,
    QDockWidget,
    QLabel,
    QLineEdit,
    QMainWindow,
    QTreeWidget,
    QVBoxLayout,
    QWidget,
)

from reviewer.core.errors import ReviewerError
from reviewer.core.plain_text import display_text
from reviewer.core.settings import Settings
from reviewer.ui.find import FindBar, FindController
from reviewer.ui.layout import zoom_in, zoom_out
from reviewer.ui.mailbox import Mailbox
from reviewer.ui.outline import OutlineEntry, bookmarks, headings_from_text, structure_outline
from reviewer.ui.page_view import PageView
from reviewer.ui.qt_compat import emit
from reviewer.ui.window_state import load_position, load_window, save_position, save_window

if TYPE_CHECKING:
    # Qt classes a window needs only once asked (a dialog, an outline row, a drop) are imported
    # where they are used: importing one makes PySide6 build its enums (QMessageBox's and
    # QFileDialog's are many), milliseconds a cold start spends before the first page.
    from PySide6.QtGui import QCloseEvent, QDragEnterEvent, QDropEvent
    from PySide6.QtWidgets import QTreeWidgetItem

    from reviewer.core.pdf import PdfDocument  # MuPDF only once a document is open
    from reviewer.core.textflow import TextFlow
    from reviewer.ui.head_start import HeadStart

PANEL_MIN_WIDTH = 320  # the annotation panel's, which may only arrive after the first paint

PasswordPrompt = Callable[[str, bool], "str | None"]


class MainWindow(QMainWindow):
    documentOpened = Signal(object)  # PdfDocument
    # How File → Open in New Window opens one: set by reviewer.ui.app, which builds windows.
    new_window_opener: Callable[[MainWindow, str], MainWindow] | None = None

    def __init__(
        self,
        settings: Settings | None = None,
        db_path: Path | None = None,
        author: str | None = None,
        remember: bool = True,
    ) -> None:
        super().__init__()
        self.remember = remember  # False for screenshots: no saved geometry or positions
        self.settings = settings or Settings.load()
        self.db_path = db_path
        self.author = author
        self.last_error = ""
        self.ask_password: PasswordPrompt = self._ask_password
        self.setWindowTitle("Reviewer")
        self.setAcceptDrops(True)
        self.resize(1280, 860)

        self.view = PageView()
        self.finder = FindController(self.view)
        self._find_bar: FindBar | None = None  # built when first asked for (see find_bar)
        self.banner = QLabel()
        self.banner.setTextFormat(Qt.TextFormat.PlainText)
        self.banner.setWordWrap(True)
        self.banner.setStyleSheet(
            "background:#fff3cd;color:#664d03;padding:6px;border-bottom:1px solid #e0c36a;"
        )
        self.banner.hide()
        centre = QWidget()
        column = QVBoxLayout(centre)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(0)
        column.addWidget(self.banner)
        column.addWidget(self.view, 1)
        self._centre_column = column
        self.setCentralWidget(centre)

        self.outline = QTreeWidget()
        self.outline.setHeaderHidden(True)
        self.outline.itemActivated.connect(self._on_outline_item)
        self.outline.itemClicked.connect(self._on_outline_item)
        self.outline_dock = QDockWidget("Outline", self)
        self.outline_dock.setObjectName("outline_dock")
        self.outline_dock.setWidget(self.outline)
        self.addDockWidget(Qt.DockWidgetArea.LeftDockWidgetArea, self.outline_dock)

        self.panel_dock = QDockWidget("Annotations", self)
        self.panel_dock.setObjectName("panel_dock")
        placeholder = QLabel("Annotations appear here.")
        placeholder.setAlignment(Qt.AlignmentFlag.AlignCenter)
        placeholder.setMinimumWidth(PANEL_MIN_WIDTH)  # the panel takes the same room: no re-layout
        self.panel_dock.setWidget(placeholder)
        self.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, self.panel_dock)

        self.page_label = QLabel("")
        self.zoom_label = QLabel("")
        self.text_label = QLabel("")
        self.statusBar().addWidget(self.text_label, 1)
        self.statusBar().addPermanentWidget(self.page_label)
        self.statusBar().addPermanentWidget(self.zoom_label)

        self._build_actions()
        self.view.currentPageChanged.connect(self._on_page_changed)
        self.view.zoomChanged.connect(self._on_zoom_changed)
        self.view.flowReady.connect(self._on_flow_ready)
        self.view.flowGrowing.connect(self._on_flow_growing)
        self._outline_mailbox = Mailbox(self._on_outline_found, self)
        self.view.textProgress.connect(self._on_text_progress)
        self.view.renderFailed.connect(lambda message: self.statusBar().showMessage(message, 10000))
        self.view.selectionChanged.connect(self._on_selection_changed)
        self._on_selection_changed()

        geometry, state = load_window() if remember else (None, None)
        if geometry is not None:
            self.restoreGeometry(geometry)
        if state is not None:
            self.restoreState(state)

    @property
    def find_bar(self) -> FindBar:
        """The find bar under the page, built the first time it is asked for: at start-up it
        would cost ~20 ms before the first page is on screen, for a bar that is hidden."""
        if self._find_bar is None:
            self._find_bar = FindBar(self.finder)
            self._find_bar.hide()
            self._centre_column.addWidget(self._find_bar)
        return self._find_bar

    def lay_out_before_show(self) -> bool:
        """Give the widgets the sizes show() will give them (the window's, restored or default,
        shared out among the toolbar, the docks and the page view): the view can then lay the
        first screen out and ask the worker for it before the window maps. False, and nothing
        done, for a window shown maximized or full screen: its size comes only with show()."""
        if self.isMaximized() or self.isFullScreen():
            return False
        layout = self.layout()
        if layout is not None:
            layout.activate()
        self._centre_column.activate()
        self.view.take_size_before_show()
        return True

    # --- actions --------------------------------------------------------------------------
    def _action(
        self,
        text: str,
        slot: Callable[[], object],
        shortcut: QKeySequence | str | QKeySequence.StandardKey | None = None,
        tip: str = "",
    ) -> QAction:
        action = QAction(text, self)
        if shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
        if tip:
            action.setToolTip(tip)
            action.setStatusTip(tip)
        action.triggered.connect(lambda _checked=False: slot())
        return action

    def _build_actions(self) -> None:
        K = QKeySequence.StandardKey
        self.open_action = self._action("&Open…", self.choose_file, K.Open, "Open a PDF")
        self.new_window_action = self._action(
            "Open in New &Window…",
            self.choose_file_for_new_window,
            "Ctrl+Shift+N",
            "Open a PDF in another window, beside this one (the same annotations database)",
        )
        self.quit_action = self._action("&Quit", self.close, K.Quit)
        self.copy_action = self._action("&Copy", self.copy_selection, K.Copy, "Copy the selected text")
        self.copy_citation_action = self._action(
            "Copy with &Citation",
            self.copy_with_citation,
            "Ctrl+Shift+C",
            "Copy the selected text with the document title and page",
        )
        self.find_action = self._action(
            "&Find…", lambda: self.find_bar.open_bar(), K.Find, "Find in the document"
        )
        self.find_next_action = self._action("Find &Next", self.finder.next, K.FindNext)
        self.find_previous_action = self._action("Find &Previous", self.finder.previous, K.FindPrevious)
        self.zoom_in_action = self._action(
            "Zoom &In", lambda: self.view.set_zoom(zoom_in(self.view.zoom())), K.ZoomIn
        )
        self.zoom_out_action = self._action(
            "Zoom &Out", lambda: self.view.set_zoom(zoom_out(self.view.zoom())), K.ZoomOut
        )
        self.actual_size_action = self._action("&Actual Size", lambda: self.view.set_zoom(1.0), "Ctrl+0")
        self.fit_width_action = self._action("Fit &Width", lambda: self.view.set_zoom("width"), "Ctrl+2")
        self.fit_page_action = self._action("Fit &Page", lambda: self.view.set_zoom("page"), "Ctrl+1")
        self.previous_page_action = self._action(
            "&Previous Page",
            lambda: self.view.go_to_page(self.view.current_page() - 1, record=False),
            "Ctrl+Up",
        )
        self.next_page_action = self._action(
            "&Next Page",
            lambda: self.view.go_to_page(self.view.current_page() + 1, record=False),
            "Ctrl+Down",
        )
        self.first_page_action = self._action("&First Page", lambda: self.view.go_to_page(0), "Ctrl+Home")
        self.last_page_action = self._action(
            "&Last Page", lambda: self.view.go_to_page(self.view.page_count() - 1), "Ctrl+End"
        )
        self.go_to_action = self._action("&Go to Page…", self._focus_page_box, "Ctrl+L")
        self.back_action = self._action(
            "&Back", self.view.go_back, K.Back, "Back to where you were before the jump"
        )
        self.forward_action = self._action("&Forward", self.view.go_forward, K.Forward)
        self.about_action = self._action("&About Reviewer", self._about)

        menu = self.menuBar()
        file_menu = menu.addMenu("&File")
        file_menu.addAction(self.open_action)
        file_menu.addAction(self.new_window_action)
        self.recent_menu = file_menu.addMenu("Open &Recent")
        self.recent_menu.aboutToShow.connect(self._fill_recent_menu)
        file_menu.addSeparator()
        file_menu.addAction(self.quit_action)
        edit_menu = menu.addMenu("&Edit")
        for action in (
            self.copy_action,
            self.copy_citation_action,
            None,
            self.find_action,
            self.find_next_action,
            self.find_previous_action,
        ):
            edit_menu.addSeparator() if action is None else edit_menu.addAction(action)
        view_menu = menu.addMenu("&View")
        for action in (
            self.zoom_in_action,
            self.zoom_out_action,
            self.actual_size_action,
            self.fit_width_action,
            self.fit_page_action,
        ):
            view_menu.addAction(action)
        view_menu.addSeparator()
        view_menu.addAction(self.outline_dock.toggleViewAction())
        view_menu.addAction(self.panel_dock.toggleViewAction())
        go_menu = menu.addMenu("&Go")
        for action in (
            self.previous_page_action,
            self.next_page_action,
            self.first_page_action,
            self.last_page_action,
            self.go_to_action,
            None,
            self.back_action,
            self.forward_action,
        ):
            go_menu.addSeparator() if action is None else go_menu.addAction(action)
        help_menu = menu.addMenu("&Help")
        help_menu.addAction(self.about_action)

        toolbar = self.addToolBar("Main")
        toolbar.setObjectName("main_toolbar")
        toolbar.addAction(self.open_action)
        toolbar.addSeparator()
        toolbar.addAction(self.back_action)
        toolbar.addAction(self.forward_action)
        self.page_box = QLineEdit()
        self.page_box.setFixedWidth(70)
        self.page_box.setAlignment(Qt.AlignmentFlag.AlignRight)
        self.page_box.setToolTip("Page number or printed page label; Enter to go")
        self.page_box.returnPressed.connect(self._on_page_box)
        self.page_total = QLabel(" / 0 ")
        toolbar.addWidget(self.page_box)
        toolbar.addWidget(self.page_total)
        toolbar.addSeparator()
        toolbar.addAction(self.zoom_out_action)
        toolbar.addAction(self.zoom_in_action)
        toolbar.addAction(self.actual_size_action)
        toolbar.addAction(self.fit_width_action)
        toolbar.addAction(self.fit_page_action)
        toolbar.addSeparator()
        toolbar.addAction(self.find_action)

    # --- opening --------------------------------------------------------------------------
    def choose_file_for_new_window(self) -> None:
        from PySide6.QtWidgets import QFileDialog

        path, _ = QFileDialog.getOpenFileName(
            self, "Open a PDF in a new window", "", "PDF documents (*.pdf);;All files (*)"
        )
        if path:
            self.open_in_new_window(path)

    def open_in_new_window(self, path: str) -> MainWindow:
        """Another window on ``path``; the app that built this window says how
        (``new_window_opener``, set by ``reviewer.ui.app``)."""
        if self.new_window_opener is None:
            raise RuntimeError("this window was not built by reviewer.ui.app: it opens no new windows")
        return self.new_window_opener(self, path)

    def choose_file(self) -> None:
        from PySide6.QtWidgets import QFileDialog

        path, _ = QFileDialog.getOpenFileName(self, "Open a PDF", "", "PDF documents (*.pdf);;All files (*)")
        if path:
            self.open_document(path)

    def _ask_password(self, path: str, retry: bool) -> str | None:
        from PySide6.QtWidgets import QInputDialog

        prompt = ("Wrong password. " if retry else "") + f"{Path(path).name} is encrypted. Password:"
        text, ok = QInputDialog.getText(self, "Password", prompt, QLineEdit.EchoMode.Password)
        return text if ok else None

    def open_document(self, path: str, password: str | None = None) -> bool:
        """Open and show a PDF; on failure show why and keep the current document."""
        path = str(path)
        if self.pdf_gate is not None and not self.pdf_gate(path, password):
            return False  # a crash or hang in the probe worker; the gate said why
        from reviewer.core.pdf import needs_password, open_pdf  # loads MuPDF the first time

        try:
            if password is None and needs_password(path):
                document = self._open_with_prompt(path)
                if document is None:
                    return False
                password = self._password
            else:
                document = open_pdf(path, password)
        except ReviewerError as exc:
            self._show_error(str(exc))
            return False
        self._show_document(document, password)
        return True

    def preview_document(self, path: str, head: HeadStart) -> None:
        """Show ``path`` from a head-start worker before this process has opened it (see
        ``PageView.preview``): at the remembered position, with its title and page count.
        ``open_document`` of the same file then takes over what is on screen."""
        from reviewer.core.hashing import sha256_of_file

        try:
            sha = sha256_of_file(path)
        except OSError:
            sha = ""
        position = load_position(sha) if (self.remember and sha) else None
        page, zoom = position if position else (0, "width")
        self.view.previewReady.connect(self._on_preview_ready)
        self.view.preview(head, page=page, zoom=zoom)

    def _on_preview_ready(self, summary: dict[str, object]) -> None:
        if self.view.document() is not None:
            return
        self.setWindowTitle(f"{summary.get('title') or ''} — Reviewer")
        self.page_total.setText(f" / {summary.get('page_count')} ")
        self._on_page_changed(self.view.current_page())

    _password: str | None = None
    pdf_gate: Callable[[str, str | None], bool] | None = None  # see reviewer/ui/pdf_gate.py

    def _open_with_prompt(self, path: str) -> PdfDocument | None:
        from reviewer.core.pdf import open_pdf

        retry = False
        while True:
            password = self.ask_password(path, retry)
            if password is None:
                return None
            try:
                document = open_pdf(path, password)
            except ReviewerError as exc:
                if "wrong password" in str(exc):
                    retry = True
                    continue
                raise
            self._password = password
            return document

    def _show_error(self, message: str) -> None:
        self.last_error = message
        self.statusBar().showMessage(message, 15000)
        from PySide6.QtWidgets import QMessageBox

        box = QMessageBox(
            QMessageBox.Icon.Warning,
            "Cannot open the document",
            message,
            QMessageBox.StandardButton.Ok,
            self,
        )
        box.setTextFormat(Qt.TextFormat.PlainText)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.open()  # not exec(): the app keeps running and tests are not blocked

    def _show_document(self, document: PdfDocument, password: str | None) -> None:
        self._remember_position()
        old = self.view.document()
        info = document.info()
        position = load_position(info.sha256) if self.remember else None
        page, zoom = position if position else (0, "width")
        self.view.set_document(document, password, page=page, zoom=zoom)
        if old is not None and old is not document:
            old.close()
        self.setWindowTitle(f"{info.title} — Reviewer")
        self.page_total.setText(f" / {document.page_count} ")
        if info.repaired:
            self.banner.setText(
                f"{display_text(Path(document.path).name)} is damaged: MuPDF repaired it while opening. "
                "Pages or text may be missing; the file itself was not changed."
            )
            self.banner.show()
        else:
            self.banner.hide()
        self._fill_outline(bookmarks(document))
        self._outline_provisional = False
        self.settings.add_opened(info.sha256)
        if self.remember:
            self.settings.add_recent(info.path)
            with contextlib.suppress(OSError):
                self.settings.save()
        self._on_page_changed(self.view.current_page())
        self._on_zoom_changed(self.view.zoom())
        self.finder.clear()
        emit(self.documentOpened, document)

    def _remember_position(self) -> None:
        document = self.view.document()
        if document is None or not self.remember:
            return
        zoom: float | str = self.view.fit_mode() or round(self.view.zoom(), 4)
        save_position(document.info().sha256, self.view.current_page(), zoom)

    # --- outline --------------------------------------------------------------------------
    def _fill_outline(self, entries: list[OutlineEntry]) -> None:
        from PySide6.QtWidgets import QTreeWidgetItem

        self.outline.clear()
        stack: list[tuple[int, QTreeWidgetItem | None]] = [(0, None)]
        for entry in entries:
            while len(stack) > 1 and stack[-1][0] >= entry.level:
                stack.pop()
            parent = stack[-1][1]
            item = QTreeWidgetItem([entry.title])  # plain text: QTreeWidget does not render HTML
            item.setToolTip(0, html.escape(entry.title))
            offset = entry.offset if entry.offset is not None else -1
            item.setData(0, Qt.ItemDataRole.UserRole, (entry.page, entry.y, offset))
            if parent is None:
                self.outline.addTopLevelItem(item)
            else:
                parent.addChild(item)
            stack.append((entry.level, item))
        self.outline.expandToDepth(0)

    def _on_flow_ready(self) -> None:
        self.text_label.setText("")
        flow = self.view.text_flow()
        if flow is not None:
            self._find_outline(flow, provisional=False)

    def _on_flow_growing(self, pages: int) -> None:
        """The first ``pages`` pages are read: their outline now (the document's comes with
        its whole text), unless the PDF's bookmarks gave one."""
        searchable = self.view.searchable()
        if searchable is not None and not self._outline_searches:
            self._find_outline(searchable[0], provisional=True)

    def _find_outline(self, flow: TextFlow, *, provisional: bool) -> None:
        document = self.view.document()
        if document is None or (self.outline.topLevelItemCount() and not self._outline_provisional):
            return
        # a regex over every line of a 700-page report takes ~50 ms: not on the GUI thread
        generation = id(document)
        self._outline_searches += 1
        threading.Thread(
            target=lambda: self._outline_mailbox.put(
                (
                    generation,
                    structure_outline(document, flow, provisional=provisional) or headings_from_text(flow),
                    provisional,
                )
            ),
            daemon=True,
        ).start()

    def outline_pending(self) -> bool:
        """The outline is still being detected from the text."""
        return self._outline_searches > 0

    _outline_searches = 0  # detections running in threads
    _outline_provisional = False  # the outline shown is of the first pages only

    def _on_outline_found(self, item: tuple[int, list[OutlineEntry], bool]) -> None:
        generation, entries, provisional = item
        self._outline_searches -= 1
        document = self.view.document()
        if document is None or id(document) != generation:
            return
        if self.outline.topLevelItemCount() and not self._outline_provisional:
            return  # the bookmarks' outline, or the document's own
        if provisional:
            if self.view.text_flow() is not None:
                return  # the document's outline is on its way
            # a provisional flow's offsets are not the document's: entries go by page and y
            entries = [replace(e, offset=None) if e.page >= 0 else e for e in entries]
        self._fill_outline(entries)
        self._outline_provisional = provisional

    def _on_outline_item(self, item: QTreeWidgetItem, _column: int = 0) -> None:
        data = item.data(0, Qt.ItemDataRole.UserRole)
        if not data:
            return
        page, y, offset = data
        flow = self.view.text_flow()
        if offset >= 0 and flow is not None:
            quads = flow.quads(offset, offset + 1)
            if quads:
                page = quads[0].page
                y = quads[0].unrotated_rect(self.view.page_geometry(page))[1]
        if page < 0:
            return
        if y:
            geometry = self.view.page_geometry(page)
            _, y0 = geometry.unrotated_to_view(0, y)
            self.view.bring_to_top(page, y0)  # the heading at the top, its text below it
        else:
            self.view.go_to_page(page)

    # --- status ---------------------------------------------------------------------------
    def _on_page_changed(self, page: int) -> None:
        total = self.view.page_count()
        label = self.view.page_label(page)
        shown = label if label == str(page + 1) else f"{label} ({page + 1})"
        self.page_label.setText(f"{shown} / {total}")
        self.page_box.setText(label)
        self.back_action.setEnabled(True)

    def _on_zoom_changed(self, zoom: float) -> None:
        fit = self.view.fit_mode()
        suffix = {"width": " (fit width)", "page": " (fit page)"}.get(fit or "", "")
        self.zoom_label.setText(f"{round(zoom * 100)}%{suffix}")

    def _on_text_progress(self, done: int, total: int) -> None:
        if total > 20 and done < total:
            self.text_label.setText(f"reading text: {done} / {total} pages")
        elif done >= total:
            self.text_label.setText("")

    def _on_selection_changed(self) -> None:
        has = self.view.selection_range() is not None
        self.copy_action.setEnabled(has)
        self.copy_citation_action.setEnabled(has)

    def _on_page_box(self) -> None:
        text = self.page_box.text().strip()
        count = self.view.page_count()
        target = None
        for i in range(count):
            if self.view.page_label(i) == text:
                target = i
                break
        if target is None and text.isdigit() and 1 <= int(text) <= count:
            target = int(text) - 1
        if target is None:
            self.statusBar().showMessage(f"no page {text!r}", 4000)
            self.page_box.setText(self.view.page_label(self.view.current_page()))
            return
        self.view.go_to_page(target)
        self.view.setFocus()

    def _focus_page_box(self) -> None:
        self.page_box.setFocus()
        self.page_box.selectAll()

    # --- clipboard ------------------------------------------------------------------------
    def copy_selection(self) -> None:
        text = self.view.selected_text()
        if text:
            QApplication.clipboard().setText(text)

    def citation(self) -> str:
        document = self.view.document()
        selection = self.view.selection_range()
        if document is None or selection is None:
            return ""
        flow = self.view.text_flow()
        page = flow.page_of_offset(selection[0]) if flow is not None else self.view.current_page()
        parts = [document.info().title, f"p. {self.view.page_label(page)}"]
        try:
            from reviewer.core import structure

            cited = structure.place_fields(document, selection[0]).get("citation")
            if cited:
                parts.insert(1, str(cited))
        except Exception:
            pass
        return ", ".join(parts)

    def copy_with_citation(self) -> None:
        text = self.view.selected_text()
        if text:
            QApplication.clipboard().setText(f"\u201c{text}\u201d ({self.citation()})")

    def _about(self) -> None:
        from PySide6.QtWidgets import QMessageBox

        QMessageBox.about(
            self,
            "About Reviewer",
            "Reviewer: read treaty PDFs, tag and comment passages, merge a team's reviews.",
        )

    # --- drag and drop, closing ----------------------------------------------------------
    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if any(u.isLocalFile() and u.toLocalFile().lower().endswith(".pdf") for u in event.mimeData().urls()):
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:
        for url in event.mimeData().urls():
            if url.isLocalFile():
                self.open_document(url.toLocalFile())
                event.acceptProposedAction()
                return

    def _fill_recent_menu(self) -> None:
        self.recent_menu.clear()
        for path in self.settings.recent_files:
            action = self.recent_menu.addAction(display_text(path).replace("&", "&&"))
            action.triggered.connect(lambda _c=False, p=path: self.open_document(p))
        if not self.settings.recent_files:
            self.recent_menu.addAction("(none)").setEnabled(False)

    def closeEvent(self, event: QCloseEvent) -> None:
        self._remember_position()
        if self.remember:
            save_window(self.saveGeometry(), self.saveState())
        self.view.shutdown()
        super().closeEvent(event)
