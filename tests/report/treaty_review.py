"""A populated review of the sample treaty for report tests and the benchmark.

Article, paragraph and citation are set here through an ``UpdateAnnotation`` operation (the
structure detection that normally fills them lives on another branch), from the article
headings of the sample treaty's text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from reviewer.core import operations as ops
from reviewer.core.pdf import PdfDocument
from reviewer.core.review import Review
from reviewer.core.sample_treaty import SAMPLE_TREATY
from reviewer.core.settings import Identity

REVIEWERS = (
    Identity("aaaaaaaa-0000-4000-8000-000000000001", "José Núñez"),
    Identity("aaaaaaaa-0000-4000-8000-000000000002", "Zoë Ångström"),
    Identity("aaaaaaaa-0000-4000-8000-000000000003", "Ada Lovelace"),
)
TAG_CYCLE = (
    ("surveillance power",),
    ("safeguard",),
    ("weak or missing safeguard", "human-rights concern"),
    ("data sharing",),
    ("vague definition",),
    ("surveillance power", "weak or missing safeguard"),
    (),
    ("jurisdiction", "good practice"),
)
STATUSES = ("open", "open", "accepted", "rejected", "resolved")
NON_LATIN = (
    "Замечание {n}: полномочие слишком широкое.",
    "ملاحظة {n}: لا توجد رقابة قضائية.",
    "意见 {n}：缺少司法监督。",
    "Remarque {n} : la proportionnalité n’est pas garantie.",
)
ARTICLE_TITLES = {n: a.title for n, a in SAMPLE_TREATY.articles()}


@dataclass(frozen=True)
class Place:
    article: int | None
    paragraph: int | None
    citation: str | None


def article_spans(text: str) -> list[tuple[int, int, int]]:
    """(article number, start, end) from the "Article N Title" headings; a passage that
    starts in a heading belongs to that article."""
    heads = []
    for number, title in ARTICLE_TITLES.items():
        at = text.find(f"Article {number} {title}")
        assert at >= 0, number
        heads.append((number, at, at + len(f"Article {number} {title}")))
    spans = []
    for i, (number, start, _body) in enumerate(heads):
        end = heads[i + 1][1] if i + 1 < len(heads) else len(text)
        spans.append((number, start, end))
    return spans


def place_of(text: str, spans: list[tuple[int, int, int]], offset: int) -> Place:
    for number, start, end in spans:
        if start <= offset < end:
            paragraph = None
            for m in re.finditer(r"(?:^|\s)(\d+)\. ", text[start : offset + 3]):
                paragraph = int(m.group(1))
            citation = f"Art. {number}({paragraph})" if paragraph else f"Art. {number}"
            return Place(number, paragraph, citation)
    return Place(None, None, None)


def set_place(review: Review, annotation_id: str, place: Place) -> None:
    review.apply(
        ops.UpdateAnnotation(
            annotation_id,
            fields={
                "article": place.article,
                "paragraph": place.paragraph,
                "citation": place.citation,
            },
            label="Set place",
        )
    )


def populate(db_path: Path, pdf: PdfDocument, count: int = 210) -> list[str]:
    """``count`` annotations by three reviewers (replies every fifth one); returns their ids."""
    text = pdf.flow().text
    spans = article_spans(text)
    words = [m for m in re.finditer(r"\S+", text)]
    reviews = [Review.open(db_path, identity) for identity in REVIEWERS]
    ids: list[str] = []
    try:
        step = max(1, (len(words) - 12) // count)
        for n in range(count):
            first = (n * step + (n % 3)) % (len(words) - 12)
            length = 4 + n % 7
            start, end = words[first].start(), words[first + length].end()
            review = reviews[n % 3]
            comment = (
                NON_LATIN[n % len(NON_LATIN)].format(n=n)
                if n % 5 == 1
                else f"Comment {n}: the power needs prior judicial authorisation."
            )
            annotation = review.annotate_range(
                pdf,
                start,
                end,
                tags=TAG_CYCLE[n % len(TAG_CYCLE)],
                comment=comment,
                status=STATUSES[n % len(STATUSES)],
            )
            set_place(review, annotation.id, place_of(text, spans, start))
            if n % 5 == 0:
                reviews[(n + 1) % 3].reply(annotation.id, f"Reply {n}: agreed, see the explanatory report.")
            ids.append(annotation.id)
    finally:
        for review in reviews:
            review.close()
    return ids
