"""Maps between glyphs on a page and offsets in the document's text flow (for selection).

Built once per document, off the GUI thread: a pass over two million characters in Python.
"""

from __future__ import annotations

from array import array
from typing import Any

from reviewer.core.textflow import MATCH_FOLDS, PageText, TextFlow

PIECE = 32_768


class TextIndex:
    offset_of_glyph: Any  # array("i"): flow offset of each glyph, -1 when not in the flow
    line_base: dict[int, list[int]]  # glyph id of the first glyph of each (page, line)
    key_folded: str

    def __init__(self, flow: TextFlow, parts: dict[str, Any] | None = None) -> None:
        self.flow = flow
        if parts is not None:  # computed in the worker process (see ``flow_parts``)
            self.offset_of_glyph = parts["offset_of_glyph"]
            self.line_base = parts["line_base"]
            flow._key = parts["key"]
            flow._key_folded = parts["key_folded"]
            self.key_folded = parts["key_folded"]
            return
        total = len(flow.glyph_page)
        offset_of = array("i", [-1]) * total
        for offset, glyph in enumerate(flow.glyph_of):
            if glyph >= 0 and offset_of[glyph] < 0:
                offset_of[glyph] = offset
        self.offset_of_glyph = offset_of
        self.line_base = {}
        glyph = 0
        for page in flow.pages:
            bases = []
            for line in page.lines:
                bases.append(glyph)
                glyph += len(line.chars)
            self.line_base[page.number] = bases
        self.key_folded = _fold_in_pieces(flow)

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
            offset = int(self.offset_of_glyph[base + ci])
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
            offset = self.offset_of_glyph[g]
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


def _fold_in_pieces(flow: TextFlow) -> str:
    """``flow.key_folded``, computed in small pieces: one ``str.translate`` over a 700-page
    text holds the GIL for over 100 ms, which would freeze the window from this thread."""
    text = flow.text
    keys: list[str] = []
    folded: list[str] = []
    for at in range(0, len(text), PIECE):
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


def flow_parts(flow: TextFlow) -> dict[str, Any]:
    """Everything of a flow and its index but the page texts, as arrays and strings: pickled
    in the worker process and unpickled in the window in milliseconds."""
    index = TextIndex(flow)
    return {
        "text": flow.text,
        "glyph_of": flow.glyph_of,
        "glyph_page": flow.glyph_page,
        "glyph_line": flow.glyph_line,
        "glyph_char": flow.glyph_char,
        "page_start": flow.page_start,
        "furniture": flow.furniture,
        "offset_of_glyph": index.offset_of_glyph,
        "line_base": index.line_base,
        "key": flow.key,
        "key_folded": index.key_folded,
    }


def flow_from_parts(parts: dict[str, Any], pages: list[PageText]) -> tuple[TextFlow, TextIndex]:
    flow = TextFlow(
        text=parts["text"],
        glyph_of=parts["glyph_of"],
        pages=pages,
        glyph_page=parts["glyph_page"],
        glyph_line=parts["glyph_line"],
        glyph_char=parts["glyph_char"],
        page_start=parts["page_start"],
        furniture=parts["furniture"],
    )
    return flow, TextIndex(flow, parts)
