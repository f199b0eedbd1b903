"""The ``reviewer`` command line: thin click commands over ``reviewer.core``.

Exit codes: 0 ok, 1 a user error (one line on stderr, no traceback), 2 a usage error.
This module must not import PySide6; only ``reviewer open`` loads the GUI, lazily.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

from reviewer import __version__
from reviewer.core.errors import ReviewerError
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
        ctx.invoke(open_command, pdf=None)


@main_group.command(
    "open",
    epilog=examples("reviewer open treaty.pdf", "QT_QPA_PLATFORM=offscreen reviewer open  # no display"),
)
@click.argument("pdf", required=False, type=click.Path(dir_okay=False))
@pass_app
def open_command(app: AppContext, pdf: str | None) -> None:
    """Open the review window (on PDF, else the last document, else the sample treaty)."""
    from reviewer.launch import has_display

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


@main_group.command(
    epilog=examples(
        'reviewer annotate treaty.pdf --quote "real time" --page 5 --tag safeguard --comment "No judge"',
        'reviewer annotate treaty.pdf --quote "Conditions and safeguards" --occurrence 1 --json',
    )
)
@click.argument("pdf", type=click.Path(dir_okay=False))
@click.option(
    "--quote",
    required=True,
    help="The passage, as it reads (line breaks, hyphens at line ends and ligatures are ignored).",
)
@click.option(
    "--page",
    type=click.IntRange(min=1),
    help="1-based page where the quote starts, when it occurs more than once.",
)
@click.option(
    "--occurrence",
    type=click.IntRange(min=1),
    help="Which occurrence (1-based) when it occurs more than once.",
)
@click.option("--tag", "tags", multiple=True, help="Tag name (repeatable).")
@click.option("--comment", default="", help="Why this passage matters.")
@click.option("--status", type=click.Choice(STATUSES), default="open", show_default=True)
@click.option("--json", "as_json", is_flag=True, help="Print the created annotation as JSON.")
@pass_app
def annotate(
    app: AppContext,
    pdf: str,
    quote: str,
    page: int | None,
    occurrence: int | None,
    tags: tuple[str, ...],
    comment: str,
    status: str,
    as_json: bool,
) -> None:
    """Find a passage in PDF and highlight it; prints the new annotation's id."""
    document = app.open_pdf(pdf)
    annotation = app.review().annotate_quote(
        document, quote, page=page, occurrence=occurrence, tags=tags, comment=comment, status=status
    )
    if as_json:
        emit_json(annotation.to_json())
    else:
        click.echo(annotation.id)


@main_group.command(
    "list",
    epilog=examples(
        "reviewer list treaty.pdf",
        'reviewer list treaty.pdf --tag "weak or missing safeguard" --status open --json',
        'reviewer list treaty.pdf --search "judicial review"',
    ),
)
@click.argument("pdf", type=click.Path(dir_okay=False))
@click.option(
    "--tag", "tags", multiple=True, help="Only annotations with this tag (repeatable: any of them)."
)
@click.option("--author", "authors", multiple=True, help="Only annotations by this reviewer (repeatable).")
@statuses_option
@click.option("--search", help="Full-text search over quote and comment.")
@click.option("--include-deleted", is_flag=True, help="Also list deleted annotations (tombstones).")
@click.option(
    "--conflicts",
    "show_conflicts",
    is_flag=True,
    help="List merge conflicts instead (see 'reviewer resolve').",
)
@click.option("--json", "as_json", is_flag=True, help="Print JSON (a list of annotation objects).")
@pass_app
def list_command(
    app: AppContext,
    pdf: str,
    tags: tuple[str, ...],
    authors: tuple[str, ...],
    statuses: tuple[str, ...],
    search: str | None,
    include_deleted: bool,
    show_conflicts: bool,
    as_json: bool,
) -> None:
    """List the annotations of PDF, in reading order."""
    from reviewer.core.review import Filters

    if show_conflicts:
        given = [
            flag
            for flag, value in (
                ("--tag", tags),
                ("--author", authors),
                ("--status", statuses),
                ("--search", search),
                ("--include-deleted", include_deleted),
            )
            if value
        ]
        if given:  # conflicts are listed whole: a filter would be silently ignored
            raise click.UsageError(f"--conflicts lists every conflict; it does not take {', '.join(given)}")

    document = app.open_pdf(pdf)
    review = app.review()
    doc_row = review.register(document)
    if show_conflicts:
        from reviewer.cli_exchange import print_conflicts

        print_conflicts(app, doc_row["id"], as_json)
        return
    for tag in tags:
        review.tag(tag)  # an unknown tag is an error, not an empty list
    found = review.annotations(
        doc_row["id"],
        Filters(
            tags=tags, authors=authors, statuses=statuses, search=search, include_deleted=include_deleted
        ),
    )
    if as_json:
        emit_json([a.to_json() for a in found])
        return
    if not found:
        click.echo("no annotations", err=True)
        return
    for a in found:
        place = a.citation or f"p.{document.page_label(a.page)}"
        tags_text = ", ".join(a.tag_names) or "-"
        quote = a.quote if len(a.quote) <= 70 else a.quote[:67] + "..."
        deleted = " [deleted]" if a.deleted else ""
        line = (
            f"{a.id[:8]}  {place:<14} {a.status:<8} {a.author_name:<14} [{tags_text}] "
            f"\u201c{quote}\u201d{deleted}"
        )
        click.echo(line)
        if a.comment:
            click.echo(f"          {a.comment.splitlines()[0][:100]}")
        if a.replies:
            click.echo(f"          {len(a.replies)} repl{'y' if len(a.replies) == 1 else 'ies'}")


