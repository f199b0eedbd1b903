"""HTML for the report: a self-contained printable page, and the pieces the PDF layout flows.

Every string that comes from a file or a database (quotes, comments, names, tag names, titles)
is plain text and goes through ``esc``; colours only as validated ``#RRGGBB``.
"""

from __future__ import annotations

import html
import unicodedata
from collections.abc import Mapping

from reviewer.core.comment_markup import to_html
from reviewer.core.model import Annotation, Reply
from reviewer.core.report.content import (
    STATUS_LABELS,
    Entry,
    Group,
    ReportContent,
    concern_count,
    edited_by,
    readable_color,
    safe_color,
    short_date,
)


def esc(text: str) -> str:
    return html.escape(text, quote=True)


def esc_lines(text: str) -> str:
    """Plain text with its line breaks kept."""
    return "<br/>".join(esc(line) for line in text.split("\n"))


def direction(text: str) -> str:
    """`` dir="rtl"`` when the text's first strong character is right-to-left (Arabic,
    Hebrew): MuPDF and browsers then align it right and place the punctuation right."""
    for ch in text:
        kind = unicodedata.bidirectional(ch)
        if kind in ("R", "AL"):
            return ' dir="rtl"'
        if kind == "L":
            return ""
    return ""


def chips(entry: Entry) -> str:
    out = []
    for tag in entry.annotation.tags:
        color = safe_color(tag.color)
        out.append(
            f'<span class="chip" style="background-color:{color};color:{readable_color(color)}">'
            f"&#160;{esc(tag.name)}&#160;</span>"
        )
    return " ".join(out)


def entry_html(entry: Entry) -> str:
    a = entry.annotation
    parts = [
        f'<div class="entry" id="e{entry.number}">',
        f'<p class="place"><span class="num">#{entry.number}</span> {esc(entry.citation)} '
        f'<span class="page">· page {esc(entry.page_label)}</span></p>',
    ]
    if a.quote:
        parts.append(f'<p class="quote"{direction(a.quote)}>\u201c{esc_lines(a.quote)}\u201d</p>')
    elif a.kind != "highlight":
        parts.append(f'<p class="quote">[{esc(a.kind)} on page {esc(entry.page_label)}]</p>')
    if a.tags:
        parts.append(f'<p class="chips">{chips(entry)}</p>')
    if a.comment:
        # Markdown rendered (emphasis, lists, links as text), every character escaped
        parts.append(f'<div class="comment"{direction(a.comment)}>{to_html(a.comment)}</div>')
    parts.append(
        f'<p class="meta">{esc(a.author_name)} · {short_date(a.created)}{_edited(a)} · '
        f"Status: {esc(STATUS_LABELS.get(a.status, a.status))}</p>"
    )
    for r in a.replies:
        parts.append(
            f'<div class="reply"><b>Reply — {esc(r.author_name)}</b>, {short_date(r.created)}{_edited(r)}:'
            f"{to_html(r.comment)}</div>"
        )
    parts.append("</div>")
    return "\n".join(parts)


ENTRIES_PER_STORY = 40  # annotation entries the PDF lays out as one story (about four pages)


def group_html(group: Group) -> str:
    return "\n".join(group_parts_html(group, len(group.entries) or 1))


def group_parts_html(group: Group, entries_per_part: int) -> list[str]:
    """The group's heading and entries in parts of at most ``entries_per_part`` entries (the
    heading with the first), laid out one after the other."""
    count = len(group.entries)
    heading = (
        f'<h2 id="{group.anchor}">{esc(group.heading)}</h2>\n'
        f'<p class="groupcount">{count} annotation{"s" if count != 1 else ""}</p>\n'
    )
    entries = [entry_html(e) for e in group.entries]
    parts = ["\n".join(entries[i : i + entries_per_part]) for i in range(0, len(entries), entries_per_part)]
    return [heading + (parts[0] if parts else ""), *parts[1:]]


def annotation_parts(heading: str, groups: list[Group], empty: str) -> list[str]:
    """``heading`` and the groups' entries as parts of at most ENTRIES_PER_STORY entries (the
    heading with the first part, ``empty`` after it when there is no group): joined with
    newlines, the same HTML as the heading and every ``group_html``; the PDF lays each part out
    below the one before (one MuPDF story for thousands of entries was quadratic)."""
    parts = [html for g in groups for html in group_parts_html(g, ENTRIES_PER_STORY)]
    return [heading + (parts[0] if parts else empty), *parts[1:]]


