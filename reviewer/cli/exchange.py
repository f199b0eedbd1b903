"""Exchange commands: export, import, merge, merge-driver, resolve (thin shells over the core)."""

from __future__ import annotations

import click

from reviewer.cli.context import AppContext, emit_json, examples, main_group, pass_app, statuses_option
from reviewer.core.errors import ReviewerError


@main_group.command(
    epilog=examples(
        "reviewer export treaty.pdf --format review -o ada.review.json",
        "reviewer export treaty.pdf --format xfdf -o treaty.xfdf --tag safeguard",
        "reviewer export treaty.pdf --format pdf -o annotated.pdf --author Ada --status open",
        "reviewer export treaty.pdf --format csv -o treaty.csv",
    )
)
@click.argument("pdf", type=click.Path(dir_okay=False))
@click.option(
    "--format",
    "fmt",
    default=None,
    type=click.Choice(["review", "xfdf", "pdf", "csv"]),
    help="review (.review.json), xfdf, pdf (annotated copy), csv; default: from -o's name.",
)
@click.option(
    "-o",
    "--output",
    "out",
    required=True,
    type=click.Path(dir_okay=False),
    help="File to write (never the PDF itself).",
)
@click.option("--tag", "tags", multiple=True, help="Only annotations with this tag (repeatable).")
@click.option("--author", "authors", multiple=True, help="Only annotations by this reviewer (repeatable).")
@statuses_option
@pass_app
def export(
    app: AppContext,
    pdf: str,
    fmt: str,
    out: str,
    tags: tuple[str, ...],
    authors: tuple[str, ...],
    statuses: tuple[str, ...],
) -> None:
    """Export the annotations of PDF as a review file, XFDF, an annotated PDF copy or CSV."""
    from reviewer.core.exchange.service import export_document
    from reviewer.core.review import Filters

    fmt = fmt or _format_of(out)
    document = app.open_pdf(pdf)
    review = app.review()
    for tag in tags:
        review.tag(tag)
    count = export_document(
        review, document, fmt, out, Filters(tags=tags, authors=authors, statuses=statuses)
    )
    click.echo(f"wrote {count} annotation{'s' if count != 1 else ''} to {out}")


def _format_of(out: str) -> str:
    """--format from the output's name when it is not given (.review.json, .xfdf, .pdf, .csv)."""
    name = out.lower()
    for suffix, fmt in ((".json", "review"), (".xfdf", "xfdf"), (".pdf", "pdf"), (".csv", "csv")):
        if name.endswith(suffix):
            return fmt
    raise click.UsageError("give --format review|xfdf|pdf|csv (the output's name does not tell)")


@main_group.command(
    "import",
    epilog=examples(
        "reviewer import ada.review.json bob.review.json",
        "reviewer import comments.xfdf --pdf treaty.pdf",
        "reviewer import treaty-from-acrobat.pdf --json",
    ),
)
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False))
@click.option(
    "--pdf",
    "pdf_path",
    type=click.Path(dir_okay=False),
    help="The PDF the files annotate, when the database cannot tell.",
)
@click.option("--json", "as_json", is_flag=True, help="Print JSON (one summary per file).")
@pass_app
def import_command(app: AppContext, files: tuple[str, ...], pdf_path: str | None, as_json: bool) -> None:
    """Import review files, XFDF or annotated PDFs (matched by hash, then PDF /ID, then --pdf).

    Each file is all or nothing: a refused file changes nothing (the others are still imported;
    the exit code is then 1).
    """
    from reviewer.core.exchange.service import import_file

    review = app.review()
    summaries: list[dict[str, object]] = []
    refused = 0
    for path in files:
        try:
            result = import_file(review, path, pdf_path=pdf_path, password=app.password)
        except ReviewerError as exc:  # this file changed nothing; go on with the others
            refused += 1
            click.echo(f"reviewer: error: {exc}", err=True)
            summaries.append({"file": path, "error": str(exc)})
            continue
        summary = result.summary()
        summaries.append(summary)
        if not as_json:
            line = (
                f"{path}: {summary['added']} added, {summary['updated']} updated, "
                f"{summary['unchanged']} unchanged, {summary['conflicts']} conflicts"
            )
            if summary["skipped"]:
                line += f", {summary['skipped']} skipped (not highlights or notes)"
            click.echo(line)
            for item_id in summary["conflict_ids"]:
                click.echo(f"  conflict: {item_id} (see 'reviewer list PDF --conflicts')")
    if as_json:
        emit_json(summaries)
    if refused:
        raise SystemExit(1)


