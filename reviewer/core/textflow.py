"""The document's reading text, normalized, with every character mapped back to its glyph.

Real treaty PDFs draw ligatures (U+FB01 for "fi"), break words with a hyphen at line ends,
repeat running headers and page numbers on every page, and run sentences across page breaks.
Quotes, find and text anchors all work on one normalized string:

* ligatures expanded, whitespace and line breaks collapsed to one space,
* a hyphen at a line end joined when a lower-case letter continues the word,
* running headers/footers and page numbers left out, so a paragraph reads on across pages.

``TextFlow.text[i]`` came from glyph ``TextFlow.glyph_of[i]`` (-1 for a space we inserted).
"""

from __future__ import annotations

import re
import unicodedata
from array import array
from bisect import bisect_left, bisect_right
from collections import Counter
from collections.abc import Generator, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeVar

from reviewer.core.geometry import PageGeometry, Quad, Rect

LIGATURES = {
    "\ufb00": "ff",
    "\ufb01": "fi",
    "\ufb02": "fl",
    "\ufb03": "ffi",
    "\ufb04": "ffl",
    "\ufb05": "st",
    "\ufb06": "st",
}
HYPHENS = {"-", "\u00ad", "\u2010", "\u2011"}
# One-to-one folds for matching only (typed quotes use straight quotes and hyphens).
MATCH_FOLDS = str.maketrans(
    {
        "\u2018": "'",
        "\u2019": "'",
        "\u201a": "'",
        "\u201b": "'",
        "\u2032": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u201e": '"',
        "\u2033": '"',
        "\u2010": "-",
        "\u2011": "-",
        "\u2012": "-",
        "\u2013": "-",
        "\u2014": "-",
        "\u2212": "-",
    }
)
PAGE_NUMBER_LINE = re.compile(
    r"^[\W_]*(page|p\.|seite|página)?\s*([0-9]+|[ivxlcdm]+)(\s*(of|/|de|von)\s*[0-9]+)?[\W_]*$",
    re.IGNORECASE,
)
FURNITURE_ZONE = 0.1  # top and bottom tenth of a page
FURNITURE_STEP = 4.0  # points: a running header stands within a step or two of the same height
T = TypeVar("T")


class GlyphBoxes(Sequence[Rect]):
    """The glyph boxes of a line packed in one array of floats, read back as ``Rect`` tuples.

    A tuple of four floats per glyph costs ~150 bytes and one object for the garbage collector
    to walk; packed, 16 bytes and none (bench: peak memory, a 1,000-page treaty's page texts
    534 -> ~120 MB). MuPDF computes coordinates in single precision, so its boxes are float32
    values and the array loses nothing (checked on 576,000 values, tests/bench).

    When every glyph of the line has the same top and bottom (MuPDF gives a line's glyphs its
    spans' ascender and descender: every line of the bench treaty), only x0 and x1 are kept per
    glyph and the two y values once: 8 bytes a glyph. The y values are compared bit for bit, so
    the boxes read back are exactly MuPDF's either way.
    """

    __slots__ = ("_values", "_flat")

    def __init__(self, values: array | None = None, flat: bool = False) -> None:  # type: ignore[type-arg]
        """``values``: x0, y0, x1, y1 per glyph; or, ``flat``, y0, y1 of the line then x0, x1
        per glyph (what the constructor makes of a line whose glyphs share top and bottom)."""
        if values is None:
            values = array("f")
        if not flat and len(values) >= 8:
            count = len(values) // 4
            tops, bottoms = values[1::4], values[3::4]
            if (
                tops.tobytes() == (tops[:1] * count).tobytes()
                and bottoms.tobytes() == (bottoms[:1] * count).tobytes()
            ):
                flat = True
                xs = values[0::2]  # x0, x1, x0, x1 ...
                values = tops[:1]
                values.append(bottoms[0])
                values.extend(xs)
        self._values = values
        self._flat = flat

    @classmethod
    def of(cls, boxes: Iterable[Rect]) -> GlyphBoxes:
        return cls(array("f", [v for box in boxes for v in box]))

    def __len__(self) -> int:
        return (len(self._values) - 2) // 2 if self._flat else len(self._values) // 4

    def __getitem__(self, index: int | slice) -> Any:
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(len(self)))]
        count = len(self)
        if index < 0:
            index += count
        if not 0 <= index < count:
            raise IndexError("glyph box index out of range")
        v = self._values
        if self._flat:
            i = 2 + index * 2
            return (v[i], v[0], v[i + 1], v[1])
        i = index * 4
        return (v[i], v[i + 1], v[i + 2], v[i + 3])

    def __eq__(self, other: object) -> bool:
        if isinstance(other, GlyphBoxes) and self._flat == other._flat:
            return self._values == other._values
        if isinstance(other, Sequence):
            return list(self) == [tuple(b) for b in other]
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"GlyphBoxes({list(self)!r})"

    def __reduce__(self) -> tuple[Any, ...]:
        return (GlyphBoxes, (self._values, self._flat))


