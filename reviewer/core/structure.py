"""Where a passage stands in a treaty or a bill: preamble, divisions, articles, annexes, and
inside them paragraphs, letters and items.

Lawyers cite "Art. 6(1)(a)(ii)", not "page 17". The structure is read from the normalized text
flow (running headers and page numbers are already gone there, and paragraphs read on across
page breaks), grouped back into the *visual rows* the PDF lays out: a heading is a row of its
own ("Article 12", "ARTICLE XII", "Article 15 – Conditions and safeguards", "Chapter II",
"SEC. 101. SHORT TITLE.", "Annex I"), its title may follow on centred rows; the numbered units
inside a body are read by ``structure_body`` (markers as treaties write them, in sequence,
with indentation deciding where text belongs).

A row that starts with "Article 24." because running text wrapped there is not a heading: the
row before it was filled to the column's edge without ending a sentence. The testimonium
("IN WITNESS WHEREOF", "DONE at") ends the last article; annexes, appendices and schedules
are units of their own with their own paragraphs ("Annex I, para. 3").

Divisions nest in the order their kinds first appear (the Budapest Convention's Chapter II ▸
Section 1 ▸ Title 1). Documents with "Article" headings treat "Section N" as a division;
documents without them (US bills and reports) treat sections as the cited units ("Sec. 101(a)").

``structure_of(pdf)`` parses once per opened document and caches the result; where the PDF has
bookmarks, they supply titles the text left empty (offsets always come from the text).

What detection finds is described by ``structure_model`` (articles, paragraphs, letters, items,
divisions, annexes, ``Place``); the rows and columns it reads come from ``structure_layout``;
the numbered units inside a body from ``structure_body``.
"""

from __future__ import annotations

import re
import weakref
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from reviewer.core.structure_body import (
    MARKER_RE,
    NUM,
    BodyParser,
    BodyRow,
    Token,
    Unit,
    ends_a_unit,
)
from reviewer.core.textflow import TextFlow

if TYPE_CHECKING:
    from reviewer.core.pdf import PdfDocument

from reviewer.core.structure_layout import Columns, TextRow, text_rows
from reviewer.core.structure_model import (
    ArticleUnit,
    Division,
    DocumentStructure,
    Item,
    Paragraph,
    Subparagraph,
)

ROMAN_VALUES = {"I": 1, "V": 5, "X": 10, "L": 50, "C": 100, "D": 500, "M": 1000}


ROMAN_RE = re.compile(r"^M{0,3}(CM|CD|D?C{0,3})(XC|XL|L?X{0,3})(IX|IV|V?I{0,3})$")


# A separator between a heading's number and its title on the same row.
_SEP = r"(?:\s*[.:\u2013\u2014-]\s*|\s+)"


ARTICLE_RE = re.compile(
    r"^(?:Article|ARTICLE|Art\.|ART\.)\s+(?P<num>\d{1,4}|[IVXLCDM]{1,8})(?P<suffix>[a-z]{0,6})"
    r"(?![\w(])(?P<rest>" + _SEP + r".*)?$"
)


SECTION_UNIT_RE = re.compile(
    r"^(?:SEC\.|Sec\.|SECTION|Section|\u00a7)\s*(?P<num>\d{1,5})(?P<suffix>[A-Za-z]{0,3})\."
    r"(?P<rest>\s*.*)?$"
)


DIVISION_RE = re.compile(
    r"^(?P<kind>CHAPTER|Chapter|PART|Part|TITLE|Title|SUBTITLE|Subtitle|SECTION|Section|BOOK|Book|"
    r"DIVISION|Division)\s+(?P<num>\d{1,3}|[IVXLCDM]{1,8}|[A-Z])(?![\w(])(?P<rest>" + _SEP + r".*)?$"
)


ANNEX_RE = re.compile(
    r"^(?P<kind>ANNEX|Annex|APPENDIX|Appendix|SCHEDULE|Schedule)"
    r"(?:\s+(?P<num>\d{1,3}|[IVXLC]{1,6}|[A-Z]))?(?![\w(])(?P<rest>" + _SEP + r".*)?$"
)


