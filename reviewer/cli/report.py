"""``reviewer report``: a printable review report (PDF, HTML, Markdown or DOCX)."""

from __future__ import annotations

import click

from reviewer.cli.context import AppContext, examples, main_group, pass_app
from reviewer.core.model import STATUSES


@main_group.command(
    epilog=examples(
        "reviewer report treaty.pdf -o report.pdf",
        'reviewer report treaty.pdf -o report.pdf --title "Draft convention" --with-pages',
        'reviewer report treaty.pdf -o powers.docx --tag "surveillance power" --group-by reviewer',
        "reviewer report treaty.pdf -o open.md --status open --author 'José Núñez'",
        "reviewer report treaty.pdf -o report.html --group-by tag --paper letter",
    )
)
@click.argument("pdf", type=click.Path(dir_okay=False))
@click.option(
    "-o",
    "--output",
    required=True,
    type=click.Path(dir_okay=False, writable=True),
    help="Report file; its extension chooses the format: .pdf, .html, .md or .docx.",
)
@click.option(
    "--group-by",
    type=click.Choice(["article", "tag", "reviewer", "page", "status"]),
    default="article",
    show_default=True,
    help="How the annotations are grouped under headings.",
)
@click.option(
    "--tag", "tags", multiple=True, help="Only annotations with this tag (repeatable: any of them)."
)
@click.option("--author", "authors", multiple=True, help="Only annotations by this reviewer (repeatable).")
@click.option(
    "--status",
    "statuses",
    multiple=True,
    type=click.Choice(STATUSES),
    help="Only annotations with this status (repeatable).",
)
@click.option("--title", help='Report title (default: "Review report").')
@click.option(
    "--paper",
    type=click.Choice(["a4", "letter"]),
    default="a4",
    show_default=True,
    help="Paper size of a PDF report.",
)
@click.option(
    "--with-pages",
    is_flag=True,
    help="PDF: add an appendix of the annotated pages with their highlights and entry numbers.",
)
@pass_app
def report(
    app: AppContext,
    pdf: str,
    output: str,
    group_by: str,
    tags: tuple[str, ...],
    authors: tuple[str, ...],
    statuses: tuple[str, ...],
    title: str | None,
    paper: str,
    with_pages: bool,
) -> None:
    """Write a report of PDF's annotations, grouped by article (or tag, reviewer, page, status)."""
    from pathlib import Path

    from reviewer.core.report import ReportOptions, build_report
    from reviewer.core.report.options import report_format

    target = Path(output)
    report_format(target)  # refuse an unknown extension before any work
    document = app.open_pdf(pdf)
    options = ReportOptions(
        output=target,
        group_by=group_by,
        tags=tags,
        authors=authors,
        statuses=statuses,
        title=title,
        paper=paper,
        with_pages=with_pages,
    )
    written = build_report(app.review(), document, options)
    click.echo(str(written))