@dataclass(slots=True)
class TextLine:
    """One line of glyphs as the PDF lays it out (unrotated page space, y down)."""

    chars: str
    boxes: Sequence[Rect]
    bbox: Rect


@dataclass(slots=True)
class PageText:
    number: int
    geometry: PageGeometry
    lines: list[TextLine]


@dataclass
class TextFlow:
    text: str
    glyph_of: array  # type: ignore[type-arg]
    pages: list[PageText]
    # glyph index -> (page, line, char): glyph ids are page_base[page] + line_base + char
    glyph_page: array = field(default_factory=lambda: array("i"))  # type: ignore[type-arg]
    glyph_line: array = field(default_factory=lambda: array("i"))  # type: ignore[type-arg]
    glyph_char: array = field(default_factory=lambda: array("i"))  # type: ignore[type-arg]
    page_start: list[int] = field(default_factory=list)  # offset in text where each page begins
    furniture: set[tuple[int, int]] = field(default_factory=set)  # (page, line) left out
    _key: str | None = None
    _key_folded: str | None = None
    # page -> its lines' text offsets and glyph-centre bounds (``_page_lines``), built lazily
    _line_index: dict[int, PageLines] = field(
        default_factory=dict, repr=False, compare=False
    )

    @property
    def key(self) -> str:
        """``text`` with typographic quotes and dashes folded, same length and offsets."""
        if self._key is None:
            self._key = self.text.translate(MATCH_FOLDS)
        return self._key

    @property
    def key_folded(self) -> str:
        """``key`` in lower case, same length (characters whose lower case is longer stay)."""
        if self._key_folded is None:
            lowered = self.key.lower()
            if len(lowered) != len(self.key):
                lowered = "".join(c.lower() if len(c.lower()) == 1 else c for c in self.key)
            self._key_folded = lowered
        return self._key_folded

    def page_of_offset(self, offset: int) -> int:
        """The page on which the character at ``offset`` stands."""
        glyph = self._nearest_glyph(offset)
        if glyph < 0:
            return 0
        return int(self.glyph_page[glyph])

    def _nearest_glyph(self, offset: int) -> int:
        for i in range(max(0, min(offset, len(self.text) - 1)), len(self.text)):
            if self.glyph_of[i] >= 0:
                return int(self.glyph_of[i])
        for i in range(min(offset, len(self.text) - 1), -1, -1):
            if self.glyph_of[i] >= 0:
                return int(self.glyph_of[i])
        return -1

    def quads(self, start: int, end: int) -> list[Quad]:
        """One quad per line covering exactly the glyphs of ``text[start:end]``."""
        groups: dict[tuple[int, int], list[float]] = {}
        order: list[tuple[int, int]] = []
        last = -1
        for i in range(start, end):
            glyph = self.glyph_of[i]
            if glyph < 0 or glyph == last:  # a ligature maps several characters to one glyph
                continue
            last = glyph
            page = self.glyph_page[glyph]
            line = self.glyph_line[glyph]
            box = self.pages[page].lines[line].boxes[self.glyph_char[glyph]]
            key = (page, line)
            rect = groups.get(key)
            if rect is None:
                groups[key] = [box[0], box[1], box[2], box[3]]
                order.append(key)
            else:
                rect[0] = min(rect[0], box[0])
                rect[1] = min(rect[1], box[1])
                rect[2] = max(rect[2], box[2])
                rect[3] = max(rect[3], box[3])
        result = []
        for page, line in order:
            r = groups[(page, line)]
            geometry = self.pages[page].geometry
            result.append(Quad.from_unrotated_rect(page, geometry, (r[0], r[1], r[2], r[3])))
        return result

    def pages_of(self, start: int, end: int) -> list[int]:
        pages: list[int] = []
        for i in range(start, end):
            glyph = self.glyph_of[i]
            if glyph >= 0:
                page = int(self.glyph_page[glyph])
                if not pages or pages[-1] != page:
                    pages.append(page)
        return pages

    def page_span(self, page: int) -> tuple[int, int]:
        """The text offsets ``[start, end)`` that hold every character of ``page``'s glyphs.

        The flow is built page by page, so a page's glyphs never stand outside its span."""
        if not 0 <= page < len(self.page_start):
            return 0, 0
        end = self.page_start[page + 1] if page + 1 < len(self.page_start) else len(self.glyph_of)
        return self.page_start[page], end

    def offsets_in_rects(self, page: int, rects: Iterable[Rect]) -> list[int]:
        """Text offsets of the characters whose glyph centre lies in one of ``rects``.

        ``rects`` are unrotated page coordinates (PyMuPDF's text space). Only the lines of
        ``page`` whose glyph centres can fall in a rectangle are looked at (``_page_lines``,
        found by bisection on their height): the cost does not grow with the document (an
        import of 10,000 highlights on 1,000 pages walked 2 million glyphs per highlight).
        """
        rect_list = [tuple(r) for r in rects]
        hits: list[int] = []
        if not rect_list:
            return hits
        index = self._page_lines(page)
        lines = self.pages[page].lines if index.tops else []
        low = bisect_left(index.tops, min(r[1] for r in rect_list) - index.tallest - 1e-6)
        high = bisect_right(index.tops, max(r[3] for r in rect_list))
        glyph_of, glyph_char = self.glyph_of, self.glyph_char
        for li, offsets, (lx0, ly0, lx1, ly1) in index.entries[low:high]:
            near = [r for r in rect_list if r[0] <= lx1 and lx0 <= r[2] and r[1] <= ly1 and ly0 <= r[3]]
            if not near:
                continue
            boxes = lines[li].boxes
            for i in offsets:
                box = boxes[glyph_char[glyph_of[i]]]
                cx = (box[0] + box[2]) / 2
                cy = (box[1] + box[3]) / 2
                for r in near:
                    if r[0] <= cx <= r[2] and r[1] <= cy <= r[3]:
                        hits.append(i)
                        break
        hits.sort()
        return hits

    def _page_lines(self, page: int) -> PageLines:
        """The lines of ``page`` with text in the flow (see ``PageLines``). Built on first use
        from the page's span of the text (O(characters of the page)) and kept."""
        cached = self._line_index.get(page)
        if cached is not None:
            return cached
        start, end = self.page_span(page)
        by_line: dict[int, list[int]] = {}
        glyph_line, glyph_page = self.glyph_line, self.glyph_page
        for i, glyph in enumerate(self.glyph_of[start:end], start):
            if glyph >= 0 and glyph_page[glyph] == page:
                line = glyph_line[glyph]
                offsets = by_line.get(line)
                if offsets is None:
                    by_line[line] = [i]
                else:
                    offsets.append(i)
        lines = self.pages[page].lines if 0 <= page < len(self.pages) else []
        entries = sorted(
            ((li, offsets, _centre_bounds(lines[li].boxes)) for li, offsets in by_line.items()),
            key=lambda entry: entry[2][1],
        )
        result = PageLines(
            [entry[2][1] for entry in entries],
            max((entry[2][3] - entry[2][1] for entry in entries), default=0.0),
            entries,
        )
        self._line_index[page] = result
        return result