PREAMBLE_RE = re.compile(r"^(?:PREAMBLE|Preamble)\s*$")


# A list marker other than a bare one (a bare "a" or "in" needs the gap the glyphs show).
WRITTEN_MARKER_RE = re.compile(r"^(?:\((?:[0-9]{1,3}|[a-z]{1,4}|[A-Z])\)|(?:[0-9]{1,3}|[a-z]{1,4})[.)])\s")


TESTIMONIUM_RE = re.compile(
    r"^(?:IN WITNESS WHEREOF|In witness whereof|In Witness Whereof|IN FAITH WHEREOF|"
    r"In faith whereof|DONE at|Done at|DONE in|Done in)\b"
)


# Kept for callers that used them: the markers of the simplest house style.
PARAGRAPH_RE = re.compile(r"^(?P<num>\d{1,3})\.\s+\S")


SUBPARAGRAPH_RE = re.compile(r"^\((?P<letter>[a-z]{1,2})\)\s*\S")


AGREED_RE = re.compile(
    r"\b(?:agreed?|AGREED?)\s+(?:as\s+follows|AS\s+FOLLOWS|upon\s+the\s+following)", re.IGNORECASE
)


TITLE_TAIL_WORDS = {"the", "of", "and", "in", "to", "for", "on", "with", "by", "a", "an", "or", "from"}


def roman_to_int(text: str) -> int | None:
    """``XII`` -> 12; ``None`` for anything that is not a well-formed roman numeral."""
    upper = text.upper()
    if not upper or not ROMAN_RE.match(upper):
        return None
    total = 0
    for i, ch in enumerate(upper):
        value = ROMAN_VALUES[ch]
        if i + 1 < len(upper) and ROMAN_VALUES[upper[i + 1]] > value:
            total -= value
        else:
            total += value
    return total


def _number(text: str) -> int | None:
    if text.isdigit():
        return int(text)
    return roman_to_int(text)


# --- detection ------------------------------------------------------------------------------
@dataclass
class _Heading:
    kind: str  # preamble, division, article, annex, closing
    row: int
    start: int
    page: int
    division_kind: str = ""
    label: str = ""
    number: int | None = None
    title: str = ""
    unit_kind: str = "article"
    title_end: int = 0  # offset after the heading (and title) rows
    title_row: int = 0  # the last heading or title row
    annex_word: str = "Annex"


def _clean_title(rest: str | None) -> str:
    if not rest:
        return ""
    title = rest.strip()
    title = re.sub(r"^[.:\u2013\u2014-]\s*", "", title)
    return title.rstrip(" .").strip()


def _title_like(text: str) -> bool:
    """A rest-of-row that reads as a title rather than as running text."""
    stripped = text.strip()
    if not stripped:
        return True
    if stripped[0] in ".:\u2013\u2014-":
        return True
    return stripped[0].isupper() or stripped[0].isdigit()


