"""The comparison report of two treaties (``reviewer report A.pdf --compare B.pdf``): what a
committee reads beside both texts.

A summary (pairs by relation, A's articles without a counterpart, the pairs where B lacks a
safeguard), then each pair of the concordance with the two citations and titles side by side,
its relation and the passages linked between them, side by side, with their comments and
replies; then "Only in A" and "Only in B". The content is laid out once as *blocks*: a
full-width run of paragraphs, or two columns of them (A's and B's); each format renders the
blocks (HTML and DOCX as two-column tables, Markdown as a two-column table, the PDF in two
columns by ``pdf_layout.layout_comparison_pdf``).
"""

from __future__ import annotations

import html
import io
import re
from collections import Counter
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from reviewer.core.concordance import Comparison, Pair
from reviewer.core.model import Annotation
from reviewer.core.review_compare import comparison_of, links_between

if TYPE_CHECKING:
    from reviewer.core.pdf import PdfDocument
    from reviewer.core.review import Review

Paragraph = tuple[str, str]  # (style, text): h1 h2 meta cite title quote comment reply text flag


@dataclass
class Block:
    """Full width (``right`` None) or two columns, A's on the left."""

    left: list[Paragraph]
    right: list[Paragraph] | None = None


@dataclass
class LinkedPassages:
    id: str
    a_citation: str
    a_quote: str
    b_citation: str
    b_quote: str
    relation: str | None
    comment: str
    author: str
    status: str
    tags: list[str]
    replies: list[tuple[str, str]]  # (author, comment)


@dataclass
class PairSection:
    pair: Pair
    links: list[LinkedPassages] = field(default_factory=list)

    @property
    def safeguard_missing(self) -> bool:
        return self.pair.relation == "safeguard-missing" or any(
            link.relation == "safeguard-missing" for link in self.links
        )


@dataclass
class ComparisonReport:
    title: str
    a_title: str
    b_title: str
    generated: str
    pairs: list[PairSection]
    only_in_a: list[tuple[str, str]]  # (citation, title)
    only_in_b: list[tuple[str, str]]
    other_links: list[LinkedPassages]
    filters: list[str]

    def relation_counts(self) -> dict[str, int]:
        counts = Counter(
            p.pair.relation or ("not stated" if p.pair.confirmed else "suggested, not confirmed")
            for p in self.pairs
        )
        return dict(sorted(counts.items()))


_ARTICLE_OF = re.compile(r"^([^(,]+)")


def _article(citation: str | None) -> str:
    match = _ARTICLE_OF.match(citation or "")
    return match.group(1).strip() if match else ""


def _passages(link: Annotation) -> LinkedPassages:
    end = link.links[0]
    return LinkedPassages(
        link.id,
        link.citation or f"p. {link.page + 1}",
        link.quote,
        end.citation or f"p. {end.page + 1}",
        end.quote,
        end.relation,
        link.comment,
        link.author_name,
        link.status,
        link.tag_names,
        [(r.author_name, r.comment) for r in link.replies if not r.deleted],
    )


def comparison_report(
    review: Review,
    pdf_a: PdfDocument,
    pdf_b: PdfDocument,
    *,
    title: str | None = None,
    tags: tuple[str, ...] = (),
    authors: tuple[str, ...] = (),
    generated: str = "",
) -> ComparisonReport:
    comparison: Comparison = comparison_of(review, pdf_a, pdf_b)
    for name in tags:
        review.tag(name)  # an unknown tag is an error, not an empty report
    wanted_tags = {t.casefold() for t in tags}
    wanted_authors = {a.casefold() for a in authors}
    links = [
        link
        for link in links_between(review, comparison.a_document, comparison.b_document)
        if link.links
        and not link.private  # the comparison report goes to others
        and (not wanted_tags or wanted_tags & {t.casefold() for t in link.tag_names})
        and (not wanted_authors or link.author_name.casefold() in wanted_authors)
    ]
    sections = [PairSection(p) for p in comparison.pairs]
    by_articles = {(s.pair.a, s.pair.b): s for s in sections}
    other = []
    for link in sorted(links, key=lambda x: (x.page, x.text_start or 0, x.id)):
        passages = _passages(link)
        section = by_articles.get((_article(passages.a_citation), _article(passages.b_citation)))
        if section is None:
            other.append(passages)
        else:
            section.links.append(passages)
    a_titles = {p.a: p.a_title for p in comparison.pairs}
    b_titles = {p.b: p.b_title for p in comparison.pairs}
    from reviewer.core.review_compare import articles_of

    a_titles |= {x.citation: x.title for x in articles_of(pdf_a)}
    b_titles |= {x.citation: x.title for x in articles_of(pdf_b)}
    filters = []
    if tags:
        filters.append("tags: " + ", ".join(tags))
    if authors:
        filters.append("reviewers: " + ", ".join(authors))
    return ComparisonReport(
        (title or "").strip() or "Comparison report",
        comparison.a_title,
        comparison.b_title,
        generated,
        sections,
        [(c, a_titles.get(c, "")) for c in comparison.only_in_a],
        [(c, b_titles.get(c, "")) for c in comparison.only_in_b],
        other,
        filters,
    )


