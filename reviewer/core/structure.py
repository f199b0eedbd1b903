"""Where a passage stands in a treaty or a bill: preamble, chapters, articles, paragraphs.

Lawyers cite "Art. 24(2)(b)", not "page 17". The structure is read from the normalized text
flow (running headers and page numbers are already gone there, and paragraphs read on across
page breaks), grouped back into the *visual rows* the PDF lays out: a heading is a row of its
own ("Article 12", "ARTICLE XII", "Chapter II", "SEC. 101. SHORT TITLE.", "Section 3"), a
numbered paragraph starts a row with "1." and a lettered subparagraph with "(a)". Numbers must
run in sequence inside their article, which keeps a "1." or an "(a)" that a line wrap happens
to put at a row start from being taken for a paragraph.

Documents with "Article" headings treat "Section N" as a division (the Budapest Convention's
"Chapter II, Section 1"); documents without them (US bills and reports) treat sections as the
units that are cited ("Sec. 101(a)").

``structure_of(pdf)`` parses once per opened document and caches the result, so that creating
many annotations does not parse again.
"""

from __future__ import annotations

import re
import weakref
from bisect import bisect_right
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from reviewer.core.textflow import TextFlow

if TYPE_CHECKING:
    from reviewer.core.pdf import PdfDocument

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
PREAMBLE_RE = re.compile(r"^(?:PREAMBLE|Preamble)\s*$")
PARAGRAPH_RE = re.compile(r"^(?P<num>\d{1,3})\.\s+\S")
SUBPARAGRAPH_RE = re.compile(r"^\((?P<letter>[a-z]{1,2})\)\s*\S")

DIVISION_ABBREVIATIONS = {
    "chapter": "Chapter",
    "part": "Part",
    "title": "Title",
    "subtitle": "Subtitle",
    "section": "Section",
    "book": "Book",
    "division": "Division",
}


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


# --- data ---------------------------------------------------------------------------------
@dataclass
class Subparagraph:
    letter: str
    start: int
    end: int
    page: int

    def to_json(self) -> dict[str, Any]:
        return {"letter": self.letter, "start": self.start, "end": self.end, "page": self.page + 1}


@dataclass
class Paragraph:
    """A numbered paragraph, or (``number`` None) the unnumbered body of an article."""

    number: int | None
    start: int
    end: int
    page: int
    subparagraphs: list[Subparagraph] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return {
            "number": self.number,
            "start": self.start,
            "end": self.end,
            "page": self.page + 1,
            "subparagraphs": [s.to_json() for s in self.subparagraphs],
        }


@dataclass
class Division:
    """A chapter, part, title or section that groups articles."""

    kind: str  # chapter, part, title, subtitle, section, book, division
    label: str  # "II" as printed
    number: int | None
    title: str
    start: int
    end: int
    page: int

    @property
    def name(self) -> str:
        return f"{DIVISION_ABBREVIATIONS.get(self.kind, self.kind.title())} {self.label}"

    def to_json(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "label": self.label,
            "number": self.number,
            "title": self.title,
            "start": self.start,
            "end": self.end,
            "page": self.page + 1,
        }


@dataclass
class ArticleUnit:
    """The unit a citation names: an article of a treaty, or a section of a bill."""

    kind: str  # "article" or "section"
    number: int
    label: str  # "12", "12bis", "1001A": what a citation prints
    title: str
    start: int
    end: int
    page: int
    division: int | None = None  # index in DocumentStructure.divisions
    paragraphs: list[Paragraph] = field(default_factory=list)

    @property
    def citation(self) -> str:
        return f"{'Art.' if self.kind == 'article' else 'Sec.'} {self.label}"

    def to_json(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "number": self.number,
            "label": self.label,
            "title": self.title,
            "citation": self.citation,
            "start": self.start,
            "end": self.end,
            "page": self.page + 1,
            "division": self.division,
            "paragraphs": [p.to_json() for p in self.paragraphs],
        }


@dataclass(frozen=True)
class Place:
    """Where one text offset stands."""

    article: int | None = None
    paragraph: int | None = None
    subparagraph: str | None = None
    citation: str | None = None
    article_index: int | None = None  # index in DocumentStructure.articles

    def fields(self) -> dict[str, Any]:
        return {
            "article": self.article,
            "paragraph": self.paragraph,
            "subparagraph": self.subparagraph,
            "citation": self.citation,
        }