class _Detector:
    def __init__(self, flow: TextFlow) -> None:
        self.flow = flow
        self.text = flow.text
        self.rows = text_rows(flow)
        self.row_texts = [self.text[r.start : r.end] for r in self.rows]
        widths = {p.number: p.geometry.cropbox[2] - p.geometry.cropbox[0] for p in flow.pages}
        offsets = {p.number: p.geometry.cropbox[0] for p in flow.pages}
        # Lines are in unrotated page space; columns are found per page against its width.
        self.columns = Columns(self.rows, {k: widths[k] + 2 * offsets[k] for k in widths})
        self.article_rows = sum(1 for t in self.row_texts if ARTICLE_RE.match(t))
        self.sections_are_units = self.article_rows < 2
        self.heading_rows: set[int] = set()
        self.layout: tuple[set[tuple[str, str]], set[tuple[str, str]]] = (set(), set())

    # --- glyph positions ---------------------------------------------------------------
    def glyph_x(self, offset: int) -> tuple[float, float] | None:
        flow = self.flow
        if not 0 <= offset < len(flow.glyph_of):
            return None
        g = flow.glyph_of[offset]
        if g < 0:
            return None
        box = flow.pages[flow.glyph_page[g]].lines[flow.glyph_line[g]].boxes[flow.glyph_char[g]]
        return (box[0], box[2])

    # --- headings ----------------------------------------------------------------------
    def _wrapped_here(self, index: int) -> bool:
        """Running text wrapped onto this row: the row before filled its column mid-sentence."""
        if index == 0 or index - 1 in self.heading_rows or not self.heading_rows:
            return False  # a document's title rows before its first heading are no wrap
        before = self.rows[index - 1]
        text = self.row_texts[index - 1].rstrip()
        if text.isupper() or self.columns.is_centred(index - 1, before, wide=True):
            return False  # a title (centred, or in capitals) is no running text
        if re.search(r"[.:;!?\u201d\"')\]]$", text):
            return False
        return self.columns.is_full(index - 1, before)

    def headings(self) -> list[_Heading]:
        rows, row_texts = self.rows, self.row_texts
        found: list[_Heading] = []
        for index, (row, row_text) in enumerate(zip(rows, row_texts, strict=True)):
            heading = self._heading_at(index, row, row_text)
            if heading is not None:
                found.append(heading)
                self.heading_rows.add(index)
        self._titles(found)
        return found

    def _heading_at(self, index: int, row: TextRow, row_text: str) -> _Heading | None:
        if PREAMBLE_RE.match(row_text):
            return _Heading("preamble", index, row.start, row.page, title_end=row.end, title_row=index)
        m = ARTICLE_RE.match(row_text)
        if m and _title_like(m.group("rest") or "") and not self._wrapped_here(index):
            number = _number(m.group("num"))
            rest = m.group("rest") or ""
            if number is not None and not self._sentence_after_number(index, row, rest):
                return _Heading(
                    "article",
                    index,
                    row.start,
                    row.page,
                    label=m.group("num") + m.group("suffix"),
                    number=number,
                    title=_clean_title(rest),
                    unit_kind="article",
                    title_end=row.end,
                    title_row=index,
                )
        if self.sections_are_units:
            m = SECTION_UNIT_RE.match(row_text)
            if m and _title_like(m.group("rest") or ""):
                rest = m.group("rest") or ""
                return _Heading(
                    "article",
                    index,
                    row.start,
                    row.page,
                    label=m.group("num") + m.group("suffix"),
                    number=int(m.group("num")),
                    title=_clean_title(rest.split(". ")[0] if rest else ""),
                    unit_kind="section",
                    title_end=row.end,
                    title_row=index,
                )
        m = DIVISION_RE.match(row_text)
        if m and _title_like(m.group("rest") or "") and not self._wrapped_here(index):
            kind = m.group("kind").lower()
            if kind == "section" and self.sections_are_units:
                return None
            return _Heading(
                "division",
                index,
                row.start,
                row.page,
                division_kind=kind,
                label=m.group("num"),
                number=_number(m.group("num")),
                title=_clean_title(m.group("rest")),
                title_end=row.end,
                title_row=index,
            )
        m = ANNEX_RE.match(row_text)
        if (
            m
            and _title_like(m.group("rest") or "")
            and not self._wrapped_here(index)
            and not self.columns.is_full(index, row)
            and (index == 0 or ends_a_unit(self.row_texts[index - 1]) or self._is_heading_like(index - 1))
        ):
            label = m.group("num") or ""
            word = m.group("kind").title()
            return _Heading(
                "annex",
                index,
                row.start,
                row.page,
                label=label,
                number=_number(label) or (ord(label) - 64 if len(label) == 1 and label.isupper() else 0),
                title=_clean_title(m.group("rest")),
                unit_kind="annex",
                title_end=row.end,
                title_row=index,
                annex_word=word,
            )
        if TESTIMONIUM_RE.match(row_text) and (index == 0 or ends_a_unit(self.row_texts[index - 1])):
            return _Heading("closing", index, row.start, row.page, title_end=row.start, title_row=index)
        return None

    def unheaded_preamble(self, first_heading: int) -> tuple[int, int, int] | None:
        """The preamble of a treaty that prints no "Preamble" heading: from the first row
        after the title rows to the first heading, where it closes with "have agreed as
        follows" (the words that end a treaty's preamble)."""
        for index, row in enumerate(self.rows):
            if row.start >= first_heading:
                return None
            text = self.row_texts[index]
            if self.columns.is_centred(index, row, wide=True) or text.isupper():
                continue  # the document's title
            if AGREED_RE.search(self.text, row.start, first_heading):
                return (row.start, first_heading, row.page)
            return None
        return None

    def _is_heading_like(self, index: int) -> bool:
        return self.columns.is_centred(index, self.rows[index]) or not self.columns.is_full(
            index, self.rows[index]
        )

    def _sentence_after_number(self, index: int, row: TextRow, rest: str) -> bool:
        """ "Article 24. The requesting Party shall …" filling the row: a sentence, not a title."""
        stripped = rest.strip()
        if not stripped.startswith("."):
            return False
        words = stripped[1:].split()
        return len(words) >= 6 and self.columns.is_full(index, row)

    def _titles(self, headings: list[_Heading]) -> None:
        """Titles on the rows after a heading: centred rows, or the tail of a long one-row title."""
        rows, row_texts = self.rows, self.row_texts
        heading_rows = {h.row for h in headings}
        for h in headings:
            if h.kind in ("preamble", "closing"):
                continue
            nxt = h.row + 1
            if h.title:
                # "Article 27 – Procedures pertaining to mutual assistance requests in the" /
                # "absence of applicable international agreements"
                while nxt < len(rows) and nxt not in heading_rows and nxt - h.row <= 2:
                    candidate = row_texts[nxt].strip()
                    last_word = h.title.split()[-1].lower() if h.title.split() else ""
                    if (
                        not candidate
                        or WRITTEN_MARKER_RE.match(candidate)
                        or re.search(r"[.;:]$", h.title)
                        or self.columns.is_full(nxt, rows[nxt])
                        or re.search(r"[.;:,]$", candidate)
                        or not (candidate[0].islower() or last_word in TITLE_TAIL_WORDS)
                        or len(candidate.split()) > 12
                    ):
                        break
                    h.title = f"{h.title} {candidate}".rstrip(" .")
                    h.title_end = rows[nxt].end
                    h.title_row = nxt
                    nxt += 1
                continue
            title_parts: list[str] = []
            while nxt < len(rows) and nxt not in heading_rows and len(title_parts) < 4:
                candidate = row_texts[nxt]
                if WRITTEN_MARKER_RE.match(candidate.strip()):
                    break
                if PARAGRAPH_RE.match(candidate) or SUBPARAGRAPH_RE.match(candidate):
                    break
                centred = self.columns.is_centred(nxt, rows[nxt])
                if not centred and not (
                    # a first title row nearly as wide as the column, more centred rows after
                    self.columns.is_centred(nxt, rows[nxt], wide=True)
                    and nxt + 1 < len(rows)
                    and self.columns.is_centred(nxt + 1, rows[nxt + 1])
                ):
                    break
                title_parts.append(candidate.strip())
                h.title_end = rows[nxt].end
                h.title_row = nxt
                nxt += 1
            if not title_parts and h.kind in ("article", "annex"):
                title_parts = self._left_title(h, heading_rows)
            h.title = " ".join(title_parts).rstrip(" .")

    def _left_title(self, h: _Heading, heading_rows: set[int]) -> list[str]:
        """A title set flush left on the row after "Article 5": short, capitalised, no closing
        punctuation, and the row after it starts a new sentence or unit (a first row of
        running text would either fill the column or run on in lower case)."""
        nxt = h.row + 1
        rows, texts = self.rows, self.row_texts
        if nxt >= len(rows) or nxt in heading_rows or rows[nxt].page != rows[h.row].page:
            return []
        candidate = texts[nxt].strip()
        lo, hi = self.columns.edges[nxt]
        if (
            not candidate
            or not candidate[0].isupper()
            or WRITTEN_MARKER_RE.match(candidate)
            or re.search(r"[.;:,]$", candidate)
            or len(candidate.split()) > 12
            or rows[nxt].x1 - rows[nxt].x0 > 0.75 * (hi - lo)
        ):
            return []
        after = texts[nxt + 1].strip() if nxt + 1 < len(rows) else ""
        if after and not (after[0].isupper() or after[0].isdigit() or after[0] in "(\u2013\u2014-"):
            return []
        h.title_end = rows[nxt].end
        h.title_row = nxt
        return [candidate]

    # --- bodies ------------------------------------------------------------------------
    def tokens(self, row: BodyRow) -> list[Token]:
        """The list markers at the start of a row: "3. (a) The Board …" gives two."""
        out: list[Token] = []
        text = row.text
        position = len(text) - len(text.lstrip())
        while len(out) < 3:
            m = MARKER_RE.match(text[position:])
            if not m:
                break
            style, raw = next((k, v) for k, v in m.groupdict().items() if v is not None)
            fmt = {"paren": "({})", "close": "{})", "dot": "{}.", "bare": "{}"}[style]
            start = row.start + position
            after = position + m.end()
            while after < len(text) and text[after] == " ":
                after += 1
            if after >= len(text):
                break
            mark = self.glyph_x(start)
            word = self.glyph_x(row.start + after)
            if style == "bare" and not self._gap_follows(row.start + position + m.end() - 1, word):
                break
            marker_x = self.columns.relative_x(row.index, mark[0]) if mark else row.x
            text_x = self.columns.relative_x(row.index, word[0]) if word else row.x
            out.append(Token(fmt, raw, start, row.start + after, marker_x, text_x))
            position = after
        return out

    def _gap_follows(self, marker_end: int, word: tuple[float, float] | None) -> bool:
        """A bare "1" or "a" is a marker only when a gap wider than the row's word spaces
        follows it (a justified row that starts with the word "a" has no such gap)."""
        mark_end = self.glyph_x(marker_end)
        if mark_end is None or word is None:
            return False
        gap = word[0] - mark_end[1]
        if gap < 6:
            return False
        # the next word space on the row, for comparison
        text = self.text
        space = text.find(" ", marker_end + 2, marker_end + 40)
        if space > 0:
            before, after = self.glyph_x(space - 1), self.glyph_x(space + 1)
            if before and after and after[0] > before[1] and gap < 1.15 * (after[0] - before[1]):
                return False
        return True

    def body(self, heading: _Heading, end: int) -> list[Paragraph]:
        first = heading.title_row + 1
        body_rows: list[BodyRow] = []
        index = first
        while index < len(self.rows) and self.rows[index].start < end:
            row = self.rows[index]
            if row.start >= heading.title_end:
                body_row = BodyRow(
                    row.start,
                    row.end,
                    row.page,
                    self.row_texts[index],
                    self.columns.relative_x(index, row.x0),
                    after_heading=index == first,
                    index=index,
                )
                body_rows.append(body_row)
            index += 1
        body_start = heading.title_end
        page = self.flow.page_of_offset(body_start) if body_start < len(self.text) else heading.page
        parser = BodyParser(self.tokens, body_start, end, page, self.layout)
        top = parser.parse(body_rows)
        return _paragraphs_of(top, body_start, end, page)


