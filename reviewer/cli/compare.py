"""``reviewer compare``: two different treaties article by article (a suggested concordance),
``reviewer concordance``: the team's confirmed pairs, and ``reviewer link``: a passage of one
linked to a passage of the other."""

from __future__ import annotations

from pathlib import Path

import click

from reviewer.cli.context import AppContext, emit_json, examples, main_group, pass_app
from reviewer.core.errors import ReviewerError


def _refuse_overwriting(output: str, *originals: str) -> None:
    for original in originals:
        if Path(output).resolve() == Path(original).resolve():
            raise ReviewerError("the output would overwrite a compared PDF; choose another name", path=output)


@main_group.command(
    "compare",
    epilog=examples(
        "reviewer compare budapest.pdf un-convention.pdf",
        "reviewer compare budapest.pdf un-convention.pdf --json",
        "reviewer compare budapest.pdf un-convention.pdf -o concordance.csv",
    ),
)
@click.argument("a", type=click.Path(dir_okay=False))
@click.argument("b", type=click.Path(dir_okay=False))
@click.option("--json", "as_json", is_flag=True, help="Print the concordance as JSON.")
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, writable=True),
    help="Write the concordance as CSV (one row per pair, then the articles with no counterpart).",
)
@pass_app
def compare_command(app: AppContext, a: str, b: str, as_json: bool, output: str | None) -> None:
    """Match the articles of treaty A with those of treaty B.

    Articles are matched by what their titles and text are about, whatever their numbers and
    order: each pair has a score (0-1); an article split in two appears in two pairs. Pairs the
    team confirmed ('reviewer concordance') are marked confirmed, with their relation.
    """
    from reviewer.core.atomic import write_text_atomic
    from reviewer.core.review_compare import comparison_of

    if output:
        if Path(output).suffix.lower() != ".csv":
            raise ReviewerError("the concordance must end in .csv", path=output)
        _refuse_overwriting(output, a, b)
    pdf_a, pdf_b = app.open_pdf(a), app.open_pdf(b)
    comparison = comparison_of(app.review(), pdf_a, pdf_b)
    if output:
        from reviewer.core.concordance import concordance_csv

        write_text_atomic(output, concordance_csv(comparison))
    if as_json:
        emit_json(comparison.to_json())
        return
    for pair in comparison.pairs:
        mark = "confirmed" if pair.confirmed else f"{pair.score:.2f}"
        relation = f"  {pair.relation}" if pair.relation else ""
        titles = f"{pair.a_title[:34]} | {pair.b_title[:34]}"
        click.echo(f"{pair.a:<10} = {pair.b:<10} {mark:<9}{relation}  {titles}")
    if comparison.only_in_a:
        click.echo(f"only in A: {', '.join(comparison.only_in_a)}")
    if comparison.only_in_b:
        click.echo(f"only in B: {', '.join(comparison.only_in_b)}")
    click.echo(
        f"pairs: {len(comparison.pairs)}  only in A: {len(comparison.only_in_a)}  "
        f"only in B: {len(comparison.only_in_b)}"
    )
