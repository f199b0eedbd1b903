"""Comparing two versions of a treaty article by article: what ``reviewer diff`` shows.

What lawyers otherwise do with Word's Compare or Acrobat's Compare Files, on the structure a
citation names: each article of the new version is matched to its predecessor (by the words
that survive into it, through the same whole-text alignment a carry uses, so a renumbered
article still finds its predecessor), then by likeness of wording for an article moved out
of the alignment's order; the rest were inserted or deleted. A matched pair whose words
(its heading's number aside) are the same is ``unchanged``; otherwise ``modified``, with a
word diff.
"""

from __future__ import annotations

import html
import re
from bisect import bisect_right
from dataclasses import dataclass, field
from typing import Any

from rapidfuzz import fuzz

from reviewer.core.alignment import Tokens, align
from reviewer.core.pdf import PdfDocument
from reviewer.core.structure import detect_structure, structure_of
from reviewer.core.structure_model import ArticleUnit, DocumentStructure
from reviewer.core.textflow import TextFlow
from reviewer.core.wording import DiffSegment, word_diff

UNCHANGED, MODIFIED, INSERTED, DELETED = "unchanged", "modified", "inserted", "deleted"
HEADING_RE = re.compile(
    r"^\s*(?:Article|ARTICLE|Art\.|ART\.|Section|SECTION|Sec\.|SEC\.|\u00a7)\s*[\dIVXLCDM]+[A-Za-z]{0,6}\.?\s*"
)
SURVIVING_SHARE = 0.3  # of the smaller article's words, to call one the other's successor
MOVED_LIKENESS = 80.0  # rapidfuzz ratio of wording for an article moved out of order


@dataclass
class ArticleComparison:
    old: str | None  # "Art. 13"
    new: str | None
    change: str  # unchanged | modified | inserted | deleted
    title: str
    diff: list[DiffSegment] = field(default_factory=list)
    old_page: int | None = None  # 0-based
    new_page: int | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "old": self.old,
            "new": self.new,
            "change": self.change,
            "title": self.title,
            "diff": [list(segment) for segment in self.diff],
            "old_page": None if self.old_page is None else self.old_page + 1,
            "new_page": None if self.new_page is None else self.new_page + 1,
        }


@dataclass
class VersionComparison:
    old_title: str
    new_title: str
    articles: list[ArticleComparison]

    @property
    def counts(self) -> dict[str, int]:
        return {
            c: sum(1 for a in self.articles if a.change == c)
            for c in (UNCHANGED, MODIFIED, INSERTED, DELETED)
        }

    def to_json(self) -> dict[str, Any]:
        return {
            "old": self.old_title,
            "new": self.new_title,
            "counts": self.counts,
            "articles": [a.to_json() for a in self.articles],
        }


def _body(text: str, title: str) -> str:
    """An article's words without its heading (renumbering is not a change)."""
    body = HEADING_RE.sub("", text, count=1).strip()
    if title and body.startswith(title):
        body = body[len(title) :].strip()
    return body


def _structure(pdf: PdfDocument, flow: TextFlow) -> DocumentStructure:
    """The document's cached structure when its full text flow is open, else parsed here."""
    return structure_of(pdf) if pdf.has_flow() else detect_structure(flow)