def _items_of(units: list[Unit]) -> list[Item]:
    return [Item(u.label, u.start, u.end, u.page, _items_of(u.children)) for u in units]


def _paragraphs_of(top: list[Unit], body_start: int, body_end: int, page: int) -> list[Paragraph]:
    out: list[Paragraph] = []
    for unit in top:
        number = int(unit.label) if unit.kind == NUM and unit.label else None
        paragraph = Paragraph(number, unit.start, unit.end, unit.page)
        paragraph.subparagraphs = [
            Subparagraph(s.label, s.start, s.end, s.page, _items_of(s.children)) for s in unit.children
        ]
        out.append(paragraph)
    if not out and body_start < body_end:
        out.append(Paragraph(None, body_start, body_end, page))
    if out and out[0].number is not None and out[0].start > body_start:
        pass  # words before paragraph 1 are the article's own (cited "Art. N")
    return out


def detect_structure(flow: TextFlow) -> DocumentStructure:
    """Parse the flow into preamble, divisions, articles, annexes and their numbered units."""
    detector = _Detector(flow)
    headings = detector.headings()
    text_end = len(flow.text)
    preamble: tuple[int, int, int] | None = None
    closing: tuple[int, int, int] | None = None
    divisions: list[Division] = []
    articles: list[ArticleUnit] = []
    kind_order: list[str] = []  # division kinds in the order they first appear: outermost first
    open_divisions: list[int] = []
    for position, h in enumerate(headings):
        following = headings[position + 1 :]
        next_start = following[0].start if following else text_end
        if h.kind == "preamble":
            preamble = (h.start, next_start, h.page)
        elif h.kind == "closing":
            if closing is None:
                closing = (h.start, next_start, h.page)
            else:
                closing = (closing[0], next_start, closing[2])
            for d in open_divisions:
                divisions[d].end = min(divisions[d].end, h.start)
            open_divisions = []
        elif h.kind == "division":
            if h.division_kind not in kind_order:
                kind_order.append(h.division_kind)
            rank = kind_order.index(h.division_kind)
            while open_divisions and kind_order.index(divisions[open_divisions[-1]].kind) >= rank:
                divisions[open_divisions.pop()].end = h.start
            parent = open_divisions[-1] if open_divisions else None
            divisions.append(
                Division(
                    h.division_kind,
                    h.label,
                    h.number,
                    h.title,
                    h.start,
                    text_end,
                    h.page,
                    parent=parent,
                    depth=len(open_divisions),
                )
            )
            open_divisions.append(len(divisions) - 1)
        else:
            if h.kind == "annex":
                for d in open_divisions:
                    divisions[d].end = min(divisions[d].end, h.start)
                open_divisions = []
            assert h.number is not None
            unit = ArticleUnit(
                h.unit_kind,
                h.number,
                h.label,
                h.title,
                h.start,
                next_start,
                h.page,
                division=open_divisions[-1] if open_divisions else None,
                annex_word=h.annex_word,
            )
            unit.paragraphs = detector.body(h, next_start)
            articles.append(unit)
    for division in divisions:
        division.end = max(division.end, division.start)
    if preamble is None:
        preamble = detector.unheaded_preamble(headings[0].start if headings else text_end)
    return DocumentStructure(preamble, divisions, articles, closing)


