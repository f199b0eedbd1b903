"""A suggested concordance of two different treaties: which article of B is the counterpart of
each article of A (``reviewer compare``).

Unlike two versions of one text (``redline``), two treaties on one subject share little
wording: the 2024 UN Convention against Cybercrime follows the Budapest Convention's
procedural powers under other numbers, other titles and other sentences. So an article is
known by what it is about: the distinctive words of its title and body, weighted by how rare
they are across both treaties (TF-IDF; "Party", "shall" and "measures" weigh nothing), with
rapidfuzz's token ratio for the titles. A maximum-weight one-to-one assignment
(``assignment``) pairs the articles; then an article left over whose words are mostly found in
an article already paired is the other half of a split (in B) or a merge (in A): it appears
in a second pair. What is still left over has no counterpart.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from rapidfuzz import fuzz, utils

from reviewer.core.assignment import best_assignment
from reviewer.core.structure_model import ArticleUnit

RELATIONS = ("equivalent", "broader", "narrower", "safeguard-missing", "no-counterpart", "related")
# A's passage relative to B's, read from B's side.
INVERSE_RELATION = {"broader": "narrower", "narrower": "broader"}

TITLE_WEIGHT = 0.3  # of the score, when both articles have a title
# rapidfuzz's ratio of two unrelated titles is 30-60 (shared letters, "of the"): counted from
# TITLE_FLOOR up, so that only titles that really agree add to a pair's score. Measured on the
# tests' treaties: the weakest true pair then scores 3.5 times the strongest pair of two
# articles without counterparts (1.8 times with the raw ratio).
TITLE_FLOOR = 40.0
PAIR_SCORE = 0.15  # below it, the assignment's pair means nothing
SECOND_PAIR_CONTAINMENT = 0.55  # share of a leftover article's weight found in a paired one
SECOND_PAIR_SCORE = 0.25

_WORD_RE = re.compile(r"[^\W\d_]{3,}")
_HEADING_RE = re.compile(
    r"^\s*(?:Article|ARTICLE|Art\.|ART\.|Section|SECTION|Sec\.|SEC\.|\u00a7)\s*[\dIVXLCDM]+[A-Za-z]{0,6}"
    r"\s*[.:\u2013\u2014-]?\s*"
)
_STOPWORD_TEXT = (
    "the and for that this with from such any each other its their which shall may not are been "
    "has have had into upon under than where when who whom whose all also only being both but "
    "can could does done either more most must nor one own same should some there these those "
    "through thus very was were will would within without article paragraph"
)
_STOPWORDS = frozenset(_STOPWORD_TEXT.split(" "))
_SUFFIXES = ("ations", "ation", "ings", "ing", "ies", "ied", "ed", "es", "s")


def _stem(word: str) -> str:
    """A light English stemmer: 'preservation', 'preserved', 'preserve' share 'preserv'."""
    for suffix in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 4:
            word = word[: -len(suffix)]
            break
    return word[:-1] if word.endswith("e") and len(word) > 4 else word


def terms(text: str) -> list[str]:
    return [_stem(w) for w in _WORD_RE.findall(text.lower()) if w not in _STOPWORDS]


@dataclass(frozen=True)
class ArticleText:
    """What matching reads of one article."""

    citation: str  # "Art. 15"
    number: int
    title: str
    body: str
    page: int = 0  # 0-based
    start: int = 0  # offsets in the document's text
    end: int = 0


@dataclass
class Pair:
    a: str
    b: str
    a_article: int
    b_article: int
    score: float
    confirmed: bool = False
    relation: str | None = None
    a_title: str = ""
    b_title: str = ""
    a_page: int = 0  # 0-based
    b_page: int = 0

    def to_json(self) -> dict[str, Any]:
        return {
            "a": self.a,
            "b": self.b,
            "a_article": self.a_article,
            "b_article": self.b_article,
            "score": round(self.score, 2),
            "confirmed": self.confirmed,
            "relation": self.relation,
        }


@dataclass
class Comparison:
    a_document: str
    a_title: str
    b_document: str
    b_title: str
    pairs: list[Pair] = field(default_factory=list)
    only_in_a: list[str] = field(default_factory=list)
    only_in_b: list[str] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return {
            "a": {"document": self.a_document, "title": self.a_title},
            "b": {"document": self.b_document, "title": self.b_title},
            "pairs": [p.to_json() for p in self.pairs],
            "only_in_a": list(self.only_in_a),
            "only_in_b": list(self.only_in_b),
        }

    def counterparts_in_b(self, a_citation: str) -> list[Pair]:
        return [p for p in self.pairs if p.a == a_citation]

    def counterparts_in_a(self, b_citation: str) -> list[Pair]:
        return [p for p in self.pairs if p.b == b_citation]


def article_texts(text: str, articles: Iterable[ArticleUnit]) -> list[ArticleText]:
    """The articles (not annexes) of a document whose text is ``text``, headings cut off."""
    out = []
    for unit in articles:
        if unit.kind == "annex":
            continue
        body = _HEADING_RE.sub("", text[unit.start : unit.end], count=1).strip()
        if unit.title and body.startswith(unit.title):
            body = body[len(unit.title) :].strip()
        out.append(ArticleText(unit.citation, unit.number, unit.title, body, unit.page, unit.start, unit.end))
    return out


class _Vectors:
    """TF-IDF vectors (sublinear term frequency, unit length) over both treaties' articles."""

    def __init__(self, documents: Sequence[list[str]]) -> None:
        frequency: Counter[str] = Counter()
        for words in documents:
            frequency.update(set(words))
        count = len(documents)
        self.idf = {t: math.log((1 + count) / (1 + n)) + 1.0 for t, n in frequency.items()}
        # A word in nearly every article of both treaties says nothing about any of them.
        self.idf = {t: w if frequency[t] <= 0.5 * count else 0.0 for t, w in self.idf.items()}
        self.vectors = [self._vector(words) for words in documents]

    def _vector(self, words: list[str]) -> dict[str, float]:
        counts = Counter(words)
        raw = {t: (1.0 + math.log(n)) * self.idf[t] for t, n in counts.items() if self.idf[t] > 0}
        norm = math.sqrt(sum(v * v for v in raw.values())) or 1.0
        return {t: v / norm for t, v in raw.items()}