@dataclass(slots=True)
class PageLines:
    """A page's lines with text in the flow, by the top of their glyph centres: each entry is
    the line's index, the text offsets of its characters and bounds that hold every glyph
    centre of the line. A rectangle's lines are those with ``top`` in
    ``[rect top - tallest, rect bottom]``, found by bisection."""

    tops: list[float]
    tallest: float
    entries: list[tuple[int, list[int], Rect]]


def _centre_bounds(boxes: Sequence[Rect]) -> Rect:
    """A rectangle holding the centre of every box: (min x0 + min x1) / 2 <= each centre's x,
    and so on. Read from a ``GlyphBoxes``' arrays at C speed."""
    x0s: Sequence[float]
    y0s: Sequence[float]
    x1s: Sequence[float]
    y1s: Sequence[float]
    if isinstance(boxes, GlyphBoxes):
        v = boxes._values
        if boxes._flat:
            x0s, x1s = v[2::2], v[3::2]
            cy = (v[0] + v[1]) / 2
            return ((min(x0s) + min(x1s)) / 2, cy, (max(x0s) + max(x1s)) / 2, cy)
        x0s, y0s, x1s, y1s = v[0::4], v[1::4], v[2::4], v[3::4]
    else:
        x0s, y0s, x1s, y1s = ([b[k] for b in boxes] for k in range(4))
    return (
        (min(x0s) + min(x1s)) / 2,
        (min(y0s) + min(y1s)) / 2,
        (max(x0s) + max(x1s)) / 2,
        (max(y0s) + max(y1s)) / 2,
    )


