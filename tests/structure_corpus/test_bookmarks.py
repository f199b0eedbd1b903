"""The PDF's bookmarks supply article titles the text does not print (ICJ-Statute style has
none); offsets stay the text's, and a bookmark pointing elsewhere is not believed."""

from __future__ import annotations

from pathlib import Path

import pymupdf

from reviewer.core.pdf import open_pdf
from reviewer.core.structure import structure_of
from tests.structure_corpus.treaties import CORPUS
from tests.structure_corpus.typeset import typeset


def test_bookmarks_supply_titles_the_text_leaves_empty(tmp_path: Path) -> None:
    _, markup, style = next(c for c in CORPUS if c[0] == "statute-icj")
    plain = tmp_path / "plain.pdf"
    plain.write_bytes(typeset(markup, style)[0])
    with open_pdf(plain) as pdf:
        before = structure_of(pdf)
        pages = {a.label: a.page for a in before.articles}
        starts = [(a.label, a.start, a.end) for a in before.articles]
    assert all(a.title == "" for a in before.articles)
    assert pages["3"] == 0
    doc = pymupdf.open(plain)
    doc.set_toc(
        [
            [1, "Chapter I – Organization of the Tribunal", 1],
            [2, "Article 1 – Constitution of the Tribunal", pages["1"] + 1],
            [2, "Article 2: Composition", pages["2"] + 1],
            [2, "Article 3 – Members", pages["3"] + 2],  # points to the next page: not believed
            [2, "Article 7", pages["7"] + 1],  # no title to give
        ]
    )
    marked = tmp_path / "marked.pdf"
    doc.save(marked)
    with open_pdf(marked) as pdf:
        after = structure_of(pdf)
    titles = {a.label: a.title for a in after.articles}
    assert titles["1"] == "Constitution of the Tribunal"
    assert titles["2"] == "Composition"
    assert titles["3"] == "" and titles["7"] == ""
    assert [(a.label, a.start, a.end) for a in after.articles] == starts
