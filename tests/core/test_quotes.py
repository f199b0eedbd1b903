"""Finding a quote on real PDFs: ligatures, line-end hyphenation, page breaks, exact quads."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from reviewer.core.errors import AmbiguousQuote, QuoteNotFound
from reviewer.core.pdf import open_pdf
from tests.conftest import corpus_file
from tests.core.helpers import text_under_quads, write_lines_pdf


def annotate(review, path: Path, quote: str, **kw):
    with open_pdf(path) as pdf:
        return review.annotate_quote(pdf, quote, **kw)


def row(review, annotation_id: str) -> dict:
    return review.store.annotation_row(annotation_id)


def test_quote_with_ligature_glyphs_in_sample_treaty(review, sample_pdf: Path) -> None:
    # The sample treaty draws "offence", "traffic", "efficiently" with U+FB00..FB04 glyphs.
    a = annotate(review, sample_pdf, "more efficiently and effectively", page=1)
    assert a.quote == "more efficiently and effectively"
    assert text_under_quads(sample_pdf, [q.to_json() for q in a.quads]) == [
        "more efficiently and effectively"
    ]
    # ... although the PDF draws those words with ligature glyphs:
    assert "e\ufb03ciently" in open_pdf(sample_pdf).page_text(0).lines[22].chars or any(
        "e\ufb03ciently" in line.chars for line in open_pdf(sample_pdf).page_text(0).lines
    )


def test_ligatures_corpus_file(review, tmp_path: Path) -> None:
    pdf = tmp_path / "lig.pdf"
    shutil.copyfile(corpus_file("pdfjs-ligatures.pdf"), pdf)
    a = annotate(review, pdf, "abcdeffffiflffifflststghij")
    assert a.quote == "abcdeffffiflffifflststghij"
    assert len(a.quads) == 1


def test_real_paper_ligatures(review, tmp_path: Path) -> None:
    pdf = tmp_path / "physics.pdf"
    shutil.copyfile(corpus_file("pdfbox-ligatures-physics-paper.pdf"), pdf)
    a = annotate(review, pdf, "an unprecedented expansion of the study")
    assert a.quote == "an unprecedented expansion of the study"


def test_hyphenated_quote_across_lines(review, tmp_path: Path) -> None:
    pdf = write_lines_pdf(
        tmp_path / "hyph.pdf",
        [["The competent authorities may order the surveil-", "lance of communications without delay."]],
    )
    a = annotate(review, pdf, "order the surveillance of communications")
    assert a.quote == "order the surveillance of communications"
    assert [q.page for q in a.quads] == [0, 0]
    assert text_under_quads(pdf, [q.to_json() for q in a.quads]) == [
        "order the surveil",
        "lance of communications",
    ]


def test_quote_spanning_a_page_break_skips_running_headers(review, sample_pdf: Path) -> None:
    quote = "other than traffic data or content data; (d) \u201ctraffic data\u201d means"
    a = annotate(review, sample_pdf, quote)
    assert a.pages == (0, 1)
    assert [q.page for q in a.quads] == [0, 1]
    assert text_under_quads(sample_pdf, [q.to_json() for q in a.quads]) == [
        "other than traffic data or content data;",
        "(d) “traffic data” means",
    ]
    # Typed with straight quotes, it finds the same passage.
    again = annotate(review, sample_pdf, 'content data; (d) "traffic data" means')
    assert again.pages == (0, 1)


def test_quads_cover_exactly_the_quoted_glyphs(review, sample_pdf: Path) -> None:
    a = annotate(review, sample_pdf, "judicial or other independent review")
    stored = json.loads(row(review, a.id)["quads"])
    assert text_under_quads(sample_pdf, stored) == ["judicial or other independent review;"[:-1]]


def test_not_found_and_ambiguous_quotes_explain_themselves(review, sample_pdf: Path) -> None:
    with pytest.raises(QuoteNotFound, match="quote not found"):
        annotate(review, sample_pdf, "no such passage anywhere")
    with pytest.raises(AmbiguousQuote) as excinfo:
        annotate(review, sample_pdf, "State Party")
    message = str(excinfo.value)
    assert "add --page N or --occurrence K" in message and str(sample_pdf) in message
    a = annotate(review, sample_pdf, "State Party", page=5, occurrence=1)
    assert a.page == 4


def test_rotated_and_offset_boxes_store_pdf_space_quads(review, tmp_path: Path) -> None:
    pdf = tmp_path / "boxes.pdf"
    shutil.copyfile(corpus_file("qpdf-boxes-rotation-negative-mediabox.pdf"), pdf)
    for page in range(1, 9):
        a = annotate(review, pdf, "Rotate:", page=page, occurrence=1)
        geometry = a.geometry[page - 1]
        # Raw QuadPoints as PyMuPDF itself writes them for the same word (measured in notes).
        assert a.quads[0].points == pytest.approx(
            (144, 512.9, 182.688, 512.9, 144, 496.412, 182.688, 496.412), abs=0.01
        )
        assert geometry.cropbox == (10, 20, 582, 752)
        assert text_under_quads(pdf, [q.to_json() for q in a.quads]) == ["Rotate:"]
