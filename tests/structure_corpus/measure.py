"""Measure structure detection on the corpus: articles with number and title, passages cited.

python -m tests.structure_corpus.measure      # prints the figures and every miss
"""

from __future__ import annotations

import sys
from dataclasses import dataclass, field

from reviewer.core.structure import detect_structure
from reviewer.core.structure_model import DocumentStructure
from reviewer.core.textflow import TextFlow
from tests.structure_corpus.typeset import Expected


@dataclass
class Score:
    articles: int = 0
    articles_right: int = 0
    passages: int = 0
    passages_right: int = 0
    items: int = 0
    items_right: int = 0
    divisions: int = 0
    divisions_right: int = 0
    misses: list[str] = field(default_factory=list)

    def add(self, other: Score) -> None:
        self.articles += other.articles
        self.articles_right += other.articles_right
        self.passages += other.passages
        self.passages_right += other.passages_right
        self.items += other.items
        self.items_right += other.items_right
        self.divisions += other.divisions
        self.divisions_right += other.divisions_right
        self.misses += other.misses

    def summary(self) -> str:
        return (
            f"articles {self.articles_right}/{self.articles}, passages {self.passages_right}/"
            f"{self.passages}, items {self.items_right}/{self.items}, divisions (depth, name, "
            f"title) {self.divisions_right}/{self.divisions}"
        )


def _same(a: str, b: str) -> bool:
    return " ".join(a.split()).casefold() == " ".join(b.split()).casefold()


def measure(name: str, flow: TextFlow, expected: Expected, found: DocumentStructure | None = None) -> Score:
    found = found or detect_structure(flow)
    score = Score()
    units = [(a.label, a.title) for a in found.articles if a.kind == "article"]
    for label, title in expected.articles:
        score.articles += 1
        if any(_same(label, got_label) and _same(title, got_title) for got_label, got_title in units):
            score.articles_right += 1
        else:
            near = [u for u in units if _same(u[0], label)]
            score.misses.append(f"{name}: Art. {label} {title!r} -> {near or 'not found'}")
    got_divisions = [(d.depth, d.name, d.title) for d in found.divisions]
    for division in expected.divisions:
        score.divisions += 1
        if any(g[:2] == division[:2] and _same(g[2], division[2]) for g in got_divisions):
            score.divisions_right += 1
        else:
            score.misses.append(f"{name}: division {division} -> {got_divisions}")
    text = " ".join(flow.text.split())
    assert text == flow.text, "the flow's whitespace is already collapsed"
    for passage in expected.passages:
        offset = flow.text.find(passage.quote)
        assert offset >= 0, f"{name}: quote not in the text: {passage.quote!r}"
        citation = found.place_at(offset).citation or ""
        score.passages += 1
        score.items += passage.item
        if citation == passage.citation:
            score.passages_right += 1
            score.items_right += passage.item
        else:
            score.misses.append(f"{name}: {passage.quote!r}: {citation!r}, expected {passage.citation!r}")
    return score


def measure_corpus() -> tuple[Score, dict[str, Score]]:
    import pymupdf

    from reviewer.core.pdf import open_pdf
    from tests.structure_corpus.treaties import CORPUS
    from tests.structure_corpus.typeset import typeset

    total = Score()
    per: dict[str, Score] = {}
    import tempfile
    from pathlib import Path

    del pymupdf
    with tempfile.TemporaryDirectory() as tmp:
        for name, markup, style in CORPUS:
            data, expected = typeset(markup, style)
            path = Path(tmp) / f"{name}.pdf"
            path.write_bytes(data)
            with open_pdf(path) as pdf:
                score = measure(name, pdf.flow(), expected)
            per[name] = score
            total.add(score)
    return total, per


def main() -> int:
    total, per = measure_corpus()
    for name, score in per.items():
        print(f"{name:24} {score.summary()}")
    for miss in total.misses:
        print("  miss:", miss)
    print("TOTAL", total.summary())
    return 0


if __name__ == "__main__":
    sys.exit(main())
