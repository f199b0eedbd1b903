"""Scrolling two treaties in step through their concordance: where in B the reader of A is.

The text offset at the top of A's view falls in one of A's articles; its counterpart in B
(the concordance's first pair for it) is where B goes, at the same fraction of the article,
so that reading down Art. 15 of A reads down Art. 24 of B. An article with no counterpart
leaves the other side where it is. The same the other way round.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Sequence

from reviewer.core.concordance import ArticleText, Comparison


class _Side:
    def __init__(self, articles: Sequence[ArticleText]) -> None:
        self.articles = list(articles)
        self.starts = [a.start for a in self.articles]
        self.by_citation = {a.citation: a for a in self.articles}

    def at(self, offset: int) -> ArticleText | None:
        i = bisect_right(self.starts, offset) - 1
        return self.articles[i] if i >= 0 and offset < self.articles[i].end else None


class Counterparts:
    """Offsets of A mapped to B and back through a comparison's pairs."""

    def __init__(
        self, comparison: Comparison, a_articles: Sequence[ArticleText], b_articles: Sequence[ArticleText]
    ) -> None:
        self.a, self.b = _Side(a_articles), _Side(b_articles)
        self.a_to_b: dict[str, str] = {}
        self.b_to_a: dict[str, str] = {}
        for pair in comparison.pairs:  # A's reading order: the first pair of a split leads
            self.a_to_b.setdefault(pair.a, pair.b)
            self.b_to_a.setdefault(pair.b, pair.a)

    @staticmethod
    def _map(offset: int, here: _Side, there: _Side, names: dict[str, str]) -> int | None:
        article = here.at(offset)
        if article is None or article.citation not in names:
            return None
        target = there.by_citation.get(names[article.citation])
        if target is None:
            return None
        fraction = (offset - article.start) / max(1, article.end - article.start)
        return min(target.end - 1, target.start + int(fraction * (target.end - target.start)))

    def b_offset_for(self, a_offset: int) -> int | None:
        return self._map(a_offset, self.a, self.b, self.a_to_b)

    def a_offset_for(self, b_offset: int) -> int | None:
        return self._map(b_offset, self.b, self.a, self.b_to_a)

    def start_of(self, side: str, citation: str) -> int | None:
        article = (self.a if side == "a" else self.b).by_citation.get(citation)
        return article.start if article else None
