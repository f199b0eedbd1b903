"""The ratification memorandum: what a legal team hands a ministry or a committee about a treaty.

A cover; an executive summary (the recommendation, positions counted, articles where a
surveillance power has no safeguard, coverage); every article with the team's position, a
consensus or the division as it is (never averaged), and the rationales; Annex A, the proposed
reservations and declarations verbatim with their proposers and any competing proposals;
Annex B, the articles nobody has marked reviewed; Annex C, the annotations by article (the
body of the ordinary report). Content here, computed once; ``memorandum_render`` writes it.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from reviewer.core.coverage import ArticleCoverage, Coverage, Position, coverage_of, team_position
from reviewer.core.model import STANCES
from reviewer.core.pdf import PdfDocument
from reviewer.core.positions import articles_of
from reviewer.core.report.content import ReportContent, build_content
from reviewer.core.review import Filters, Review
from reviewer.core.timeutil import utc_now

DEFAULT_TITLE = "Ratification memorandum"
NO_RECOMMENDATION = "No recommendation has been recorded."
PROPOSAL_KINDS = {"reservation": "reservation", "declaration": "declaration"}


@dataclass(frozen=True)
class ArticleRow:
    """One line of the article table."""

    coverage: ArticleCoverage
    team: str  # "reservation", "support (consensus of 3)", "divided: 2 reservation, 1 oppose"
    dissent: list[Position]  # the minority where a majority stands; [] otherwise

    @property
    def heading(self) -> str:
        a = self.coverage.article
        return f"{a.citation} — {a.title}" if a.title else a.citation


@dataclass(frozen=True)
class Proposal:
    position: Position
    competing: int  # how many other proposals stand on the same article

    @property
    def kind(self) -> str:
        return PROPOSAL_KINDS.get(self.position.stance, "proposal")


@dataclass
class Memorandum:
    title: str
    treaty_title: str
    document_id: str
    generated: str
    recommendation: str
    reviewers: list[str]
    coverage: Coverage
    rows: list[ArticleRow]
    proposals: list[tuple[ArticleRow, list[Proposal]]]  # Annex A, by article
    unreviewed: list[ArticleCoverage]  # Annex B
    stance_counts: list[tuple[str, int]]  # individual positions by stance
    team_counts: list[tuple[str, int]]  # articles by the team's position ("divided" one kind)
    unsafeguarded: list[str]  # headings of articles with a power and no safeguard tag
    annotations: ReportContent  # Annex C
    notes: list[str] = field(default_factory=list)


def build_memorandum(
    review: Review,
    pdf: PdfDocument,
    *,
    title: str | None = None,
    recommendation: str | None = None,
    generated: str | None = None,
) -> Memorandum:
    document_id = str(review.register(pdf)["id"])
    articles = articles_of(pdf)
    cover = coverage_of(review, document_id, articles)
    info = pdf.info()
    titles = {a.number: a.title for a in articles if a.title}
    shared = Filters(include_private=False)  # a memorandum goes to others: no private notes
    annotations = [a for a in review.annotations(document_id, shared) if a.kind != "position"]
    body = build_content(
        annotations,
        title=(title or "").strip() or DEFAULT_TITLE,
        treaty_title=info.title,
        document_id=info.sha256,
        page_count=info.page_count,
        page_label=pdf.page_label,
        article_titles=titles,
        all_tags=review.tags(include_retired=True),
        group_by="article",
        filters=[],
        generated=generated or utc_now()[:10],
    )
    rows = [ArticleRow(a, team_position(a.positions), _dissent(a.positions)) for a in cover.articles]
    proposals: list[tuple[ArticleRow, list[Proposal]]] = []
    for row in rows:
        proposed = [p for p in row.coverage.positions if p.proposal]
        if proposed:
            proposals.append((row, [Proposal(p, len(proposed) - 1) for p in proposed]))
    stances = Counter(p.stance for a in cover.articles for p in a.positions)
    teams = Counter("divided" if r.team.startswith("divided") else r.team.split(" ")[0] for r in rows)
    reviewers = sorted(
        {p.author for a in cover.articles for p in a.positions}
        | {n for a in cover.articles for n in a.reviewed_by}
        | set(body.reviewers),
        key=str.casefold,
    )
    return Memorandum(
        title=body.title,
        treaty_title=info.title,
        document_id=info.sha256,
        generated=body.generated,
        recommendation=" ".join((recommendation or "").split()) or NO_RECOMMENDATION,
        reviewers=reviewers,
        coverage=cover,
        rows=rows,
        proposals=proposals,
        unreviewed=[a for a in cover.articles if not a.reviewed],
        stance_counts=[(s, stances[s]) for s in STANCES if stances[s]],
        team_counts=[(s, teams[s]) for s in (*STANCES, "divided", "no") if teams[s]],
        unsafeguarded=[r.label for r in body.matrix if r.power_without_safeguard],
        annotations=body,
    )


def _dissent(positions: list[Position]) -> list[Position]:
    """Those who differ from a strict majority; nobody when there is no majority."""
    counts = Counter(p.stance for p in positions)
    if len(counts) < 2:
        return []
    stance, top = counts.most_common(1)[0]
    if top * 2 <= len(positions):
        return []
    return [p for p in positions if p.stance != stance]


def team_label(stance: str) -> str:
    return "no position" if stance == "no" else stance