def normalize_quote(text: str) -> str:
    """What a typed or pasted quote becomes before it is searched: the flow's normalization."""
    out: list[str] = []
    for ch in text:
        ch = LIGATURES.get(ch, ch)
        out.append(ch)
    joined = "".join(out).replace("\u00ad", "")
    joined = unicodedata.normalize("NFC", joined)
    return " ".join(joined.split())


def match_key(text: str) -> str:
    return text.translate(MATCH_FOLDS)


def _furniture_key(text: str) -> str:
    return re.sub(r"\d+", "#", " ".join(text.split()).lower())


Steps = Generator[None, None, T]


def run_steps(steps: Steps[T]) -> T:
    """Run a ``*_steps`` generator to its end, for its result."""
    while True:
        try:
            next(steps)
        except StopIteration as finished:
            return finished.value  # type: ignore[no-any-return]


def detect_furniture(pages: Sequence[PageText]) -> set[tuple[int, int]]:
    """Running headers, footers and page numbers: lines in the top or bottom zone of a page
    that repeat (digits aside) on many pages, or that are only a page number."""
    return run_steps(furniture_steps(pages))


def furniture_steps(pages: Sequence[PageText]) -> Steps[set[tuple[int, int]]]:
    """``detect_furniture`` a page (or a few hundred lines) per step."""
    candidates: list[tuple[int, int, str, int]] = []
    for page in pages:
        yield
        height = page.geometry.cropbox[3] - page.geometry.cropbox[1]  # unrotated, as lines are
        for li, line in enumerate(page.lines):
            text = line.chars.strip()
            if not text:
                continue
            top, bottom = line.bbox[1], line.bbox[3]
            if bottom <= height * FURNITURE_ZONE or top >= height * (1 - FURNITURE_ZONE):
                candidates.append((page.number, li, text, round(top / FURNITURE_STEP)))
    if not candidates:
        return set()
    # A running header repeats at the same height; an "Article 8" heading that happens to fall
    # at the top of one page and the foot of another does not (a document typeset with fpdf2
    # lost three articles that way). Heights are compared in steps, a step either side.
    counts: Counter[tuple[str, int]] = Counter()
    for at, (_, _, text, step) in enumerate(candidates):
        if at % 500 == 0:
            yield
        counts[_furniture_key(text), step] += 1
    threshold = max(2, int(len(pages) * 0.3))
    furniture: set[tuple[int, int]] = set()
    for at, (page_no, li, text, step) in enumerate(candidates):
        if at % 500 == 0:
            yield
        key = _furniture_key(text)
        repeats = counts[key, step - 1] + counts[key, step] + counts[key, step + 1]
        if PAGE_NUMBER_LINE.match(text) or (len(pages) >= 2 and repeats >= threshold):
            furniture.add((page_no, li))
    return furniture


