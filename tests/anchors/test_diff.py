"""``reviewer diff``: the sample treaty against a revision with every kind of change (issue 14)."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pymupdf
import pytest

from reviewer.cli import main
from reviewer.core.sample_treaty import (
    SAMPLE_TREATY,
    Treaty,
    build_treaty_pdf,
    reworded,
    with_article_inserted,
)
from reviewer.core.textflow import normalize_quote

from .conftest import INSERTED, REWORDINGS

DELETED_TITLE = "Spontaneous information"  # v1 Art. 21
MOVED_TITLE = "Liability of legal persons"  # v1 Art. 10, chapter II -> end of chapter V
RETITLED = ("Denunciation", "Withdrawal")


def revise(v1: Treaty) -> Treaty:
    chapters = [list(c.articles) for c in v1.chapters]
    moved = next(a for c in chapters for a in c if a.title == MOVED_TITLE)
    chapters = [[a for a in c if a.title not in (MOVED_TITLE, DELETED_TITLE)] for c in chapters]
    chapters[4].append(moved)
    chapters = [[replace(a, title=RETITLED[1]) if a.title == RETITLED[0] else a for a in c] for c in chapters]
    v2 = replace(
        v1, chapters=tuple(replace(c, articles=tuple(a)) for c, a in zip(v1.chapters, chapters, strict=True))
    )
    v2 = with_article_inserted(v2, 1, 1, INSERTED)
    for old, new in REWORDINGS:
        v2 = reworded(v2, old, new)
    return v2


def expected(v1: Treaty, v2: Treaty) -> set[tuple[str | None, str | None, str]]:
    """(old citation, new citation, change) of every article, from the two models."""
    old = {a.title: (n, a) for n, a in v1.articles()}
    new = {a.title: (n, a) for n, a in v2.articles()}
    new[RETITLED[0]] = new.pop(RETITLED[1])
    out: set[tuple[str | None, str | None, str]] = set()
    for title, (n, article) in old.items():
        if title not in new:
            out.add((f"Art. {n}", None, "deleted"))
            continue
        m, revised = new[title]
        same = article.paragraphs == revised.paragraphs and title != RETITLED[0]
        out.add((f"Art. {n}", f"Art. {m}", "unchanged" if same else "modified"))
    for title, (m, _) in new.items():
        if title not in old:
            out.add((None, f"Art. {m}", "inserted"))
    return out


@pytest.fixture(scope="module")
def versions(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, Treaty]:
    folder = tmp_path_factory.mktemp("diff")
    v2 = revise(SAMPLE_TREATY)
    build_treaty_pdf(SAMPLE_TREATY, folder / "draft.pdf")
    build_treaty_pdf(v2, folder / "revised.pdf")
    return folder / "draft.pdf", folder / "revised.pdf", v2


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    with pytest.raises(SystemExit) as done:
        main(list(args))
    out, err = capsys.readouterr()
    return int(done.value.code or 0), out, err


def test_diff_json_lists_every_inserted_deleted_and_modified_article(versions, capsys) -> None:  # type: ignore[no-untyped-def]
    draft, revised, v2 = versions
    code, out, _ = run(capsys, "diff", str(draft), str(revised), "--json")
    assert code == 0
    articles = json.loads(out)["articles"]
    got = {(a["old"], a["new"], a["change"]) for a in articles}
    want = expected(SAMPLE_TREATY, v2)
    assert got == want
    assert {c for _, _, c in want} == {"unchanged", "modified", "inserted", "deleted"}
    assert ("Art. 10", "Art. 26", "unchanged") in got  # moved to another chapter, found again
    assert ("Art. 21", None, "deleted") in got and (None, "Art. 7", "inserted") in got
    by_old = {a["old"]: a for a in articles}
    assert ["-", "shall"] in by_old["Art. 8"]["diff"] and ["+", "must"] in by_old["Art. 8"]["diff"]
    assert by_old["Art. 8"]["new"] == "Art. 9"
    retitled = by_old["Art. 26"]
    assert (retitled["change"], ["-", "Denunciation"], ["+", "Withdrawal"]) == (
        "modified",
        *[s for s in retitled["diff"] if s[0] != "="][:2],
    )
    assert all(a["diff"] == [] for a in articles if a["change"] == "unchanged")
    assert all(s[0] in "=-+" for a in articles for s in a["diff"])


def test_diff_text_and_redlines(versions, tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    draft, revised, _ = versions
    code, out, _ = run(capsys, "diff", str(draft), str(revised))
    assert code == 0
    assert out.splitlines()[-1] == "unchanged: 20  modified: 5  inserted: 1  deleted: 1"
    assert "[-shall-] {+must+}" in out and "[-ninety-] {+one hundred and twenty+}" in out

    pdf_path, html_path = tmp_path / "redline.pdf", tmp_path / "redline.html"
    code, _, _ = run(capsys, "diff", str(draft), str(revised), "-o", str(pdf_path))
    assert code == 0
    with pymupdf.open(pdf_path) as doc:
        text = normalize_quote(" ".join(page.get_text() for page in doc))  # MuPDF sets ligatures
        assert "Art. 9 (was Art. 8) Interference with electronic data [modified]" in text
        assert "Art. 7 System interference [inserted]" in text
        assert "Art. 21 Spontaneous information [deleted]" in text
        colours = {
            span["text"].strip(): span["color"]
            for page in doc
            for block in page.get_text("dict")["blocks"]
            for line in block.get("lines", [])
            for span in line["spans"]
        }
    assert colours["shall"] == 0xB00020 and colours["must"] == 0x006B2E  # struck red, inserted green
    code, _, _ = run(capsys, "diff", str(draft), str(revised), "-o", str(html_path))
    assert code == 0
    page = html_path.read_text(encoding="utf-8")
    assert "<del>shall</del> <ins>must</ins>" in page and "[deleted]" in page and "[inserted]" in page

    code, _, err = run(capsys, "diff", str(draft), str(revised), "-o", str(tmp_path / "redline.txt"))
    assert code == 1 and err.strip().endswith("the redline must end in .pdf or .html")
    assert len(err.strip().splitlines()) == 1 and "Traceback" not in err
    code, _, err = run(capsys, "diff", str(draft), str(revised), "-o", str(revised))
    assert code == 1 and "overwrite" in err
    not_pdf = tmp_path / "notes.pdf"
    not_pdf.write_text("hello")
    code, _, err = run(capsys, "diff", str(draft), str(not_pdf))
    assert code == 1 and "not a PDF" in err


def test_the_fast_reading_flow_reads_the_same_text_and_structure(versions, corpus_copy) -> None:  # type: ignore[no-untyped-def]
    """``reviewer diff`` reads texts without MuPDF's glyph boxes; the words must not change."""
    from reviewer.core.pdf import open_pdf
    from reviewer.core.structure import detect_structure

    draft, revised, _ = versions
    paths = [draft, revised]
    for name in (
        "us-crpt-118hrpt728.pdf",
        "pdfbox-ligatures-physics-paper.pdf",
        "pdfbox-rotations-90-180-270.pdf",
    ):
        try:
            paths.append(corpus_copy(name))
        except pytest.skip.Exception:
            continue
    for path in paths:
        with open_pdf(path) as fast, open_pdf(path) as full:
            quick = fast.reading_flow()
            assert not fast.has_flow()
            assert quick.text == full.flow().text, path.name
            assert [a.citation for a in detect_structure(quick).articles] == [
                a.citation for a in detect_structure(full.flow()).articles
            ]