def _cosines(left: list[dict[str, float]], right: list[dict[str, float]]) -> list[list[float]]:
    index: dict[str, list[tuple[int, float]]] = {}
    for j, vector in enumerate(right):
        for t, w in vector.items():
            index.setdefault(t, []).append((j, w))
    out = []
    for vector in left:
        row = [0.0] * len(right)
        for t, w in vector.items():
            for j, v in index.get(t, ()):
                row[j] += w * v
        out.append(row)
    return out


def _containment(part: dict[str, float], whole: dict[str, float]) -> float:
    """The share of ``part``'s weight on words that ``whole`` also has."""
    return sum(w * w for t, w in part.items() if t in whole)


def match_articles(
    a_articles: Sequence[ArticleText], b_articles: Sequence[ArticleText]
) -> tuple[list[Pair], list[str], list[str]]:
    """Suggested pairs (A's reading order, then B's), A's and B's articles with no counterpart."""
    if not a_articles or not b_articles:
        return [], [a.citation for a in a_articles], [b.citation for b in b_articles]
    texts = [terms(f"{x.title} {x.title} {x.body}") for x in (*a_articles, *b_articles)]
    vectors = _Vectors(texts).vectors
    a_vectors, b_vectors = vectors[: len(a_articles)], vectors[len(a_articles) :]
    body = _cosines(a_vectors, b_vectors)
    # (process.cdist would need numpy; a C call per pair is as fast at these sizes.)
    b_titles = [utils.default_process(x.title) for x in b_articles]
    title = [[fuzz.token_sort_ratio(utils.default_process(x.title), t) for t in b_titles] for x in a_articles]
    scores = [
        [
            (1 - TITLE_WEIGHT) * body[i][j]
            + TITLE_WEIGHT * max(0.0, float(title[i][j]) - TITLE_FLOOR) / (100.0 - TITLE_FLOOR)
            if a_articles[i].title and b_articles[j].title
            else body[i][j]
            for j in range(len(b_articles))
        ]
        for i in range(len(a_articles))
    ]
    chosen = {(i, j) for i, j in best_assignment(scores) if scores[i][j] >= PAIR_SCORE}
    paired_a = {i for i, _ in chosen}
    paired_b = {j for _, j in chosen}
    # The other half of a split (a B article left over) or a merge (an A article left over).
    for j in range(len(b_articles)):
        if j in paired_b:
            continue
        i = max(range(len(a_articles)), key=lambda i: scores[i][j])
        if (
            i in paired_a
            and scores[i][j] >= SECOND_PAIR_SCORE
            and _containment(b_vectors[j], a_vectors[i]) >= SECOND_PAIR_CONTAINMENT
        ):
            chosen.add((i, j))
    paired_b = {j for _, j in chosen}
    for i in range(len(a_articles)):
        if i in paired_a:
            continue
        j = max(range(len(b_articles)), key=lambda j: scores[i][j])
        if (
            j in paired_b
            and scores[i][j] >= SECOND_PAIR_SCORE
            and _containment(a_vectors[i], b_vectors[j]) >= SECOND_PAIR_CONTAINMENT
        ):
            chosen.add((i, j))
    pairs = [
        Pair(
            a_articles[i].citation,
            b_articles[j].citation,
            a_articles[i].number,
            b_articles[j].number,
            scores[i][j],
            a_title=a_articles[i].title,
            b_title=b_articles[j].title,
            a_page=a_articles[i].page,
            b_page=b_articles[j].page,
        )
        for i, j in sorted(chosen)
    ]
    used_a = {i for i, _ in chosen}
    used_b = {j for _, j in chosen}
    only_a = [x.citation for i, x in enumerate(a_articles) if i not in used_a]
    only_b = [x.citation for j, x in enumerate(b_articles) if j not in used_b]
    return pairs, only_a, only_b