def cover_html(c: ReportContent) -> str:
    dates = c.date_range
    rows = [
        ("Treaty", esc(c.treaty_title)),
        ("Document id", f'<span class="mono">{esc(c.document_id)}</span>'),
        ("Reviewers", esc(", ".join(c.reviewers)) or "—"),
        ("Dates", dates),
        (
            "Counts",
            f"{len(c.entries)} annotations, {c.reply_count} replies, {c.article_count} articles, "
            f"{len(c.reviewers)} reviewers",
        ),
        ("Grouped by", esc(c.group_by)),
        ("Generated", esc(c.generated)),
    ]
    if c.filters:
        rows.append(("Filters", esc("; ".join(c.filters))))
    table = "\n".join(f'<tr><td class="k">{k}</td><td>{v}</td></tr>' for k, v in rows)
    return (
        '<div class="cover">'
        f'<p class="kicker">Review report</p><h1 class="title">{esc(c.title)}</h1>'
        f'<p class="subtitle">{esc(c.treaty_title)}</p>'
        f'<table class="facts">{table}</table></div>'
    )


def bar_rows(items: list[tuple[str, str, int]], bar: Mapping[str, str] | None, width_pt: float) -> str:
    """Rows of label, bar, count. ``bar`` maps a colour to an image name (PDF), else CSS bars."""
    top = max((n for _, _, n in items), default=0) or 1
    rows = []
    for label, color, n in items:
        length = max(1.0, width_pt * n / top)
        if bar is not None:
            drawn = f'<img src="{bar[color]}" style="width:{length:.1f}pt;height:9pt"/>'
        else:
            style = f"width:{100 * n / top:.1f}%;background-color:{color}"
            drawn = f'<span class="bar" style="{style}"></span>'
        rows.append(
            f'<tr><td class="lab">{esc(label)}</td><td class="barcell">{drawn}</td>'
            f'<td class="n">{n}</td></tr>'
        )
    return '<table class="chart">' + "\n".join(rows) + "</table>"


def chart_items(c: ReportContent) -> tuple[list[tuple[str, str, int]], list[tuple[str, str, int]]]:
    tags = [(t.name, safe_color(t.color), n) for t, n in c.tag_counts]
    if c.untagged:
        tags.append(("(untagged)", "#B0BEC5", c.untagged))
    status_colors = {
        "open": "#2E86DE",
        "accepted": "#3FA34D",
        "rejected": "#D7263D",
        "resolved": "#78909C",
    }
    statuses = [(STATUS_LABELS.get(s, s), status_colors.get(s, "#78909C"), n) for s, n in c.status_counts]
    return tags, statuses


def summary_html(
    c: ReportContent,
    bar: Mapping[str, str] | None = None,
    width_pt: float = 220,
    table_width: float | None = None,
) -> str:
    tags, statuses = chart_items(c)
    parts = [
        '<h1 id="summary">Summary</h1>',
        "<h3>Annotations per tag</h3>",
        bar_rows(tags, bar, width_pt) if tags else "<p>No tags.</p>",
        "<h3>Annotations per status</h3>",
        bar_rows(statuses, bar, width_pt) if statuses else "<p>No annotations.</p>",
    ]
    if c.hotspots:
        listed = "; ".join(f"{esc(r.label)} ({concern_count(r)})" for r in c.hotspots)
        parts.append(
            '<p class="note">Articles drawing the most “surveillance power” and “weak or missing '
            f"safeguard” tags: {listed}.</p>"
        )
    flagged = [r for r in c.matrix if r.power_without_safeguard]
    if flagged:
        parts.append(
            '<p class="note"><b>⚑ A surveillance power with no safeguard tag</b> in: '
            + esc("; ".join(r.label for r in flagged))
            + ".</p>"
        )
    if table_width is None:
        parts.append(matrix_html(c))
    return "\n".join(parts)


