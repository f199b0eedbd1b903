"""The outline sidebar's entries: the PDF's bookmarks, else the treaty's structure.

Structure detection (``reviewer.core.structure``) is another area's work; until it exists,
headings are found with a regex on the lines that start with Part/Chapter/Section/Article.
No Qt here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from reviewer.core.pdf import PdfDocument
from reviewer.core.textflow import TextFlow

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


def bookmarks(document: PdfDocument) -> list[OutlineEntry]:
    return [
        OutlineEntry(max(1, level), title.strip() or "(untitled)", page)
        for level, title, page in document.outline()
    ]


def structure_outline(document: PdfDocument, flow: TextFlow) -> list[OutlineEntry] | None:
    """Entries from ``reviewer.core.structure`` when that module exists and offers one."""
    try:
        from reviewer.core import structure  # type: ignore[attr-defined]
    except ImportError:
        return None
    make = getattr(structure, "outline", None)
    if not callable(make):
        return None
    try:
        raw: Any = make(document)
    except Exception:
        return None
    entries = []
    try:
        for item in raw:
            if isinstance(item, tuple):
                level, title, page = item[:3]
            else:
                level, title, page = item.level, item.title, item.page
            entries.append(OutlineEntry(int(level), str(title), int(page)))
    except Exception:
        return None
    return entries or None


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
            entries.append(OutlineEntry(LEVELS[kind], title, page.number, line.bbox[1]))
            if len(entries) >= MAX_ENTRIES:
                return entries
    levels = sorted({e.level for e in entries})
    if levels and levels[0] != 1:  # only articles: show them at the top level
        entries = [OutlineEntry(e.level - levels[0] + 1, e.title, e.page, e.y) for e in entries]
    return entries
