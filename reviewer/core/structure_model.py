"""What structure detection finds, as the rest of the program reads it: articles with their
paragraphs, letters and items, divisions as a tree, annexes, and where an offset of the text
stands (``Place``, its citation).
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    pass


DIVISION_ABBREVIATIONS = {
    "chapter": "Chapter",
    "part": "Part",
    "title": "Title",
    "subtitle": "Subtitle",
    "section": "Section",
    "book": "Book",
    "division": "Division",
}


# --- data ---------------------------------------------------------------------------------
@dataclass
class Item:
    """A roman item under a letter ("(ii)"), or a further level ("(A)", "(aa)") under it."""

    label: str
    start: int
    end: int
    page: int
    items: list[Item] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "label": self.label,
            "start": self.start,
            "end": self.end,
            "page": self.page + 1,
        }
        if self.items:
            out["items"] = [i.to_json() for i in self.items]
        return out


@dataclass
class Subparagraph:
    letter: str
    start: int
    end: int
    page: int
    items: list[Item] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return {
            "letter": self.letter,
            "start": self.start,
            "end": self.end,
            "page": self.page + 1,
            "items": [i.to_json() for i in self.items],
        }


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
    parent: int | None = None  # index of the enclosing division
    depth: int = 0

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
    """The unit a citation names: an article of a treaty, a section of a bill, or an annex."""

    kind: str  # "article", "section" or "annex"
    number: int
    label: str  # "12", "12bis", "1001A", "I" (an annex's): what a citation prints
    title: str
    start: int
    end: int
    page: int
    division: int | None = None  # index in DocumentStructure.divisions
    paragraphs: list[Paragraph] = field(default_factory=list)
    annex_word: str = "Annex"

    @property
    def citation(self) -> str:
        if self.kind == "annex":
            return f"{self.annex_word} {self.label}".strip()
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
    item: str | None = None  # "ii", or "ii(A)" where a text has a further level

    def fields(self) -> dict[str, Any]:
        return {
            "article": self.article,
            "paragraph": self.paragraph,
            "subparagraph": self.subparagraph,
            "item": self.item,
            "citation": self.citation,
        }


def _containing(units: list[Any], offset: int) -> Any:
    for unit in units:
        if unit.start <= offset < unit.end:
            return unit
    return None


@dataclass
class DocumentStructure:
    preamble: tuple[int, int, int] | None  # start, end, page
    divisions: list[Division]
    articles: list[ArticleUnit]
    closing: tuple[int, int, int] | None = None  # the testimonium and signatures
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
        """The article, paragraph, subparagraph and item holding the character at ``offset``."""
        index = self.article_at(offset)
        if index is None:
            if self.preamble and self.preamble[0] <= offset < self.preamble[1]:
                return Place(citation="Preamble")
            if self.closing and self.closing[0] <= offset < self.closing[1]:
                return Place()
            d = bisect_right(self._division_starts, offset) - 1
            while d >= 0:
                division = self.divisions[d]
                if division.start <= offset < division.end:
                    return Place(citation=division.name)
                d = division.parent if division.parent is not None else -1
            return Place()
        article = self.articles[index]
        paragraph: Paragraph | None = _containing(article.paragraphs, offset)
        sub: Subparagraph | None = _containing(paragraph.subparagraphs, offset) if paragraph else None
        items: list[str] = []
        level = _containing(sub.items, offset) if sub else None
        while level is not None:
            items.append(level.label)
            level = _containing(level.items, offset)
        number = paragraph.number if paragraph is not None else None
        parts = [str(number)] if number is not None else []
        if sub is not None:
            parts.append(sub.letter)
        parts += items
        if article.kind == "annex":
            citation = article.citation
            if number is not None:
                citation += f", para. {number}"
                parts = parts[1:]
            citation += "".join(f"({p})" for p in parts)
        else:
            citation = article.citation + "".join(f"({p})" for p in parts)
        return Place(
            article=article.number if article.kind != "annex" else None,
            paragraph=number,
            subparagraph=sub.letter if sub else None,
            citation=citation,
            article_index=index,
            item=(items[0] + "".join(f"({i})" for i in items[1:])) if items else None,
        )

    def division_tree(self) -> list[dict[str, Any]]:
        """Divisions nested as the text nests them, each with its articles' citations."""
        nodes = [dict(d.to_json(), children=[], articles=[]) for d in self.divisions]
        for article in self.articles:
            if article.division is not None:
                nodes[article.division]["articles"].append(article.citation)
        roots: list[dict[str, Any]] = []
        for division, node in zip(self.divisions, nodes, strict=True):
            (nodes[division.parent]["children"] if division.parent is not None else roots).append(node)
        return roots

    def to_json(self) -> dict[str, Any]:
        return {
            "preamble": (
                {"start": self.preamble[0], "end": self.preamble[1], "page": self.preamble[2] + 1}
                if self.preamble
                else None
            ),
            "divisions": self.division_tree(),
            "articles": [a.to_json() for a in self.articles if a.kind != "annex"],
            "annexes": [a.to_json() for a in self.articles if a.kind == "annex"],
            "closing": (
                {"start": self.closing[0], "end": self.closing[1], "page": self.closing[2] + 1}
                if self.closing
                else None
            ),
        }