def matrix_html(
    c: ReportContent,
    table_width: float | None = None,
    rows_slice: slice | None = None,
    heading: bool = True,
) -> str:
    """Articles x tags. The PDF passes ``table_width`` (fixed column widths) and lays out a
    slice of rows per page, because MuPDF's layout cannot break a table across pages."""
    if not c.matrix or not c.matrix_tags:
        return ""
    matrix = c.matrix[rows_slice] if rows_slice else c.matrix
    art_w = n_w = flag_w = tag_w = 0.0
    if table_width:
        art_w, n_w, flag_w = 120.0, 20.0, 46.0
        padding = 6.0 * (len(c.matrix_tags) + 3)  # cell padding and rules
        tag_w = (table_width - art_w - n_w - flag_w - padding) / len(c.matrix_tags)

    def w(width: float) -> str:
        return f' style="width:{width:.1f}pt"' if table_width else ""

    head = "".join(
        f'<th class="tagcol" style="border-bottom:3pt solid {safe_color(t.color)}'
        + (f";width:{tag_w:.1f}pt" if table_width else "")
        + f'">{esc(t.name)}</th>'
        for t in c.matrix_tags
    )
    rows = []
    for r in matrix:
        cells = []
        for t in c.matrix_tags:
            n = r.counts.get(t.name, 0)
            shade = ""
            width = f"width:{tag_w:.1f}pt;" if table_width else ""
            if n and t.name.casefold() in ("surveillance power", "weak or missing safeguard"):
                width += "background-color:#FBE3D6;font-weight:bold;"
            shade = f' style="{width}"' if width else ""
            cells.append(f'<td class="n"{shade}>{n or ""}</td>')
        flag_text = "⚑ no safeguard" if r.power_without_safeguard else ""
        flag = f'<td class="flag"{w(flag_w)}>{flag_text}</td>'
        rows.append(
            f'<tr><td class="art"{w(art_w)}>{esc(r.label)}</td>{"".join(cells)}'
            f'<td class="n"{w(n_w)}>{r.total}</td>{flag}</tr>'
        )
    header = (
        f'<tr><th class="art"{w(art_w)}>Article</th>{head}<th class="tagcol"{w(n_w)}>All</th>'
        f'<th class="tagcol"{w(flag_w)}>Flag</th></tr>'
    )
    title = '<h3 id="matrix">Articles × tags</h3>' if heading else ""
    return title + '<table class="matrix">' + header + "\n".join(rows) + "</table>"


STANDALONE_CSS = """
body{font-family:'Noto Sans','Segoe UI',Arial,sans-serif;font-size:11pt;line-height:1.4;
 max-width:50em;margin:2em auto;color:#222;padding:0 1em}
h1{font-size:20pt;border-bottom:2px solid #1F3A5F;color:#1F3A5F}
h2{font-size:15pt;color:#1F3A5F;margin-top:1.6em;border-bottom:1px solid #ccd}
.cover{page-break-after:always}
.cover .kicker{text-transform:uppercase;letter-spacing:.15em;color:#667}
.cover .title{font-size:26pt;border:none}
.facts td{padding:.2em .8em .2em 0;vertical-align:top}.facts .k{color:#667}
.mono{font-family:monospace;font-size:9pt;word-break:break-all}
.chart{border-collapse:collapse}.chart td{padding:.15em .4em}.lab{white-space:nowrap}
.barcell{width:20em}.bar{display:inline-block;height:.8em}
.n{text-align:right}
.matrix{border-collapse:collapse;font-size:9pt}
.matrix td,.matrix th{border:1px solid #ccd;padding:.2em .3em}
.tagcol{font-size:8pt;font-weight:normal}.flag{color:#B00020;font-weight:bold;white-space:nowrap}
.entry{border-top:1px solid #dde;padding:.4em 0;page-break-inside:avoid}
.place{font-weight:bold;margin:.2em 0}.num{color:#1F3A5F}.page{font-weight:normal;color:#667}
.quote{border-left:4px solid #1F3A5F;background:#F1F4F8;margin:.3em 0;padding:.3em .8em;
 font-style:italic}
.chip{border-radius:3px;font-size:9pt;padding:0 .2em}
.meta{color:#667;font-size:9pt;margin:.2em 0}.reply{margin:.2em 0 .2em 2em;font-size:10pt}
.comment p,.reply p,.comment ul,.comment ol{margin:.2em 0}.link{color:#556}code{font-family:monospace}
.note{background:#FFF6E5;padding:.4em}.groupcount{color:#667;font-size:9pt}
.toc a{color:#1F3A5F;text-decoration:none}
@media print{body{max-width:none;margin:0}a{color:inherit}}
"""


# What a browser prints on: the paper the report was asked for.
PAGE_SIZES = {"a4": "A4", "letter": "letter"}


def standalone_html(c: ReportContent, paper: str = "a4") -> str:
    toc = "\n".join(
        f'<li><a href="#{g.anchor}">{esc(g.heading)}</a> ({len(g.entries)})</li>' for g in c.groups
    )
    body = "\n".join(group_html(g) for g in c.groups) or "<p>No annotations match.</p>"
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8"/>'
        '<meta name="viewport" content="width=device-width, initial-scale=1"/>'
        f"<title>{esc(c.title)}</title><style>{STANDALONE_CSS}"
        f"@page {{ size: {PAGE_SIZES[paper]}; }}</style></head><body>\n"
        + cover_html(c)
        + "\n"
        + summary_html(c)
        + '\n<h1 id="contents">Contents</h1><ul class="toc">'
        + '<li><a href="#summary">Summary</a></li>'
        + toc
        + "</ul>\n"
        + '<h1 id="annotations">Annotations</h1>\n'
        + body
        + "\n</body></html>\n"
    )


def _edited(item: Annotation | Reply) -> str:
    note = edited_by(item)
    return f" · {esc(note)}" if note else ""
