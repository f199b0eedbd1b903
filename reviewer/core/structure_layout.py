"""The visual rows and columns of a document's text, rebuilt from the text flow: what structure
detection reads headings, titles, markers and indentation from.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from reviewer.core.textflow import TextFlow

if TYPE_CHECKING:
    pass


# --- visual rows ----------------------------------------------------------------------------
@dataclass
class TextRow:
    """A run of the flow that the PDF lays out on one visual line."""

    start: int
    end: int
    page: int
    x0: float
    y0: float
    x1: float
    y1: float


def text_rows(flow: TextFlow) -> list[TextRow]:
    """Group the flow into visual rows (PyMuPDF splits a justified line into several lines)."""
    rows: list[TextRow] = []
    pages = flow.pages

    def close(start: int, end: int, page: int, bbox: tuple[float, float, float, float]) -> None:
        if rows:
            last = rows[-1]
            centre = (bbox[1] + bbox[3]) / 2
            if last.page == page and last.y0 <= centre <= last.y1 and bbox[0] >= last.x1 - 2:
                last.end = end
                last.x1 = max(last.x1, bbox[2])
                last.y0 = min(last.y0, bbox[1])
                last.y1 = max(last.y1, bbox[3])
                return
        rows.append(TextRow(start, end, page, bbox[0], bbox[1], bbox[2], bbox[3]))

    # Glyph ids run through every line of every page in order (running headers included), and
    # the flow holds them in that order: each line's piece of the flow starts where its first
    # glyph is, found by a short C-level search from the previous line's start (a Python step
    # per character was half the detection time on a 300-page treaty).
    glyph_of = flow.glyph_of
    furniture = flow.furniture
    starts: list[tuple[int, int, tuple[float, float, float, float]]] = []
    cursor = 0
    base = 0
    reach = 0
    for page in pages:
        for line_no, line in enumerate(page.lines):
            n = len(line.chars)
            first_id = base
            base += n
            if (page.number, line_no) in furniture:
                continue
            for glyph in range(first_id, first_id + min(n, 8)):
                try:
                    start = glyph_of.index(glyph, cursor, cursor + reach + n + 64)
                except ValueError:
                    continue
                starts.append((start, page.number, line.bbox))
                cursor = start + 1
                reach = 0
                break
            reach += n  # ligatures expand: the next line starts within about this much
    total = len(glyph_of)
    for k, (start, page_number, bbox) in enumerate(starts):
        end = starts[k + 1][0] if k + 1 < len(starts) else total
        while end > start + 1 and glyph_of[end - 1] < 0:
            end -= 1  # the space the flow put between this line and the next
        close(start, end, page_number, bbox)
    return rows


def _shared_edge(values: list[float]) -> float:
    """The first of sorted values that another row shares (within a point): a column's edge,
    not one heading that overflows the margin. The first value where none is shared nearby
    (ragged text)."""
    reach = 0.12 * (values[-1] - values[0])
    for a, b in zip(values, values[1:], strict=False):
        if a - values[0] > reach:
            break
        if b - a <= 1.0:
            return a
    return values[0]


class Columns:
    """The left and right edges of the column each row stands in (one or two per page)."""

    def __init__(self, rows: list[TextRow], page_widths: dict[int, float]) -> None:
        by_page: dict[int, list[int]] = {}
        for index, row in enumerate(rows):
            by_page.setdefault(row.page, []).append(index)
        self.edges: list[tuple[float, float]] = [(0.0, 0.0)] * len(rows)
        for page, indexes in by_page.items():
            middle = page_widths.get(page, 0.0) / 2
            crossing = [i for i in indexes if rows[i].x0 < middle - 4 and rows[i].x1 > middle + 4]
            left = [i for i in indexes if rows[i].x1 <= middle + 4]
            right = [i for i in indexes if rows[i].x0 >= middle - 4]
            two = middle > 0 and len(left) >= 3 and len(right) >= 3 and len(crossing) <= 0.1 * len(indexes)
            groups = [left, right, crossing] if two else [indexes]
            for group in groups:
                if not group:
                    continue
                lo = _shared_edge(sorted(rows[i].x0 for i in group))
                hi = -_shared_edge(sorted(-rows[i].x1 for i in group))
                for i in group:
                    self.edges[i] = (lo, hi)
            if two and crossing:
                lo = min(rows[i].x0 for i in indexes)
                hi = max(rows[i].x1 for i in indexes)
                for i in crossing:
                    self.edges[i] = (lo, hi)

    def relative_x(self, index: int, x: float) -> float:
        return x - self.edges[index][0]

    def is_full(self, index: int, row: TextRow) -> bool:
        """The row reaches its column's right edge (running text that wrapped)."""
        lo, hi = self.edges[index]
        return row.x1 >= hi - max(3.0, 0.03 * (hi - lo))

    def is_centred(self, index: int, row: TextRow, *, wide: bool = False) -> bool:
        """Centred in its column. ``wide``: a title row that nearly fills the column counts
        too (a justified row of running text touches both edges: it never does)."""
        lo, hi = self.edges[index]
        width = hi - lo
        if width <= 0:
            return False
        middle = (row.x0 + row.x1) / 2
        margin = 1.0 if wide else max(3.0, 0.02 * width)
        return (
            abs(middle - (lo + hi) / 2) < (2.0 if wide else max(3.0, 0.05 * width))
            and row.x0 - lo > margin
            and hi - row.x1 > margin
        )