@dataclass
class DocumentStructure:
    preamble: tuple[int, int, int] | None  # start, end, page
    divisions: list[Division]
    articles: list[ArticleUnit]
    _starts: list[int] = field(default_factory=list, repr=False)
    _division_starts: list[int] = field(default_factory=list, repr=False)

    def __post_init__(self) -> None:
        self._starts = [a.start for a in self.articles]
        self._division_starts = [d.start for d in self.divisions]

    def article_at(self, offset: int) -> int | None:
        i = bisect_right(self._starts, offset) - 1
        if i >= 0 and offset < self.articles[i].end:
            return i
        return None

    def place_at(self, offset: int) -> Place:
        """The article, paragraph and subparagraph holding the character at ``offset``."""
        index = self.article_at(offset)
        if index is None:
            if self.preamble and self.preamble[0] <= offset < self.preamble[1]:
                return Place(citation="Preamble")
            d = bisect_right(self._division_starts, offset) - 1
            if d >= 0 and offset < self.divisions[d].end:
                return Place(citation=self.divisions[d].name)
            return Place()
        article = self.articles[index]
        paragraph: Paragraph | None = None
        for p in article.paragraphs:
            if p.start <= offset < p.end:
                paragraph = p
                break
        sub: Subparagraph | None = None
        if paragraph is not None:
            for s in paragraph.subparagraphs:
                if s.start <= offset < s.end:
                    sub = s
                    break
        citation = article.citation
        number = paragraph.number if paragraph is not None else None
        if number is not None:
            citation += f"({number})"
        if sub is not None:
            citation += f"({sub.letter})"
        return Place(
            article=article.number,
            paragraph=number,
            subparagraph=sub.letter if sub else None,
            citation=citation,
            article_index=index,
        )

    def to_json(self) -> dict[str, Any]:
        return {
            "preamble": (
                {"start": self.preamble[0], "end": self.preamble[1], "page": self.preamble[2] + 1}
                if self.preamble
                else None
            ),
            "divisions": [d.to_json() for d in self.divisions],
            "articles": [a.to_json() for a in self.articles],
        }


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
    glyph_of = flow.glyph_of
    glyph_page = flow.glyph_page
    glyph_line = flow.glyph_line
    pages = flow.pages
    current_key = -1
    seg_start = 0
    seg_end = 0
    seg_page = 0
    seg_line = 0

    def close(start: int, end: int, page: int, line: int) -> None:
        bbox = pages[page].lines[line].bbox
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

    for i in range(len(glyph_of)):
        g = glyph_of[i]
        if g < 0:
            continue
        page = glyph_page[g]
        line = glyph_line[g]
        key = page * 1_000_000 + line
        if key != current_key:
            if current_key >= 0:
                close(seg_start, seg_end, seg_page, seg_line)
            current_key = key
            seg_start = i
            seg_page = page
            seg_line = line
        seg_end = i + 1
    if current_key >= 0:
        close(seg_start, seg_end, seg_page, seg_line)
    return rows


def _rows_by_page(rows: list[TextRow]) -> dict[int, list[TextRow]]:
    by_page: dict[int, list[TextRow]] = {}
    for row in rows:
        by_page.setdefault(row.page, []).append(row)
    return by_page


def _is_centred(row: TextRow, by_page: dict[int, list[TextRow]]) -> bool:
    """Centred in its column: the rows of the page that overlap it horizontally set the
    column's edges (so a title centred in the left column of two counts too)."""
    left, right = row.x0, row.x1
    for other in by_page.get(row.page, ()):
        if other.x1 > row.x0 and other.x0 < row.x1:
            left = min(left, other.x0)
            right = max(right, other.x1)
    width = right - left
    if width <= 0:
        return False
    middle = (row.x0 + row.x1) / 2
    return abs(middle - (left + right) / 2) < 0.06 * width and row.x0 - left > 0.08 * width


# --- detection ------------------------------------------------------------------------------
@dataclass
class _Heading:
    kind: str  # preamble, division, article
    row: int
    start: int
    page: int
    division_kind: str = ""
    label: str = ""
    number: int | None = None
    title: str = ""
    unit_kind: str = "article"
    title_end: int = 0  # offset after the heading (and title) rows


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


