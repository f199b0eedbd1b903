"""The page view's text flow: page texts from the text worker, built into the document's flow
in slices between events.

While a long document's text is still arriving, the pages read so far (from the first, in
order) are built into a provisional flow each time their number doubles (32, 64, 128, ...
pages), so that find and the outline fill in as pages arrive (``flowGrowing``). A provisional
flow is never used to anchor anything: selection and annotating wait for the document's flow
(``flowReady``), whose offsets are final (a running header is told from the text only once
every page is in).
"""

from __future__ import annotations

import gc
import time

from PySide6.QtCore import QTimer

from reviewer.core.textflow import PageText, TextFlow
from reviewer.ui.qt_compat import emit
from reviewer.ui.text_index import TextIndex, flow_and_index_steps

FLOW_SLICE_S = 0.008  # the text flow is built between events in slices this long
PROVISIONAL_FIRST = 32  # pages in the first provisional flow; then each time the pages double
PROVISIONAL_FROM = 64  # documents shorter than this wait for their whole text


class PageTextFlow:
    """The text flow, built between events (mixed into PageView)."""

    def text_flow(self) -> TextFlow | None:
        """The document's text flow once built in the background (``flowReady``), else None.
        Call this rather than ``document().flow()``, which would extract on the GUI thread."""
        return self._flow

    def searchable(self) -> tuple[TextFlow, TextIndex] | None:
        """What find and the outline may use now: the document's flow and index, or, while its
        text still arrives, those of the pages read so far. Never for anchoring."""
        if self._flow is not None and self._index is not None:
            return self._flow, self._index
        return self._provisional

    def searchable_pages(self) -> int:
        """How many pages, from the first, ``searchable`` covers."""
        if self._flow is not None:
            return len(self._flow.pages)
        return len(self._provisional[0].pages) if self._provisional is not None else 0

    _provisional: tuple[TextFlow, TextIndex] | None = None
    _provisional_next = PROVISIONAL_FIRST
    _building_pages = 0  # pages in the flow being built; 0: the document's own flow
    _read_from_first = 0  # pages read in a row from the first

    def _forget_provisional(self) -> None:
        """A new document: no provisional flow, and the doublings start again."""
        self._provisional = None
        self._provisional_next = PROVISIONAL_FIRST
        self._building_pages = 0
        self._read_from_first = 0

    # --- text -----------------------------------------------------------------------------
    def _on_text(self, page_text: PageText) -> None:
        if (
            self._doc is None
            or page_text.number >= len(self._geometries)
            or page_text.number in self._page_texts  # a page asked again after a worker crash
        ):
            return
        self._page_texts[page_text.number] = page_text
        total = len(self._geometries)
        # Millions of glyph boxes would make every full garbage collection walk them
        # (300-470 ms with the GIL held on a 752-page report): park them out of its way.
        # (They hold no reference cycles, so reference counting still frees them.)
        gc.freeze()
        emit(self.textProgress, len(self._page_texts), total)
        if len(self._page_texts) == total:
            self._start_flow_build()
        else:
            self._maybe_build_provisional()

    def _maybe_build_provisional(self) -> None:
        """Start a provisional flow of the first pages once they reach the next doubling (not
        while another flow is being built)."""
        total = len(self._geometries)
        if total < PROVISIONAL_FROM or self._flow is not None or self._flow_steps is not None:
            return
        while self._read_from_first in self._page_texts:
            self._read_from_first += 1
        read = self._read_from_first
        if read < self._provisional_next or read >= total:
            return
        self._provisional_next = read * 2
        self._start_steps([self._page_texts[i] for i in range(read)], read)

    def _start_flow_build(self) -> None:
        """Build the flow and its index from the page texts this window keeps anyway, a slice
        of at most FLOW_SLICE_S at a time between events. (In the text worker it meant a second
        copy of everything there and a third in transit: +250 MB at 1,000 pages. In a thread
        the GUI thread waited for the GIL at every Qt call it made: 60-70 ms stalls.)"""
        self._start_steps([self._page_texts[i] for i in range(len(self._geometries))], 0)

    def _start_steps(self, pages: list[PageText], provisional_pages: int) -> None:
        self._building_pages = provisional_pages
        self._flow_steps = (self._generation, flow_and_index_steps(pages))
        if self._flow_timer is None:
            self._flow_timer = QTimer(self)
            self._flow_timer.setInterval(0)
            self._flow_timer.timeout.connect(self._flow_step)
        self._flow_timer.start()

    def _flow_step(self) -> None:
        timer = self._flow_timer
        assert timer is not None  # it is what calls this
        if self._flow_steps is None or self._flow_steps[0] != self._generation:
            self._flow_steps = None  # another document was opened since
            timer.stop()
            return
        generation, steps = self._flow_steps
        deadline = time.perf_counter() + FLOW_SLICE_S
        try:
            while time.perf_counter() < deadline:
                next(steps)
        except StopIteration as finished:
            self._flow_steps = None
            timer.stop()
            flow, index = finished.value
            if self._building_pages:
                self._on_provisional_built(generation, flow, index)
            else:
                self._on_flow_built(generation, flow, index)
        except Exception:
            self._flow_steps = None  # a bug: said once, not on every tick
            timer.stop()
            raise

    def _on_provisional_built(self, generation: int, flow: TextFlow, index: TextIndex) -> None:
        if generation != self._generation or self._doc is None or self._flow is not None:
            return
        self._provisional = (flow, index)
        emit(self.flowGrowing, len(flow.pages))
        self._maybe_build_provisional()  # (the last page's arrival replaced any such build)

    def _on_flow_built(self, generation: int, flow: TextFlow, index: TextIndex) -> None:
        if generation != self._generation or self._doc is None:
            return
        self._provisional = None
        from reviewer.core.pdf import adopt_page_texts

        adopt_page_texts(self._doc, flow.pages, flow)
        gc.freeze()
        self._flow = flow
        self._index = index
        emit(self.flowReady)
