"""The report as Markdown (CommonMark): the same content as the PDF, for wikis and diffs.

Text from files is escaped so that a comment cannot turn into a heading, a link or HTML.
"""

from __future__ import annotations

import re

from reviewer.core.comment_markup import to_markdown
from reviewer.core.model import Annotation, Reply
from reviewer.core.report.content import (
    STATUS_LABELS,
    Entry,
    ReportContent,
    concern_count,
    edited_by,
    short_date,
)

_SPECIAL = re.compile(r"([\\`*_\[\]<>|#&~])")
_LINE_START = re.compile(r"^([-+=]|\d+[.)])")


def _escape_line(line: str) -> str:
    """Inline syntax escaped everywhere; list and heading markers only where a line starts."""
    return _LINE_START.sub(r"\\\1", _SPECIAL.sub(r"\\\1", line))


def md(text: str) -> str:
    """Escape Markdown syntax in plain text (one line)."""
    return _escape_line(" ".join(text.split()))


def md_block(text: str) -> list[str]:
    """Plain text that may hold line breaks, as escaped lines (hard breaks kept)."""
    lines = [_escape_line(line.strip()) for line in text.split("\n")]
    return [line for line in lines if line] or [""]


def entry_markdown(entry: Entry) -> list[str]:
    a = entry.annotation
    out = [f"#### #{entry.number} {md(entry.citation)} · page {md(entry.page_label)}", ""]
    if a.quote:
        quote = md_block(a.quote)
        quote[0] = "\u201c" + quote[0]
        quote[-1] = quote[-1] + "\u201d"
        out += ["> " + line + ("  " if i < len(quote) - 1 else "") for i, line in enumerate(quote)]
        out.append("")
    if a.tags:
        out += ["Tags: " + ", ".join(f"`{t.name.replace('`', chr(39))}`" for t in a.tags), ""]
    if a.comment:
        out += to_markdown(a.comment)  # rendered again as safe Markdown: no link, image or HTML
        out.append("")
    out += [
        f"*{md(a.author_name)} · {short_date(a.created)}{_edited(a)} · "
        f"Status: {STATUS_LABELS.get(a.status, a.status)}*",
        "",
    ]
    for r in a.replies:
        out.append(
            f"- **Reply — {md(r.author_name)}**, {short_date(r.created)}{_edited(r)}: "
            + " ".join(line.strip() for line in to_markdown(r.comment) if line.strip())
        )
    if a.replies:
        out.append("")
    return out


def report_markdown(c: ReportContent) -> str:
    out = [
        f"# {md(c.title)}",
        "",
        f"**Treaty:** {md(c.treaty_title)}  ",
        f"**Document id:** `{c.document_id}`  ",
        f"**Reviewers:** {md(', '.join(c.reviewers)) or '—'}  ",
        f"**Dates:** {c.date_range}  ",
        f"**Counts:** {len(c.entries)} annotations, {c.reply_count} replies, "
        f"{c.article_count} articles, "
        f"{len(c.reviewers)} reviewers  ",
        f"**Grouped by:** {c.group_by}  ",
        f"**Generated:** {md(c.generated)}",
    ]
    if c.filters:
        out[-1] += "  "
        out.append(f"**Filters:** {md('; '.join(c.filters))}")
    out += ["", "## Summary", "", "| Tag | Annotations |", "|---|---:|"]
    out += [f"| {md(t.name)} | {n} |" for t, n in c.tag_counts]
    if c.untagged:
        out.append(f"| (untagged) | {c.untagged} |")
    out += ["", "| Status | Annotations |", "|---|---:|"]
    out += [f"| {STATUS_LABELS.get(s, s)} | {n} |" for s, n in c.status_counts]
    if c.hotspots:
        out += [
            "",
            "Articles drawing the most “surveillance power” and “weak or missing safeguard” tags: "
            + "; ".join(f"{md(r.label)} ({concern_count(r)})" for r in c.hotspots)
            + ".",
        ]
    flagged = [r.label for r in c.matrix if r.power_without_safeguard]
    if flagged:
        out += [
            "",
            "**⚑ A surveillance power with no safeguard tag in:** " + md("; ".join(flagged)) + ".",
        ]
    if c.matrix and c.matrix_tags:
        out += ["", "### Articles × tags", ""]
        out.append("| Article | " + " | ".join(md(t.name) for t in c.matrix_tags) + " | All | Flag |")
        out.append("|---|" + "---:|" * len(c.matrix_tags) + "---:|---|")
        for r in c.matrix:
            cells = " | ".join(str(r.counts.get(t.name, 0) or "") for t in c.matrix_tags)
            flag = "⚑ no safeguard" if r.power_without_safeguard else ""
            out.append(f"| {md(r.label)} | {cells} | {r.total} | {flag} |")
    out += ["", "## Contents", ""]
    out += [f"- {md(g.heading)} ({len(g.entries)})" for g in c.groups]
    out += ["", "## Annotations", ""]
    if not c.groups:
        out += ["No annotations match.", ""]
    for g in c.groups:
        out += [f"### {md(g.heading)}", ""]
        for e in g.entries:
            out += entry_markdown(e)
    return "\n".join(out).rstrip() + "\n"


def _edited(item: Annotation | Reply) -> str:
    note = edited_by(item)
    return f" · {md(note)}" if note else ""