@dataclass(frozen=True)
class ConfirmedPair:
    """A pair the team confirmed (or removed: ``deleted``), as seen from A's side."""

    a: str
    b: str
    relation: str | None
    deleted: bool = False


def _number_of(citation: str) -> int:
    digits = re.search(r"\d+", citation)
    return int(digits.group()) if digits else 0


def apply_confirmed(
    pairs: list[Pair],
    a_articles: Sequence[ArticleText],
    b_articles: Sequence[ArticleText],
    confirmed: Iterable[ConfirmedPair],
) -> tuple[list[Pair], list[str], list[str]]:
    """The suggestion with the team's word over it: an article with a confirmed pair keeps only
    its confirmed pairs; a removed pair is not suggested again."""
    by_a = {x.citation: x for x in a_articles}
    by_b = {x.citation: x for x in b_articles}
    kept = [c for c in confirmed if not c.deleted]
    removed = {(c.a, c.b) for c in confirmed if c.deleted}
    fixed_a = {c.a for c in kept}
    fixed_b = {c.b for c in kept}
    suggested = {(p.a, p.b): p for p in pairs}
    out = [p for p in pairs if p.a not in fixed_a and p.b not in fixed_b and (p.a, p.b) not in removed]
    for c in kept:
        a, b = by_a.get(c.a), by_b.get(c.b)
        known = suggested.get((c.a, c.b))
        out.append(
            Pair(
                c.a,
                c.b,
                a.number if a else _number_of(c.a),
                b.number if b else _number_of(c.b),
                known.score if known else 0.0,
                confirmed=True,
                relation=c.relation,
                a_title=a.title if a else "",
                b_title=b.title if b else "",
                a_page=a.page if a else 0,
                b_page=b.page if b else 0,
            )
        )
    a_order = {x.citation: i for i, x in enumerate(a_articles)}
    b_order = {x.citation: i for i, x in enumerate(b_articles)}
    out.sort(key=lambda p: (a_order.get(p.a, len(a_order)), b_order.get(p.b, len(b_order)), p.a, p.b))
    used_a = {p.a for p in out}
    used_b = {p.b for p in out}
    only_a = [x.citation for x in a_articles if x.citation not in used_a]
    only_b = [x.citation for x in b_articles if x.citation not in used_b]
    return out, only_a, only_b


def compare_texts(
    a: tuple[str, str, Sequence[ArticleText]],
    b: tuple[str, str, Sequence[ArticleText]],
    confirmed: Iterable[ConfirmedPair] = (),
) -> Comparison:
    """``a`` and ``b`` are (document id, title, articles)."""
    pairs, _, _ = match_articles(a[2], b[2])
    pairs, only_a, only_b = apply_confirmed(pairs, a[2], b[2], confirmed)
    return Comparison(a[0], a[1], b[0], b[1], pairs, only_a, only_b)


CSV_COLUMNS = ("a", "b", "a_article", "b_article", "a_title", "b_title", "score", "confirmed", "relation")


def concordance_csv(comparison: Comparison) -> str:
    """One row per pair, then A's and B's articles with no counterpart (the other side empty)."""
    import csv
    import io

    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for p in comparison.pairs:
        writer.writerow(
            [
                p.a,
                p.b,
                p.a_article,
                p.b_article,
                _cell(p.a_title),
                _cell(p.b_title),
                f"{p.score:.2f}",
                "yes" if p.confirmed else "no",
                p.relation or "",
            ]
        )
    for citation in comparison.only_in_a:
        writer.writerow([citation, "", _number_of(citation), "", "", "", "", "no", ""])
    for citation in comparison.only_in_b:
        writer.writerow(["", citation, "", _number_of(citation), "", "", "", "no", ""])
    return "\ufeff" + buffer.getvalue()  # the BOM: Excel reads UTF-8 only with it


def _cell(value: str) -> str:
    """Spreadsheets run cells that start with = + - @ as formulas: a title from a PDF must not."""
    return "'" + value if value and value[0] in "=+-@\t\r" else value
