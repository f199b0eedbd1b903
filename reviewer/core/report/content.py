"""The report's content, computed once and rendered by every format (PDF, HTML, Markdown, DOCX).

Everything here is plain data; the renderers decide how it looks. Entries are numbered in
document order so that a number means the same annotation whatever the grouping, and the
appendix markers can point at it.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field

from reviewer.core.model import STATUSES, Annotation, Reply, Tag

POWER_TAG = "surveillance power"
SAFEGUARD_TAG = "safeguard"
WEAK_SAFEGUARD_TAG = "weak or missing safeguard"
NO_ARTICLE_KEY = "none"
NO_ARTICLE_HEADING = "Not in an article (preamble and other text)"
STATUS_LABELS = {s: s.capitalize() for s in STATUSES}


@dataclass(frozen=True)
class Entry:
    """One annotation as the report shows it."""

    number: int
    annotation: Annotation
    page_label: str

    @property
    def citation(self) -> str:
        """What a lawyer cites: the annotation's citation, else its article, else the page."""
        a = self.annotation
        if a.citation:
            return a.citation
        if a.article is not None:
            return f"Art. {a.article}"
        return f"p. {self.page_label}"

    @property
    def place(self) -> str:
        return f"{self.citation} · page {self.page_label}"


@dataclass
class Group:
    key: str
    heading: str
    anchor: str
    entries: list[Entry] = field(default_factory=list)


@dataclass(frozen=True)
class MatrixRow:
    key: str
    label: str
    counts: dict[str, int]
    total: int
    power_without_safeguard: bool


@dataclass
class ReportContent:
    title: str
    treaty_title: str
    document_id: str
    page_count: int
    generated: str
    group_by: str
    filters: list[str]
    reviewers: list[str]
    first_date: str | None
    last_date: str | None
    entries: list[Entry]
    groups: list[Group]
    tags: list[Tag]  # every tag that occurs, in taxonomy order
    tag_counts: list[tuple[Tag, int]]
    untagged: int
    status_counts: list[tuple[str, int]]
    matrix: list[MatrixRow]
    matrix_tags: list[Tag]
    hotspots: list[MatrixRow]  # articles drawing most power / weak-safeguard tags
    annotated_pages: list[int] = field(default_factory=list)

    @property
    def date_range(self) -> str:
        if not self.first_date or not self.last_date:
            return "—"
        first, last = short_date(self.first_date), short_date(self.last_date)
        return first if first == last else f"{first} – {last}"

    @property
    def reply_count(self) -> int:
        return sum(len(e.annotation.replies) for e in self.entries)

    @property
    def article_count(self) -> int:
        return len({e.annotation.article for e in self.entries if e.annotation.article is not None})

    def entries_on_page(self, page: int) -> list[Entry]:
        return [e for e in self.entries if page in (e.annotation.pages or (e.annotation.page,))]


def article_heading(number: int, titles: Mapping[int, str]) -> str:
    title = titles.get(number)
    return f"Article {number} — {title}" if title else f"Article {number}"


def document_order_key(a: Annotation) -> tuple[int, int, int, str, str]:
    """Article order first (text outside articles comes first), then position in the text."""
    article = a.article if a.article is not None else -1
    return (article, a.page, a.text_start if a.text_start is not None else -1, a.created, a.id)


def build_content(
    annotations: Sequence[Annotation],
    *,
    title: str,
    treaty_title: str,
    document_id: str,
    page_count: int,
    page_label: Callable[[int], str],
    article_titles: Mapping[int, str],
    all_tags: Sequence[Tag],
    group_by: str,
    filters: list[str],
    generated: str,
) -> ReportContent:
    ordered = sorted(annotations, key=document_order_key)
    entries = [Entry(i, a, page_label(a.page)) for i, a in enumerate(ordered, start=1)]
    dates = sorted(
        d for e in entries for d in [e.annotation.created, *(r.created for r in e.annotation.replies)]
    )
    reviewers = sorted(
        {e.annotation.author_name for e in entries}
        | {r.author_name for e in entries for r in e.annotation.replies},
        key=str.casefold,
    )
    tag_counter: Counter[str] = Counter(t.id for e in entries for t in e.annotation.tags)
    used_tags = [t for t in all_tags if tag_counter[t.id]]
    status_counter = Counter(e.annotation.status for e in entries)
    matrix, hotspots = _article_matrix(entries, used_tags, article_titles)
    return ReportContent(
        title=title,
        treaty_title=treaty_title,
        document_id=document_id,
        page_count=page_count,
        generated=generated,
        group_by=group_by,
        filters=filters,
        reviewers=reviewers,
        first_date=dates[0] if dates else None,
        last_date=dates[-1] if dates else None,
        entries=entries,
        groups=group_entries(entries, group_by, article_titles, used_tags),
        tags=used_tags,
        tag_counts=[(t, tag_counter[t.id]) for t in used_tags],
        untagged=sum(1 for e in entries if not e.annotation.tags),
        status_counts=[(s, status_counter[s]) for s in STATUSES if status_counter[s]],
        matrix=matrix,
        matrix_tags=used_tags,
        hotspots=hotspots,
        annotated_pages=sorted({p for e in entries for p in (e.annotation.pages or (e.annotation.page,))}),
    )


