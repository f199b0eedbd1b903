"""What every command shares: the click group with the global options, the lazily opened
review (``AppContext``), ``--help`` examples and JSON output."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

from reviewer import __version__
from reviewer.core.model import STATUSES
from reviewer.core.settings import Settings, resolve_identity

F = TypeVar("F", bound=Callable[..., Any])


class AppContext:
    """What every command needs, opened only when a command asks for it."""

    def __init__(self, db: str | None, author: str | None, password: str | None) -> None:
        self.db_path = Path(db) if db else _default_db()
        self.author = author
        self.password = password
        self.settings = Settings.load()
        self._review: Any = None

    @property
    def identity(self) -> Any:
        return resolve_identity(self.author, self.settings)

    def review(self) -> Any:
        if self._review is None:
            from reviewer.core.review import Review

            self._review = Review.open(self.db_path, self.identity)
        return self._review

    def open_pdf(self, path: str) -> Any:
        from reviewer.core.pdf import open_pdf

        return open_pdf(path, self.password)

    def close(self) -> None:
        if self._review is not None:
            self._review.close()


def _default_db() -> Path:
    from reviewer.core.store import default_db_path

    return default_db_path()


pass_app = click.make_pass_decorator(AppContext)


def examples(*lines: str) -> str:
    return "\b\nExamples:\n" + "\n".join(f"  {line}" for line in lines)


def emit_json(value: Any) -> None:
    click.echo(json.dumps(value, ensure_ascii=False, indent=2))


def statuses_option(f: F) -> F:
    return click.option(
        "--status",
        "statuses",
        multiple=True,
        type=click.Choice(STATUSES),
        help="Only annotations with this status (repeatable).",
    )(f)


@click.group(
    invoke_without_command=True,
    epilog=examples(
        "reviewer                                   # the app, on the sample treaty at first",
        'reviewer annotate treaty.pdf --quote "competent authorities" --page 3 --tag "surveillance power"',
        "reviewer list treaty.pdf --tag safeguard --json",
    ),
    context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100},
)
@click.option(
    "--db",
    type=click.Path(dir_okay=False),
    envvar="REVIEWER_DB",
    help="Review database (default: the user data folder).",
)
@click.option(
    "--author",
    envvar="REVIEWER_AUTHOR",
    help="Reviewer name for new changes (default: settings, else login name).",
)
@click.option("--password", envvar="REVIEWER_PDF_PASSWORD", help="Password of an encrypted PDF.")
@click.version_option(__version__, prog_name="reviewer")
@click.pass_context
def main_group(ctx: click.Context, db: str | None, author: str | None, password: str | None) -> None:
    """Reviewer: read treaty PDFs, tag and comment passages, merge a team's reviews, print reports."""
    app = AppContext(db, author, password)
    ctx.obj = app
    ctx.call_on_close(app.close)
    if ctx.invoked_subcommand is None:
        open_command = main_group.get_command(ctx, "open")
        assert open_command is not None  # registered by reviewer.cli.documents
        ctx.invoke(open_command, pdf=None)


