"""Maps between glyphs on a page and offsets in the document's text flow (for selection).

Built once per document: a pass over two million characters in Python, made of steps of a
few milliseconds that the window's event loop runs between events (``flow_and_index_steps``).
"""

from __future__ import annotations

import gc
from array import array
from typing import Any

from reviewer.core.textflow import MATCH_FOLDS, PageText, Steps, TextFlow, flow_steps, run_steps
from reviewer.ui.memory import release_free_memory

PIECE = 32_768
PAGES_KEPT = 256  # pages whose glyph -> offset map is kept (about 8 KB each)


class TextIndex:
    line_base: dict[int, list[int]]  # glyph id of the first glyph of each (page, line)
    key_folded: str
    # flow offset of each glyph of a page (-1: not in the flow), for the pages asked about:
    # for all pages at once it would be one more 4-byte entry per glyph, 8 MB at 1,000 pages
    _page_offsets: dict[int, Any]
    _page_glyphs: list[tuple[int, int]]  # first glyph id and glyph count of each page

    def __init__(self, flow: TextFlow) -> None:
        run_steps(self._fill_steps(flow))

    @classmethod
    def steps(cls, flow: TextFlow) -> Steps[TextIndex]:
        """The index of ``flow``, built in steps of PIECE glyphs or one page."""
        index = cls.__new__(cls)
        yield from index._fill_steps(flow)
        return index

    def _fill_steps(self, flow: TextFlow) -> Steps[None]:
        self.flow = flow
        self.line_base = {}
        self._page_glyphs = []
        self._page_offsets = {}
        glyph = 0
        for page in flow.pages:
            if page.number % 200 == 0:
                yield
            first = glyph
            bases = []
            for line in page.lines:
                bases.append(glyph)
                glyph += len(line.chars)
            self.line_base[page.number] = bases
            self._page_glyphs.append((first, glyph - first))
        self.key_folded = yield from _fold_in_pieces(flow)

    def offset_of_glyph(self, glyph: int) -> int:
        """The flow offset of a glyph's first character, -1 when the glyph is not in the flow
        (a space, a running header, a joined hyphen)."""
        page = int(self.flow.glyph_page[glyph])
        offsets = self._page_offsets.get(page)
        if offsets is None:
            offsets = self._offsets_of_page(page)
        return int(offsets[glyph - self._page_glyphs[page][0]])

    def _offsets_of_page(self, page: int) -> Any:
        """One page's glyph -> offset map: a pass over that page's stretch of the flow (its
        glyphs are emitted while the flow builder is on that page, so they lie between its
        ``page_start`` and the next page's)."""
        flow = self.flow
        first, count = self._page_glyphs[page]
        offsets = array("i", [-1]) * count
        start = flow.page_start[page]
        end = flow.page_start[page + 1] if page + 1 < len(flow.page_start) else len(flow.glyph_of)
        glyph_of = flow.glyph_of
        for offset in range(start, end):
            at = glyph_of[offset] - first
            if 0 <= at < count and offsets[at] < 0:
                offsets[at] = offset
        if len(self._page_offsets) >= PAGES_KEPT:
            self._page_offsets.clear()
        self._page_offsets[page] = offsets
        return offsets

    def caret_at(self, page: int, x: float, y: float) -> int | None:
        """The flow offset of the caret nearest an unrotated page point (PyMuPDF space):
        before the glyph under the point, or after it when the point is on its right half."""
        page_text = self.flow.pages[page] if page < len(self.flow.pages) else None
        if page_text is None or not page_text.lines:
            return None
        best = None
        best_score = None
        for li, line in enumerate(page_text.lines):
            if self._line_offsets(page, li) is None:
                continue
            x0, y0, x1, y1 = line.bbox
            dy = 0.0 if y0 <= y <= y1 else min(abs(y - y0), abs(y - y1))
            dx = 0.0 if x0 <= x <= x1 else min(abs(x - x0), abs(x - x1))
            score = (dy, dx)
            if best_score is None or score < best_score:
                best, best_score = li, score
        if best is None:
            return None
        line = page_text.lines[best]
        base = self.line_base[page][best]
        caret = None
        for ci, box in enumerate(line.boxes):
            offset = self.offset_of_glyph(base + ci)
            if offset < 0:
                continue
            if x < (box[0] + box[2]) / 2:
                # in the gap before this glyph: the caret stays after the previous one
                return caret if caret is not None and x < box[0] else offset
            caret = self._after(offset, base + ci)
        return caret

    def _after(self, offset: int, glyph: int) -> int:
        end = offset + 1
        while end < len(self.flow.glyph_of) and self.flow.glyph_of[end] == glyph:
            end += 1
        return end

    def _line_offsets(self, page: int, line: int) -> tuple[int, int] | None:
        """First and last flow offsets of a line, None when the line is not in the flow."""
        base = self.line_base[page][line]
        n = len(self.flow.pages[page].lines[line].chars)
        first = last = -1
        for g in range(base, base + n):
            offset = self.offset_of_glyph(g)
            if offset >= 0:
                if first < 0:
                    first = offset
                last = self._after(offset, g)
        return None if first < 0 else (first, last)

    def word_at(self, offset: int) -> tuple[int, int]:
        text = self.flow.text
        start = end = offset
        while start > 0 and _word_char(text[start - 1]):
            start -= 1
        while end < len(text) and _word_char(text[end]):
            end += 1
        return (start, end) if end > start else (offset, min(len(text), offset + 1))

    def line_at(self, offset: int) -> tuple[int, int]:
        flow = self.flow
        glyph = _nearest_glyph(flow, offset)
        if glyph < 0:
            return (offset, offset)
        page, line = int(flow.glyph_page[glyph]), int(flow.glyph_line[glyph])
        found = self._line_offsets(page, line)
        return found if found else (offset, offset)


def _word_char(ch: str) -> bool:
    return ch.isalnum() or ch in "_'\u2019-"


def _nearest_glyph(flow: TextFlow, offset: int) -> int:
    for i in range(max(0, min(offset, len(flow.glyph_of) - 1)), len(flow.glyph_of)):
        if flow.glyph_of[i] >= 0:
            return int(flow.glyph_of[i])
    return -1


def _fold_in_pieces(flow: TextFlow) -> Steps[str]:
    """``flow.key_folded``, computed in small pieces: one ``str.translate`` over a 700-page
    text takes over 100 ms, which would freeze the window."""
    text = flow.text
    keys: list[str] = []
    folded: list[str] = []
    for at in range(0, len(text), PIECE):
        yield
        key = text[at : at + PIECE].translate(MATCH_FOLDS)
        lowered = key.lower()
        if len(lowered) != len(key):
            lowered = "".join(c.lower() if len(c.lower()) == 1 else c for c in key)
        keys.append(key)
        folded.append(lowered)
    # the same values the properties would compute, stored where the flow caches them
    flow._key = "".join(keys)
    flow._key_folded = "".join(folded)
    return flow._key_folded


def flow_and_index_steps(pages: list[PageText]) -> Steps[tuple[TextFlow, TextIndex]]:
    """The document's flow and its index, a few milliseconds per step at most (a page of the
    flow, PIECE glyphs of the index), for the window's event loop to run between events."""
    gc.freeze()  # the page texts: out of the collector's full passes (they hold no cycles)
    flow = yield from flow_steps(pages)
    yield
    index = yield from TextIndex.steps(flow)
    gc.freeze()
    yield
    release_free_memory()  # the builders' temporary lists and strings
    return flow, index