_PER_CHARACTER = re.compile("[" + "".join(LIGATURES) + "\u00ad]")  # words copied a character at a time
_WORD = re.compile(r"\S+")  # \s is str.isspace() for str patterns, as in the per-character path


def _typecode_for(largest: int) -> str:
    """The smallest array type holding 0..largest: the glyph maps of a 1,000-page document
    are 2 million entries each, 8 MB as "i" and 2-4 MB as "B"/"H" (they cross to the window
    and stay there while the document is open)."""
    return "B" if largest < 256 else "H" if largest < 65536 else "i"


def build_flow(pages: list[PageText], *, drop_furniture: bool = True) -> TextFlow:
    """The normalized text of ``pages`` (see the module docstring). Words without ligatures
    or soft hyphens are copied whole, the others a character at a time (the same result as
    copying every character alone: tests/core/test_flow_builder.py checks it)."""
    return run_steps(flow_steps(pages, drop_furniture=drop_furniture))


def flow_steps(pages: list[PageText], *, drop_furniture: bool = True) -> Steps[TextFlow]:
    """``build_flow`` a page per step (under a millisecond each), for a caller that must
    interleave it with other work: the window's event loop builds the flow between events."""
    furniture = (yield from furniture_steps(pages)) if drop_furniture else set()
    out: list[str] = []
    length = 0  # characters in ``out``
    glyph_of = array("i")
    glyph_page = array(_typecode_for(max((p.number for p in pages), default=0)))
    glyph_line = array(_typecode_for(max((len(p.lines) for p in pages), default=0)))
    longest = max((len(line.chars) for p in pages for line in p.lines), default=0)
    glyph_char = array(_typecode_for(longest))
    ramp = array(glyph_char.typecode, range(longest))
    page_start: list[int] = []
    glyph_id = 0
    pending_space = False
    join_hyphen = False  # previous line ended in a hyphen we dropped

    for page in pages:
        yield
        page_start.append(length)
        first_glyph = glyph_id
        for li, line in enumerate(page.lines):
            n = len(line.chars)
            base = glyph_id
            glyph_line.extend(array(glyph_line.typecode, [li]) * n)
            glyph_char.extend(ramp[:n])
            glyph_id += n
            if (page.number, li) in furniture:
                continue
            chars = line.chars
            # Where does the visible text of the line end, and is it a hyphen to join?
            end = n
            while end > 0 and chars[end - 1].isspace():
                end -= 1
            hyphen_at = -1
            if end >= 2 and chars[end - 1] in HYPHENS and chars[end - 2].isalpha():
                nxt = _next_line_start(pages, page.number, li, furniture)
                if nxt and nxt.islower():
                    hyphen_at = end - 1
            if join_hyphen:
                pending_space = False
            segment = chars[:hyphen_at] if hyphen_at >= 0 else chars
            # Most lines are words parted by single spaces: copied whole, the spaces unmapped
            # (-1), with no match object per word (a third of a 1,000-page flow's build).
            words = segment.split()
            stripped = segment.rstrip()
            if words and " ".join(words) == stripped and "\u00ad" not in stripped:
                if pending_space and length:
                    out.append(" ")
                    glyph_of.append(-1)
                    length += 1
                glyph = base
                if _PER_CHARACTER.search(stripped) is None:
                    out.append(stripped)
                    for word in words:
                        stop = glyph + len(word)
                        glyph_of.extend(range(glyph, stop))
                        glyph_of.append(-1)
                        glyph = stop + 1
                else:  # ligatures expand to their letters, each letter mapped to the glyph
                    for word in words:
                        stop = glyph + len(word)
                        if _PER_CHARACTER.search(word) is None:
                            out.append(word)
                            glyph_of.extend(range(glyph, stop))
                        else:
                            for ci, ch in enumerate(word, glyph):
                                part = LIGATURES.get(ch, ch)
                                out.append(part)
                                glyph_of.extend([ci] * len(part))
                        out.append(" ")
                        glyph_of.append(-1)
                        glyph = stop + 1
                    out.pop()
                glyph_of.pop()  # no space after the last word
                length = len(glyph_of)  # one glyph entry per character of text
                pending_space = False
                at = len(stripped)  # where the last word ends, as the loop below leaves it
            else:
                at = 0
                for found in _WORD.finditer(segment):
                    start, stop = found.span()
                    if start > at:
                        pending_space = True
                    at = stop
                    word = found.group()
                    if _PER_CHARACTER.search(word) is None:
                        if pending_space and length:
                            out.append(" ")
                            glyph_of.append(-1)
                            length += 1
                        pending_space = False
                        out.append(word)
                        glyph_of.extend(range(base + start, base + stop))
                        length += stop - start
                        continue
                    for ci, ch in enumerate(word, base + start):  # ligatures expand, soft hyphens go
                        if ch == "\u00ad":
                            continue
                        for part in LIGATURES.get(ch, ch):
                            if pending_space and length:
                                out.append(" ")
                                glyph_of.append(-1)
                                length += 1
                            pending_space = False
                            out.append(part)
                            glyph_of.append(ci)
                            length += 1
            if at < len(segment):
                pending_space = True
            join_hyphen = hyphen_at >= 0
            if not join_hyphen:
                pending_space = True
        glyph_page.extend(array(glyph_page.typecode, [page.number]) * (glyph_id - first_glyph))
    text = "".join(out)
    text = unicodedata.normalize("NFC", text) if not text.isascii() else text
    if len(text) != len(glyph_of):  # NFC changed the length: keep the unnormalized text
        text = "".join(out)
    return TextFlow(
        text=text,
        glyph_of=glyph_of,
        pages=pages,
        glyph_page=glyph_page,
        glyph_line=glyph_line,
        glyph_char=glyph_char,
        page_start=page_start,
        furniture=furniture,
    )


