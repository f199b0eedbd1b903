"""The memorandum written out: HTML (standalone, and the sections the PDF layout flows),
Markdown and DOCX. Every string from the database is plain text and escaped for its format;
a proposal's wording is printed whole, as its proposer wrote it."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

from reviewer.core.atomic import refuse_to_overwrite, write_bytes_atomic, write_text_atomic
from reviewer.core.pdf import PdfDocument
from reviewer.core.report.content import Group, short_date
from reviewer.core.report.html_render import (
    PAGE_SIZES,
    STANDALONE_CSS,
    annotation_parts,
    direction,
    esc,
    esc_lines,
)
from reviewer.core.report.markdown_render import entry_markdown, md, md_block
from reviewer.core.report.memorandum import ArticleRow, Memorandum, build_memorandum, team_label
from reviewer.core.report.options import report_format
from reviewer.core.review import Review

MEMO_CSS = """
.memo td, .memo th {border: 0.5pt solid #C8CCD8; padding: 2pt 3pt; font-size: 8pt; vertical-align: top;
  text-align: left;}
.memo .art {width: 100pt;}
.memo .team {width: 135pt;}
.memo .who {width: 55pt;}
.divided {color: #B00020; font-weight: bold;}
.dissent {color: #B00020;}
.wording {border-left: 2.5pt solid #1F3A5F; background-color: #F1F4F8; padding: 3pt 6pt; margin: 2pt 0 8pt 0;}
.proposer {font-weight: bold; margin-top: 6pt;}
.recommendation {font-size: 11pt; background-color: #FFF6E5; padding: 4pt;}
"""


def _percent(memo: Memorandum) -> str:
    c = memo.coverage
    return f"{c.summary_line()} ({c.reviewed_share:.0%})"


def _team_html(row: ArticleRow) -> str:
    cls = ' class="divided"' if row.team.startswith("divided") else ""
    return f"<span{cls}>{esc(row.team)}</span>"


def _reviewers_html(row: ArticleRow) -> str:
    return esc(", ".join(row.coverage.reviewed_by)) or "—"


def _positions_html(row: ArticleRow) -> str:
    lines = []
    for p in row.coverage.positions:
        why = f" — {esc(p.rationale)}" if p.rationale else ""
        lines.append(f"<b>{esc(p.author)}</b>: {esc(p.stance)}{why}")
    if row.dissent:
        names = "; ".join(f"{esc(p.author)} ({esc(p.stance)})" for p in row.dissent)
        lines.append(f'<span class="dissent">Dissent: {names}</span>')
    return "<br/>".join(lines) or "—"


ANNEX_C_PART = "annex-c-"  # keys of Annex C's parts after its first


def html_sections(memo: Memorandum) -> list[tuple[str, str, bool]]:
    """(key, HTML, running header) of each part, each of which starts a new page in the PDF."""
    facts = [
        ("Treaty", esc(memo.treaty_title)),
        ("Document id", f'<span class="mono">{esc(memo.document_id)}</span>'),
        ("Reviewers", esc(", ".join(memo.reviewers)) or "—"),
        ("Coverage", esc(_percent(memo))),
        ("Generated", esc(memo.generated)),
    ]
    table = "\n".join(f'<tr><td class="k">{k}</td><td>{v}</td></tr>' for k, v in facts)
    cover = (
        '<div class="cover"><p class="kicker">Ratification memorandum</p>'
        f'<h1 class="title">{esc(memo.title)}</h1><p class="subtitle">{esc(memo.treaty_title)}</p>'
        f'<table class="facts">{table}</table></div>'
    )
    team = "".join(
        f"<tr><td>{esc(team_label(s))}</td><td class='n'>{n}</td></tr>" for s, n in memo.team_counts
    )
    each = "".join(f"<tr><td>{esc(s)}</td><td class='n'>{n}</td></tr>" for s, n in memo.stance_counts)
    powers = (
        "<ul>" + "".join(f"<li>{esc(label)}</li>" for label in memo.unsafeguarded) + "</ul>"
        if memo.unsafeguarded
        else "<p>None found among the annotations.</p>"
    )
    assignees = "".join(
        f"<li>{esc(name)}: {done} of {total} assigned articles reviewed</li>"
        for name, (done, total) in memo.coverage.by_assignee().items()
    )
    summary = (
        '<h1 id="summary">Executive summary</h1>'
        f'<h2>Recommendation</h2><p class="recommendation"{direction(memo.recommendation)}>'
        f"{esc(memo.recommendation)}</p>"
        "<h2>Positions</h2>"
        f'<table class="memo"><tr><th>The team\'s position</th><th>Articles</th></tr>{team}</table>'
        '<p></p><table class="memo"><tr><th>Positions taken by reviewers</th><th>Count</th></tr>'
        f"{each}</table>"
        f"<h2>Surveillance powers without a safeguard</h2>{powers}"
        f"<h2>Coverage</h2><p>{esc(_percent(memo))}</p>" + (f"<ul>{assignees}</ul>" if assignees else "")
    )
    rows = "\n".join(
        f'<tr><td class="art">{esc(r.heading)}</td><td class="team">{_team_html(r)}</td>'
        f'<td>{_positions_html(r)}</td><td class="who">{_reviewers_html(r)}</td></tr>'
        for r in memo.rows
    )
    articles = (
        '<h1 id="articles">Positions article by article</h1>'
        '<table class="memo"><tr><th class="art">Article</th><th class="team">Team position</th>'
        f'<th>Positions and rationales</th><th class="who">Reviewed by</th></tr>\n{rows}</table>'
    )
    annex_a = ['<h1 id="annex-a">Annex A — Proposed reservations and declarations</h1>']
    if not memo.proposals:
        annex_a.append("<p>No reservation or declaration has been proposed.</p>")
    for row, proposals in memo.proposals:
        annex_a.append(f"<h2>{esc(row.heading)}</h2>")
        if len(proposals) > 1:
            annex_a.append(f"<p>{len(proposals)} competing proposals.</p>")
        for p in proposals:
            wording = p.position.proposal or ""
            annex_a.append(
                f'<p class="proposer">Proposed {esc(p.kind)} by {esc(p.position.author)} '
                f"({short_date(p.position.modified)})</p>"
                f'<div class="wording"{direction(wording)}>{esc_lines(wording)}</div>'
            )
    annex_b = ['<h1 id="annex-b">Annex B — Articles not yet reviewed</h1>']
    if memo.unreviewed:
        annex_b.append(
            "<ul>"
            + "".join(
                f"<li>{esc(ArticleRow(a, '', []).heading)}"
                + (f" (assigned to {esc(a.assignee)})" if a.assignee else " (unassigned)")
                + "</li>"
                for a in memo.unreviewed
            )
            + "</ul>"
        )
    else:
        annex_b.append("<p>Every article has been marked reviewed.</p>")
    annex_c_heading = '<h1 id="annex-c">Annex C — Annotations by article</h1>\n'
    annex_c = annotation_parts(annex_c_heading, memo.annotations.groups, "<p>No annotations.</p>")
    return [
        ("cover", cover, False),
        ("summary", summary, True),
        ("articles", articles, True),
        ("annex-a", "\n".join(annex_a), True),
        ("annex-b", "\n".join(annex_b), True),
        *((f"{ANNEX_C_PART}{i}" if i else "annex-c", html, True) for i, html in enumerate(annex_c)),
    ]


def memorandum_html(memo: Memorandum, paper: str = "a4") -> str:
    body = "\n".join(html for _, html, _ in html_sections(memo))
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8"/>'
        '<meta name="viewport" content="width=device-width, initial-scale=1"/>'
        f"<title>{esc(memo.title)}</title><style>{STANDALONE_CSS}{MEMO_CSS}"
        f"@page {{ size: {PAGE_SIZES[paper]}; }}</style></head><body>\n{body}\n</body></html>\n"
    )


def memorandum_pdf(memo: Memorandum, paper: str = "a4") -> bytes:
    from reviewer.core.report import pdf_layout

    sections = html_sections(memo)
    return pdf_layout.layout_sections_pdf(
        sections,
        paper=paper,
        header=f"{memo.title} — {memo.treaty_title}",
        title=memo.title,
        subject=memo.treaty_title,
        extra_css=MEMO_CSS,
        continuing={key for key, _, _ in sections if key.startswith(ANNEX_C_PART)},
    )


def memorandum_markdown(memo: Memorandum) -> str:
    out = [
        f"# {md(memo.title)}",
        "",
        f"**Treaty:** {md(memo.treaty_title)}  ",
        f"**Document id:** `{memo.document_id}`  ",
        f"**Reviewers:** {md(', '.join(memo.reviewers)) or '—'}  ",
        f"**Coverage:** {md(_percent(memo))}  ",
        f"**Generated:** {md(memo.generated)}",
        "",
        "## Executive summary",
        "",
        "### Recommendation",
        "",
        *md_block(memo.recommendation),
        "",
        "### Positions",
        "",
        "| The team's position | Articles |",
        "|---|---:|",
        *(f"| {md(team_label(s))} | {n} |" for s, n in memo.team_counts),
        "",
        "| Positions taken by reviewers | Count |",
        "|---|---:|",
        *(f"| {md(s)} | {n} |" for s, n in memo.stance_counts),
        "",
        "### Surveillance powers without a safeguard",
        "",
        *([f"- {md(label)}" for label in memo.unsafeguarded] or ["None found among the annotations."]),
        "",
        "### Coverage",
        "",
        md(_percent(memo)),
        "",
        *(
            f"- {md(name)}: {done} of {total} assigned articles reviewed"
            for name, (done, total) in memo.coverage.by_assignee().items()
        ),
        "",
        "## Positions article by article",
        "",
        "| Article | Team position | Positions and rationales | Reviewed by |",
        "|---|---|---|---|",
    ]
    for r in memo.rows:
        positions = [
            f"**{md(p.author)}**: {md(p.stance)}" + (f" — {md(p.rationale)}" if p.rationale else "")
            for p in r.coverage.positions
        ]
        if r.dissent:
            positions.append("Dissent: " + md("; ".join(f"{p.author} ({p.stance})" for p in r.dissent)))
        reviewed = md(", ".join(r.coverage.reviewed_by)) or "—"
        out.append(f"| {md(r.heading)} | {md(r.team)} | {'<br>'.join(positions) or '—'} | {reviewed} |")
    out += ["", "## Annex A — Proposed reservations and declarations", ""]
    if not memo.proposals:
        out += ["No reservation or declaration has been proposed.", ""]
    for row, proposals in memo.proposals:
        out += [f"### {md(row.heading)}", ""]
        if len(proposals) > 1:
            out += [f"{len(proposals)} competing proposals.", ""]
        for p in proposals:
            out += [
                f"**Proposed {p.kind} by {md(p.position.author)}** ({short_date(p.position.modified)}):",
                "",
                *(f"> {line}" for line in md_block(p.position.proposal or "")),
                "",
            ]
    out += ["## Annex B — Articles not yet reviewed", ""]
    for a in memo.unreviewed:
        who = f" (assigned to {md(a.assignee)})" if a.assignee else " (unassigned)"
        out.append(f"- {md(ArticleRow(a, '', []).heading)}{who}")
    if not memo.unreviewed:
        out.append("Every article has been marked reviewed.")
    out += ["", "## Annex C — Annotations by article", ""]
    for g in memo.annotations.groups:
        out += [f"### {md(g.heading)}", ""]
        for e in g.entries:
            out += entry_markdown(e)
    if not memo.annotations.groups:
        out += ["No annotations.", ""]
    return "\n".join(out).rstrip() + "\n"


def memorandum_docx(memo: Memorandum, paper: str = "a4") -> bytes:
    from docx import Document
    from docx.shared import Mm

    from reviewer.core.report.docx_render import (
        PAPER_MM,
        QUOTE_STYLE,
        BodyAppender,
        _entry,
        _quote_style,
        _styled,
        _xml_safe,
    )

    x = _xml_safe
    document: Any = Document()
    width, height = PAPER_MM[paper]
    for section in document.sections:
        section.page_width, section.page_height = Mm(width), Mm(height)
    _quote_style(document)
    document.core_properties.title = x(memo.title)[:250]
    document.core_properties.subject = x(memo.treaty_title)[:250]
    document.add_heading(x(memo.title), level=0)
    document.add_paragraph(x(memo.treaty_title))
    for key, value in (
        ("Document id", memo.document_id),
        ("Reviewers", ", ".join(memo.reviewers) or "—"),
        ("Coverage", _percent(memo)),
        ("Generated", memo.generated),
    ):
        paragraph = document.add_paragraph()
        paragraph.add_run(f"{key}: ").bold = True
        paragraph.add_run(x(value))
    document.add_page_break()
    document.add_heading("Executive summary", level=1)
    document.add_heading("Recommendation", level=2)
    document.add_paragraph(x(memo.recommendation))
    document.add_heading("Positions", level=2)
    for head, counts in (
        (("The team's position", "Articles"), [(team_label(s), n) for s, n in memo.team_counts]),
        (("Positions taken by reviewers", "Count"), memo.stance_counts),
    ):
        table = document.add_table(rows=1, cols=2)
        table.style = "Light Grid Accent 1"
        table.rows[0].cells[0].text, table.rows[0].cells[1].text = head
        for s, n in counts:
            cells = table.add_row().cells
            cells[0].text, cells[1].text = s, str(n)
        document.add_paragraph()
    document.add_heading("Surveillance powers without a safeguard", level=2)
    for label in memo.unsafeguarded or ["None found among the annotations."]:
        document.add_paragraph(x(label), style="List Bullet" if memo.unsafeguarded else None)
    document.add_heading("Coverage", level=2)
    document.add_paragraph(_percent(memo))
    for name, (done, total) in memo.coverage.by_assignee().items():
        document.add_paragraph(
            x(f"{name}: {done} of {total} assigned articles reviewed"), style="List Bullet"
        )
    document.add_heading("Positions article by article", level=1)
    table = document.add_table(rows=1, cols=4)
    table.style = "Table Grid"
    header = table.rows[0].cells
    header[0].text, header[1].text, header[2].text, header[3].text = (
        "Article",
        "Team position",
        "Positions and rationales",
        "Reviewed by",
    )
    for r in memo.rows:
        cells = table.add_row().cells
        cells[0].text = x(r.heading)
        cells[1].text = x(r.team)
        lines = [
            f"{p.author}: {p.stance}" + (f" — {p.rationale}" if p.rationale else "")
            for p in r.coverage.positions
        ]
        if r.dissent:
            lines.append("Dissent: " + "; ".join(f"{p.author} ({p.stance})" for p in r.dissent))
        cells[2].text = x("\n".join(lines) or "—")
        cells[3].text = x(", ".join(r.coverage.reviewed_by) or "—")
    document.add_heading("Annex A — Proposed reservations and declarations", level=1)
    if not memo.proposals:
        document.add_paragraph("No reservation or declaration has been proposed.")
    quote = document.styles[QUOTE_STYLE]
    for row, proposals in memo.proposals:
        document.add_heading(x(row.heading), level=2)
        if len(proposals) > 1:
            document.add_paragraph(f"{len(proposals)} competing proposals.")
        for p in proposals:
            paragraph = document.add_paragraph()
            paragraph.add_run(
                x(f"Proposed {p.kind} by {p.position.author} ({short_date(p.position.modified)})")
            ).bold = True
            _styled(document, x(p.position.proposal or ""), quote)
    document.add_heading("Annex B — Articles not yet reviewed", level=1)
    for a in memo.unreviewed:
        who = f" (assigned to {a.assignee})" if a.assignee else " (unassigned)"
        document.add_paragraph(x(ArticleRow(a, "", []).heading + who), style="List Bullet")
    if not memo.unreviewed:
        document.add_paragraph("Every article has been marked reviewed.")
    document.add_heading("Annex C — Annotations by article", level=1)
    styles = {name: document.styles[name] for name in ("Heading 2", "Heading 3", QUOTE_STYLE)}
    groups: list[Group] = memo.annotations.groups
    body = BodyAppender(document)  # constant time per paragraph (see docx_render)
    for g in groups:
        _styled(body, x(g.heading), styles["Heading 2"])
        for e in g.entries:
            _entry(body, e, styles)
    if not groups:
        document.add_paragraph("No annotations.")
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def write_memorandum(
    review: Review,
    pdf: PdfDocument,
    output: Path,
    *,
    title: str | None = None,
    recommendation: str | None = None,
    paper: str = "a4",
    generated: str | None = None,
) -> Path:
    """Write the memorandum to ``output`` (.pdf, .docx, .html or .md); returns that path."""
    fmt = report_format(output)
    refuse_to_overwrite(output, pdf.path)
    memo = build_memorandum(review, pdf, title=title, recommendation=recommendation, generated=generated)
    if fmt == "pdf":
        write_bytes_atomic(output, memorandum_pdf(memo, paper))
    elif fmt == "docx":
        write_bytes_atomic(output, memorandum_docx(memo, paper))
    elif fmt == "html":
        write_text_atomic(output, memorandum_html(memo, paper))
    else:
        write_text_atomic(output, memorandum_markdown(memo))
    return output
