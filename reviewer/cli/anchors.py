"""CLI of the anchors area: ``structure``, ``carry`` and ``reattach``."""

from __future__ import annotations

import click

from reviewer.cli.context import AppContext, emit_json, examples, main_group, pass_app
from reviewer.core.errors import ReviewerError


@main_group.command(
    "structure",
    epilog=examples("reviewer structure treaty.pdf", "reviewer structure treaty.pdf --json"),
)
@click.argument("pdf", type=click.Path(dir_okay=False))
@click.option("--json", "as_json", is_flag=True, help="Print JSON (preamble, divisions, articles).")
@pass_app
def structure_command(app: AppContext, pdf: str, as_json: bool) -> None:
    """Print the structure detected in PDF: preamble, chapters, articles, paragraphs."""
    from reviewer.core.structure import structure_of

    document = app.open_pdf(pdf)
    found = structure_of(document)
    if as_json:
        emit_json(found.to_json())
        return
    if found.preamble:
        click.echo(f"Preamble{'':<34} p.{document.page_label(found.preamble[2])}")
    divisions_shown: set[int] = set()
    for article in found.articles:
        if article.division is not None and article.division not in divisions_shown:
            for index in range(min(divisions_shown, default=-1) + 1, article.division + 1):
                if index in divisions_shown:
                    continue
                division = found.divisions[index]
                divisions_shown.add(index)
                click.echo(
                    f"{division.name}  {division.title}".rstrip()
                    + f"  p.{document.page_label(division.page)}"
                )
        numbered = [p.number for p in article.paragraphs if p.number is not None]
        parts = []
        if numbered:
            parts.append(f"paragraphs {numbered[0]}-{numbered[-1]}" if len(numbered) > 1 else "paragraph 1")
        subs = [s.letter for p in article.paragraphs for s in p.subparagraphs]
        if subs:
            parts.append(f"{len(subs)} subparagraph{'s' if len(subs) != 1 else ''}")
        detail = f"  [{', '.join(parts)}]" if parts else ""
        title = article.title if len(article.title) <= 60 else article.title[:57] + "..."
        click.echo(f"  {article.citation:<10} {title}  p.{document.page_label(article.page)}{detail}")
    if not found.articles and not found.divisions:
        click.echo("no articles or sections found", err=True)
    else:
        click.echo(f"{len(found.divisions)} divisions, {len(found.articles)} articles/sections", err=True)


@main_group.command(
    "carry",
    epilog=examples(
        "reviewer carry draft.pdf adopted.pdf",
        "reviewer carry draft.pdf adopted.pdf --json",
    ),
)
@click.argument("old", type=click.Path(dir_okay=False))
@click.argument("new", type=click.Path(dir_okay=False))
@click.option("--json", "as_json", is_flag=True, help="Print each annotation's outcome as JSON.")
@pass_app
def carry_command(app: AppContext, old: str, new: str, as_json: bool) -> None:
    """Copy the annotations of OLD onto NEW, a new version of the same text.

    Both versions are aligned word by word: each annotation follows its words (exact),
    follows them through a light redraft (fuzzy, with its score and diff), through a material
    change to a number, date, negation, modal verb, and/or or defined term (changed, with its
    diff), or is an orphan because its words were deleted: kept with its quote, to be
    re-attached. The review of OLD stays as it was; carrying again adds no duplicates.
    """
    from reviewer.core.carry import carry_annotations

    old_pdf = app.open_pdf(old)
    new_pdf = app.open_pdf(new)
    review = app.review()
    old_id = old_pdf.info().sha256
    if review.store.document(old_id) is None:
        raise ReviewerError("has no annotations in this review database", path=old)
    report = carry_annotations(review, old_id, new_pdf, old_pdf)
    if as_json:
        emit_json(report.to_json())
        return
    counts = report.counts
    if report.same_document:
        click.echo("OLD and NEW are the same document: anchors checked in place, nothing copied")
    click.echo(
        report.summary()
        + (f"  already carried: {counts['already-carried']}" if counts["already-carried"] else "")
    )
    for outcome in report.outcomes:
        if outcome.status in ("fuzzy", "changed", "orphan"):
            quote = outcome.quote if len(outcome.quote) <= 60 else outcome.quote[:57] + "..."
            where = outcome.new_citation or (
                f"p.{outcome.new_page + 1}" if outcome.new_page is not None else "-"
            )
            score = f" {outcome.score:.2f}" if outcome.status == "fuzzy" and outcome.score is not None else ""
            kinds = f" ({', '.join(outcome.kinds)})" if outcome.kinds else ""
            click.echo(
                f"  {outcome.status}{score}{kinds}  {(outcome.new_id or outcome.old_id)[:8]}  "
                f"{outcome.old_citation or '-'} -> {where}  \u201c{quote}\u201d"
            )
            changes = [f"[-{t}-]" if op == "-" else f"{{+{t}+}}" for op, t in outcome.diff if op != "="]
            if changes:
                shown = " ".join(" ".join(changes).split())
                click.echo(f"      {shown if len(shown) <= 100 else shown[:97] + '...'}")


@main_group.command(
    "reattach",
    epilog=examples(
        'reviewer reattach adopted.pdf 3f2a9c1e --quote "shall not transfer it to a third country"',
    ),
)
@click.argument("pdf", type=click.Path(dir_okay=False))
@click.argument("annotation_id", metavar="ID")
@click.option("--quote", required=True, help="The passage to attach the annotation to.")
@click.option("--page", type=click.IntRange(min=1), help="1-based page where the quote starts.")
@click.option("--occurrence", type=click.IntRange(min=1), help="Which occurrence (1-based).")
@pass_app
def reattach_command(
    app: AppContext,
    pdf: str,
    annotation_id: str,
    quote: str,
    page: int | None,
    occurrence: int | None,
) -> None:
    """Attach an annotation (an orphan after a carry) to a passage of PDF."""
    from reviewer.core.carry import reattach_annotation

    document = app.open_pdf(pdf)
    review = app.review()
    full_id = review.resolve_id(annotation_id)
    start, end = review.locate_quote(document, quote, page=page, occurrence=occurrence)
    reattach_annotation(review, document, full_id, start, end)
    annotation = review.annotation(full_id)
    click.echo(f"{full_id} attached at {annotation.citation or f'p.{annotation.page + 1}'}")
