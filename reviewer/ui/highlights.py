"""What the annotation panel hands the page view to paint: one item per annotation."""

from __future__ import annotations

from dataclasses import dataclass, field

from reviewer.core.geometry import PageGeometry, Quad


@dataclass
class HighlightItem:
    """An annotation as painted over the page.

    ``quads`` are PDF user space (as stored); ``geometry`` maps page index to the page boxes
    the quads were taken on (the document's own geometry is used for pages not given).
    Several ``colors`` paint as horizontal stripes (first tag colour on top). ``tooltip``
    is plain text; it is escaped before Qt sees it.
    """

    id: str
    quads: list[Quad]
    colors: list[str] = field(default_factory=lambda: ["#FFD54F"])
    tooltip: str = ""
    selected: bool = False
    geometry: dict[int, PageGeometry] = field(default_factory=dict)
