"""The whole command line: the click group with every command area registered, and ``main``.

Each area registers its commands on ``main_group`` in a module of its own; importing them here
is what makes them part of ``reviewer``.
"""

from __future__ import annotations

import sys

import click

# (No area module may be called `annotations`: `from __future__ import annotations` has that name.)
from reviewer.cli import (  # noqa: F401  (each registers its commands)
    anchors,
    annotating,
    compare,
    diff,
    documents,
    exchange,
    positions,
    report,
    safety,
    sync,
    tags,
    view,
)
from reviewer.cli.context import main_group
from reviewer.cli.guard import run_guarded


def main(argv: list[str] | None = None) -> None:
    """Entry point: user errors become one line and exit code 1."""

    def run() -> None:
        try:
            main_group.main(args=argv, prog_name="reviewer", standalone_mode=False)
        except click.exceptions.Abort:
            click.echo("reviewer: aborted", err=True)
            sys.exit(1)
        except click.ClickException as exc:
            exc.show()
            sys.exit(exc.exit_code)

    run_guarded(run)


# Kept for tests that drive the click group directly (CliRunner).
cli = main_group
