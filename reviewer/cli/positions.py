"""``reviewer position``, ``mark``, ``assign`` and ``coverage``: the team's verdicts article by
article, who has finished which article, and who reviews which."""

from __future__ import annotations

import click

from reviewer.cli.context import AppContext, emit_json, examples, main_group, pass_app
from reviewer.core.model import STANCES


@main_group.command(
    epilog=examples(
        'reviewer position treaty.pdf --article 24 --stance reservation --rationale "No judge" '
        '--proposal "The Republic reserves the right not to apply Article 24."',
        "reviewer position treaty.pdf --article 3 --stance support",
    )
)
@click.argument("pdf", type=click.Path(dir_okay=False))
@click.option("--article", "number", required=True, type=click.IntRange(min=0), help="Article number.")
@click.option("--stance", required=True, type=click.Choice(STANCES), help="Your position on the article.")
@click.option("--rationale", default="", help="Why.")
@click.option("--proposal", help="Draft wording of the reservation or declaration proposed.")
@click.option("--json", "as_json", is_flag=True, help="Print the position as JSON.")
@pass_app
def position(
    app: AppContext,
    pdf: str,
    number: int,
    stance: str,
    rationale: str,
    proposal: str | None,
    as_json: bool,
) -> None:
    """Record your position on an article (it supersedes your previous one; prints its id)."""
    from reviewer.core.positions import set_position

    document = app.open_pdf(pdf)
    review = app.review()
    change = set_position(review, document, number, stance, rationale, proposal)
    annotation = review.annotation(change.annotation_ids[0])
    if as_json:
        emit_json(annotation.to_json())
    else:
        click.echo(
            f"{annotation.id} {annotation.citation} {annotation.stance} revision {annotation.revision}"
        )


@main_group.command(
    epilog=examples(
        "reviewer mark treaty.pdf --article 24 --reviewed",
        "reviewer mark treaty.pdf --article 24 --not-reviewed",
    )
)
@click.argument("pdf", type=click.Path(dir_okay=False))
@click.option("--article", "number", required=True, type=click.IntRange(min=0), help="Article number.")
@click.option(
    "--reviewed/--not-reviewed",
    default=None,
    help="You have finished reviewing the article (or not after all).",
)
@pass_app
def mark(app: AppContext, pdf: str, number: int, reviewed: bool | None) -> None:
    """Mark an article as reviewed by you (or take the mark back)."""
    from reviewer.core.positions import article, mark_reviewed

    if reviewed is None:
        raise click.UsageError("give --reviewed or --not-reviewed")
    document = app.open_pdf(pdf)
    mark_reviewed(app.review(), document, [number], reviewed)
    unit = article(document, number)
    click.echo(
        f"{unit.citation} {'reviewed' if reviewed else 'not reviewed'} by {app.review().identity.name}"
    )


@main_group.command(
    epilog=examples(
        'reviewer assign treaty.pdf --articles "1-20,24" --to "Beatriz Núñez"',
        "reviewer assign treaty.pdf --articles 24 --unassign",
    )
)
@click.argument("pdf", type=click.Path(dir_okay=False))
@click.option("--articles", "spec", required=True, help='Article numbers and ranges: "1-20,24".')
@click.option("--to", "assignee", help="Who reviews them.")
@click.option("--unassign", is_flag=True, help="Take the assignment back.")
@pass_app
def assign(app: AppContext, pdf: str, spec: str, assignee: str | None, unassign: bool) -> None:
    """Assign articles to a reviewer (assignments travel in review files)."""
    from reviewer.core.positions import assign as assign_articles

    if unassign == (assignee is not None):
        raise click.UsageError("give either --to NAME or --unassign")
    document = app.open_pdf(pdf)
    change = assign_articles(app.review(), document, spec, None if unassign else assignee)
    count = len(change.after.assignments)
    who = "unassigned" if unassign else f"assigned to {assignee}"
    click.echo(f"{count} article{'s' if count != 1 else ''} {who}")


@main_group.command(
    epilog=examples("reviewer coverage treaty.pdf", "reviewer coverage treaty.pdf --json"),
)
@click.argument("pdf", type=click.Path(dir_okay=False))
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@pass_app
def coverage(app: AppContext, pdf: str, as_json: bool) -> None:
    """Every article with its assignee, who has reviewed it, its annotations and positions."""
    from reviewer.core.coverage import coverage as coverage_of

    found = coverage_of(app.review(), app.open_pdf(pdf))
    if as_json:
        emit_json(found.to_json())
        return
    for a in found.articles:
        positions = ", ".join(f"{p.author}: {p.stance}" for p in a.positions) or "-"
        reviewed = ", ".join(a.reviewed_by) or "-"
        click.echo(
            f"{a.article.citation:<10} {a.article.title[:40]:<40} {a.assignee or '-':<16} "
            f"reviewed: {reviewed:<20} {a.annotations:>4} annotations  positions: {positions}"
        )
    for name, (done, total) in found.by_assignee().items():
        click.echo(f"{name}: {done} of {total} assigned articles reviewed")
    click.echo(f"{found.summary_line()} ({found.reviewed_share:.0%})")
