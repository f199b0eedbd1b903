"""The ratification memorandum: 70 articles, three reviewers' positions on each (dissents and
proposals among them), reviewed marks and assignments, and the annotations (2,000 at full
size), written as a PDF. Budget 10 s (issue 18); the floor is bare PyMuPDF's Story laying out
the same texts as plain paragraphs (the report scenario's floor)."""

from __future__ import annotations

import re
import time
import uuid
from dataclasses import replace
from pathlib import Path

from bench import inputs
from bench.runner import Budget, Context, Measurement, scenario
from bench.timing import timed_ms

ARTICLES = 70
TEAM = (
    ("11111111-1111-4111-8111-000000000001", "Ada Lovelace"),
    ("11111111-1111-4111-8111-000000000002", "Hugo Grotius"),
    ("11111111-1111-4111-8111-000000000003", "Emer de Vattel"),
)
STANCE_CYCLE = ("support", "declaration", "reservation", "oppose", "undecided")
WORDING = (
    "La République se réserve le droit de ne pas appliquer l’article {n} (« contrôle juge »).",
    "Η Δημοκρατία δηλώνει ότι το άρθρο {n} εφαρμόζεται μόνο με δικαστικό έλεγχο.",
    "本国声明：第{n}条仅在司法审查下适用。",
)


def treaty_70() -> Path:
    """The sample treaty's chapters three times over, cut at 70 articles (numbered 1-70)."""
    from reviewer.core.sample_treaty import SAMPLE_TREATY, Chapter, build_treaty_pdf

    path = inputs._cache(f"treaty-{ARTICLES}-articles.pdf")
    if not path.exists():
        chapters: list[Chapter] = []
        left = ARTICLES
        while left > 0:
            for chapter in SAMPLE_TREATY.chapters:
                if left <= 0:
                    break
                take = chapter.articles[:left]
                chapters.append(
                    replace(chapter, title=f"{chapter.title} ({len(chapters) + 1})", articles=take)
                )
                left -= len(take)
        tmp = path.with_suffix(".tmp")
        build_treaty_pdf(replace(SAMPLE_TREATY, chapters=tuple(chapters)), tmp)
        tmp.replace(path)
    return path


def populate(db: Path, pdf_path: Path, count: int) -> None:
    from reviewer.core.pdf import open_pdf
    from reviewer.core.positions import assign, mark_reviewed, set_position
    from reviewer.core.review import Review
    from reviewer.core.settings import Identity

    pdf = open_pdf(pdf_path)
    words = list(re.finditer(r"\S+", pdf.flow().text))
    team = [Identity(i, name) for i, name in TEAM]
    review = Review.open(db, team[0])  # one connection: each reviewer's turn sets its identity
    try:
        with review.store.transaction():  # one commit: creating is not what is timed
            for n in range(count):
                first = (n * 37) % (len(words) - 8)
                review.identity = team[n % 3]
                tags = ["surveillance power"] if n % 7 == 0 else []
                comment = f"Comment {n}: the safeguard is weak."
                review.annotate_range(
                    pdf, words[first].start(), words[first + 5].end(), tags=tags, comment=comment
                )
            for number in range(1, ARTICLES + 1):
                for k, identity in enumerate(team):
                    review.identity = identity
                    stance = STANCE_CYCLE[(number + (k if number % 4 == 0 else 0)) % len(STANCE_CYCLE)]
                    proposal = (
                        WORDING[k].format(n=number) if stance in ("reservation", "declaration") else None
                    )
                    set_position(review, pdf, number, stance, f"Rationale of {k} on {number}.", proposal)
                if number % 3:
                    review.identity = team[number % 3]
                    mark_reviewed(review, pdf, [number], True)
            assign(review, pdf, "1-35", TEAM[0][1])
            assign(review, pdf, "36-70", TEAM[1][1])
    finally:
        pdf.close()
        review.close()


@scenario("memorandum", "memorandum PDF, 70 articles, {s.report_count} annotations", "ms",
          Budget("max", 10_000), needs=("reviewer.core.report.memorandum",))  # fmt: skip
def memorandum(ctx: Context) -> Measurement:
    from bench.exchange_scenarios import _bare_story_pdf
    from reviewer.core.pdf import open_pdf
    from reviewer.core.report.memorandum import build_memorandum
    from reviewer.core.report.memorandum_render import write_memorandum
    from reviewer.core.review import Review

    pdf_path = treaty_70()
    db = ctx.work / "memorandum" / "review.sqlite3"
    db.parent.mkdir(parents=True, exist_ok=True)
    populate(db, pdf_path, ctx.sizes.report_count)
    review = Review.open(db, inputs.BENCH_IDENTITY)
    pdf = open_pdf(pdf_path)
    memo = build_memorandum(review, pdf)
    texts = [e.annotation.quote for e in memo.annotations.entries] + [
        e.annotation.comment for e in memo.annotations.entries
    ]
    texts += [
        f"{p.author} {p.stance} {p.rationale} {p.proposal or ''}"
        for r in memo.rows
        for p in r.coverage.positions
    ]
    samples: list[float] = []
    floor: list[float] = []
    for run in range(max(2, ctx.sizes.repeats // 3)):
        floor.append(timed_ms(lambda r=run: _bare_story_pdf(texts, ctx.work / f"memo-floor-{r}.pdf")))
        out = ctx.work / f"memo-{run}-{uuid.uuid4().hex[:6]}.pdf"
        t0 = time.perf_counter()
        write_memorandum(review, pdf, out, recommendation="Ratify with the reservations of Annex A.")
        samples.append((time.perf_counter() - t0) * 1000)
    articles = len(memo.rows)
    positions = sum(len(r.coverage.positions) for r in memo.rows)
    review.close()
    pdf.close()
    note = f"{articles} articles, {positions} positions, {len(memo.annotations.entries)} annotations"
    return Measurement(samples, floor, "bare PyMuPDF Story laying out the same texts", note)