def apply_bookmarks(found: DocumentStructure, outline: list[tuple[int, str, int]]) -> int:
    """Titles from the PDF's bookmarks ("Article 5 – Scope") for articles the text left untitled.

    Only articles found in the text are touched (the text stays the source of offsets), and
    only on the page the bookmark points to (or the one after). Returns how many were filled.
    """
    by_label: dict[str, list[ArticleUnit]] = {}
    for article in found.articles:
        if article.kind == "article":
            by_label.setdefault(article.label.casefold(), []).append(article)
    filled = 0
    for _level, title, page in outline:
        m = ARTICLE_RE.match(" ".join(title.split()))
        if not m:
            continue
        supplied = _clean_title(m.group("rest"))
        if not supplied:
            continue
        for article in by_label.get((m.group("num") + m.group("suffix")).casefold(), []):
            if not article.title and article.page in (page, page + 1):
                article.title = supplied
                filled += 1
    return filled


# --- per document cache -----------------------------------------------------------------------
_CACHE: weakref.WeakKeyDictionary[Any, DocumentStructure] = weakref.WeakKeyDictionary()


def structure_of(pdf: PdfDocument) -> DocumentStructure:
    """The document's structure, parsed once per opened ``PdfDocument``."""
    cached = _CACHE.get(pdf)
    if cached is None:
        cached = detect_structure(pdf.flow())
        apply_bookmarks(cached, pdf.outline())
        _CACHE[pdf] = cached
    return cached


def place_fields(pdf: PdfDocument, offset: int) -> dict[str, Any]:
    """The annotation columns ``article``, ``paragraph``, ``subparagraph``, ``item``, ``citation``."""
    return structure_of(pdf).place_at(offset).fields()


def article_titles(pdf: PdfDocument) -> dict[int, str]:
    """Titles of the document's articles (or sections) by number, for report headings."""
    titles: dict[int, str] = {}
    for unit in structure_of(pdf).articles:
        if unit.title and unit.number not in titles:
            titles[unit.number] = unit.title
    return titles
