"""Two versions of a treaty and the passages annotated on them, with their expected fate.

v2 inserts an article (every later one is renumbered), deletes a paragraph, rewords a few
clauses and changes the running header. Expectations come from the ``Treaty`` dataclasses,
not from the code under test.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest

from reviewer.core.sample_treaty import (
    SAMPLE_TREATY,
    Article,
    Treaty,
    build_treaty_pdf,
    reworded,
    with_article_inserted,
    with_version_note,
    without_paragraph,
)
from reviewer.core.sample_treaty import P as Para
from reviewer.core.textflow import find_all

INSERTED = Article(
    "System interference",
    (
        Para(
            "Each State Party shall establish as a criminal offence the serious hindering without "
            "right of the functioning of an information system by inputting, transmitting or "
            "altering electronic data."
        ),
        Para("A State Party may reserve the right not to apply paragraph 1 to minor interference."),
    ),
)
DELETED_ARTICLE = 19  # "Protection of personal data", in v1 numbering
DELETED_PARAGRAPH = 2
REWORDINGS = (
    (
        "Each State Party shall establish as a criminal offence the damaging",
        "Each State Party must establish as a criminal offence the damaging",
    ),
    ("up to a maximum of ninety days", "up to a maximum of one hundred and twenty days"),
    (
        "the widest measure of mutual legal assistance",
        "the widest possible measure of mutual legal assistance",
    ),
    ("shall endeavour to settle disputes", "shall seek to settle disputes"),
)
# A modal verb and a duration change what the provision says: carried as "changed", not "fuzzy".
MATERIAL_REWORDINGS = {REWORDINGS[0][0], REWORDINGS[1][0]}


def make_v2(v1: Treaty) -> Treaty:
    v2 = without_paragraph(v1, DELETED_ARTICLE, DELETED_PARAGRAPH)
    v2 = with_article_inserted(v2, 1, 1, INSERTED)  # after Art. 6: Art. 7 onwards shift by one
    for old, new in REWORDINGS:
        v2 = reworded(v2, old, new)
    return with_version_note(v2, "Adopted text, version 2")


def citations(treaty: Treaty) -> list[tuple[str, str]]:
    """(text, citation) of every paragraph and subparagraph, as a lawyer cites them."""
    out: list[tuple[str, str]] = []
    for number, article in treaty.articles():
        single = len(article.paragraphs) == 1
        for pi, paragraph in enumerate(article.paragraphs, start=1):
            base = f"Art. {number}" if single else f"Art. {number}({pi})"
            out.append((paragraph.text, base))
            for si, sub in enumerate(paragraph.subparagraphs):
                out.append((sub, f"{base}({chr(ord('a') + si)})"))
    return out


def citation_of(treaty: Treaty, passage: str) -> str | None:
    found = [c for text, c in citations(treaty) if passage in text]
    assert len(found) <= 1, passage
    return found[0] if found else None


@dataclass
class Passage:
    text: str  # as in v1
    v1_citation: str
    fate: str  # "same", "reworded", "deleted"
    v2_text: str | None  # the words in v2 (None when deleted)
    v2_citation: str | None
    material: bool = False  # reworded in a number, modal verb, negation ...: "changed"


@dataclass
class Versions:
    v1: Treaty
    v2: Treaty
    v1_pdf: Path
    v2_pdf: Path
    passages: list[Passage]


def _choose_passages(v1: Treaty, v2: Treaty, v1_pdf: Path, v2_pdf: Path) -> list[Passage]:
    from reviewer.core.pdf import open_pdf

    with open_pdf(v1_pdf) as d1, open_pdf(v2_pdf) as d2:
        flow1, flow2 = d1.flow(), d2.flow()
        passages: list[Passage] = []
        for text, cite in citations(v1):
            # The whole paragraph (long quotes, many across a page break) ...
            if len(find_all(flow1, text)) == 1:
                passages.append(_passage(v1, v2, flow2, text, text, cite))
            # ... and a few words from inside it.
            words = text.split()
            size = 8 if len(words) > 12 else max(3, len(words) - 2)
            chosen = None
            for begin in range(min(3, max(0, len(words) - size)), max(1, len(words) - size + 1)):
                candidate = " ".join(words[begin : begin + size])
                if len(find_all(flow1, candidate)) == 1:
                    chosen = candidate
                    break
            if chosen is not None:
                passages.append(_passage(v1, v2, flow2, text, chosen, cite))
        for extra in DELETED_EXTRA:
            assert len(find_all(flow1, extra)) == 1 and not find_all(flow2, extra), extra
            passages.append(
                Passage(extra, f"Art. {DELETED_ARTICLE}({DELETED_PARAGRAPH})", "deleted", None, None)
            )
    return passages


# More passages inside the deleted paragraph: every one must come out an orphan.
DELETED_EXTRA = (
    "States Parties shall not be required",
    "if the data cannot be provided in compliance with their applicable laws",
    "their applicable laws concerning the protection",
)


def _passage(v1: Treaty, v2: Treaty, flow2: object, text: str, chosen: str, cite: str) -> Passage:
    v2_text: str | None = chosen
    fate = "same"
    material = False
    for old, new in REWORDINGS:
        if old in text and _overlaps(text, chosen, old):
            fate = "reworded"
            material = material or old in MATERIAL_REWORDINGS
            v2_text = _reworded_window(text, text.replace(old, new), chosen)
    v2_cite = citation_of(v2, v2_text) if v2_text else None
    if fate == "same" and (v2_cite is None or len(find_all(flow2, chosen)) != 1):  # type: ignore[arg-type]
        fate, v2_text, v2_cite = "deleted", None, None
    return Passage(chosen, cite, fate, v2_text, v2_cite, material)


def _overlaps(text: str, chosen: str, old: str) -> bool:
    a = text.index(chosen)
    b = text.index(old)
    return a < b + len(old) and b < a + len(chosen)


def _reworded_window(text: str, new_text: str, chosen: str) -> str:
    """The words of the new text that take the place of ``chosen``."""
    start = text.index(chosen)
    head = text[:start]
    tail = text[start + len(chosen) :]
    assert new_text.startswith(head[: len(head) - 40 if len(head) > 40 else 0])
    # Common head and tail (the rewording sits inside or across the window).
    i = 0
    while i < min(len(text), len(new_text)) and text[i] == new_text[i]:
        i += 1
    j = 0
    while j < min(len(text), len(new_text)) - i and text[-1 - j] == new_text[-1 - j]:
        j += 1
    new_start = min(start, i)
    new_end = len(new_text) - min(len(tail), j)
    return new_text[new_start:new_end].strip()


@pytest.fixture(scope="session")
def versions(tmp_path_factory: pytest.TempPathFactory) -> Versions:
    folder = tmp_path_factory.mktemp("versions")
    v1 = SAMPLE_TREATY
    v2 = make_v2(v1)
    v1_pdf, v2_pdf = folder / "treaty-v1.pdf", folder / "treaty-v2.pdf"
    build_treaty_pdf(v1, v1_pdf)
    build_treaty_pdf(v2, v2_pdf)
    return Versions(v1, v2, v1_pdf, v2_pdf, _choose_passages(v1, v2, v1_pdf, v2_pdf))


# ../shared from a checkout in /work/main, ../../shared from a worktree in /work/wt/<branch>.
_ROOT = Path(__file__).resolve().parents[2]
CORPUS = next(
    (
        p
        for p in (
            _ROOT.parent / "shared" / "corpus" / "pdfs",
            _ROOT.parent.parent / "shared" / "corpus" / "pdfs",
        )
        if p.exists()
    ),
    _ROOT.parent / "shared" / "corpus" / "pdfs",
)


@pytest.fixture
def corpus_copy(tmp_path: Path):  # type: ignore[no-untyped-def]
    """Copy a corpus PDF into tmp_path (tests never touch the originals); skip if absent."""
    import shutil

    def copy(name: str) -> Path:
        source = CORPUS / name
        if not source.exists():
            pytest.skip(f"corpus file {name} not available")
        target = tmp_path / name
        shutil.copyfile(source, target)
        return target

    return copy