@main_group.command(
    epilog=examples(
        "reviewer merge ada.review.json bob.review.json carla.review.json -o team.review.json",
    )
)
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False))
@click.option(
    "-o",
    "--output",
    "out",
    required=True,
    type=click.Path(dir_okay=False),
    help="The merged review file.",
)
def merge(files: tuple[str, ...], out: str) -> None:
    """Combine review files of one document, without the database (any order, same result)."""
    from reviewer.core.exchange.service import merge_files

    data = merge_files(list(files), out)
    conflicts = data.conflict_count()
    click.echo(
        f"merged {len(files)} files: {len(data.annotations)} annotations, "
        f"{len(data.replies)} replies, "
        f"{conflicts} conflict{'s' if conflicts != 1 else ''} -> {out}"
    )


@main_group.command(
    "merge-driver",
    epilog=examples(
        "# .gitattributes:   *.review.json merge=reviewer",
        '# git config merge.reviewer.name "Reviewer review files"',
        '# git config merge.reviewer.driver "reviewer merge-driver %O %A %B"',
    ),
)
@click.argument("base", type=click.Path(dir_okay=False))
@click.argument("ours", type=click.Path(dir_okay=False))
@click.argument("theirs", type=click.Path(dir_okay=False))
def merge_driver(base: str, ours: str, theirs: str) -> None:
    """git merge driver for review files: writes the merge of BASE, OURS and THEIRS into OURS."""
    from reviewer.core.exchange.service import merge_driver as run

    run(base, ours, theirs)


@main_group.command(
    epilog=examples(
        "reviewer list treaty.pdf --conflicts",
        "reviewer resolve 3f2a9c1e --keep mine",
        "reviewer resolve 3f2a9c1e --keep theirs",
        "reviewer resolve 3f2a9c1e --keep 9b1c04aa   # a version named by 'list --conflicts'",
    )
)
@click.argument("item_id", metavar="ID")
@click.option(
    "--keep",
    required=True,
    help="mine (the current version), theirs (the other one) or a version id.",
)
@pass_app
def resolve(app: AppContext, item_id: str, keep: str) -> None:
    """Settle a conflict on an annotation or reply; the choice travels on as a new revision."""
    from reviewer.core.exchange.service import resolve as run

    change = run(app.review(), item_id, keep)
    resolved = next(iter(change.after.annotations or change.after.replies or change.after.concordance))
    click.echo(f"resolved {resolved}")


def print_conflicts(app: AppContext, document_id: str, as_json: bool) -> None:
    """``reviewer list PDF --conflicts``: called from reviewer/cli/annotating.py."""
    from reviewer.core.exchange.service import conflicts

    found = conflicts(app.review(), document_id)
    if as_json:
        emit_json([c.to_json() for c in found])
        return
    if not found:
        click.echo("no conflicts", err=True)
        return
    for c in found:
        click.echo(
            f"{c.item_id[:8]}  {c.kind:<10} current: r{c.winner_revision} {c.winner_author}: "
            f"{_short(c.winner_comment)}"
        )
        click.echo(
            f"          version {c.version[:8]}: r{c.revision} {c.author} {c.modified}: {_short(c.comment)}"
        )


def _short(text: str) -> str:
    line = text.splitlines()[0] if text else ""
    return "\u201c" + (line if len(line) <= 70 else line[:67] + "...") + "\u201d"