def detect_structure(flow: TextFlow) -> DocumentStructure:
    """Parse the flow into preamble, divisions, articles, paragraphs and subparagraphs."""
    text = flow.text
    rows = text_rows(flow)
    margins = _rows_by_page(rows)
    row_texts = [text[r.start : r.end] for r in rows]

    article_rows = sum(1 for t in row_texts if ARTICLE_RE.match(t))
    sections_are_units = article_rows < 2

    headings: list[_Heading] = []
    for index, (row, row_text) in enumerate(zip(rows, row_texts, strict=True)):
        if PREAMBLE_RE.match(row_text):
            headings.append(_Heading("preamble", index, row.start, row.page, title_end=row.end))
            continue
        m = ARTICLE_RE.match(row_text)
        if m and _title_like(m.group("rest") or ""):
            number = _number(m.group("num"))
            if number is not None:
                headings.append(
                    _Heading(
                        "article",
                        index,
                        row.start,
                        row.page,
                        label=m.group("num") + m.group("suffix"),
                        number=number,
                        title=_clean_title(m.group("rest")),
                        unit_kind="article",
                        title_end=row.end,
                    )
                )
                continue
        if sections_are_units:
            m = SECTION_UNIT_RE.match(row_text)
            if m and _title_like(m.group("rest") or ""):
                rest = m.group("rest") or ""
                headings.append(
                    _Heading(
                        "article",
                        index,
                        row.start,
                        row.page,
                        label=m.group("num") + m.group("suffix"),
                        number=int(m.group("num")),
                        title=_clean_title(rest.split(". ")[0] if rest else ""),
                        unit_kind="section",
                        title_end=row.end,
                    )
                )
                continue
        m = DIVISION_RE.match(row_text)
        if m and _title_like(m.group("rest") or ""):
            kind = m.group("kind").lower()
            if kind == "section" and sections_are_units:
                continue
            headings.append(
                _Heading(
                    "division",
                    index,
                    row.start,
                    row.page,
                    division_kind=kind,
                    label=m.group("num"),
                    number=_number(m.group("num")),
                    title=_clean_title(m.group("rest")),
                    title_end=row.end,
                )
            )

    # A heading alone on its row may have its title on the next centred row(s).
    heading_rows = {h.row for h in headings}
    for h in headings:
        if h.kind == "preamble" or h.title:
            continue
        nxt = h.row + 1
        title_parts: list[str] = []
        while nxt < len(rows) and nxt not in heading_rows and len(title_parts) < 3:
            candidate = row_texts[nxt]
            if PARAGRAPH_RE.match(candidate) or SUBPARAGRAPH_RE.match(candidate):
                break
            if not _is_centred(rows[nxt], margins):
                break
            title_parts.append(candidate.strip())
            h.title_end = rows[nxt].end
            nxt += 1
        h.title = " ".join(title_parts).rstrip(" .")

    text_end = len(text)
    preamble: tuple[int, int, int] | None = None
    divisions: list[Division] = []
    articles: list[ArticleUnit] = []
    for position, h in enumerate(headings):
        following = headings[position + 1 :]
        if h.kind == "preamble":
            end = following[0].start if following else text_end
            preamble = (h.start, end, h.page)
        elif h.kind == "division":
            end = text_end
            for other in following:
                if other.kind in ("division", "preamble") and _division_rank(
                    other.division_kind
                ) <= _division_rank(h.division_kind):
                    end = other.start
                    break
            divisions.append(Division(h.division_kind, h.label, h.number, h.title, h.start, end, h.page))
        else:
            end = following[0].start if following else text_end
            assert h.number is not None
            articles.append(
                ArticleUnit(
                    h.unit_kind,
                    h.number,
                    h.label,
                    h.title,
                    h.start,
                    end,
                    h.page,
                    division=len(divisions) - 1 if divisions else None,
                )
            )
            articles[-1].paragraphs = _paragraphs(flow, rows, row_texts, h.title_end, end, h.row + 1)
    for division in divisions:  # a division's end is where the next one of its rank starts
        division.end = max(division.end, division.start)
    return DocumentStructure(preamble, divisions, articles)


