"""The outline sidebar's entries: the PDF's bookmarks, else the treaty's structure.

Structure detection (``reviewer.core.structure``) gives the divisions nested as the text nests
them (Chapter II > Section 1 > Title 1), the articles under them, and the annexes; where it finds
none (or is missing), headings are found with a regex on lines that start with
Part/Chapter/Section/Article.
No Qt here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from reviewer.core.plain_text import display_text
from reviewer.core.textflow import TextFlow

if TYPE_CHECKING:
    from reviewer.core.pdf import PdfDocument  # MuPDF only once a document is open

HEADING = re.compile(
    r"^\s*(?P<kind>PART|Part|TITLE|Title|CHAPTER|Chapter|SECTION|Section|ARTICLE|Article)\s+"
    r"(?P<num>[0-9]+[A-Za-z]?|[IVXLC]+)\b\.?(?P<rest>.*)$"
)
LEVELS = {"part": 1, "title": 1, "chapter": 1, "section": 2, "article": 2}
MAX_ENTRIES = 3000


@dataclass(frozen=True)
class OutlineEntry:
    level: int
    title: str
    page: int
    y: float = 0.0  # unrotated page y of the heading, when known
    offset: int | None = None  # text-flow offset of the heading, when known


def bookmarks(document: PdfDocument) -> list[OutlineEntry]:
    return [
        OutlineEntry(max(1, level), title.strip() or "(untitled)", page)
        for level, title, page in document.outline()
    ]


def structure_outline(
    document: PdfDocument, flow: TextFlow, *, provisional: bool = False
) -> list[OutlineEntry] | None:
    """Chapters and articles from ``reviewer.core.structure`` when that module exists.

    Runs off the GUI thread; it also fills the structure cache that citations use later.
    ``provisional``: ``flow`` holds only the first pages read so far; their structure alone,
    not cached (the document's would read its whole text).
    """
    try:
        from reviewer.core import structure
    except ImportError:
        return None
    try:
        found: Any = structure.detect_structure(flow) if provisional else structure.structure_of(document)
    except Exception:
        return None
    entries: list[OutlineEntry] = []
    divisions = list(getattr(found, "divisions", []))
    articles = list(getattr(found, "articles", []))
    if not articles and not divisions:
        return None
    # Divisions nest as the text nests them (Chapter II > Section 1 > Title 1 > Art. 2);
    # annexes stand at the top level after the articles.
    for division in divisions:
        entries.append(_division_entry(division, getattr(division, "depth", 0) + 1))
    for article in articles:
        division = divisions[article.division] if article.division is not None else None
        level = getattr(division, "depth", 0) + 2 if division is not None else 1
        # "Annex I", "Appendix"; "Article 12", "Section 1001"
        name = article.citation if article.kind == "annex" else f"{str(article.kind).title()} {article.label}"
        title = f"{name} — {article.title}" if article.title else name
        entries.append(
            OutlineEntry(level, display_text(title, max_length=200), article.page, offset=article.start)
        )
    entries.sort(key=lambda e: e.offset if e.offset is not None else 0)
    return entries[:MAX_ENTRIES]


def _division_entry(division: Any, level: int = 1) -> OutlineEntry:
    name = f"{str(division.kind).title()} {division.label}"  # "Chapter II"
    title = f"{name} — {division.title}" if division.title else name
    return OutlineEntry(level, display_text(title, max_length=200), division.page, offset=division.start)


def headings_from_text(flow: TextFlow) -> list[OutlineEntry]:
    """Lines that read like 'Chapter II' or 'Article 12' (with the title on the next line)."""
    entries: list[OutlineEntry] = []
    for page in flow.pages:
        lines = page.lines
        for li, line in enumerate(lines):
            if (page.number, li) in flow.furniture:
                continue
            text = " ".join(line.chars.split())
            match = HEADING.match(text)
            if not match or len(text) > 90:
                continue
            kind = match.group("kind").lower()
            title = text
            if not match.group("rest").strip() and li + 1 < len(lines):
                following = " ".join(lines[li + 1].chars.split())
                if following and len(following) < 80 and not HEADING.match(following):
                    title = f"{text} — {following}"
            entries.append(
                OutlineEntry(LEVELS[kind], display_text(title, max_length=200), page.number, line.bbox[1])
            )
            if len(entries) >= MAX_ENTRIES:
                return entries
    levels = sorted({e.level for e in entries})
    if levels and levels[0] != 1:  # only articles: show them at the top level
        entries = [OutlineEntry(e.level - levels[0] + 1, e.title, e.page, e.y) for e in entries]
    return entries