def compare_versions(old_pdf: PdfDocument, new_pdf: PdfDocument) -> VersionComparison:
    old_flow, new_flow = old_pdf.reading_flow(), new_pdf.reading_flow()
    old_articles = _structure(old_pdf, old_flow).articles
    new_articles = _structure(new_pdf, new_flow).articles
    alignment = align(old_flow.key, new_flow.key)
    new_starts = [a.start for a in new_articles]

    def new_article_of(offset: int) -> int | None:
        index = bisect_right(new_starts, offset) - 1
        return index if index >= 0 and offset < new_articles[index].end else None

    def size(article: ArticleUnit, tokens: Tokens) -> int:
        i, j = tokens.covering(article.start, article.end)
        return max(1, int(j - i))

    votes: dict[tuple[int, int], int] = {}
    for oi, article in enumerate(old_articles):
        i, j = alignment.old.covering(article.start, article.end)
        for k in range(i, j):
            n = alignment.old_to_new[k]
            if n >= 0:
                ni = new_article_of(alignment.new.starts[n])
                if ni is not None:
                    votes[(oi, ni)] = votes.get((oi, ni), 0) + 1
    match_old: dict[int, int] = {}
    match_new: dict[int, int] = {}
    for (oi, ni), count in sorted(votes.items(), key=lambda item: -item[1]):
        if oi in match_old or ni in match_new:
            continue
        smaller = min(size(old_articles[oi], alignment.old), size(new_articles[ni], alignment.new))
        if count >= SURVIVING_SHARE * smaller:
            match_old[oi], match_new[ni] = ni, oi
    # Moved out of the alignment's order: matched by likeness of wording.
    old_text = [_body(old_flow.key[a.start : a.end], a.title) for a in old_articles]
    new_text = [_body(new_flow.key[a.start : a.end], a.title) for a in new_articles]
    loose_new = [ni for ni in range(len(new_articles)) if ni not in match_new]
    for oi in range(len(old_articles)):
        if oi in match_old or not loose_new:
            continue
        best = max(loose_new, key=lambda ni: fuzz.ratio(old_text[oi], new_text[ni]))
        if fuzz.ratio(old_text[oi], new_text[best]) >= MOVED_LIKENESS:
            match_old[oi], match_new[best] = best, oi
            loose_new.remove(best)

    entries: list[tuple[float, ArticleComparison]] = []
    for ni, article in enumerate(new_articles):
        matched = match_new.get(ni)
        if matched is None:
            entries.append(
                (
                    ni,
                    ArticleComparison(
                        None,
                        article.citation,
                        INSERTED,
                        article.title,
                        [("+", new_text[ni])],
                        None,
                        article.page,
                    ),
                )
            )
            continue
        old = old_articles[matched]
        before, after = old_text[matched], new_text[ni]
        if old.title != article.title:  # a new title is a change too: show it
            before, after = f"{old.title}: {before}", f"{article.title}: {after}"
        same = before == after
        entries.append(
            (
                ni,
                ArticleComparison(
                    old.citation,
                    article.citation,
                    UNCHANGED if same else MODIFIED,
                    article.title or old.title,
                    [] if same else word_diff(before, after),
                    old.page,
                    article.page,
                ),
            )
        )
    last_new = -1.0
    for oi, old in enumerate(old_articles):
        if oi in match_old:
            last_new = float(match_old[oi])
            continue
        entries.append(
            (
                last_new + 0.5,
                ArticleComparison(
                    old.citation, None, DELETED, old.title, [("-", old_text[oi])], old.page, None
                ),
            )
        )
    entries.sort(key=lambda e: e[0])
    return VersionComparison(old_pdf.info().title, new_pdf.info().title, [e[1] for e in entries])


# --- the redline -------------------------------------------------------------------------------
REDLINE_CSS = """
* { font-family: serif; font-size: 10.5pt; line-height: 1.35; }
h1 { font-size: 14pt; margin-bottom: 2pt; }
p.meta { font-size: 9pt; color: #555555; margin-top: 0; }
h2 { font-size: 11.5pt; margin-top: 12pt; margin-bottom: 2pt; }
span.tag { font-size: 9pt; color: #555555; font-weight: normal; }
p { text-align: left; margin-top: 0; margin-bottom: 4pt; }
del { color: #b00020; text-decoration: line-through; }
ins { color: #006b2e; text-decoration: underline; }
"""


def _segments_html(diff: list[DiffSegment]) -> str:
    out = []
    for index, (op, text) in enumerate(diff):
        escaped = html.escape(text, quote=False)
        if op == "+" and index and diff[index - 1][0] == "-":
            out.append(" ")  # "shall must" reads better than "shallmust"
        out.append(
            escaped if op == "=" else f"<del>{escaped}</del>" if op == "-" else f"<ins>{escaped}</ins>"
        )
    return "".join(out)


def redline_body(comparison: VersionComparison, *, include_unchanged: bool = False) -> str:
    """The redline as an HTML fragment: inserted words underlined green, deleted struck red."""
    counts = comparison.counts
    parts = [
        "<h1>Redline</h1>",
        f'<p class="meta">{html.escape(comparison.old_title)} &#8594; '
        f"{html.escape(comparison.new_title)}<br/>"
        f"{counts[MODIFIED]} modified, {counts[INSERTED]} inserted, {counts[DELETED]} deleted, "
        f"{counts[UNCHANGED]} unchanged articles</p>",
    ]
    for entry in comparison.articles:
        if entry.change == UNCHANGED and not include_unchanged:
            continue
        if entry.old and entry.new and entry.old != entry.new:
            name = f"{entry.new} (was {entry.old})"
        else:
            name = entry.new or entry.old or ""
        title = f" {html.escape(entry.title)}" if entry.title else ""
        parts.append(f'<h2>{html.escape(name)}{title} <span class="tag">[{entry.change}]</span></h2>')
        parts.append(f"<p>{_segments_html(entry.diff)}</p>" if entry.diff else "<p>(no change)</p>")
    return "\n".join(parts)


def redline_html(comparison: VersionComparison) -> str:
    return (
        '<!DOCTYPE html>\n<html><head><meta charset="utf-8"><title>Redline</title>'
        f"<style>{REDLINE_CSS}</style></head><body>\n{redline_body(comparison)}\n</body></html>\n"
    )
