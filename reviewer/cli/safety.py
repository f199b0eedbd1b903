"""``reviewer backup``, ``reviewer restore`` and ``reviewer check``: thin shells over
``reviewer.core.backup``."""

from __future__ import annotations

import click

from reviewer.cli.context import AppContext, emit_json, examples, main_group, pass_app
from reviewer.core.errors import ReviewerError


def _backups():  # type: ignore[no-untyped-def]
    # imported when a command runs: it loads sqlite-utils (40 ms), which `reviewer open` and
    # every other command would otherwise pay before doing anything
    from reviewer.core import backup

    return backup


@main_group.command(
    "backup",
    epilog=examples(
        "reviewer backup                       # into backups/ beside the database (rotated)",
        "reviewer backup -o ~/review-2026-05-01.sqlite3",
    ),
)
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False),
    help="Write the backup to FILE instead of the backups folder.",
)
@pass_app
def backup_command(app: AppContext, output: str | None) -> None:
    """Make a verified copy of the review database (safe while the app is open)."""
    path = _backups().make_backup(app.db_path, reason="manual", target=output)
    click.echo(f"backup written and verified: {path}")


@main_group.command(
    "restore",
    epilog=examples(
        "reviewer restore backups/reviewer-20260501T101500000000Z-daily.sqlite3",
        "reviewer check   # lists the newest backup",
    ),
)
@click.argument("backup_file", metavar="FILE", type=click.Path(dir_okay=False))
@pass_app
def restore_command(app: AppContext, backup_file: str) -> None:
    """Replace the review database by a backup, after checking the backup.

    The current database is renamed aside (<name>.replaced-<time>), never deleted.
    """
    report = _backups().restore_backup(app.db_path, backup_file)
    counts = report.counts
    click.echo(
        f"restored {report.backup} into {report.db_path} "
        f"({counts.get('annotations', 0)} annotations, {counts.get('replies', 0)} replies)"
    )
    if report.moved_aside:
        click.echo(f"the previous database was kept as {report.moved_aside[0]}")


@main_group.command(
    "check",
    epilog=examples("reviewer check", "reviewer check --json"),
)
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@pass_app
def check_command(app: AppContext, as_json: bool) -> None:
    """Check the review database: integrity, row counts and the newest backup.

    Exits 1 when the database is damaged.
    """
    result = _backups().check_database(app.db_path)
    if as_json:
        emit_json(result)
    else:
        click.echo(f"database:      {result['database']}")
        click.echo(f"integrity:     {result['integrity']}")
        for name, count in result.get("counts", {}).items():
            click.echo(f"{name + ':':<14} {count}")
        newest = result["newest_backup"]
        if newest:
            click.echo(f"newest backup: {newest['path']} ({newest['created']}, {newest['reason']})")
        else:
            click.echo("newest backup: none (make one with 'reviewer backup')")
    if result["problems"]:
        raise ReviewerError(
            f"the database is damaged ({result['problems'][0]}); restore a backup with "
            "'reviewer restore FILE'",
            path=str(app.db_path),
        )