def _division_rank(kind: str) -> int:
    order = ["book", "part", "title", "division", "subtitle", "chapter", "section"]
    return order.index(kind) if kind in order else len(order)


def _paragraphs(
    flow: TextFlow,
    rows: list[TextRow],
    row_texts: list[str],
    body_start: int,
    body_end: int,
    first_row: int,
) -> list[Paragraph]:
    """Numbered paragraphs "1." and lettered subparagraphs "(a)" of one article's body."""
    paragraphs: list[Paragraph] = []
    implicit: Paragraph | None = None
    index = first_row
    while index < len(rows) and rows[index].start < body_start:
        index += 1
    previous = ""  # the row before, inside the body ("" at its start)
    while index < len(rows) and rows[index].start < body_end:
        row = rows[index]
        row_text = row_texts[index]
        index += 1
        before, previous = previous, row_text
        if before and not _ends_a_unit(before):
            continue  # "... as in paragraph / 2. of the annex": a line wrap, not a number
        m = PARAGRAPH_RE.match(row_text)
        if m:
            expected = (paragraphs[-1].number or 0) + 1 if paragraphs else 1
            if int(m.group("num")) == expected and implicit is None:
                if paragraphs:
                    paragraphs[-1].end = row.start
                    _close_subs(paragraphs[-1])
                paragraphs.append(Paragraph(expected, row.start, body_end, row.page))
                continue
        m = SUBPARAGRAPH_RE.match(row_text)
        if m:
            owner = paragraphs[-1] if paragraphs else implicit
            if owner is None:
                implicit = Paragraph(None, body_start, body_end, flow.page_of_offset(body_start))
                owner = implicit
            letter = m.group("letter")
            expected_letter = _next_letter(owner.subparagraphs[-1].letter) if owner.subparagraphs else "a"
            if letter == expected_letter:
                if owner.subparagraphs:
                    owner.subparagraphs[-1].end = row.start
                owner.subparagraphs.append(Subparagraph(letter, row.start, owner.end, row.page))
    if paragraphs:
        paragraphs[-1].end = body_end
        _close_subs(paragraphs[-1])
        return paragraphs
    if implicit is None:
        if body_start >= body_end:
            return []
        implicit = Paragraph(None, body_start, body_end, flow.page_of_offset(body_start))
    _close_subs(implicit)
    return [implicit]


UNIT_END_RE = re.compile(r"(?:[.:;,)\]\u201d\"\u2019']|\b(?:and|or|and/or))\s*$")


def _ends_a_unit(row_text: str) -> bool:
    """Whether a paragraph or subparagraph can end with this row."""
    return bool(UNIT_END_RE.search(row_text))


def _close_subs(paragraph: Paragraph) -> None:
    if paragraph.subparagraphs:
        paragraph.subparagraphs[-1].end = paragraph.end


def _next_letter(letter: str) -> str:
    """a -> b, z -> aa, aa -> bb (the doubled letters some treaties use after z)."""
    if letter == "z":
        return "aa"
    if len(letter) == 2 and letter[0] == letter[1]:
        nxt = chr(ord(letter[0]) + 1)
        return nxt + nxt
    return chr(ord(letter) + 1)


# --- per document cache -----------------------------------------------------------------------
_CACHE: weakref.WeakKeyDictionary[Any, DocumentStructure] = weakref.WeakKeyDictionary()


def structure_of(pdf: PdfDocument) -> DocumentStructure:
    """The document's structure, parsed once per opened ``PdfDocument``."""
    cached = _CACHE.get(pdf)
    if cached is None:
        cached = detect_structure(pdf.flow())
        _CACHE[pdf] = cached
    return cached


def place_fields(pdf: PdfDocument, offset: int) -> dict[str, Any]:
    """The annotation columns ``article``, ``paragraph``, ``subparagraph``, ``citation``."""
    return structure_of(pdf).place_at(offset).fields()


def article_titles(pdf: PdfDocument) -> dict[int, str]:
    """Titles of the document's articles (or sections) by number, for report headings."""
    titles: dict[int, str] = {}
    for unit in structure_of(pdf).articles:
        if unit.title and unit.number not in titles:
            titles[unit.number] = unit.title
    return titles
