"""What the page view paints over the pages: annotation highlights (with the flash of a selected
one), find hits and the text selection; and which highlight a point hits.
"""

from __future__ import annotations

import bisect
import time

from PySide6.QtCore import QPointF, QRectF, Qt, QTimer
from PySide6.QtGui import (
    QColor,
    QPainter,
    QPainterPath,
    QPen,
)

from reviewer.core.geometry import PageGeometry, Quad
from reviewer.ui.highlights import HighlightItem

FIND_HIT = QColor(255, 213, 0, 110)
FIND_CURRENT = QColor(255, 120, 0, 150)
SELECTION = QColor(0, 120, 215, 90)


class PageOverlays:
    """Highlights, find hits and selection over the pages (mixed into PageView)."""

    def _quad_rect(self, quad: Quad, geometry: PageGeometry, ox: float, oy: float) -> QRectF:
        x0, y0, x1, y1 = quad.view_rect(geometry)
        z = self._zoom
        return QRectF(ox + x0 * z, oy + y0 * z, (x1 - x0) * z, (y1 - y0) * z)

    def _paint_overlays(self, painter: QPainter, page: int, ox: float, oy: float) -> None:
        geometry = self._geometries[page]
        painter.setPen(Qt.PenStyle.NoPen)
        outlines: dict[str, tuple[HighlightItem, QPainterPath]] = {}
        for item, quad in self._highlights_by_page.get(page, ()):
            rect = self._quad_rect(quad, item.geometry.get(page, geometry), ox, oy)
            colors = item.colors or ["#FFD54F"]
            band = rect.height() / len(colors)
            for i, name in enumerate(colors):
                color = QColor(name)
                color.setAlpha(110 if not item.selected else 150)
                painter.fillRect(QRectF(rect.left(), rect.top() + i * band, rect.width(), band), color)
            if item.selected or (item.id == self._flash_id and time.monotonic() < self._flash_until):
                path = outlines.setdefault(item.id, (item, QPainterPath()))[1]
                path.addRect(rect.adjusted(-1, -2, 1, 2))
        # one outline around each selected or flashed annotation's lines (annotating area):
        # a rectangle per line drew a stroke through the line above it
        for annotation_id, (_item, path) in outlines.items():
            flashing = annotation_id == self._flash_id
            painter.setPen(QPen(QColor("#d32f2f") if flashing else QColor(0, 0, 0, 160), 2))
            painter.setBrush(Qt.BrushStyle.NoBrush)
            path.setFillRule(Qt.FillRule.WindingFill)  # overlapping lines merge, no holes
            painter.drawPath(path.simplified())
        painter.setPen(Qt.PenStyle.NoPen)
        for hit_index, quad in self._find_hits_on(page):
            color = FIND_CURRENT if hit_index == self._find_current else FIND_HIT
            painter.fillRect(self._quad_rect(quad, geometry, ox, oy), color)
        for quad in self._selection_quads.get(page, ()):
            painter.fillRect(self._quad_rect(quad, geometry, ox, oy), SELECTION)

    # --- highlights (annotation panel API) ------------------------------------------------
    def set_highlights(self, items: list[HighlightItem]) -> None:
        self._highlights = list(items)
        by_page: dict[int, list[tuple[HighlightItem, Quad]]] = {}
        for item in self._highlights:
            for quad in item.quads:
                by_page.setdefault(quad.page, []).append((item, quad))
        self._highlights_by_page = by_page
        self.viewport().update()

    def flash(self, annotation_id: str) -> None:
        """Outline one highlight for a moment, to show where it is."""
        self._flash_id = annotation_id
        self._flash_until = time.monotonic() + 1.2
        self.viewport().update()
        QTimer.singleShot(1300, self.viewport().update)

    def _highlight_at(self, pos: QPointF) -> HighlightItem | None:
        spot = self._layout.hit(pos.x() + self._sx(), pos.y() + self._sy(), self.viewport().width())
        if spot is None:
            return None
        geometry = self._geometries[spot.page]
        for item, quad in reversed(self._highlights_by_page.get(spot.page, [])):
            x0, y0, x1, y1 = quad.view_rect(item.geometry.get(spot.page, geometry))
            if x0 <= spot.x <= x1 and y0 <= spot.y <= y1:
                return item
        return None

    # --- find hits ------------------------------------------------------------------------
    def set_find_hits(self, hits: list[tuple[int, int]], current: int = -1) -> None:
        self._find_hits = hits
        self._find_current = current
        self._find_quads = {}
        self.viewport().update()

    def set_find_current(self, current: int) -> None:
        self._find_current = current
        if 0 <= current < len(self._find_hits):
            self._scroll_to_find_hit(*self._find_hits[current])
        self.viewport().update()

    def _scroll_to_find_hit(self, start: int, end: int) -> None:
        """Find's offsets are in ``searchable()``'s flow (provisional while the text arrives)."""
        searchable = self.searchable()
        if searchable is None:
            return
        quads = searchable[0].quads(start, end)
        if quads:
            q = quads[0]
            self.scroll_to(q.page, q.view_rect(self._geometries[q.page]), record=False)

    def _find_hits_on(self, page: int) -> list[tuple[int, Quad]]:
        searchable = self.searchable()
        if not self._find_hits or searchable is None:
            return []
        cached = self._find_quads.get(page)
        if cached is not None:
            return cached
        flow = searchable[0]
        start = flow.page_start[page] if page < len(flow.page_start) else 0
        end = flow.page_start[page + 1] if page + 1 < len(flow.page_start) else len(flow.text)
        first = max(0, bisect.bisect_left(self._find_hits, (start, -1)) - 1)
        result: list[tuple[int, Quad]] = []
        for i in range(first, len(self._find_hits)):
            s, e = self._find_hits[i]
            if s >= end:
                break
            if e <= start:
                continue
            result.extend((i, q) for q in flow.quads(s, e) if q.page == page)
        self._find_quads[page] = result
        return result
