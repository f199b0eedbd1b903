"""``reviewer annotate``, ``list``, ``edit``, ``reply`` and ``delete``: one annotation at a time."""

from __future__ import annotations

import click

from reviewer.cli.context import AppContext, emit_json, examples, main_group, pass_app, statuses_option
from reviewer.core.model import STATUSES


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
@click.option(
    "--private",
    is_flag=True,
    help="A private note: never written to the team folder or to any export.",
)
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
    private: bool,
    as_json: bool,
) -> None:
    """Find a passage in PDF and highlight it; prints the new annotation's id."""
    document = app.open_pdf(pdf)
    annotation = app.review().annotate_quote(
        document,
        quote,
        page=page,
        occurrence=occurrence,
        tags=tags,
        comment=comment,
        status=status,
        private=private,
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
        from reviewer.cli.exchange import print_conflicts

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
        if a.kind == "position":  # the whole article is its quote: its stance says more
            quote = f"position: {a.stance}" + (" (with a proposal)" if a.proposal else "")
        deleted = (" [deleted]" if a.deleted else "") + (" [private]" if a.private else "")
        line = (
            f"{a.id[:8]}  {place:<14} {a.status:<8} {a.author_name:<14} [{tags_text}] "
            f"\u201c{quote}\u201d{deleted}"
        )
        click.echo(line)
        for end in a.links:  # a link: where its other end stands
            relation = f" ({end.relation})" if end.relation else ""
            other = end.quote if len(end.quote) <= 60 else end.quote[:57] + "..."
            where = end.citation or f"p.{end.page + 1}"
            click.echo(f"          \u2194 {where}{relation} \u201c{other}\u201d")
        if a.comment:
            click.echo(f"          {a.comment.splitlines()[0][:100]}")
        if a.replies:
            click.echo(f"          {len(a.replies)} repl{'y' if len(a.replies) == 1 else 'ies'}")


@main_group.command(
    epilog=examples(
        'reviewer edit 3f2a9c1e --comment "Needs a sunset clause." --add-tag "weak or missing safeguard"',
        "reviewer edit 3f2a9c1e --status accepted",
        "reviewer edit 3f2a9c1e --private      # keep it out of the team folder and exports",
    )
)
@click.argument("annotation_id", metavar="ID")
@click.option("--comment", help="Replace the comment.")
@click.option("--add-tag", "add_tags", multiple=True, help="Add a tag (repeatable).")
@click.option("--remove-tag", "remove_tags", multiple=True, help="Remove a tag (repeatable).")
@click.option("--status", type=click.Choice(STATUSES))
@click.option(
    "--private/--shared",
    "private",
    default=None,
    help="Make it a private note (never in the team folder or exports), or share it again.",
)
@pass_app
def edit(
    app: AppContext,
    annotation_id: str,
    comment: str | None,
    add_tags: tuple[str, ...],
    remove_tags: tuple[str, ...],
    status: str | None,
    private: bool | None,
) -> None:
    """Change an annotation's comment, tags, status or privacy (ID or a unique prefix of it)."""
    if comment is None and not add_tags and not remove_tags and status is None and private is None:
        raise click.UsageError(
            "nothing to change: give --comment, --add-tag, --remove-tag, --status, --private or --shared"
        )
    review = app.review()
    full_id = review.resolve_id(annotation_id)
    if comment is not None or add_tags or remove_tags or status is not None:
        review.edit(full_id, comment=comment, status=status, add_tags=add_tags, remove_tags=remove_tags)
    if private is not None:
        review.set_private(full_id, private)
    annotation = review.annotation(full_id)
    privacy = " (private)" if annotation.private else ""
    click.echo(f"{full_id} revision {annotation.revision}{privacy}")


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
