"""``reviewer open`` and ``reviewer info``: the window, and a PDF's identity."""

from __future__ import annotations

import click

from reviewer.cli.context import AppContext, emit_json, examples, main_group, pass_app
from reviewer.core.errors import ReviewerError


@main_group.command(
    "open",
    epilog=examples("reviewer open treaty.pdf", "QT_QPA_PLATFORM=offscreen reviewer open  # no display"),
)
@click.argument("pdf", required=False, type=click.Path(dir_okay=False))
@pass_app
def open_command(app: AppContext, pdf: str | None) -> None:
    """Open the review window (on PDF, else the last document, else the sample treaty)."""
    from reviewer.cli.guard import has_display

    if not has_display():
        raise ReviewerError(
            "no display found: run it in a desktop session, or set QT_QPA_PLATFORM=offscreen "
            "(headless) or use the CLI commands"
        )
    from reviewer.ui.app import run_app

    code = run_app(pdf=pdf, db_path=app.db_path, author=app.author, password=app.password)
    if code:
        raise SystemExit(code)


@main_group.command(epilog=examples("reviewer info treaty.pdf", "reviewer info treaty.pdf --json"))
@click.argument("pdf", type=click.Path(dir_okay=False))
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@pass_app
def info(app: AppContext, pdf: str, as_json: bool) -> None:
    """Identity of a PDF: SHA-256, PDF /ID, title, pages, annotation count."""
    document = app.open_pdf(pdf)
    doc_info = document.info()
    review = app.review()
    review.register(document)
    count = len(review.annotations(doc_info.sha256))
    data = {
        "id": doc_info.sha256,
        "pdf_id": doc_info.pdf_id,
        "title": doc_info.title,
        "pages": doc_info.page_count,
        "page_labels": doc_info.page_labels,
        "annotations": count,
        "path": doc_info.path,
        "repaired": doc_info.repaired,
    }
    if as_json:
        emit_json(data)
        return
    click.echo(f"id:          {data['id']}")
    click.echo(f"pdf id:      {data['pdf_id'] or '-'}")
    click.echo(f"title:       {data['title']}")
    click.echo(f"pages:       {data['pages']}")
    if doc_info.page_labels:
        click.echo(f"page labels: {doc_info.page_labels[0]} .. {doc_info.page_labels[-1]}")
    click.echo(f"annotations: {count}")
    if doc_info.repaired:
        click.echo(
            "warning:     the file is damaged; MuPDF repaired it while opening (text may be incomplete)"
        )
