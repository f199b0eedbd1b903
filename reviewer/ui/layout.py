"""Where every page sits in the continuous view, and which pixels a point hits.

Pure arithmetic (no Qt), so it is unit-tested. Two spaces:
* device pixels: what MuPDF renders, ``scale = zoom * device_pixel_ratio``;
* logical pixels: Qt widget coordinates, device pixels / device_pixel_ratio.
Pages are stacked top to bottom with a gap, each centred horizontally. Page sizes are the
sizes MuPDF gives a whole-page pixmap, so rendered tiles line up exactly with no jump.
"""

from __future__ import annotations

import bisect
import math
from dataclasses import dataclass

MIN_ZOOM = 0.1
MAX_ZOOM = 8.0
ZOOM_STEPS = (
    0.25,
    0.33,
    0.5,
    0.67,
    0.75,
    0.9,
    1.0,
    1.1,
    1.25,
    1.5,
    1.75,
    2.0,
    2.5,
    3.0,
    4.0,
    5.0,
    6.0,
    8.0,
)
TILE = 1024  # device pixels; pages smaller than WHOLE_PAGE_LIMIT render in one piece
WHOLE_PAGE_LIMIT = 2048 * 2048


def clamp_zoom(zoom: float) -> float:
    return max(MIN_ZOOM, min(MAX_ZOOM, zoom))


def zoom_in(zoom: float) -> float:
    for step in ZOOM_STEPS:
        if step > zoom + 1e-6:
            return step
    return MAX_ZOOM


def zoom_out(zoom: float) -> float:
    for step in reversed(ZOOM_STEPS):
        if step < zoom - 1e-6:
            return step
    return MIN_ZOOM


def pixel_size(width_pt: float, height_pt: float, scale: float) -> tuple[int, int]:
    """MuPDF's rounding of a whole-page pixmap: the page rect scaled, rounded out."""
    return (
        max(1, math.ceil(width_pt * scale - 0.001)),
        max(1, math.ceil(height_pt * scale - 0.001)),
    )


@dataclass(frozen=True)
class PageSpot:
    """A point on a page: page index and displayed-page coordinates in points (y down)."""

    page: int
    x: float
    y: float


class PageLayout:
    def __init__(
        self,
        sizes: list[tuple[float, float]],
        zoom: float,
        device_pixel_ratio: float = 1.0,
        gap: int = 10,
        margin: int = 10,
    ) -> None:
        self.sizes = sizes  # displayed page sizes in points (rotation applied)
        self.zoom = zoom
        self.dpr = device_pixel_ratio
        self.scale = zoom * device_pixel_ratio
        self.gap = gap  # logical pixels
        self.margin = margin
        self.pixels = [pixel_size(w, h, self.scale) for w, h in sizes]
        self.tops: list[float] = []  # logical y of each page's top edge
        y = float(margin)
        for _, h in self.pixels:
            self.tops.append(y)
            y += self._snap(h / self.dpr) + gap
        self.content_height = y - gap + margin if sizes else 2.0 * margin
        widest = max((w for w, _ in self.pixels), default=0)
        self.content_width = widest / self.dpr + 2 * margin

    def _snap(self, logical: float) -> float:
        """Round a logical length to whole device pixels (crisp tiles)."""
        return round(logical * self.dpr) / self.dpr

    @property
    def page_count(self) -> int:
        return len(self.sizes)

    def page_rect(self, index: int, viewport_width: float) -> tuple[float, float, float, float]:
        """(x, y, width, height) of a page in logical content coordinates."""
        w_px, h_px = self.pixels[index]
        w, h = w_px / self.dpr, h_px / self.dpr
        x = max(float(self.margin), (max(viewport_width, self.content_width) - w) / 2)
        return (self._snap(x), self.tops[index], w, h)

    def page_at(self, y: float) -> int:
        """The page whose band (page plus the gap below it) holds content y."""
        if not self.tops:
            return 0
        return max(0, min(len(self.tops) - 1, bisect.bisect_right(self.tops, y) - 1))

    def visible_pages(self, y0: float, y1: float) -> range:
        if not self.tops:
            return range(0)
        first = self.page_at(y0)
        last = self.page_at(y1)
        return range(first, last + 1)

    def hit(self, x: float, y: float, viewport_width: float) -> PageSpot | None:
        """Which page a content point falls on, and where, in displayed-page points."""
        index = self.page_at(y)
        if not self.tops:
            return None
        px, py, w, h = self.page_rect(index, viewport_width)
        if not (px <= x <= px + w and py <= y <= py + h):
            return None
        return PageSpot(index, (x - px) / self.zoom, (y - py) / self.zoom)

    def nearest_spot(self, x: float, y: float, viewport_width: float) -> PageSpot:
        """Like ``hit`` but clamps to the nearest page (for drags that leave a page)."""
        index = self.page_at(y)
        px, py, w, h = self.page_rect(index, viewport_width)
        cx = min(max(x, px), px + w)
        cy = min(max(y, py), py + h)
        return PageSpot(index, (cx - px) / self.zoom, (cy - py) / self.zoom)

    def content_point(self, spot: PageSpot, viewport_width: float) -> tuple[float, float]:
        px, py, _, _ = self.page_rect(spot.page, viewport_width)
        return (px + spot.x * self.zoom, py + spot.y * self.zoom)

    def tiles(
        self, index: int, visible: tuple[float, float, float, float] | None = None
    ) -> list[tuple[int, int, int, int]]:
        """Device-pixel tiles of a page (x0, y0, x1, y1) that meet ``visible`` (device px on
        the page); a page small enough renders whole, one MuPDF call as bare PyMuPDF does."""
        w, h = self.pixels[index]
        if w * h <= WHOLE_PAGE_LIMIT:
            return [(0, 0, w, h)]
        vx0, vy0, vx1, vy1 = visible if visible is not None else (0.0, 0.0, float(w), float(h))
        result = []
        for ty in range(max(0, int(vy0 // TILE) * TILE), min(h, int(math.ceil(vy1))), TILE):
            for tx in range(max(0, int(vx0 // TILE) * TILE), min(w, int(math.ceil(vx1))), TILE):
                result.append((tx, ty, min(tx + TILE, w), min(ty + TILE, h)))
        return result


def fit_width_zoom(page_width_pt: float, viewport_width: float, margin: int = 10) -> float:
    return clamp_zoom((viewport_width - 2 * margin) / page_width_pt)


def fit_page_zoom(
    page_size_pt: tuple[float, float], viewport: tuple[float, float], margin: int = 10
) -> float:
    w, h = page_size_pt
    vw, vh = viewport
    return clamp_zoom(min((vw - 2 * margin) / w, (vh - 2 * margin) / h))
