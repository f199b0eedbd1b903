"""The report as a Word document for lawyers who edit it further.

Group headings use Word's "Heading 1"/"Heading 2" styles (the navigation pane lists them);
quoted passages use a "Report Quote" paragraph style (indented, italic, a rule on the left);
comments are normal paragraphs.
"""

from __future__ import annotations

import io
from typing import Any

from docx import Document
from docx.enum.style import WD_STYLE_TYPE
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor
from docx.text.paragraph import Paragraph

from reviewer.core import comment_markup
from reviewer.core.model import Annotation, Reply
from reviewer.core.report.content import (
    STATUS_LABELS,
    Entry,
    ReportContent,
    concern_count,
    edited_by,
    safe_color,
    short_date,
)

QUOTE_STYLE = "Report Quote"


class BodyAppender:
    """``document.add_paragraph`` in constant time. python-docx inserts each paragraph before
    the body's section properties, which it finds by scanning every child of the body: per
    paragraph, so a report's time grew with the square of its entries (2,500 -> 5,000
    annotations: 1.7 -> 4.4 s). The section properties are found once here."""

    def __init__(self, document: Any) -> None:
        self._container = document._body
        self._body = document.element.body
        self._section = self._body.find(qn("w:sectPr"))

    def add_paragraph(self, text: str = "", style: Any = None) -> Any:
        element = OxmlElement("w:p")
        if self._section is not None:
            self._section.addprevious(element)
        else:
            self._body.append(element)
        paragraph = Paragraph(element, self._container)
        if text:  # what BlockItemContainer.add_paragraph does
            paragraph.add_run(text)
        if style is not None:
            paragraph.style = style
        return paragraph


def _xml_safe(text: str) -> str:
    """XML 1.0 cannot hold most control characters; comments are plain text anyway."""
    return "".join(ch for ch in text if ch in "\t\n" or ord(ch) >= 0x20)


def _quote_style(document: Any) -> Any:
    style = document.styles.add_style(QUOTE_STYLE, WD_STYLE_TYPE.PARAGRAPH)
    style.base_style = document.styles["Normal"]
    style.font.italic = True
    style.font.color.rgb = RGBColor(0x33, 0x33, 0x44)
    fmt = style.paragraph_format
    fmt.left_indent = Pt(18)
    fmt.space_before = Pt(2)
    fmt.space_after = Pt(4)
    ppr = style.element.get_or_add_pPr()
    borders = OxmlElement("w:pBdr")
    left = OxmlElement("w:left")
    for key, value in (
        ("w:val", "single"),
        ("w:sz", "18"),
        ("w:space", "8"),
        ("w:color", "1F3A5F"),
    ):
        left.set(qn(key), value)
    borders.append(left)
    ppr.append(borders)
    shading = OxmlElement("w:shd")
    for key, value in (("w:val", "clear"), ("w:color", "auto"), ("w:fill", "F1F4F8")):
        shading.set(qn(key), value)
    ppr.append(shading)
    return style


def _shade_run(run: Any, hex_color: str) -> None:
    rpr = run._r.get_or_add_rPr()
    shading = OxmlElement("w:shd")
    for key, value in (("w:val", "clear"), ("w:color", "auto"), ("w:fill", hex_color[1:])):
        shading.set(qn(key), value)
    rpr.append(shading)


def _styled(document: Any, text: str, style: Any) -> Any:
    """A paragraph in ``style``, set by its id: python-docx's ``style=`` compares it with the
    default style by scanning every style, per paragraph (seconds for thousands of entries)."""
    paragraph = document.add_paragraph(text)
    paragraph._p.style = style.style_id
    return paragraph


def _entry(document: Any, entry: Entry, styles: dict[str, Any]) -> None:
    a = entry.annotation
    _styled(
        document,
        _xml_safe(f"#{entry.number} {entry.citation} · page {entry.page_label}"),
        styles["Heading 3"],
    )
    if a.quote:
        _styled(document, _xml_safe(f"\u201c{a.quote}\u201d"), styles[QUOTE_STYLE])
    if a.tags:
        paragraph = document.add_paragraph()
        for i, tag in enumerate(a.tags):
            if i:
                paragraph.add_run("  ")
            color = safe_color(tag.color)
            run = paragraph.add_run(_xml_safe(f"\u00a0{tag.name}\u00a0"))
            run.font.size = Pt(8.5)
            luminance = sum(w * int(color[j : j + 2], 16) for w, j in ((0.299, 1), (0.587, 3), (0.114, 5)))
            run.font.color.rgb = RGBColor(0, 0, 0) if luminance > 150 else RGBColor(0xFF, 0xFF, 0xFF)
            _shade_run(run, color)
    if a.comment:
        _add_comment(document, a.comment)
    meta = document.add_paragraph()
    run = meta.add_run(
        _xml_safe(
            f"{a.author_name} · {short_date(a.created)}{_edited(a)} · "
            f"Status: {STATUS_LABELS.get(a.status, a.status)}"
        )
    )
    run.font.size = Pt(8.5)
    run.font.color.rgb = RGBColor(0x66, 0x77, 0x88)
    for r in a.replies:
        paragraph = document.add_paragraph()
        paragraph.paragraph_format.left_indent = Pt(18)
        paragraph.add_run(_xml_safe(f"Reply — {r.author_name}")).bold = True
        paragraph.add_run(_xml_safe(f", {short_date(r.created)}{_edited(r)}: "))
        for n, line in enumerate(line for item in _reply_lines(r.comment) for line in item):
            if n:
                paragraph.add_run().add_break()
            _add_spans(paragraph, line)


