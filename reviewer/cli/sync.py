"""``reviewer sync``: the team folder from the command line (once, ``--watch``, ``--git``)."""

from __future__ import annotations

import time

import click

from reviewer.cli.context import AppContext, emit_json, examples, main_group, pass_app


@main_group.command(
    epilog=examples(
        'reviewer sync "~/OneDrive - Firm/Treaty review"',
        "reviewer sync /mnt/team/review --pdf treaty.pdf --json",
        "reviewer sync ~/Dropbox/review --watch            # until Ctrl+C",
        "reviewer sync ~/review-repo/reviews --git         # pull, write, commit, push",
    )
)
@click.argument("folder", type=click.Path(file_okay=False))
@click.option(
    "--pdf",
    "pdfs",
    multiple=True,
    type=click.Path(dir_okay=False),
    help="Only this document (repeatable; default: every document in the database).",
)
@click.option("--json", "as_json", is_flag=True, help="Print JSON: one object per file read or written.")
@click.option("--watch", is_flag=True, help="Keep syncing until stopped (headless use).")
@click.option(
    "--interval",
    type=click.FloatRange(min=0.2),
    default=None,
    help="Seconds between two looks at the folder with --watch (default 2).",
)
@click.option(
    "--git", "use_git", is_flag=True, help="FOLDER is in a git work tree: pull, sync, commit, push."
)
@pass_app
def sync(
    app: AppContext,
    folder: str,
    pdfs: tuple[str, ...],
    as_json: bool,
    watch: bool,
    interval: float | None,
    use_git: bool,
) -> None:
    """Write this reviewer's review of each document into FOLDER and import the teammates'.

    Each document has a folder of its own in FOLDER (its title and id); each reviewer writes one
    file there, <reviewer id>.review.json, only when its content changed. Private notes are
    never written. Files a sync client is still writing, or that are damaged, are skipped with
    a warning and read again next time.
    """
    if interval is not None and not watch:
        raise click.UsageError("--interval is for --watch (a single sync looks once)")
    from reviewer.core.errors import ReviewerError
    from reviewer.core.exchange.team_folder import sync_folder

    review = app.review()
    document_ids = [str(review.register(app.open_pdf(p))["id"]) for p in pdfs] or None

    warned: set[tuple[str, str]] = set()

    def once() -> None:
        steps: list[str] = []
        if use_git:
            from reviewer.core.exchange.team_git import git_sync

            outcome = git_sync(review, folder, document_ids)
            report, steps = outcome.report, outcome.steps
        else:
            report = sync_folder(review, folder, document_ids)
        files = report.files
        if watch:  # a look that found nothing new prints nothing; a warning is given once
            files = [
                f
                for f in files
                if f.action in ("imported", "written")
                or (f.action == "skipped" and (f.file, f.warning) not in warned)
            ]
            warned.update((f.file, f.warning) for f in files if f.action == "skipped")
            if not files:
                return
        if as_json:
            emit_json([f.to_json() for f in files])
            return
        for f in files:
            _print_outcome(f)
        for line in steps:
            click.echo(f"git: {line}")

    if not watch:
        once()
        return
    try:
        while True:
            try:
                once()
            except ReviewerError as exc:  # the folder may come back (a network drive): go on
                click.echo(f"reviewer: warning: {exc}", err=True)
            time.sleep(interval or 2.0)
    except KeyboardInterrupt:
        click.echo("stopped", err=True)


def _print_outcome(f) -> None:  # type: ignore[no-untyped-def]
    from reviewer.core.exchange.team_folder import NOT_HERE

    if f.action == "imported":
        click.echo(
            f"{f.file}: {f.added} added, {f.updated} updated, {f.unchanged} unchanged, "
            f"{f.conflicts} conflicts"
        )
        for item_id in f.conflict_ids:
            click.echo(f"  conflict: {item_id} (see 'reviewer list PDF --conflicts')")
    elif f.action == "skipped":
        click.echo(f"reviewer: warning: {f.file}: {f.warning}", err=True)
    elif f.action == NOT_HERE:
        click.echo(
            f"{f.file}: not imported: its document is not in this database "
            "(open the PDF once, e.g. 'reviewer list PDF', then sync again)"
        )
    else:
        click.echo(f"{f.file}: {f.action}")