def group_entries(
    entries: list[Entry], group_by: str, article_titles: Mapping[int, str], tags: Sequence[Tag]
) -> list[Group]:
    groups: dict[str, Group] = {}

    def add(key: str, heading: str, entry: Entry) -> None:
        if key not in groups:
            groups[key] = Group(key, heading, f"g{len(groups) + 1}")
        groups[key].entries.append(entry)

    if group_by == "article":
        for e in entries:
            n = e.annotation.article
            if n is None:
                add(NO_ARTICLE_KEY, NO_ARTICLE_HEADING, e)
            else:
                add(f"article-{n}", article_heading(n, article_titles), e)
        return list(groups.values())  # entries are in article order already
    if group_by == "tag":
        order = {t.id: i for i, t in enumerate(tags)}
        for e in entries:
            for t in sorted(e.annotation.tags, key=lambda t: order.get(t.id, 1 << 30)):
                add(f"tag-{t.id}", f"Tag: {t.name}", e)
            if not e.annotation.tags:
                add("untagged", "Untagged", e)
        keyed = {f"tag-{t.id}": i for i, t in enumerate(tags)}
        return sorted(groups.values(), key=lambda g: keyed.get(g.key, len(keyed)))
    if group_by == "reviewer":
        for e in entries:
            add(
                f"reviewer-{e.annotation.author_name.casefold()}",
                f"Reviewer: {e.annotation.author_name}",
                e,
            )
        return sorted(groups.values(), key=lambda g: g.heading.casefold())
    if group_by == "page":
        for e in sorted(entries, key=lambda e: (e.annotation.page, e.number)):
            add(f"page-{e.annotation.page}", f"Page {e.page_label}", e)
        return list(groups.values())
    if group_by == "status":
        for e in entries:
            add(
                f"status-{e.annotation.status}",
                f"Status: {STATUS_LABELS.get(e.annotation.status, e.annotation.status)}",
                e,
            )
        rank = {f"status-{s}": i for i, s in enumerate(STATUSES)}
        return sorted(groups.values(), key=lambda g: rank.get(g.key, len(rank)))
    raise ValueError(f"unknown grouping {group_by!r}")


def _article_matrix(
    entries: list[Entry], tags: Sequence[Tag], article_titles: Mapping[int, str]
) -> tuple[list[MatrixRow], list[MatrixRow]]:
    by_article: dict[int | None, Counter[str]] = {}
    totals: Counter[int | None] = Counter()
    for e in entries:
        counter = by_article.setdefault(e.annotation.article, Counter())
        totals[e.annotation.article] += 1
        for t in e.annotation.tags:
            counter[t.name] += 1
    rows: list[MatrixRow] = []
    for article in sorted(by_article, key=lambda n: -1 if n is None else n):
        counts = by_article[article]
        label = "Outside articles" if article is None else article_heading(article, article_titles)
        names = {name.casefold(): c for name, c in counts.items()}
        flag = article is not None and names.get(POWER_TAG, 0) > 0 and names.get(SAFEGUARD_TAG, 0) == 0
        rows.append(
            MatrixRow(
                NO_ARTICLE_KEY if article is None else str(article),
                label,
                {t.name: counts.get(t.name, 0) for t in tags},
                totals[article],
                flag,
            )
        )

    hot = sorted(
        (r for r in rows if r.key != NO_ARTICLE_KEY and concern_count(r) > 0),
        key=lambda r: -concern_count(r),
    )
    return rows, hot[:5]


def concern_count(row: MatrixRow) -> int:
    lowered = {k.casefold(): v for k, v in row.counts.items()}
    return lowered.get(POWER_TAG, 0) + lowered.get(WEAK_SAFEGUARD_TAG, 0)


def short_date(iso: str | None) -> str:
    return iso[:10] if iso else "—"


def edited_by(item: Annotation | Reply) -> str:
    """ "edited by Ben Reviewer, 2026-11-28" when someone other than the author made the
    version shown (a teammate's edit that came in by import or merge); else ""."""
    if item.modified_by_name and item.editor_id != item.author_id:
        return f"edited by {item.modified_by_name}, {short_date(item.modified)}"
    return ""


def readable_color(hex_color: str) -> str:
    """Black or white text, whichever reads better on the tag colour."""
    try:
        r, g, b = (int(hex_color[i : i + 2], 16) for i in (1, 3, 5))
    except (ValueError, IndexError):
        return "#000000"
    luminance = 0.299 * r + 0.587 * g + 0.114 * b
    return "#000000" if luminance > 150 else "#FFFFFF"


def safe_color(hex_color: str) -> str:
    """Tag colours come from files: only ``#RRGGBB`` reaches CSS, anything else is grey."""
    if (
        len(hex_color) == 7
        and hex_color[0] == "#"
        and all(c in "0123456789abcdefABCDEF" for c in hex_color[1:])
    ):
        return hex_color.upper()
    return "#78909C"
