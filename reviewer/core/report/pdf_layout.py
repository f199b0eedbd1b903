# PyMuPDF's functions carry no type annotations; everything else here is checked strictly.
# mypy: disable-error-code="no-untyped-call"
"""PDF layout of the report with PyMuPDF's Story (HTML + CSS), the only report module that
imports pymupdf.

Each section (cover, summary, contents, annotations, appendix pages) starts on a new page, so
a section's layout does not depend on the others. Pass one places every section without
drawing and records on which page each heading lands; pass two draws with the real page
numbers in the table of contents and the running header and footer ("N of M"). If the
contents section came out longer in pass two the passes repeat, so the numbers printed are
always where the headings are.

Fonts: MuPDF embeds the fonts Story uses and falls back to its built-in Noto / Droid fonts
for Cyrillic, Hebrew, Chinese and other scripts; Arabic is set in DejaVu Sans found on the
system, and the ToUnicode maps give its shaped letters back as typed (see ``fonts``); the
fonts are subset before saving.
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable, Collection
from dataclasses import dataclass, field
from typing import Any

import pymupdf

from reviewer.core.errors import ReviewerError
from reviewer.core.geometry import PageGeometry
from reviewer.core.pdf import PdfDocument
from reviewer.core.report.comparison import (
    COMPARISON_CSS,
    ComparisonReport,
    comparison_blocks,
    paragraphs_html,
)
from reviewer.core.report.content import ReportContent, safe_color
from reviewer.core.report.fonts import arabic_font_faces, font_face_css, typed_letters_cmap, wrap_arabic
from reviewer.core.report.html_render import (
    annotation_parts,
    chart_items,
    cover_html,
    esc,
    matrix_html,
    summary_html,
)
from reviewer.core.report.ligature_text import one_letter_per_glyph

MAX_SECTION_PAGES = 20_000
MIN_CONTINUE_ROOM = 36.0  # less room left than that (points): a continuing section starts a new page
# ... and one that opens with a heading: the heading, its count line and a few lines of the
# first entry (MuPDF's story ignores page-break-after: avoid; a heading alone at the foot of
# a page, its entries overleaf, is what this avoids)
MIN_CONTINUE_ROOM_HEADING = 110.0
MATRIX_ROWS_PER_PAGE = 24
MARGIN = 56.0  # points; header and footer live in the top and bottom margins
APPENDIX_ZOOM_DPI = 110.0
MARKER_RGB = (0.12, 0.23, 0.37)

STORY_CSS = """
* {font-family: sans-serif;}
body {font-size: 9.5pt; line-height: 1.3; color: #222222;}
h1 {font-size: 17pt; color: #1F3A5F; margin: 0 0 8pt 0; border-bottom: 1.5pt solid #1F3A5F;}
h2 {font-size: 12.5pt; color: #1F3A5F; margin: 14pt 0 2pt 0;}
h3 {font-size: 10.5pt; color: #333333; margin: 10pt 0 4pt 0;}
p {margin: 0 0 3pt 0;}
.kicker {font-size: 10pt; color: #667788; margin-top: 120pt; letter-spacing: 2pt;}
.title {font-size: 26pt; border: none; margin-bottom: 6pt;}
.subtitle {font-size: 13pt; color: #333333; margin-bottom: 30pt;}
.facts td {padding: 3pt 10pt 3pt 0; vertical-align: top; font-size: 10pt;}
.facts .k {color: #667788; width: 90pt;}
.mono {font-family: monospace; font-size: 8pt;}
table {border-collapse: collapse;}
.chart td {padding: 1.5pt 4pt; font-size: 9pt;}
.lab {width: 150pt;}
.n {text-align: right;}
.matrix td, .matrix th {border: 0.5pt solid #C8CCD8; padding: 1.5pt 2.5pt; font-size: 7.5pt;}
.matrix .art {width: 150pt; text-align: left;}
.tagcol {font-size: 6.5pt; font-weight: normal;}
.flag {color: #B00020; font-weight: bold;}
.note {background-color: #FFF6E5; padding: 3pt; font-size: 9pt;}
.entry {border-top: 0.5pt solid #D5D9E3; padding-top: 3pt; margin-top: 4pt;}
.place {font-weight: bold; font-size: 9.5pt;}
.num {color: #1F3A5F;}
.page {font-weight: normal; color: #667788;}
.quote {border-left: 2.5pt solid #1F3A5F; background-color: #F1F4F8; padding: 3pt 6pt;
        font-style: italic; margin: 2pt 0 3pt 0;}
.chip {font-size: 8pt;}
.meta {color: #667788; font-size: 8pt;}
.reply {margin-left: 16pt; font-size: 8.5pt;}
.comment p, .reply p {margin: 2pt 0;}
.link {color: #556677;}
code {font-family: monospace;}
.groupcount {color: #667788; font-size: 8pt;}
.toc td {padding: 2pt 3pt; border-bottom: 0.3pt dotted #B0B8C8;}
.t1 {font-weight: bold; font-size: 10pt;}
.t2 {padding-left: 16pt; font-size: 9.5pt;}
.pn {text-align: right; color: #1F3A5F;}
.caption {font-size: 8.5pt; color: #444444;}
"""

HEADER_CSS = "* {font-family: sans-serif; font-size: 7.5pt; color: #667788;} p {margin: 0;}"


@dataclass
class Section:
    """One part of the report that starts on a new page."""

    key: str
    html: Callable[[dict[str, int]], str]  # built from the heading pages known so far
    header: bool = True
    appendix_page: int | None = None  # the treaty page this appendix section shows
    # Goes on below the previous section on its last page instead of on a new page: the
    # annotations are laid out as many small stories, since MuPDF's story walks all of a
    # story's boxes for every page it places (10,000 entries in one story: quadratic).
    continues: bool = False


@dataclass
class Placed:
    pdf: bytes
    page_count: int
    heading_pages: dict[str, int]
    section_pages: dict[str, tuple[int, int]]  # first page, page count (1-based)
    image_slots: dict[int, tuple[int, tuple[float, float, float, float]]] = field(default_factory=dict)


def paper_rect(paper: str) -> pymupdf.Rect:
    return pymupdf.paper_rect(paper)


def bar_archive(content: ReportContent) -> tuple[pymupdf.Archive, dict[str, str]]:
    """One tiny image per colour: MuPDF's HTML draws images reliably where CSS boxes vary."""
    archive = pymupdf.Archive()
    names: dict[str, str] = {}
    tags, statuses = chart_items(content)
    for _, color, _ in tags + statuses:
        if color in names:
            continue
        pix = pymupdf.Pixmap(pymupdf.csRGB, pymupdf.IRect(0, 0, 2, 2), False)
        pix.set_rect(pix.irect, tuple(int(color[i : i + 2], 16) for i in (1, 3, 5)))
        name = f"bar{len(names)}.png"
        archive.add(pix.tobytes("png"), name)
        names[color] = name
    return archive, names


def toc_html(content: ReportContent, pages: dict[str, int], with_appendix: bool, width: float) -> str:
    def row(cls: str, text: str, key: str) -> str:
        number = pages.get(key)
        return (
            f'<tr><td class="{cls}" style="width:{width - 80:.0f}pt">{esc(text)}</td>'
            f'<td class="pn" style="width:36pt">{number if number else "000"}</td></tr>'
        )

    rows = [row("t1", "Summary", "summary"), row("t1", "Annotations", "annotations")]
    rows += [row("t2", g.heading, g.anchor) for g in content.groups]
    if with_appendix and content.annotated_pages:
        rows.append(row("t1", "Appendix: annotated pages", "appendix"))
    return '<h1 id="contents">Contents</h1><table class="toc">' + "\n".join(rows) + "</table>"


def build_sections(
    content: ReportContent,
    bars: dict[str, str],
    with_appendix: bool,
    page_label: Callable[[int], str],
    width: float,
) -> list[Section]:
    sections = [
        Section("cover", _fixed(cover_html(content)), header=False),
        Section("summary", _fixed(summary_html(content, bars, table_width=width))),
    ]
    for start in range(0, len(content.matrix), MATRIX_ROWS_PER_PAGE):
        rows = slice(start, start + MATRIX_ROWS_PER_PAGE)
        matrix = matrix_html(content, width, rows, heading=start == 0)
        sections.append(Section(f"matrix-{start}", _fixed(matrix)))
    sections.append(Section("contents", lambda p: toc_html(content, p, with_appendix, width)))
    heading = '<h1 id="annotations">Annotations</h1>\n'
    body = annotation_parts(heading, content.groups, "<p>No annotations match.</p>")
    sections += [
        Section(f"body-{i}" if i else "body", _fixed(html), continues=i > 0) for i, html in enumerate(body)
    ]
    if with_appendix:
        for i, page in enumerate(content.annotated_pages):
            numbers = ", ".join(f"#{e.number}" for e in content.entries_on_page(page))
            heading = '<h1 id="appendix">Appendix: annotated pages</h1>' if i == 0 else ""
            html = (
                f'{heading}<h2 id="pg{page}">Page {esc(page_label(page))}</h2>'
                f'<p class="caption">Highlights with the numbers of their entries: {numbers}</p>'
            )
            sections.append(Section(f"page-{page}", _fixed(html), appendix_page=page))
    return sections


def _fixed(html: str) -> Callable[[dict[str, int]], str]:
    """A section whose HTML does not depend on where headings land."""
    return lambda _pages: html


def place_sections(
    sections: list[Section],
    *,
    paper: str,
    archive: pymupdf.Archive,
    known_pages: dict[str, int],
    total: int,
    header_text: str,
    draw: bool,
    progress: Callable[[float, str], None] | None = None,
    css: str = STORY_CSS,
) -> Placed:
    page_rect = paper_rect(paper)
    content_rect = page_rect + (MARGIN, MARGIN, -MARGIN, -MARGIN)
    buffer = io.BytesIO()
    writer = pymupdf.DocumentWriter(buffer) if draw else None
    heading_pages: dict[str, int] = {}
    section_pages: dict[str, tuple[int, int]] = {}
    slots: dict[int, tuple[int, tuple[float, float, float, float]]] = {}
    page_no = 0
    device: Any = None
    page_open = False  # the current page takes more (a continuing section goes on below)
    page_header = True
    bottom = content_rect.y0  # where the last placed part of the current page ends

    def record(position: Any) -> None:
        if position.id and position.id not in heading_pages:
            heading_pages[position.id] = page_no

    def close_page() -> None:
        nonlocal page_open
        if page_open and writer is not None and device is not None:
            _draw_running_text(device, page_rect, page_no, total, header_text if page_header else "", archive)
            writer.end_page()
        page_open = False

    for index, section in enumerate(sections):
        html = section.html(known_pages)
        story = _story(html, css, archive)
        room = MIN_CONTINUE_ROOM_HEADING if _HEADING_FIRST.match(html) else MIN_CONTINUE_ROOM
        if not (section.continues and page_open and bottom + room < content_rect.y1):
            close_page()
        first = page_no if page_open else page_no + 1
        more = 1
        overlaps = _continuation_overlaps(html, css, archive) if section.continues else (0.0, 0.0)
        while more:
            if page_open:  # below the previous section
                where = pymupdf.Rect(content_rect.x0, bottom - overlaps[0], content_rect.x1, content_rect.y1)
            else:
                page_no += 1
                device = writer.begin_page(page_rect) if writer else None
                page_open, page_header = True, section.header
                # a continuing section's first page starts as a page break within one story does
                top = content_rect.y0 - (overlaps[1] if page_no == first else 0.0)
                where = pymupdf.Rect(content_rect.x0, top, content_rect.x1, content_rect.y1)
                overlaps = (0.0, 0.0)
            more, placed_rect = story.place(where)
            filled = pymupdf.Rect(placed_rect)
            if more and page_no - first > MAX_SECTION_PAGES:
                raise ReviewerError(f"report section {section.key!r} does not fit on pages (layout stopped)")
            story.element_positions(record)
            bottom = filled.y1 if filled.y1 > where.y0 else where.y0
            if section.appendix_page is not None:
                top = bottom + 6 if bottom > content_rect.y0 else bottom
                slot = (content_rect.x0, top, content_rect.x1, content_rect.y1)
                slots[section.appendix_page] = (page_no, slot)
            story.draw(device)  # also without a device: drawing is what moves the story on
            if more:
                close_page()
        section_pages[section.key] = (first, page_no - first + 1)
        if progress:
            progress((index + 1) / len(sections), "laying out" if not draw else "drawing")
    close_page()
    if writer is not None:
        writer.close()
    return Placed(buffer.getvalue(), page_no, heading_pages, section_pages, slots)


_HEADING_FIRST = re.compile(r"\s*<h[1-6][\s>]")
_FIRST_TAG = re.compile(r"\s*<(\w+)([^>]*)>")
_ID_ATTRIBUTE = re.compile(r'\s+id="[^"]*"')
_overlaps: dict[tuple[str, str], tuple[float, float]] = {}


def _continuation_overlaps(html: str, css: str, archive: pymupdf.Archive) -> tuple[float, float]:
    """How far above where it would start by itself a continuing story is placed, so that its
    first element stands where it would have in one story: (below the previous story on the
    same page, at the top of a new page). A story's filled rectangle ends below its last box
    (the body's margin) and its first box starts below the top (the body's margin and its
    own), which one story collapses between two boxes and drops at a page break. Measured
    with MuPDF on probe entries, once per kind of first element."""
    match = _FIRST_TAG.match(html)
    opening = (match.group(1), _ID_ATTRIBUTE.sub("", match.group(2))) if match else ("p", "")
    key = (css, f"{opening[0]}{opening[1]}")
    if key not in _overlaps:
        before = '<div class="entry" id="probe-a"><p class="meta">x</p></div>'
        after = f'<{opening[0]}{opening[1]} id="probe-b">x</{opening[0]}>'
        rect = pymupdf.Rect(0, 100, 400, 700)

        def boxes(probe: str, first: pymupdf.Rect = rect) -> tuple[float, dict[str, Any]]:
            story = _story(probe, css, archive)
            found: dict[str, Any] = {}
            more, filled = story.place(first)
            story.element_positions(lambda p: found.setdefault(p.id, p.rect) if p.id else None)
            story.draw(None)
            if more:  # the rest on a next page
                story.place(rect)
                story.element_positions(lambda p: found.setdefault(p.id, p.rect) if p.id else None)
            return pymupdf.Rect(filled).y1, found

        end, alone_before = boxes(before)
        _, alone_after = boxes(after)
        _, both = boxes(before + after)
        _, broken = boxes(before + after, pymupdf.Rect(0, 100, 400, end))
        below_last = end - alone_before["probe-a"][3]
        above_first = alone_after["probe-b"][1] - rect.y0
        same_page = below_last + above_first - (both["probe-b"][1] - both["probe-a"][3])
        new_page = above_first - (broken["probe-b"][1] - rect.y0)
        _overlaps[key] = (max(0.0, same_page), max(0.0, new_page))
    return _overlaps[key]


def _script_fonts(archive: pymupdf.Archive) -> str:
    """Adds the Arabic font faces to ``archive`` (once); their CSS, or "" when none is found
    (MuPDF's built-in fallback then sets Arabic, with a lossy text layer)."""
    faces = arabic_font_faces()
    if not faces:
        return ""
    if not getattr(archive, "_rv_fonts", False):
        for face in faces:
            archive.add(face.path.read_bytes(), face.name)
        archive._rv_fonts = True  # type: ignore[attr-defined]
    return font_face_css(faces)


def _story(html: str, css: str, archive: pymupdf.Archive) -> pymupdf.Story:
    fonts = _script_fonts(archive)
    if fonts:
        return pymupdf.Story(html=wrap_arabic(html), user_css=fonts + css, archive=archive)
    return pymupdf.Story(html=html, user_css=css, archive=archive)


def _text_layer_as_typed(doc: pymupdf.Document) -> None:
    """Every font's ToUnicode map gives letters as typed, not as presentation forms (Arabic
    forms, Latin ligatures)."""
    for xref in range(1, doc.xref_length()):
        if doc.xref_get_key(xref, "Type") != ("name", "/Font"):
            continue
        kind, value = doc.xref_get_key(xref, "ToUnicode")
        if kind != "xref":
            continue
        cmap_xref = int(value.split()[0])
        fixed = typed_letters_cmap(doc.xref_stream(cmap_xref).decode("latin-1"))
        if fixed is not None:
            doc.update_stream(cmap_xref, fixed.encode("latin-1"))


def _draw_running_text(
    device: Any, page_rect: pymupdf.Rect, page_no: int, total: int, header: str, archive: pymupdf.Archive
) -> None:
    if header:
        top = _story(f"<p>{esc(header)}</p>", HEADER_CSS, archive)
        top.place(pymupdf.Rect(MARGIN, 24, page_rect.x1 - MARGIN, MARGIN - 8))
        top.draw(device)
    footer = pymupdf.Story(html=f'<p style="text-align:center">{page_no} of {total}</p>', user_css=HEADER_CSS)
    footer.place(pymupdf.Rect(MARGIN, page_rect.y1 - MARGIN + 18, page_rect.x1 - MARGIN, page_rect.y1 - 12))
    footer.draw(device)


def layout_report_pdf(
    content: ReportContent,
    *,
    paper: str,
    with_pages: bool,
    source: PdfDocument | None,
    page_label: Callable[[int], str],
    progress: Callable[[float, str], None] | None = None,
) -> bytes:
    """The finished report PDF as bytes (the caller writes it atomically)."""
    report = lambda f, m: progress(f, m) if progress else None  # noqa: E731
    archive, bars = bar_archive(content)
    with_appendix = with_pages and source is not None and bool(content.annotated_pages)
    width = paper_rect(paper).width - 2 * MARGIN - 8
    sections = build_sections(content, bars, with_appendix, page_label, width)
    header = f"{content.title} — {content.treaty_title}"
    if len(header) > 110:
        header = header[:107] + "…"
    known: dict[str, int] = {}
    placed = place_sections(
        sections,
        paper=paper,
        archive=archive,
        known_pages=known,
        total=0,
        header_text=header,
        draw=False,
        progress=lambda f, m: report(0.05 + 0.35 * f, "laying out pages"),
    )
    for _ in range(4):
        known = placed.heading_pages
        placed = place_sections(
            sections,
            paper=paper,
            archive=archive,
            known_pages=known,
            total=placed.page_count,
            header_text=header,
            draw=True,
            progress=lambda f, m: report(0.4 + 0.35 * f, "drawing pages"),
        )
        if placed.heading_pages == known:
            break
    doc = pymupdf.open("pdf", placed.pdf)
    try:
        if with_appendix and source is not None:
            _draw_appendix(doc, content, placed, source, lambda f: report(0.75 + 0.2 * f, "page images"))
        _set_outline(doc, content, placed, with_appendix)
        doc.set_metadata({"title": content.title, "subject": content.treaty_title, "creator": "Reviewer"})
        doc.subset_fonts()
        _text_layer_as_typed(doc)
        one_letter_per_glyph(doc)
        report(0.97, "saving")
        return bytes(doc.tobytes(garbage=3, deflate=True))
    finally:
        doc.close()


def _set_outline(doc: pymupdf.Document, content: ReportContent, placed: Placed, with_appendix: bool) -> None:
    """PDF bookmarks mirror the contents, so viewers' sidebars navigate the report too."""
    pages = placed.heading_pages
    toc: list[list[Any]] = []
    for key, title, level in [
        ("summary", "Summary", 1),
        ("contents", "Contents", 1),
        ("annotations", "Annotations", 1),
    ]:
        if key in pages:
            toc.append([level, title, pages[key]])
    toc += [[2, g.heading, pages[g.anchor]] for g in content.groups if g.anchor in pages]
    if with_appendix and "appendix" in pages:
        toc.append([1, "Appendix: annotated pages", pages["appendix"]])
    if toc:
        doc.set_toc(toc)


def _draw_appendix(
    doc: pymupdf.Document,
    content: ReportContent,
    placed: Placed,
    source: PdfDocument,
    progress: Callable[[float], None],
) -> None:
    """Each annotated page as an image, with translucent highlights and numbered markers."""
    font = pymupdf.Font("helv")
    items = sorted(placed.image_slots.items())
    for done, (page_index, (report_page, slot)) in enumerate(items, start=1):
        geometry = source.geometry(page_index)
        slot_rect = pymupdf.Rect(slot)
        scale = min(slot_rect.width / geometry.width, slot_rect.height / geometry.height)
        width, height = geometry.width * scale, geometry.height * scale
        x0 = slot_rect.x0 + (slot_rect.width - width) / 2
        y0 = slot_rect.y0
        target = pymupdf.Rect(x0, y0, x0 + width, y0 + height)
        zoom = scale * APPENDIX_ZOOM_DPI / 72.0
        pix = source.raw[page_index].get_pixmap(matrix=pymupdf.Matrix(zoom, zoom), alpha=False, annots=False)
        page = doc[report_page - 1]
        page.insert_image(target, stream=pix.tobytes("jpeg", jpg_quality=82))
        page.draw_rect(target, color=(0.6, 0.6, 0.6), width=0.5)
        markers: list[pymupdf.Rect] = []
        writer = pymupdf.TextWriter(page.rect)
        shape = page.new_shape()  # one content stream update per page, not one per rectangle
        for entry in content.entries_on_page(page_index):
            a = entry.annotation
            page_geometry: PageGeometry = a.geometry.get(page_index) or geometry
            color = _rgb(safe_color(a.tags[0].color)) if a.tags else (1.0, 0.85, 0.1)
            rects = []
            for quad in a.quads:
                if quad.page != page_index:
                    continue
                vx0, vy0, vx1, vy1 = quad.view_rect(page_geometry)
                r = pymupdf.Rect(x0 + vx0 * scale, y0 + vy0 * scale, x0 + vx1 * scale, y0 + vy1 * scale)
                rects.append(r)
                shape.draw_rect(r)
                shape.finish(color=None, fill=color, fill_opacity=0.35)
            if not rects:
                continue
            marker = _marker_rect(rects[0], target, markers, font, str(entry.number))
            markers.append(marker)
            shape.draw_rect(marker)
            shape.finish(color=MARKER_RGB, fill=MARKER_RGB, width=0.3)
            writer.append((marker.x0 + 1.6, marker.y1 - 1.9), str(entry.number), font=font, fontsize=6)
        shape.commit(overlay=True)
        writer.write_text(page, color=(1, 1, 1))
        progress(done / len(items))


def _marker_rect(
    anchor: pymupdf.Rect,
    bounds: pymupdf.Rect,
    placed: list[pymupdf.Rect],
    font: pymupdf.Font,
    text: str,
) -> pymupdf.Rect:
    """A small numbered box in the page's left margin, level with the highlight's first line
    (like a margin note, so it hides no text); moved right when another box is there."""
    width = font.text_length(text, fontsize=6) + 3.2
    height = 7.5
    x = bounds.x0 + 2
    y = max(bounds.y0, (anchor.y0 + anchor.y1) / 2 - height / 2)
    rect = pymupdf.Rect(x, y, x + width, y + height)
    for _ in range(200):
        if not any(rect.intersects(other) for other in placed):
            break
        rect = rect + (width + 1, 0, width + 1, 0)
        if rect.x1 > bounds.x1:
            rect = pymupdf.Rect(x, rect.y0 + height + 1, x + width, rect.y1 + height + 1)
    return rect


def _rgb(hex_color: str) -> tuple[float, float, float]:
    return (
        int(hex_color[1:3], 16) / 255,
        int(hex_color[3:5], 16) / 255,
        int(hex_color[5:7], 16) / 255,
    )


def html_to_pdf(body: str, css: str, *, paper: str = "a4", footer: str = "") -> bytes:
    """Lay an HTML fragment out as a PDF (the redline of ``reviewer diff``) with the report's
    script fonts and text layer: Arabic set in DejaVu Sans, copied back as typed."""
    archive = pymupdf.Archive()
    story = _story(body, css, archive)
    page_rect = pymupdf.paper_rect(paper)
    buffer = io.BytesIO()
    writer = pymupdf.DocumentWriter(buffer)
    more = 1
    while more:
        device = writer.begin_page(page_rect)
        more, _ = story.place(page_rect + (56, 56, -56, -56))
        story.draw(device)
        writer.end_page()
    writer.close()
    doc = pymupdf.open("pdf", buffer.getvalue())
    try:
        total = doc.page_count
        for page in doc.pages():
            text = f"{footer}  Page {page.number + 1} of {total}".strip()
            page.insert_text(
                (56, page.rect.height - 30), text, fontname="helv", fontsize=8, color=(0.4, 0.4, 0.4)
            )
        doc.subset_fonts()
        _text_layer_as_typed(doc)
        one_letter_per_glyph(doc)
        return bytes(doc.tobytes(garbage=3, deflate=True))
    finally:
        doc.close()


# --- the comparison report of two treaties ------------------------------------------------
COMPARISON_MARGIN = 50.0
COLUMN_GAP = 14.0  # between the two columns
KEEP_WITH_NEXT = 70.0  # a row starting lower than this above the bottom starts a new page


def layout_comparison_pdf(report: ComparisonReport, paper: str = "a4") -> bytes:
    """The comparison report as a PDF in two columns: A's text on the left, B's on the right.

    MuPDF's Story lays out HTML tables without honouring column widths (a 50% column came out one
    word wide), so each column is a Story of its own, placed side by side: a row that does not
    fit continues on the next page in both columns, and the next row starts below the longer of
    the two. Full-width blocks (headings, comments, replies) span both columns.
    """
    page_rect = pymupdf.paper_rect(paper)
    content = page_rect + (COMPARISON_MARGIN, COMPARISON_MARGIN, -COMPARISON_MARGIN, -COMPARISON_MARGIN)
    middle = (content.x0 + content.x1) / 2
    archive = pymupdf.Archive()  # the script fonts, added once
    buffer = io.BytesIO()
    writer = pymupdf.DocumentWriter(buffer)
    device = writer.begin_page(page_rect)
    y = content.y0

    def new_page() -> None:
        nonlocal device, y
        writer.end_page()
        device = writer.begin_page(page_rect)
        y = content.y0

    for block in comparison_blocks(report):
        if content.y1 - y < KEEP_WITH_NEXT:
            new_page()
        if block.right is None:
            columns = [
                (
                    _story(paragraphs_html(block.left), COMPARISON_CSS, archive),
                    content.x0,
                    content.x1,
                )
            ]
        else:
            columns = [
                (
                    _story(paragraphs_html(block.left), COMPARISON_CSS, archive),
                    content.x0,
                    middle - COLUMN_GAP / 2,
                ),
                (
                    _story(paragraphs_html(block.right), COMPARISON_CSS, archive),
                    middle + COLUMN_GAP / 2,
                    content.x1,
                ),
            ]
        pending = list(columns)
        while pending:
            bottom = y
            unfinished = []
            for story, x0, x1 in pending:
                more, filled = story.place(pymupdf.Rect(x0, y, x1, content.y1))
                story.draw(device)
                bottom = max(bottom, pymupdf.Rect(filled).y1)
                if more:
                    unfinished.append((story, x0, x1))
            if unfinished:
                new_page()
            else:
                y = bottom + 2
            pending = unfinished
    writer.end_page()
    writer.close()
    doc = pymupdf.open("pdf", buffer.getvalue())
    total = doc.page_count
    for page in doc.pages():
        footer = f"{report.title}  \u00b7  Page {page.number + 1} of {total}"
        page.insert_text(
            (MARGIN, page.rect.height - 28), footer, fontname="helv", fontsize=7.5, color=(0.4, 0.4, 0.4)
        )
    doc.set_metadata({"title": report.title, "creator": "Reviewer"})
    doc.subset_fonts()
    _text_layer_as_typed(doc)
    one_letter_per_glyph(doc)
    data = doc.tobytes(garbage=3, deflate=True)
    doc.close()
    return bytes(data)


def layout_sections_pdf(
    parts: list[tuple[str, str, bool]],
    *,
    paper: str,
    header: str,
    title: str,
    subject: str,
    extra_css: str = "",
    continuing: Collection[str] = (),
) -> bytes:
    """A PDF of HTML sections (key, HTML, running header or not), each from a new page (those
    whose keys are ``continuing`` go on below the one before), laid out like the report (two
    passes for the "N of M" footers): the memorandum uses it."""
    archive = pymupdf.Archive()
    sections = [
        Section(key, _fixed(html), header=with_header, continues=key in continuing)
        for key, html, with_header in parts
    ]
    header = header if len(header) <= 110 else header[:107] + "…"
    css = STORY_CSS + extra_css
    placed = place_sections(
        sections,
        paper=paper,
        archive=archive,
        known_pages={},
        total=0,
        header_text=header,
        draw=False,
        css=css,
    )
    placed = place_sections(
        sections,
        paper=paper,
        archive=archive,
        known_pages=placed.heading_pages,
        total=placed.page_count,
        header_text=header,
        draw=True,
        css=css,
    )
    doc = pymupdf.open("pdf", placed.pdf)
    try:
        doc.set_metadata({"title": title, "subject": subject, "creator": "Reviewer"})
        doc.subset_fonts()
        _text_layer_as_typed(doc)
        one_letter_per_glyph(doc)
        return bytes(doc.tobytes(garbage=3, deflate=True))
    finally:
        doc.close()
