"""The page view's text flow: page texts from the text worker, built into the document's flow
in slices between events, so that find, selection and the panel fill in as pages arrive.
"""

from __future__ import annotations

import gc
import time

from PySide6.QtCore import QTimer

from reviewer.core.textflow import PageText, TextFlow
from reviewer.ui.qt_compat import emit
from reviewer.ui.text_index import TextIndex, flow_and_index_steps

FLOW_SLICE_S = 0.008  # the text flow is built between events in slices this long


class PageTextFlow:
    """The text flow, built between events (mixed into PageView)."""

    def text_flow(self) -> TextFlow | None:
        """The document's text flow once built in the background (``flowReady``), else None.
        Call this rather than ``document().flow()``, which would extract on the GUI thread."""
        return self._flow

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

    def _start_flow_build(self) -> None:
        """Build the flow and its index from the page texts this window keeps anyway, a slice
        of at most FLOW_SLICE_S at a time between events. (In the text worker it meant a second
        copy of everything there and a third in transit: +250 MB at 1,000 pages. In a thread
        the GUI thread waited for the GIL at every Qt call it made: 60-70 ms stalls.)"""
        pages = [self._page_texts[i] for i in range(len(self._geometries))]
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
            self._on_flow_built(generation, flow, index)
        except Exception:
            self._flow_steps = None  # a bug: said once, not on every tick
            timer.stop()
            raise

    def _on_flow_built(self, generation: int, flow: TextFlow, index: TextIndex) -> None:
        if generation != self._generation or self._doc is None:
            return
        from reviewer.core.pdf import adopt_page_texts

        adopt_page_texts(self._doc, flow.pages, flow)
        gc.freeze()
        self._flow = flow
        self._index = index
        emit(self.flowReady)