def _heading(citation: str, title: str) -> str:
    return f"{citation} \u2013 {title}" if title else citation


def _link_blocks(link: LinkedPassages) -> list[Block]:
    relation = f"{link.relation}" if link.relation else "linked"
    notes: list[Paragraph] = [("meta", f"{relation} \u00b7 {link.author} \u00b7 {link.status}")]
    if link.tags:
        notes.append(("meta", "tags: " + ", ".join(link.tags)))
    if link.comment:
        notes.append(("comment", link.comment))
    notes += [("reply", f"{author}: {comment}") for author, comment in link.replies]
    return [
        Block(
            [("cite", link.a_citation), ("quote", link.a_quote)],
            [("cite", link.b_citation), ("quote", link.b_quote)],
        ),
        Block(notes),
    ]


def comparison_blocks(report: ComparisonReport) -> list[Block]:
    a, b = report.a_title, report.b_title
    blocks = [
        Block([("h1", report.title), ("meta", f"{a} (A) compared with {b} (B)")]),
    ]
    if report.generated:
        blocks[0].left.append(("meta", f"Generated {report.generated}"))
    if report.filters:
        blocks[0].left.append(("meta", "Links shown: " + "; ".join(report.filters)))
    summary: list[Paragraph] = [("h2", "Summary")]
    summary.append(("text", f"{len(report.pairs)} pairs of articles in the concordance."))
    summary += [("text", f"{relation}: {count}") for relation, count in report.relation_counts().items()]
    summary.append(
        (
            "text",
            "Articles of A with no counterpart in B: "
            + (", ".join(c for c, _ in report.only_in_a) or "none"),
        )
    )
    missing = [s for s in report.pairs if s.safeguard_missing]
    summary.append(
        (
            "flag" if missing else "text",
            "Pairs where a safeguard is missing: "
            + (", ".join(f"{s.pair.a} / {s.pair.b}" for s in missing) or "none"),
        )
    )
    blocks.append(Block(summary))
    blocks.append(Block([("h2", "Article by article")]))
    blocks.append(Block([("colhead", f"A: {a}")], [("colhead", f"B: {b}")]))
    for section in report.pairs:
        p = section.pair
        state = "confirmed" if p.confirmed else f"suggested (score {p.score:.2f})"
        relation = p.relation or "relation not stated"
        links_note = f"{len(section.links)} link{'s' if len(section.links) != 1 else ''}"
        meta = (
            "flag" if section.safeguard_missing else "meta",
            f"{relation} \u00b7 {state} \u00b7 {links_note}",
        )
        blocks.append(Block([("h3", _heading(p.a, p.a_title)), meta], [("h3", _heading(p.b, p.b_title))]))
        for link in section.links:
            blocks += _link_blocks(link)
    if report.other_links:
        blocks.append(Block([("h2", "Links outside the concordance")]))
        for link in report.other_links:
            blocks += _link_blocks(link)
    blocks.append(Block([("h2", "Only in A")] + [("text", _heading(c, t)) for c, t in report.only_in_a]))
    if not report.only_in_a:
        blocks[-1].left.append(("text", "none"))
    blocks.append(Block([("h2", "Only in B")] + [("text", _heading(c, t)) for c, t in report.only_in_b]))
    if not report.only_in_b:
        blocks[-1].left.append(("text", "none"))
    return blocks


