"""Scrolling two treaties in step through their concordance: which article of B stands for
the article of A a reader is in, and back.

An article's counterpart is the concordance's first pair for it (in A's reading order, so
the first half of a split leads); an article with no counterpart leaves the other side where
it is. Compare mode (``reviewer.ui.compare_window``) puts the other pane at the same
fraction of the counterpart article.
"""

from __future__ import annotations

from collections.abc import Sequence

from reviewer.core.concordance import ArticleText, Comparison


class Counterparts:
    def __init__(
        self, comparison: Comparison, a_articles: Sequence[ArticleText], b_articles: Sequence[ArticleText]
    ) -> None:
        self.a_starts = {a.citation: a.start for a in a_articles}
        self.b_starts = {b.citation: b.start for b in b_articles}
        self.a_to_b: dict[str, str] = {}
        self.b_to_a: dict[str, str] = {}
        for pair in comparison.pairs:
            self.a_to_b.setdefault(pair.a, pair.b)
            self.b_to_a.setdefault(pair.b, pair.a)

    def start_of(self, side: str, citation: str) -> int | None:
        """The text offset where an article of A (``side`` "a") or B begins."""
        return (self.a_starts if side == "a" else self.b_starts).get(citation)