@main_group.command(
    epilog=examples(
        'reviewer edit 3f2a9c1e --comment "Needs a sunset clause." --add-tag "weak or missing safeguard"',
        "reviewer edit 3f2a9c1e --status accepted",
    )
)
@click.argument("annotation_id", metavar="ID")
@click.option("--comment", help="Replace the comment.")
@click.option("--add-tag", "add_tags", multiple=True, help="Add a tag (repeatable).")
@click.option("--remove-tag", "remove_tags", multiple=True, help="Remove a tag (repeatable).")
@click.option("--status", type=click.Choice(STATUSES))
@pass_app
def edit(
    app: AppContext,
    annotation_id: str,
    comment: str | None,
    add_tags: tuple[str, ...],
    remove_tags: tuple[str, ...],
    status: str | None,
) -> None:
    """Change an annotation's comment, tags or status (ID or a unique prefix of it)."""
    if comment is None and not add_tags and not remove_tags and status is None:
        raise click.UsageError("nothing to change: give --comment, --add-tag, --remove-tag or --status")
    review = app.review()
    full_id = review.resolve_id(annotation_id)
    review.edit(full_id, comment=comment, status=status, add_tags=add_tags, remove_tags=remove_tags)
    annotation = review.annotation(full_id)
    click.echo(f"{full_id} revision {annotation.revision}")


@main_group.command(epilog=examples('reviewer reply 3f2a9c1e --comment "Agreed; see Art. 13(2)."'))
@click.argument("annotation_id", metavar="ID")
@click.option("--comment", required=True, help="The reply.")
@pass_app
def reply(app: AppContext, annotation_id: str, comment: str) -> None:
    """Reply to an annotation; prints the reply's id."""
    review = app.review()
    change = review.reply(review.resolve_id(annotation_id), comment)
    click.echo(next(iter(change.after.replies)))


@main_group.command(epilog=examples("reviewer delete 3f2a9c1e"))
@click.argument("annotation_id", metavar="ID")
@pass_app
def delete(app: AppContext, annotation_id: str) -> None:
    """Delete an annotation (kept as a tombstone so the deletion reaches teammates)."""
    review = app.review()
    full_id = review.resolve_id(annotation_id)
    review.delete(full_id)
    click.echo(f"deleted {full_id}")


