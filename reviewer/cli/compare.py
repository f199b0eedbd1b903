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


@main_group.command(
    "concordance",
    epilog=examples(
        'reviewer concordance budapest.pdf un-convention.pdf --set "Art. 15=Art. 24"',
        'reviewer concordance a.pdf b.pdf --set "Art. 15=Art. 24" --relation safeguard-missing',
        'reviewer concordance budapest.pdf un-convention.pdf --unset "Art. 9=Art. 12"',
        "reviewer concordance budapest.pdf un-convention.pdf --json",
    ),
)
@click.argument("a", type=click.Path(dir_okay=False))
@click.argument("b", type=click.Path(dir_okay=False))
@click.option(
    "--set", "to_set", metavar='"A=B"', help="Confirm a pair: A's article = B's (\"Art. 15=Art. 24\")."
)
@click.option("--unset", "to_unset", metavar='"A=B"', help="Remove a confirmed pair.")
@click.option(
    "--relation",
    type=click.Choice(
        ["equivalent", "broader", "narrower", "safeguard-missing", "no-counterpart", "related"]
    ),
    help="With --set: A's article relative to B's.",
)
@click.option("--json", "as_json", is_flag=True, help="Print the confirmed pairs as JSON.")
@pass_app
def concordance_command(
    app: AppContext,
    a: str,
    b: str,
    to_set: str | None,
    to_unset: str | None,
    relation: str | None,
    as_json: bool,
) -> None:
    """Confirm or remove pairs of the concordance of treaties A and B; without --set or
    --unset, list the confirmed pairs.

    Confirmed pairs are the team's: they travel in review files and are merged like
    annotations; 'reviewer compare' shows them as confirmed.
    """
    from reviewer.core import review_compare as rc

    if to_set and to_unset:
        raise click.UsageError("give --set or --unset, not both")
    if relation and not to_set:
        raise click.UsageError("--relation goes with --set")
    pdf_a, pdf_b = app.open_pdf(a), app.open_pdf(b)
    review = app.review()
    if to_set or to_unset:
        left, right = rc.parse_pair(to_set or to_unset or "")
        rc.set_pair(review, pdf_a, left, pdf_b, right, relation, unset=bool(to_unset))
        a_citation, b_citation = rc.citation_in(pdf_a, left), rc.citation_in(pdf_b, right)
        verb = "removed" if to_unset else "confirmed"
        click.echo(f"{verb} {a_citation}={b_citation}" + (f" ({relation})" if relation else ""))
        return
    a_id, b_id = review.register(pdf_a)["id"], review.register(pdf_b)["id"]
    pairs = rc.confirmed_pairs(review, a_id, b_id, include_deleted=False)
    if as_json:
        emit_json([{"a": p.a, "b": p.b, "relation": p.relation} for p in pairs])
        return
    if not pairs:
        click.echo("no confirmed pairs", err=True)
    for p in pairs:
        click.echo(f"{p.a:<10} = {p.b:<10} {p.relation or ''}".rstrip())


@main_group.command(
    "link",
    epilog=examples(
        'reviewer link un-convention.pdf --quote "real time" --to budapest.pdf --to-quote "real-time" '
        "--relation safeguard-missing",
        'reviewer link a.pdf --quote "ninety days" --page 7 --to b.pdf --to-quote "90 days" --to-page 4 '
        '--comment "Same period" --tag safeguard',
    ),
)
@click.argument("pdf", type=click.Path(dir_okay=False))
@click.option("--quote", required=True, help="The passage in PDF, as it reads.")
@click.option("--to", "to_pdf", required=True, type=click.Path(dir_okay=False), help="The other document.")
@click.option("--to-quote", required=True, help="The passage in the other document.")
@click.option(
    "--page", type=click.IntRange(min=1), help="1-based page of --quote, when it occurs more than once."
)
@click.option("--to-page", type=click.IntRange(min=1), help="1-based page of --to-quote.")
@click.option(
    "--relation",
    type=click.Choice(
        ["equivalent", "broader", "narrower", "safeguard-missing", "no-counterpart", "related"]
    ),
    help="PDF's passage relative to the other one.",
)
@click.option("--comment", default="", help="Why the two passages belong together.")
@click.option("--tag", "tags", multiple=True, help="Tag name (repeatable).")
@click.option("--json", "as_json", is_flag=True, help="Print the created link as JSON.")
@pass_app
def link_command(
    app: AppContext,
    pdf: str,
    quote: str,
    to_pdf: str,
    to_quote: str,
    page: int | None,
    to_page: int | None,
    relation: str | None,
    comment: str,
    tags: tuple[str, ...],
    as_json: bool,
) -> None:
    """Link a passage of PDF to a passage of another document; prints the link's id.

    A link is one annotation with an end in each document: 'reviewer list' of either shows
    it; it has tags, a comment, a status and replies like any annotation.
    """
    from reviewer.core.review_compare import link_quotes

    pdf_a, pdf_b = app.open_pdf(pdf), app.open_pdf(to_pdf)
    link = link_quotes(
        app.review(),
        pdf_a,
        quote,
        pdf_b,
        to_quote,
        page=page,
        to_page=to_page,
        relation=relation,
        comment=comment,
        tags=tags,
    )
    if as_json:
        emit_json(link.to_json())
    else:
        click.echo(link.id)
