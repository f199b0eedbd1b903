"""Find in the whole document: folded matching over the text flow, in a background thread.

The query is normalized like a quote (ligatures expanded, whitespace collapsed, typographic
quotes and dashes folded) and matched case-insensitively against ``TextFlow.key_folded``,
which has the flow's offsets. The scan runs in chunks off the GUI thread and streams hits
to the view, so a 700-page document never freezes the window.
"""

from __future__ import annotations

import threading

from PySide6.QtCore import QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import QApplication, QHBoxLayout, QLabel, QLineEdit, QToolButton, QWidget

from reviewer.core.textflow import match_key, normalize_quote
from reviewer.ui.mailbox import Mailbox
from reviewer.ui.page_view import PageView
from reviewer.ui.qt_compat import emit

CHUNK = 200_000  # characters scanned between two batches


def folded_needle(query: str) -> str:
    return match_key(normalize_quote(query)).lower()


def scan(haystack: str, needle: str, start: int, stop: int) -> list[int]:
    """Starts of ``needle`` that begin in [start, stop)."""
    hits = []
    at = haystack.find(needle, start, stop + len(needle) - 1)
    while at >= 0:
        hits.append(at)
        at = haystack.find(needle, at + 1, stop + len(needle) - 1)
    return hits


class FindController(QObject):
    resultsChanged = Signal(int, int, bool)  # count, current (0-based or -1), finished
    statusChanged = Signal(str)

    def __init__(self, view: PageView) -> None:
        super().__init__(view)
        self.view = view
        self.query = ""
        self.hits: list[tuple[int, int]] = []
        self.current = -1
        self.finished = True
        self._generation = 0
        self._bridge = Mailbox(lambda item: self._on_batch(*item), self)
        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(120)
        self._debounce.timeout.connect(self._start)
        view.flowReady.connect(self._on_flow_ready)
        view.flowGrowing.connect(self._on_flow_growing)

    def search(self, query: str, immediately: bool = False) -> None:
        self.query = query
        if immediately:
            self._start()
        else:
            self._debounce.start()

    def clear(self) -> None:
        self.query = ""
        self._generation += 1
        self.hits = []
        self.current = -1
        self.view.set_find_hits([])
        emit(self.resultsChanged, 0, -1, True)

    def _on_flow_ready(self) -> None:
        if self.query:
            self._start()

    _partial = False  # the search covers only the pages read so far

    def _on_flow_growing(self, _pages: int) -> None:
        """More pages can be searched: the search starts again over them (the current hit is
        kept when it is still found)."""
        if self.query:
            self._start()

    def _start(self) -> None:
        self._debounce.stop()
        self._generation += 1
        self.hits = []
        self.current = -1
        self.view.set_find_hits([])
        needle = folded_needle(self.query)
        if not needle:
            self.finished = True
            emit(self.resultsChanged, 0, -1, True)
            return
        searchable = self.view.searchable()
        if searchable is None:
            self.finished = False
            emit(self.statusChanged, "reading the document's text…")
            emit(self.resultsChanged, 0, -1, False)
            return
        _, index = searchable
        covered, total = self.view.searchable_pages(), self.view.page_count()
        self._partial = covered < total
        if self._partial:
            emit(self.statusChanged, f"searching the first {covered} of {total} pages (the rest is coming)…")
        self.finished = False
        generation = self._generation
        haystack = index.key_folded
        thread = threading.Thread(target=self._run, args=(generation, haystack, needle), daemon=True)
        thread.start()

    def _run(self, generation: int, haystack: str, needle: str) -> None:
        size = len(needle)
        for start in range(0, max(1, len(haystack)), CHUNK):
            if generation != self._generation:
                return
            found = scan(haystack, needle, start, min(len(haystack), start + CHUNK))
            last = start + CHUNK >= len(haystack)
            if found or last:
                self._bridge.put((generation, [(s, s + size) for s in found], last))

    def _on_batch(self, generation: int, hits: list[tuple[int, int]], finished: bool) -> None:
        if generation != self._generation:
            return
        self.hits.extend(hits)
        finished = finished and not self._partial  # more pages are coming
        self.finished = finished
        self.view.set_find_hits(self.hits, self.current)
        if self.current < 0 and self.hits:
            page_start = self._current_page_offset()
            for i, (s, _) in enumerate(self.hits):
                if s >= page_start:
                    self._go(i)
                    break
            else:
                if finished:
                    self._go(0)
        emit(self.resultsChanged, len(self.hits), self.current, finished)

    def _current_page_offset(self) -> int:
        searchable = self.view.searchable()
        flow = searchable[0] if searchable is not None else None
        page = self.view.current_page()
        if flow is None or page >= len(flow.page_start):
            return 0
        return flow.page_start[page]

    def _go(self, index: int) -> None:
        self.current = index
        self.view.set_find_current(index)
        emit(self.resultsChanged, len(self.hits), self.current, self.finished)

    def next(self) -> None:
        if self.hits:
            self._go((self.current + 1) % len(self.hits))

    def previous(self) -> None:
        if self.hits:
            self._go((self.current - 1) % len(self.hits))


class FindBar(QWidget):
    def __init__(self, controller: FindController, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.controller = controller
        layout = QHBoxLayout(self)
        layout.setContentsMargins(6, 2, 6, 2)
        layout.addWidget(QLabel("Find:"))
        self.field = QLineEdit()
        self.field.setPlaceholderText("text in the whole document (case and spacing ignored)")
        self.field.setClearButtonEnabled(True)
        layout.addWidget(self.field, 1)
        self.previous_button = QToolButton()
        self.previous_button.setText("▲")
        self.previous_button.setToolTip("Previous match (Shift+Enter)")
        self.next_button = QToolButton()
        self.next_button.setText("▼")
        self.next_button.setToolTip("Next match (Enter)")
        layout.addWidget(self.previous_button)
        layout.addWidget(self.next_button)
        self.count = QLabel("")
        self.count.setMinimumWidth(130)
        layout.addWidget(self.count)
        close = QToolButton()
        close.setText("✕")
        close.setToolTip("Close (Esc)")
        layout.addWidget(close)
        self.field.textChanged.connect(controller.search)
        self.field.returnPressed.connect(self._on_return)
        self.next_button.clicked.connect(controller.next)
        self.previous_button.clicked.connect(controller.previous)
        close.clicked.connect(self.close_bar)
        controller.resultsChanged.connect(self._on_results)
        controller.statusChanged.connect(self.count.setText)

    def _on_return(self) -> None:
        if QApplication.keyboardModifiers() & Qt.KeyboardModifier.ShiftModifier:
            self.controller.previous()
        else:
            self.controller.next()

    def _on_results(self, count: int, current: int, finished: bool) -> None:
        if not self.field.text().strip():
            self.count.setText("")
            return
        more = "" if finished else "…"
        if count == 0:
            self.count.setText("no match" if finished else "searching…")
        else:
            self.count.setText(f"{current + 1} of {count}{more}")

    def open_bar(self) -> None:
        self.show()
        self.field.setFocus()
        self.field.selectAll()

    def close_bar(self) -> None:
        self.hide()
        self.controller.clear()
        self.field.blockSignals(True)
        self.field.clear()
        self.field.blockSignals(False)

    def keyPressEvent(self, event: object) -> None:
        if getattr(event, "key", lambda: None)() == Qt.Key.Key_Escape:
            self.close_bar()
            return
        super().keyPressEvent(event)  # type: ignore[arg-type]
