"""``reviewer tags``: the team's taxonomy."""

from __future__ import annotations

import click

from reviewer.cli.context import AppContext, emit_json, examples, main_group, pass_app


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