# --- HTML -------------------------------------------------------------------------------------
COMPARISON_CSS = """
* { font-family: sans-serif; }
body { font-size: 9.5pt; line-height: 1.3; color: #222222; }
h1 { font-size: 16pt; color: #1F3A5F; margin: 0 0 4pt 0; }
h2 { font-size: 12.5pt; color: #1F3A5F; margin: 12pt 0 3pt 0; }
h3 { font-size: 10.5pt; color: #222222; margin: 8pt 0 2pt 0; }
p { margin: 0 0 3pt 0; }
p.meta { font-size: 8.5pt; color: #556677; }
p.flag { font-size: 8.5pt; color: #B00020; font-weight: bold; }
p.cite { font-weight: bold; font-size: 9pt; margin-top: 4pt; }
p.colhead { font-weight: bold; color: #1F3A5F; border-bottom: 1pt solid #1F3A5F; }
p.quote { font-style: italic; background-color: #F1F4F8; border-left: 2.5pt solid #1F3A5F; padding: 2pt 5pt; }
p.comment { margin-left: 8pt; }
p.reply { margin-left: 20pt; font-size: 8.5pt; color: #333333; }
table.cols { width: 100%; border-collapse: collapse; table-layout: fixed; }
table.cols td { width: 50%; vertical-align: top; padding: 0 8pt 0 0; }
"""


def paragraphs_html(paragraphs: list[Paragraph]) -> str:
    out = []
    for style, text in paragraphs:
        escaped = html.escape(text, quote=False).replace("\n", "<br/>")
        if style in ("h1", "h2", "h3"):
            out.append(f"<{style}>{escaped}</{style}>")
        else:
            out.append(f'<p class="{style}">{escaped}</p>')
    return "".join(out)


def comparison_html(report: ComparisonReport) -> str:
    parts = []
    for block in comparison_blocks(report):
        if block.right is None:
            parts.append(paragraphs_html(block.left))
        else:
            parts.append(
                f'<table class="cols"><tr><td>{paragraphs_html(block.left)}</td>'
                f"<td>{paragraphs_html(block.right)}</td></tr></table>"
            )
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        f"<title>{html.escape(report.title)}</title><style>{COMPARISON_CSS}</style></head><body>\n"
        + "\n".join(parts)
        + "\n</body></html>\n"
    )


# --- Markdown ---------------------------------------------------------------------------------
def _md_inline(text: str) -> str:
    return re.sub(r"([\\`*_\[\]<>|#])", r"\\\1", text).replace("\n", " ")


def _md_cell(paragraphs: list[Paragraph]) -> str:
    shown = []
    for style, text in paragraphs:
        t = _md_inline(text)
        shown.append(
            f"**{t}**" if style in ("h3", "cite", "colhead") else f"*{t}*" if style == "quote" else t
        )
    return "<br>".join(shown)


def comparison_markdown(report: ComparisonReport) -> str:
    lines: list[str] = []
    for block in comparison_blocks(report):
        if block.right is not None:
            lines += [
                "",
                "| A | B |",
                "|---|---|",
                f"| {_md_cell(block.left)} | {_md_cell(block.right)} |",
                "",
            ]
            continue
        for style, text in block.left:
            t = _md_inline(text)
            if style == "h1":
                lines += [f"# {t}", ""]
            elif style == "h2":
                lines += ["", f"## {t}", ""]
            elif style == "quote":
                lines += [f"> {t}", ""]
            elif style == "reply":
                lines += [f"  - {t}"]
            elif style == "flag":
                lines += [f"**{t}**", ""]
            else:
                lines += [t, ""]
    return "\n".join(lines).strip() + "\n"


# --- DOCX -------------------------------------------------------------------------------------
def comparison_docx(report: ComparisonReport, paper: str = "a4") -> bytes:
    from docx import Document
    from docx.shared import Mm, Pt, RGBColor

    document = Document()
    section = document.sections[0]
    if paper == "letter":
        section.page_width, section.page_height = Mm(215.9), Mm(279.4)
    else:
        section.page_width, section.page_height = Mm(210), Mm(297)

    def add(container: Any, style: str, text: str) -> None:
        clean = "".join(ch for ch in text if ch in "\t\n" or ord(ch) >= 0x20)
        if style in ("h1", "h2", "h3") and container is document:
            document.add_heading(clean, level={"h1": 0, "h2": 1, "h3": 2}[style])
            return
        paragraph = container.add_paragraph()
        run = paragraph.add_run(clean)
        run.bold = style in ("h3", "cite", "colhead", "flag")
        run.italic = style == "quote"
        if style in ("meta", "reply"):
            run.font.size = Pt(8.5)
        if style == "flag":
            run.font.color.rgb = RGBColor(0xB0, 0x00, 0x20)

    for block in comparison_blocks(report):
        if block.right is None:
            for style, text in block.left:
                add(document, style, text)
            continue
        table = document.add_table(rows=1, cols=2)
        for cell, paragraphs in zip(table.rows[0].cells, (block.left, block.right), strict=True):
            cell.paragraphs[0].text = ""
            for style, text in paragraphs:
                add(cell, style, text)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
