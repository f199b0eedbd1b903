"""Structure detection measured on the corpus: twelve settings of ten treaty texts in ten
house styles (see ``treaties.py``), each with its expected articles and cited passages."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from reviewer.core.pdf import open_pdf
from reviewer.core.structure import structure_of
from tests.structure_corpus.measure import Score, measure
from tests.structure_corpus.treaties import CORPUS
from tests.structure_corpus.typeset import Expected, typeset


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Iterator[list[tuple[str, Path, Expected]]]:
    folder = tmp_path_factory.mktemp("structure-corpus")
    out = []
    for name, markup, style in CORPUS:
        data, expected = typeset(markup, style)
        path = folder / f"{name}.pdf"
        path.write_bytes(data)
        out.append((name, path, expected))
    yield out


def test_the_corpus_is_what_the_issue_asks(corpus: list[tuple[str, Path, Expected]]) -> None:
    texts = {markup for _, markup, _ in CORPUS}
    styles = {style.name for _, _, style in CORPUS}
    assert len(texts) >= 10 and len(styles) >= 10
    for name, _, expected in corpus:
        assert len(expected.passages) >= 20, name
    assert {"oj"} <= styles and any(style.columns == 2 for _, _, style in CORPUS)
    assert sum(p.item for _, _, e in corpus for p in e.passages) >= 40


def test_articles_and_citations_on_the_corpus(corpus: list[tuple[str, Path, Expected]]) -> None:
    total = Score()
    for name, path, expected in corpus:
        with open_pdf(path) as pdf:
            score = measure(name, pdf.flow(), expected, structure_of(pdf))
        total.add(score)
    report = total.summary() + "".join(f"\n  {m}" for m in total.misses)
    assert total.articles_right >= 0.98 * total.articles, report
    assert total.passages_right >= 0.95 * total.passages, report
    assert total.items_right == total.items, report
    assert total.divisions_right == total.divisions, report  # nested, with their names
    assert not total.misses, report  # today every one is right: keep it so


def test_budapest_item_citation_and_fields(corpus: list[tuple[str, Path, Expected]]) -> None:
    path = next(p for name, p, _ in corpus if name == "cyber-coe")
    with open_pdf(path) as pdf:
        flow = pdf.flow()
        found = structure_of(pdf)
        place = found.place_at(flow.text.index("a computer password, access code"))
    assert place.fields() == {
        "article": 6,
        "paragraph": 1,
        "subparagraph": "a",
        "item": "ii",
        "citation": "Art. 6(1)(a)(ii)",
    }
    # the closing words after the items belong to the letter, the next letter is b)
    assert found.place_at(flow.text.index("with intent that it be used")).citation == "Art. 6(1)(a)"
    # "Article 24." wrapped to a row start is running text, not a second article
    assert [a.label for a in found.articles] == ["1", "2", "3", "4", "5", "6", "7", "15", "27"]
    assert found.place_at(flow.text.index("The Parties shall consult")).citation == "Art. 15(2)"
    # the testimonium is outside the last article
    assert found.place_at(flow.text.index("In witness whereof")).citation is None


def test_divisions_nest_and_annexes_are_units(corpus: list[tuple[str, Path, Expected]]) -> None:
    paths = {name: p for name, p, _ in corpus}
    with open_pdf(paths["cyber-coe"]) as pdf:
        tree = structure_of(pdf).division_tree()
    assert [(d["kind"], d["label"]) for d in tree] == [("chapter", "I"), ("chapter", "II")]
    chapter_two = tree[1]
    assert [(d["kind"], d["label"], d["title"]) for d in chapter_two["children"]] == [
        ("section", "1", "Substantive criminal law"),
        ("section", "2", "Procedural law"),
    ]
    titles = chapter_two["children"][0]["children"]
    assert [(d["label"], d["articles"]) for d in titles] == [
        ("1", ["Art. 2", "Art. 3", "Art. 4", "Art. 5", "Art. 6"]),
        ("2", ["Art. 7"]),
    ]
    with open_pdf(paths["space-dot"]) as pdf:
        found = structure_of(pdf)
        flow = pdf.flow()
        annexes = [(a.citation, a.title) for a in found.articles if a.kind == "annex"]
        cite = found.place_at(flow.text.index("rounded to the nearest tenth")).citation
    assert annexes == [("Annex I", "Form of the notification"), ("Annex II", "Technical parameters")]
    assert cite == "Annex II, para. 1"


def test_inline_enumeration_and_dashes_stay_in_their_paragraph(
    corpus: list[tuple[str, Path, Expected]],
) -> None:
    path = next(p for name, p, _ in corpus if name == "fisheries-un-paren")
    with open_pdf(path) as pdf:
        flow = pdf.flow()
        found = structure_of(pdf)

        def cite(quote: str) -> str | None:
            return found.place_at(flow.text.index(quote)).citation

        assert cite("a group of vessels flying the flag") == "Art. 2(2)"
        assert cite("collecting and sharing, in a timely manner") == "Art. 2(3)"
        assert cite("observer means a person") == "Art. 1(1)(i)"  # the letter i after h)
        assert cite("port State means the State") == "Art. 1(1)(j)"
