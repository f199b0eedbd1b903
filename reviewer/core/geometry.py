"""Page boxes and quads in PDF user space, and their conversion to what a viewer shows.

Quads are stored as PDF writes them (unrotated user space, y up, origin at the MediaBox
origin) next to the page's MediaBox, CropBox and /Rotate, and converted only for display.
We build the matrices from the boxes ourselves: PyMuPDF's ``transformation_matrix`` is wrong
on rotated pages whose CropBox does not start at (0, 0).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

Point = tuple[float, float]
Rect = tuple[float, float, float, float]


@dataclass(frozen=True)
class PageGeometry:
    """A page's boxes in PDF user space (x0, y0, x1, y1, y up) and its /Rotate."""

    mediabox: Rect
    cropbox: Rect
    rotation: int

    @property
    def width(self) -> float:
        """Width of the page as shown (rotation applied), in points."""
        w = self.cropbox[2] - self.cropbox[0]
        h = self.cropbox[3] - self.cropbox[1]
        return h if self.rotation in (90, 270) else w

    @property
    def height(self) -> float:
        w = self.cropbox[2] - self.cropbox[0]
        h = self.cropbox[3] - self.cropbox[1]
        return w if self.rotation in (90, 270) else h

    def to_json(self) -> dict[str, Any]:
        return {
            "mediabox": [round(v, 3) for v in self.mediabox],
            "cropbox": [round(v, 3) for v in self.cropbox],
            "rotation": self.rotation,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> PageGeometry:
        mb = tuple(float(v) for v in data["mediabox"])
        cb = tuple(float(v) for v in data["cropbox"])
        if len(mb) != 4 or len(cb) != 4:
            raise ValueError("a page box needs four numbers")
        rotation = int(data.get("rotation", 0)) % 360
        if rotation not in (0, 90, 180, 270):
            raise ValueError(f"rotation {rotation} is not a multiple of 90")
        return cls(mb, cb, rotation)  # type: ignore[arg-type,unused-ignore]

    # PyMuPDF text coordinates: unrotated, relative to the CropBox's top-left, y down.
    def pdf_to_unrotated(self, x: float, y: float) -> Point:
        return (x - self.cropbox[0], self.cropbox[3] - y)

    def unrotated_to_pdf(self, x: float, y: float) -> Point:
        return (x + self.cropbox[0], self.cropbox[3] - y)

    def unrotated_to_view(self, x: float, y: float) -> Point:
        """Unrotated CropBox space to the page as displayed (rotation applied), y down."""
        w = self.cropbox[2] - self.cropbox[0]
        h = self.cropbox[3] - self.cropbox[1]
        if self.rotation == 90:
            return (h - y, x)
        if self.rotation == 180:
            return (w - x, h - y)
        if self.rotation == 270:
            return (y, w - x)
        return (x, y)

    def view_to_unrotated(self, x: float, y: float) -> Point:
        w = self.cropbox[2] - self.cropbox[0]
        h = self.cropbox[3] - self.cropbox[1]
        if self.rotation == 90:
            return (y, h - x)
        if self.rotation == 180:
            return (w - x, h - y)
        if self.rotation == 270:
            return (w - y, x)
        return (x, y)

    def pdf_to_view(self, x: float, y: float) -> Point:
        return self.unrotated_to_view(*self.pdf_to_unrotated(x, y))

    def view_to_pdf(self, x: float, y: float) -> Point:
        return self.unrotated_to_pdf(*self.view_to_unrotated(x, y))


@dataclass(frozen=True)
class Quad:
    """One quadrilateral on one page, PDF user space, in QuadPoints order UL, UR, LL, LR."""

    page: int
    points: tuple[float, float, float, float, float, float, float, float]

    @classmethod
    def from_unrotated_rect(cls, page: int, geometry: PageGeometry, rect: Rect) -> Quad:
        x0, y0, x1, y1 = rect
        ulx, uly = geometry.unrotated_to_pdf(x0, y0)
        lrx, lry = geometry.unrotated_to_pdf(x1, y1)
        return cls(page, (ulx, uly, lrx, uly, ulx, lry, lrx, lry))

    @classmethod
    def from_points(cls, page: int, values: list[float] | tuple[float, ...]) -> Quad:
        """Accept any corner order (some tools write LL, LR, UL, UR) and normalize it."""
        if len(values) != 8:
            raise ValueError("a quad needs eight numbers")
        xs = [float(v) for v in values[0::2]]
        ys = [float(v) for v in values[1::2]]
        x0, x1, y0, y1 = min(xs), max(xs), min(ys), max(ys)
        return cls(page, (x0, y1, x1, y1, x0, y0, x1, y0))

    def pdf_rect(self) -> Rect:
        xs = self.points[0::2]
        ys = self.points[1::2]
        return (min(xs), min(ys), max(xs), max(ys))

    def view_rect(self, geometry: PageGeometry) -> Rect:
        """The quad's bounding box on the displayed page, in points, y down."""
        corners = [geometry.pdf_to_view(self.points[i], self.points[i + 1]) for i in range(0, 8, 2)]
        xs = [c[0] for c in corners]
        ys = [c[1] for c in corners]
        return (min(xs), min(ys), max(xs), max(ys))

    def unrotated_rect(self, geometry: PageGeometry) -> Rect:
        corners = [geometry.pdf_to_unrotated(self.points[i], self.points[i + 1]) for i in range(0, 8, 2)]
        xs = [c[0] for c in corners]
        ys = [c[1] for c in corners]
        return (min(xs), min(ys), max(xs), max(ys))

    def to_json(self) -> dict[str, Any]:
        return {"page": self.page, "points": [round(v, 3) for v in self.points]}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Quad:
        values = [float(v) for v in data["points"]]
        if len(values) != 8:
            raise ValueError("a quad needs eight numbers")
        return cls(int(data["page"]), tuple(values))  # type: ignore[arg-type]
