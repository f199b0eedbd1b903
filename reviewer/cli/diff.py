"""``reviewer diff``: compare two versions of a treaty article by article, with a redline."""

from __future__ import annotations

from pathlib import Path

import click

from reviewer.cli.context import AppContext, emit_json, examples, main_group, pass_app
from reviewer.core.errors import ReviewerError


@main_group.command(
    "diff",
    epilog=examples(
        "reviewer diff draft.pdf adopted.pdf",
        "reviewer diff draft.pdf adopted.pdf --json",
        "reviewer diff draft.pdf adopted.pdf -o redline.pdf",
        "reviewer diff draft.pdf adopted.pdf -o redline.html",
    ),
)
@click.argument("old", type=click.Path(dir_okay=False))
@click.argument("new", type=click.Path(dir_okay=False))
@click.option("--json", "as_json", is_flag=True, help="Print the comparison as JSON.")
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, writable=True),
    help="Write a redline; its extension chooses the format: .pdf or .html.",
)
@pass_app
def diff_command(app: AppContext, old: str, new: str, as_json: bool, output: str | None) -> None:
    """Compare OLD and NEW, two versions of a treaty, article by article.

    Renumbered articles are matched to their predecessors; inserted and deleted articles are
    listed; a modified article's inserted and deleted words are marked ({+new+} [-old-]).
    """
    from reviewer.core.atomic import write_bytes_atomic, write_text_atomic
    from reviewer.core.redline import REDLINE_CSS, compare_versions, redline_body, redline_html

    suffix = Path(output).suffix.lower() if output else ""
    if output and suffix not in (".pdf", ".html", ".htm"):
        raise ReviewerError("the redline must end in .pdf or .html", path=output)
    for original in (old, new):
        if output and Path(output).resolve() == Path(original).resolve():
            raise ReviewerError(
                "the redline would overwrite a compared PDF; choose another name", path=output
            )
    old_pdf = app.open_pdf(old)
    new_pdf = app.open_pdf(new)
    comparison = compare_versions(old_pdf, new_pdf)
    if output:
        if suffix == ".pdf":
            from reviewer.core.report.pdf_layout import html_to_pdf

            data = html_to_pdf(redline_body(comparison), REDLINE_CSS, footer="Redline")
            write_bytes_atomic(output, data)
        else:
            write_text_atomic(output, redline_html(comparison))
    if as_json:
        emit_json(comparison.to_json())
        return
    counts = comparison.counts
    for entry in comparison.articles:
        if entry.change == "unchanged":
            continue
        name = {
            "inserted": f"{'':<10} -> {entry.new or '':<10}",
            "deleted": f"{entry.old or '':<10} -> {'':<10}",
        }.get(entry.change, f"{entry.old or '':<10} -> {entry.new or '':<10}")
        title = entry.title if len(entry.title) <= 50 else entry.title[:47] + "..."
        click.echo(f"{entry.change:<9} {name} {title}")
        if entry.change == "modified":
            shown = " ".join(f"[-{t}-]" if op == "-" else f"{{+{t}+}}" for op, t in entry.diff if op != "=")
            shown = " ".join(shown.split())
            click.echo(f"          {shown if len(shown) <= 110 else shown[:107] + '...'}")
    click.echo(
        f"unchanged: {counts['unchanged']}  modified: {counts['modified']}  "
        f"inserted: {counts['inserted']}  deleted: {counts['deleted']}"
    )
    if output:
        click.echo(f"redline written to {output}", err=True)