@main_group.group(
    invoke_without_command=True,
    epilog=examples(
        "reviewer tags",
        'reviewer tags add "proportionality" --color "#1B998B" --definition "Necessity test."',
        'reviewer tags rename "safeguard" "safeguard (adequate)"',
        'reviewer tags recolor "data sharing" "#005F73"',
        'reviewer tags retire "dual criminality"',
        'reviewer tags merge "vague term" "vague definition"',
    ),
)
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@click.option("--all", "include_retired", is_flag=True, help="Include retired tags.")
@click.pass_context
def tags(ctx: click.Context, as_json: bool, include_retired: bool) -> None:
    """The tag taxonomy: list it, or add, rename, recolor, retire and merge tags."""
    if ctx.invoked_subcommand is not None:
        return
    review = ctx.find_object(AppContext).review()
    usage = review.tag_usage()
    found = review.tags(include_retired=True)
    if not include_retired and not as_json:
        found = [t for t in found if not t.retired]
    if as_json:
        emit_json(
            [
                {
                    "name": t.name,
                    "color": t.color,
                    "definition": t.definition,
                    "retired": t.retired,
                    "position": t.position,
                    "count": usage.get(t.id, 0),
                }
                for t in found
            ]
        )
        return
    for index, t in enumerate(found, start=1):
        key = str(index) if index <= 9 and not t.retired else " "
        retired = " (retired)" if t.retired else ""
        click.echo(f"{key}  {t.color}  {t.name}{retired}  [{usage.get(t.id, 0)}]  {t.definition}")


@tags.command("add", epilog=examples('reviewer tags add "proportionality" --color green'))
@click.argument("name")
@click.option("--color", default="#78909C", show_default=True, help="#RRGGBB or a colour name.")
@click.option("--definition", default="", help="One line saying when to use it.")
@pass_app
def tags_add(app: AppContext, name: str, color: str, definition: str) -> None:
    """Add a tag."""
    app.review().add_tag(name, color, definition)
    click.echo(f"added tag {name!r}")


@tags.command("rename", epilog=examples('reviewer tags rename "safeguard" "adequate safeguard"'))
@click.argument("old")
@click.argument("new")
@pass_app
def tags_rename(app: AppContext, old: str, new: str) -> None:
    """Rename a tag; every annotation carrying it shows the new name."""
    app.review().rename_tag(old, new)
    click.echo(f"renamed {old!r} to {new!r}")


@tags.command("recolor", epilog=examples('reviewer tags recolor "data sharing" "#005F73"'))
@click.argument("name")
@click.argument("color")
@pass_app
def tags_recolor(app: AppContext, name: str, color: str) -> None:
    """Give a tag a new colour (#RRGGBB or a colour name)."""
    app.review().recolor_tag(name, color)
    click.echo(f"recoloured {name!r}")


@tags.command(
    "retire",
    epilog=examples(
        'reviewer tags retire "dual criminality"', 'reviewer tags retire "dual criminality" --undo'
    ),
)
@click.argument("name")
@click.option("--undo", is_flag=True, help="Bring a retired tag back.")
@pass_app
def tags_retire(app: AppContext, name: str, undo: bool) -> None:
    """Retire a tag: annotations keep it, it is no longer offered for new ones."""
    app.review().retire_tag(name, retired=not undo)
    click.echo(f"{'restored' if undo else 'retired'} {name!r}")


@tags.command("merge", epilog=examples('reviewer tags merge "vague term" "vague definition"'))
@click.argument("source")
@click.argument("target")
@pass_app
def tags_merge(app: AppContext, source: str, target: str) -> None:
    """Move every annotation from SOURCE to TARGET and retire SOURCE."""
    change = app.review().merge_tags(source, target)
    click.echo(f"merged {source!r} into {target!r} ({len(change.after.annotations)} annotations)")


@tags.command("describe", epilog=examples('reviewer tags describe "safeguard" "Limits a power."'))
@click.argument("name")
@click.argument("definition")
@pass_app
def tags_describe(app: AppContext, name: str, definition: str) -> None:
    """Set a tag's one-line definition."""
    app.review().describe_tag(name, definition)
    click.echo(f"described {name!r}")


def main(argv: list[str] | None = None) -> None:
    """Entry point: user errors become one line and exit code 1."""
    from reviewer.launch import run_guarded

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

# Each area registers its commands on ``main_group`` in a module of its own.
COMMAND_MODULES = (
    "reviewer.cli_view",
    "reviewer.cli_anchors",
    "reviewer.cli_exchange",
    "reviewer.cli_report",
    "reviewer.cli_safety",
)


def _register_command_modules() -> None:
    import importlib

    for module_name in COMMAND_MODULES:
        try:
            importlib.import_module(module_name)
        except ModuleNotFoundError as exc:
            if exc.name != module_name:
                raise


_register_command_modules()
