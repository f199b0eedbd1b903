"""``reviewer report``: a printable review report (PDF, HTML, Markdown or DOCX)."""

from __future__ import annotations

from pathlib import Path

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
        "reviewer report budapest.pdf --compare un-convention.pdf -o comparison.pdf",
        'reviewer report treaty.pdf --template memorandum -o memo.pdf --recommendation "Ratify with a '
        'reservation on Article 24"',
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
@click.option(
    "--template",
    type=click.Choice(["report", "memorandum"]),
    default="report",
    show_default=True,
    help="report: the annotations; memorandum: the team's positions article by article, the "
    "proposed reservations and declarations, unreviewed articles, then the annotations.",
)
@click.option("--title", help='Report title (default: "Review report" or "Ratification memorandum").')
@click.option("--recommendation", help="Memorandum only: the team's recommendation, for the summary.")
@click.option(
    "--paper",
    type=click.Choice(["a4", "letter"]),
    default=None,
    help="Paper size of a PDF, DOCX or HTML (when printed) report [default: a4]; not for Markdown.",
)
@click.option(
    "--with-pages",
    is_flag=True,
    help="PDF only: add an appendix of the annotated pages with their highlights and entry numbers.",
)
@click.option(
    "--include-private",
    is_flag=True,
    help="Your private notes too (a printout for yourself; left out by default, as in every "
    "export meant for others).",
)
@click.option(
    "--compare",
    "compare_with",
    type=click.Path(dir_okay=False),
    help="A comparison report of PDF (A) and this treaty (B): the concordance with the passages "
    "linked between them, side by side (--tag and --author choose the links).",
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
    paper: str | None,
    with_pages: bool,
    include_private: bool,
    compare_with: str | None,
    template: str,
    recommendation: str | None,
) -> None:
    """Write a report of PDF's annotations, grouped by article (or tag, reviewer, page, status),
    or the team's ratification memorandum (--template memorandum)."""
    from reviewer.core.report import ReportOptions, build_report
    from reviewer.core.report.options import ReportOptionError, report_format

    target = Path(output)
    fmt = report_format(target)  # refuse an unknown extension before any work
    if compare_with:
        given = [
            f
            for f, v in (
                ("--group-by", group_by != "article"),
                ("--status", statuses),
                ("--with-pages", with_pages),
                ("--template memorandum", template == "memorandum"),
                ("--recommendation", recommendation is not None),
                ("--include-private", include_private),
            )
            if v
        ]
        if given:
            raise click.UsageError(f"--compare does not take {', '.join(given)}")
        from reviewer.core.report.comparison_build import write_comparison_report

        written = write_comparison_report(
            app.review(),
            app.open_pdf(pdf),
            app.open_pdf(compare_with),
            output,
            title=title,
            tags=tags,
            authors=authors,
            paper=paper or "a4",
        )
        click.echo(str(written))
        return
    if template == "memorandum" and include_private:
        raise click.UsageError("a memorandum never holds private notes: --include-private is for a report")
    if template == "memorandum":
        _memorandum(
            app, pdf, target, fmt, title, recommendation, paper, group_by, tags, authors, statuses, with_pages
        )
        return
    if recommendation is not None:
        raise click.UsageError("--recommendation is for --template memorandum")
    options = ReportOptions(
        output=target,
        group_by=group_by,
        tags=tags,
        authors=authors,
        statuses=statuses,
        title=title,
        paper=paper,
        with_pages=with_pages,
        include_private=include_private,
    )
    try:
        options.check()  # an option the format does not take: a usage error, before any work
    except ReportOptionError as exc:
        raise click.UsageError(str(exc)) from None
    document = app.open_pdf(pdf)
    written = build_report(app.review(), document, options)
    click.echo(str(written))


def _memorandum(
    app: AppContext,
    pdf: str,
    target: Path,
    fmt: str,
    title: str | None,
    recommendation: str | None,
    paper: str | None,
    group_by: str,
    tags: tuple[str, ...],
    authors: tuple[str, ...],
    statuses: tuple[str, ...],
    with_pages: bool,
) -> None:
    """A memorandum covers the whole review: an option that would narrow it is refused."""
    from reviewer.core.report.memorandum_render import write_memorandum

    given = [
        flag
        for flag, value in (
            ("--group-by", group_by != "article"),
            ("--tag", tags),
            ("--author", authors),
            ("--status", statuses),
            ("--with-pages", with_pages),
            ("--paper", paper is not None and fmt == "markdown"),
        )
        if value
    ]
    if given:
        raise click.UsageError(f"--template memorandum does not take {', '.join(given)}")
    document = app.open_pdf(pdf)
    written = write_memorandum(
        app.review(), document, target, title=title, recommendation=recommendation, paper=paper or "a4"
    )
    click.echo(str(written))