def _next_line_start(
    pages: Sequence[PageText], page_no: int, line_no: int, furniture: set[tuple[int, int]]
) -> str:
    """First visible character of the next non-furniture line (across a page break too)."""
    p, li = page_no, line_no + 1
    while p < len(pages):
        lines = pages[p].lines
        while li < len(lines):
            if (pages[p].number, li) not in furniture:
                stripped = lines[li].chars.lstrip()
                if stripped:
                    return stripped[0]
            li += 1
        p += 1
        li = 0
    return ""


@dataclass(frozen=True)
class QuoteMatch:
    start: int
    end: int


def find_all(flow: TextFlow, quote: str) -> list[QuoteMatch]:
    """Every occurrence of a quote: with the exact case if any, else ignoring case."""
    needle = match_key(normalize_quote(quote))
    if not needle:
        return []
    hits = _occurrences(flow.key, needle)
    if not hits:
        hits = _occurrences(flow.key_folded, needle.lower())
    return [QuoteMatch(s, s + len(needle)) for s in hits]


def _occurrences(haystack: str, needle: str) -> list[int]:
    hits: list[int] = []
    start = haystack.find(needle)
    while start >= 0:
        hits.append(start)
        start = haystack.find(needle, start + 1)
    return hits


def context_around(flow: TextFlow, start: int, end: int, width: int = 32) -> tuple[str, str]:
    return flow.text[max(0, start - width) : start], flow.text[end : end + width]