# Paper sizes in millimetres (python-docx's blank document is US Letter).
PAPER_MM = {"a4": (210.0, 297.0), "letter": (215.9, 279.4)}


def report_docx(c: ReportContent, paper: str = "a4") -> bytes:
    document = Document()
    width, height = PAPER_MM[paper]
    for section in document.sections:
        section.page_width, section.page_height = Mm(width), Mm(height)
    _quote_style(document)
    document.core_properties.title = _xml_safe(c.title)[:250]
    document.core_properties.subject = _xml_safe(c.treaty_title)[:250]
    document.add_heading(_xml_safe(c.title), level=0)
    document.add_paragraph(_xml_safe(c.treaty_title))
    facts = [
        ("Document id", c.document_id),
        ("Reviewers", ", ".join(c.reviewers) or "—"),
        ("Dates", c.date_range),
        (
            "Counts",
            f"{len(c.entries)} annotations, {c.reply_count} replies, "
            f"{c.article_count} articles, {len(c.reviewers)} reviewers",
        ),
        ("Grouped by", c.group_by),
        ("Generated", c.generated),
    ]
    if c.filters:
        facts.append(("Filters", "; ".join(c.filters)))
    for key, value in facts:
        paragraph = document.add_paragraph()
        paragraph.add_run(f"{key}: ").bold = True
        paragraph.add_run(_xml_safe(value))
    document.add_heading("Summary", level=1)
    table = document.add_table(rows=1, cols=2)
    table.style = "Light Grid Accent 1"
    table.rows[0].cells[0].text, table.rows[0].cells[1].text = "Tag", "Annotations"
    for t, n in c.tag_counts:
        cells = table.add_row().cells
        cells[0].text, cells[1].text = _xml_safe(t.name), str(n)
    if c.untagged:
        cells = table.add_row().cells
        cells[0].text, cells[1].text = "(untagged)", str(c.untagged)
    document.add_paragraph()
    table = document.add_table(rows=1, cols=2)
    table.style = "Light Grid Accent 1"
    table.rows[0].cells[0].text, table.rows[0].cells[1].text = "Status", "Annotations"
    for s, n in c.status_counts:
        cells = table.add_row().cells
        cells[0].text, cells[1].text = STATUS_LABELS.get(s, s), str(n)
    if c.hotspots:
        document.add_paragraph(
            "Articles drawing the most “surveillance power” and “weak or missing safeguard” tags: "
            + _xml_safe("; ".join(f"{r.label} ({concern_count(r)})" for r in c.hotspots))
            + "."
        )
    flagged = [r.label for r in c.matrix if r.power_without_safeguard]
    if flagged:
        paragraph = document.add_paragraph()
        paragraph.add_run("⚑ A surveillance power with no safeguard tag").bold = True
        paragraph.add_run(_xml_safe(" in: " + "; ".join(flagged) + "."))
    if c.matrix and c.matrix_tags:
        document.add_heading("Articles × tags", level=2)
        table = document.add_table(rows=1, cols=len(c.matrix_tags) + 3)
        table.style = "Table Grid"
        header = table.rows[0].cells
        header[0].text = "Article"
        for i, t in enumerate(c.matrix_tags, start=1):
            header[i].text = _xml_safe(t.name)
        header[-2].text, header[-1].text = "All", "Flag"
        for r in c.matrix:
            cells = table.add_row().cells
            cells[0].text = _xml_safe(r.label)
            for i, t in enumerate(c.matrix_tags, start=1):
                cells[i].text = str(r.counts.get(t.name, 0) or "")
            cells[-2].text = str(r.total)
            cells[-1].text = "⚑ no safeguard" if r.power_without_safeguard else ""
    document.add_heading("Annotations", level=1)
    if not c.groups:
        document.add_paragraph("No annotations match.")
    # Style objects looked up once: python-docx finds a style by name with a linear search.
    styles = {name: document.styles[name] for name in ("Heading 2", "Heading 3", QUOTE_STYLE)}
    body = BodyAppender(document)
    for g in c.groups:
        _styled(body, _xml_safe(g.heading), styles["Heading 2"])
        for e in g.entries:
            _entry(body, e, styles)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _edited(item: Annotation | Reply) -> str:
    note = edited_by(item)
    return f" · {note}" if note else ""


def _add_spans(paragraph: Any, spans: comment_markup.Line) -> None:
    for span in spans:
        run = paragraph.add_run(_xml_safe(span.text))
        run.bold = span.bold or None
        run.italic = span.italic or None
        if span.code:
            run.font.name = "Courier New"
        if span.target is not None:
            run.font.color.rgb = RGBColor(0x55, 0x66, 0x77)


def _add_comment(document: Any, text: str) -> None:
    """The comment's Markdown as Word paragraphs: runs in bold and italics, list styles."""
    for block in comment_markup.parse(text):
        for index, item in enumerate(block.items):
            if block.kind == "bullets":
                paragraph = document.add_paragraph(style="List Bullet")
            else:
                paragraph = document.add_paragraph()
            if block.kind == "numbers":  # Word's List Number counts on across lists: write ours
                paragraph.paragraph_format.left_indent = Pt(18)
                paragraph.add_run(f"{block.start + index}. ")
            for n, line in enumerate(item):
                if n:
                    paragraph.add_run().add_break()
                _add_spans(paragraph, line)


def _reply_lines(text: str) -> list[list[comment_markup.Line]]:
    return [item for block in comment_markup.parse(text) for item in block.items]
