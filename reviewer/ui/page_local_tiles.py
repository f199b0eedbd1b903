"""The tiles the window draws in its own process (light pages at cold start and at reading zooms),
between events, one at a time; the rest comes from the render workers.
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING

from PySide6.QtGui import (
    QImage,
)

from reviewer.ui.render_client import TileKey

if TYPE_CHECKING:
    from reviewer.core.pdf import PageRenderFeatures


class LocalTiles:
    """Tiles drawn in the window's process (mixed into PageView)."""

    # --- render-local: light visible pages drawn in this process --------------------------
    def _local_tiles(self, wanted: list[TileKey]) -> list[TileKey]:
        """The visible tiles this process draws itself (the current page first): those of
        pages predicted light (``local_render``). Prefetching stays with the workers."""
        doc = self._doc
        if doc is None or not self._pool.started or doc.is_repaired:
            return []  # at cold start ``_first_screen`` draws; a repaired file may be hostile
        from reviewer.core.pdf import page_render_features

        if self._local_doc is not doc:
            self._local_doc = doc
            self._local.reset()
            self.local_renders = 0
            # read by the workers while they idle, so a far jump need not read them here
            self._pool.request_features(list(range(doc.page_count)))
        visible = set(self._wanted_tiles(ahead=False))
        chosen = [
            k for k in wanted if k in visible and k not in self._pool.cache and not self._pool.is_in_flight(k)
        ]
        chosen.sort(key=lambda k: k[0] != self._current_page)
        result = []
        for key in chosen:
            page, _scale, (x0, y0, x1, y1) = key
            features = self._local.features(page)
            if features is None:
                features = page_render_features(doc, page)
                self._local.remember_features(page, features)
            if self._local.renders_locally(page, (x1 - x0) * (y1 - y0), features):
                result.append(key)
        return result

    def _render_next_local(self) -> None:
        """One tile per call; the event loop runs (and paints) between two."""
        while self._local_queue:
            key = self._local_queue.pop(0)
            if key not in self._pool.cache and not self._pool.is_in_flight(key):
                self._render_locally(key)
                break
        if self._local_queue:
            self._local_timer.start()

    def _render_locally(self, key: TileKey) -> None:
        assert self._doc is not None
        from reviewer.core.pdf import render_tile_view

        page, scale, clip = key
        pixels = (clip[2] - clip[0]) * (clip[3] - clip[1])
        features = self._local.features(page)
        predicted = sum(self._local.predict(page, pixels, features)) if features else 0.0
        started = time.thread_time()
        try:
            x, y, w, h, stride, samples, pixmap = render_tile_view(self._doc, page, scale, clip)
        except Exception as exc:  # noqa: BLE001 - a page MuPDF cannot draw: the error tile
            self._pool.put_error(key, f"{type(exc).__name__}: {exc}")
        else:
            # MuPDF's pixels as they are, kept alive by the cache with the image: converting
            # them to the screen's format costs 1-2 ms more than drawing them converted
            image = QImage(samples, w, h, stride, QImage.Format.Format_RGB888)
            self._pool.put_rendered(key, image, (x, y, w, h), pixmap)
        self._local.record_local(page, pixels, (time.thread_time() - started) * 1000, predicted)
        self.local_renders += 1
        # painted now, not one event-loop turn later: the reader waits for this page
        self._paint_after_requests = False
        self.viewport().repaint()

    def _on_features(self, found: dict[int, PageRenderFeatures]) -> None:
        if self._local_doc is self._doc:
            for page, features in found.items():
                if self._local.features(page) is None:
                    self._local.remember_features(page, features)

    def _on_tile_timed(self, key: TileKey, cpu_ms: float) -> None:
        if cpu_ms < 0:
            return  # the worker loaded fonts for it: not what the page costs
        clip = key[2]
        self._local.record(key[0], (clip[2] - clip[0]) * (clip[3] - clip[1]), cpu_ms)
