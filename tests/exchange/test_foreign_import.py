"""Other tools' markups imported (reviewer.core.exchange.foreign_import): highlights inside PDFs
made by Acrobat, PDF.js, Word, fpdf2, and XFDF files.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from reviewer.core.exchange.service import export_document, import_file
from reviewer.core.pdf import open_pdf

from .helpers import BEN, annotate_sample, copy_to, corpus_pdf, corpus_xfdf, dump_db, open_review


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        (
            "pdfjs-acrobat24-highlight-popup-small-cropbox.pdf",
            [
                (
                    "82312c8c-7d1e-4527-a587-780565a7b2d7",
                    "Calixte Denizet",
                    "PDF.js is highlighted.",
                    "PDF.js",
                )
            ],
        ),
        (
            "pdfjs-annotation-highlight-word2013.pdf",
            [
                (
                    "cb2fc71b-2d0a-42a6-a4fe-c3140f145972",
                    "Tim van der Meij",
                    "Highlight content",
                    None,
                )
            ],
        ),
    ],
)
def test_import_other_tools_highlights(tmp_path: Path, name: str, expected: list) -> None:  # type: ignore[type-arg]
    source = copy_to(corpus_pdf(name), tmp_path)
    review = open_review(tmp_path / "a.db")
    result = import_file(review, str(source))
    assert len(result.added) == len(expected)
    found = {a.id: a for a in review.annotations(result.document_id)}
    pdf = open_pdf(source)
    for item_id, author, comment, quote in expected:
        a = found[item_id]
        assert (a.author_name, a.comment) == (author, comment)
        assert a.quote
        if quote:
            assert a.quote == quote
        # The quote is the text under the quads, read back independently by MuPDF's textbox.
        geometry = pdf.geometry(a.page)
        under = " ".join(
            " ".join(pdf.text_in_rect(a.page, q.unrotated_rect(geometry)).split()) for q in a.quads
        )
        assert a.quote.split()[0] in under
    before = dump_db(tmp_path / "a.db")
    again = import_file(review, str(source))
    assert again.added == [] and again.updated == [] and again.conflicts == []
    assert dump_db(tmp_path / "a.db") == before


def test_import_pdfjs_multi_tool_highlights(tmp_path: Path) -> None:
    source = copy_to(corpus_pdf("pdfjs-highlights-multi-tool.pdf"), tmp_path)
    review = open_review(tmp_path / "a.db")
    result = import_file(review, str(source))
    assert len(result.added) == 6  # six highlights; the two ink drawings are skipped
    assert result.skipped == 2
    found = {a.id: a for a in review.annotations(result.document_id)}
    calixte = found["9d55ff33-24e2-4988-9688-3e7c0983c7ca"]
    assert calixte.author_name == "Calixte Denizet"
    assert calixte.created == "2024-05-21T16:29:06.000Z"  # +02'00' taken into account
    assert len(calixte.quads) == 11
    for a in found.values():
        assert a.quote, a.id
        for q in a.quads:  # any corner order in the file, UL UR LL LR here
            x0, y1, x1, y1b, x0b, y0, x1b, y0b = q.points
            assert x0 <= x1 and y0 <= y1 and (x0, y1, y0) == (x0b, y1b, y0b)
    # Highlights without /NM get stable ids: a second import adds nothing.
    again = import_file(review, str(source))
    assert again.added == [] and again.updated == [] and again.conflicts == []


def test_import_fpdf2_existing_annotations(tmp_path: Path) -> None:
    source = copy_to(corpus_pdf("sf-fpdf2-existing-annotations.pdf"), tmp_path)
    review = open_review(tmp_path / "a.db")
    result = import_file(review, str(source))
    found = review.annotations(result.document_id)
    kinds = sorted((a.kind, a.comment) for a in found)
    assert kinds == [("highlight", "Highlight comment"), ("note", "This is a text annotation.")]
    assert result.skipped == 1  # the ink drawing
    highlight = next(a for a in found if a.kind == "highlight")
    assert len(highlight.quads) == 2 and highlight.quote
    again = import_file(review, str(source))
    assert again.added == [] and again.updated == []


def test_import_corpus_xfdf_own_export(tmp_path: Path) -> None:
    pdf_path = copy_to(corpus_pdf("pdfjs-highlights-multi-tool.pdf"), tmp_path)
    xfdf = corpus_xfdf("own-export-of-pdfjs-highlights.xfdf")
    review = open_review(tmp_path / "a.db")
    result = import_file(review, str(xfdf), pdf_path=str(pdf_path))
    assert len(result.added) == 6
    from_xfdf = {a.id: a for a in review.annotations(result.document_id)}
    assert from_xfdf["9d55ff33-24e2-4988-9688-3e7c0983c7ca"].author_name == "Calixte Denizet"
    # The same highlights read from the PDF itself land on the same ids and places: nothing new.
    again = import_file(review, str(pdf_path))
    assert again.added == [] and again.conflicts == []


def test_import_corpus_xfdf_boxes_rotations(tmp_path: Path) -> None:
    pdf_path = copy_to(corpus_pdf("qpdf-boxes-rotation-negative-mediabox.pdf"), tmp_path)
    review = open_review(tmp_path / "a.db")
    result = import_file(
        review, str(corpus_xfdf("own-pymupdf-export-boxes-rotations.xfdf")), pdf_path=str(pdf_path)
    )
    found = review.annotations(result.document_id)
    assert sorted(a.page for a in found) == list(range(8))
    assert len({a.id for a in found}) == 8  # "fitz-A0" on every page: still eight annotations
    quotes = {a.quote for a in found}
    assert quotes == {"red rectangle"}  # the same spot on every page, whatever its rotation and boxes


def test_import_corpus_xfdf_pdfbox(tmp_path: Path, sample_pdf: Path) -> None:
    """Acrobat-style XFDF (trailing commas, rotation attribute, shapes) on some document."""
    review = open_review(tmp_path / "a.db")
    result = import_file(
        review,
        str(corpus_xfdf("pdfbox-xfdf-test-document-annotations.xml")),
        pdf_path=str(sample_pdf),
    )
    found = review.annotations(result.document_id)
    markups = [a for a in found if a.kind in ("highlight", "area")]
    assert markups and all(a.author_name == "weblogic" for a in markups)
    assert result.skipped > 0  # freetext, ink, line, link...
    assert any(a.created == "2015-04-15T15:03:19.000Z" for a in markups)
    note = next(a for a in found if a.kind == "note")  # its text only in <contents-richtext>
    assert note.author_name == "weblogic" and note.comment


def test_read_corpus_xfdf_with_offset_mediabox_and_unicode() -> None:
    from reviewer.core.exchange.xfdf import read_xfdf

    parsed = read_xfdf(str(corpus_xfdf("own-pymupdf-export-offset-mediabox.xfdf")))
    (markup,) = parsed.markups
    assert markup.author == "Zoë Ünal"
    assert markup.contents == "Kommentar: „Daten“ ≠ data; 条约"
    assert markup.name == "b3de8550-e6e6-4824-8333-40a481ac4bed"
    assert markup.quads[0][1] == 953.825 and markup.page == 0
    assert markup.created == "2026-11-28T16:54:47.000Z"


def test_xfdf_matches_its_document_by_pdf_id(tmp_path: Path, sample_pdf: Path) -> None:
    """An XFDF whose /ID names a known document is matched to it even without --pdf."""
    review = open_review(tmp_path / "a.db")
    pdf = open_pdf(sample_pdf)
    annotate_sample(review, pdf)
    out = tmp_path / "a.xfdf"
    export_document(review, pdf, "xfdf", out)
    other = open_review(tmp_path / "b.db", BEN)
    other.register(pdf)
    result = import_file(other, str(out))
    assert result.document_id == pdf.info().sha256 and len(result.added) == 6
