"""Where the team stands, article by article: who is assigned, who has finished, how many
annotations, and the positions taken (``reviewer coverage``, the memorandum, the outline)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from reviewer.core.model import STANCES
from reviewer.core.pdf import PdfDocument
from reviewer.core.positions import ArticleRef, articles_of
from reviewer.core.review import Review


@dataclass(frozen=True)
class Position:
    author: str
    author_id: str
    stance: str
    rationale: str
    proposal: str | None
    modified: str
    annotation_id: str


@dataclass
class ArticleCoverage:
    article: ArticleRef
    assignee: str | None = None
    reviewed_by: list[str] = field(default_factory=list)
    annotations: int = 0
    positions: list[Position] = field(default_factory=list)

    @property
    def reviewed(self) -> bool:
        return bool(self.reviewed_by)

    @property
    def state(self) -> str:
        """What the outline shows: "reviewed", "annotated" or "not started"."""
        if self.reviewed_by:
            return "reviewed"
        if self.annotations or self.positions:
            return "annotated"
        return "not started"

    def to_json(self) -> dict[str, Any]:
        return {
            "article": self.article.number,
            "citation": self.article.citation,
            "title": self.article.title,
            "assignee": self.assignee,
            "reviewed_by": list(self.reviewed_by),
            "annotations": self.annotations,
            "positions": [{"author": p.author, "stance": p.stance} for p in self.positions],
        }


@dataclass
class Coverage:
    articles: list[ArticleCoverage]

    @property
    def reviewed_count(self) -> int:
        return sum(1 for a in self.articles if a.reviewed)

    @property
    def reviewed_share(self) -> float:
        return round(self.reviewed_count / len(self.articles), 2) if self.articles else 0.0

    def summary_line(self) -> str:
        return f"{self.reviewed_count} of {len(self.articles)} articles reviewed"

    def by_assignee(self) -> dict[str, tuple[int, int]]:
        """(reviewed, assigned) per assignee, by name."""
        out: dict[str, list[int]] = {}
        for a in self.articles:
            if a.assignee:
                counts = out.setdefault(a.assignee, [0, 0])
                counts[0] += int(a.reviewed)
                counts[1] += 1
        return {name: (done, total) for name, (done, total) in sorted(out.items())}

    def to_json(self) -> dict[str, Any]:
        return {"articles": [a.to_json() for a in self.articles], "reviewed": self.reviewed_share}


def coverage(review: Review, pdf: PdfDocument) -> Coverage:
    document_id = str(review.register(pdf)["id"])
    return coverage_of(review, document_id, articles_of(pdf))


def coverage_of(review: Review, document_id: str, articles: list[ArticleRef]) -> Coverage:
    store = review.store
    by_number = {a.number: ArticleCoverage(a) for a in articles}
    for row in store.article_assignments(document_id):
        if row["article"] in by_number:
            by_number[row["article"]].assignee = row["assignee"]
    for row in store.article_marks(document_id):
        if row["reviewed"] and row["article"] in by_number:
            by_number[row["article"]].reviewed_by.append(row["reviewer_name"])
    for number, count in store.annotation_counts_by_article(document_id).items():
        if number in by_number:
            by_number[number].annotations = count
    for p in positions_of(review, document_id):
        if p[0] in by_number:
            by_number[p[0]].positions.append(p[1])
    return Coverage(list(by_number.values()))


def positions_of(review: Review, document_id: str) -> list[tuple[int, Position]]:
    """Live positions of a document, by article number, in the order of their authors' names."""
    out = []
    for row in review.store.position_rows(document_id):
        if row["article"] is None:
            continue
        out.append(
            (
                int(row["article"]),
                Position(
                    row["author_name"],
                    row["author_id"],
                    row["stance"] or "undecided",
                    row["comment"],
                    row["proposal"],
                    row["modified"],
                    row["id"],
                ),
            )
        )
    out.sort(key=lambda p: (p[0], p[1].author.casefold(), p[1].author_id))
    return out


def team_position(positions: list[Position]) -> str:
    """A consensus ("reservation"), or the division as it is ("divided: 2 reservation,
    1 oppose"): never an average."""
    if not positions:
        return "no position"
    counts = Counter(p.stance for p in positions)
    if len(counts) == 1:
        (stance,) = counts
        return stance if len(positions) == 1 else f"{stance} (consensus of {len(positions)})"
    order = sorted(counts, key=lambda s: (-counts[s], STANCES.index(s) if s in STANCES else 99))
    return "divided: " + ", ".join(f"{counts[s]} {s}" for s in order)
