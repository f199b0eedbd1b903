"""Which tiles the window draws itself, and which it leaves to the render workers.

A round trip to a worker process costs more than drawing a light page (a text page at fit
width renders in 1-6 ms), but MuPDF holds the GIL while it renders, so the window may only
draw what is predictably short: every in-process call is predicted to take at most
``LOCAL_BUDGET_MS`` (plus ``FONT_ALLOWANCE_MS`` for loading fonts the window has not used
yet, paid once). The prediction comes from the page's objects (``page_render_features``) and
from what drawing that page has cost before, in a worker or here; a page measured slow once,
or whose cost cannot be bounded (Type3 fonts, unreadable objects), goes to the workers from
then on. Times are CPU time of the rendering thread, so a busy machine does not make a light
page look heavy.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # MuPDF is not loaded with the view's modules (cold start)
    from reviewer.core.pdf import PageRenderFeatures

LOCAL_BUDGET_MS = 10.0  # predicted drawing work of one in-process call
FONT_ALLOWANCE_MS = 5.0  # plus loading fonts new to the window's process (once per font)
HEAVY_MS = 25.0  # a page measured slower than this anywhere is always drawn by the workers
MAX_LOCAL_PIXELS = 4_200_000  # a whole page up to the layout's whole-page limit, or a tile

# Coefficients, calibrated on the corpus (docs/performance.md): clearing and storing the
# pixels; content streams and forms (text 0.2 ms/KB, dense vector drawings up to 2.5 ms/KB);
# decoding images; loading an embedded font (1-4 ms measured; a standard font is built in).
MS_PER_MEGAPIXEL = 1.5
MS_PER_CONTENT_KB = 1.5
MS_PER_IMAGE_MEGAPIXEL = 15.0
MS_PER_EMBEDDED_FONT = 2.0
MS_PER_STANDARD_FONT = 0.5


@dataclass
class _Measured:
    ms: float
    pixels: int


@dataclass
class LocalRenderPolicy:
    """Per-document memory of what pages cost; ``reset`` when another document opens."""

    slowness: float = 1.0  # measured / predicted for in-process renders (1..4)
    _measured: dict[int, _Measured] = field(default_factory=dict)
    _heavy: set[int] = field(default_factory=set)
    _fonts_loaded: set[int] = field(default_factory=set)
    _features: dict[int, PageRenderFeatures] = field(default_factory=dict)

    def reset(self) -> None:
        self.slowness = 1.0
        self._measured.clear()
        self._heavy.clear()
        self._fonts_loaded.clear()
        self._features.clear()

    def features(self, page: int) -> PageRenderFeatures | None:
        return self._features.get(page)

    def remember_features(self, page: int, features: PageRenderFeatures) -> None:
        self._features[page] = features

    def is_heavy(self, page: int) -> bool:
        return page in self._heavy

    def font_cost(self, features: PageRenderFeatures) -> float:
        new = features.font_xrefs - self._fonts_loaded
        embedded = sum(1 for xref in new if xref in features.embedded_fonts)
        return embedded * MS_PER_EMBEDDED_FONT + (len(new) - embedded) * MS_PER_STANDARD_FONT

    def predict(self, page: int, pixels: int, features: PageRenderFeatures) -> tuple[float, float]:
        """(drawing ms, font loading ms) one in-process render of ``pixels`` would take."""
        measured = self._measured.get(page)
        if measured is not None and measured.pixels > 0:
            drawing = measured.ms * max(1.0, pixels / measured.pixels)
        else:
            drawing = (
                MS_PER_MEGAPIXEL * pixels / 1e6
                + MS_PER_CONTENT_KB * features.content_bytes / 1024
                + MS_PER_IMAGE_MEGAPIXEL * features.image_pixels / 1e6
            )
        return drawing * self.slowness, self.font_cost(features) * self.slowness

    def renders_locally(self, page: int, pixels: int, features: PageRenderFeatures) -> bool:
        if features.uncertain or page in self._heavy or pixels > MAX_LOCAL_PIXELS:
            return False
        drawing, fonts = self.predict(page, pixels, features)
        return drawing <= LOCAL_BUDGET_MS and drawing + fonts <= LOCAL_BUDGET_MS + FONT_ALLOWANCE_MS

    def record(self, page: int, pixels: int, ms: float) -> None:
        """A render of ``page`` took ``ms`` of CPU (in a worker or here)."""
        if ms > HEAVY_MS:
            self._heavy.add(page)
        # The biggest render is the one to extrapolate from: MuPDF reads the whole page for
        # every tile, so a thin edge tile costs nearly what a full one does, and its time per
        # pixel would make the page look many times heavier than it is.
        previous = self._measured.get(page)
        if previous is None or pixels > previous.pixels or (pixels == previous.pixels and ms > previous.ms):
            self._measured[page] = _Measured(ms, pixels)

    def record_local(self, page: int, pixels: int, ms: float, predicted: float) -> None:
        """An in-process render took ``ms`` where ``predicted`` was expected: learn how slow
        this machine is compared with the coefficients, and what this page costs."""
        features = self._features.get(page)
        if features is not None:
            self._fonts_loaded |= features.font_xrefs
        if predicted > 0:
            ratio = ms / (predicted / self.slowness)
            self.slowness = min(4.0, max(1.0, 0.7 * self.slowness + 0.3 * ratio))
        if ms > LOCAL_BUDGET_MS + FONT_ALLOWANCE_MS:
            self._heavy.add(page)
        self.record(page, pixels, ms)

    def fonts_loaded_for(self, page: int, features: PageRenderFeatures) -> None:
        """The window drew ``page`` by other means (the first screen): its fonts are loaded."""
        self._features[page] = features
        self._fonts_loaded |= features.font_xrefs
