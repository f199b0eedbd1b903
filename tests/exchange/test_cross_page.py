"""An annotation across a page break, through XFDF and the annotated PDF: a PDF annotation
lives on one page, so each further page gets a part grouped with the first (/IRT + /RT /Group,
XFDF ``inreplyto`` + ``replyType="group"``), and import folds the parts back into one."""

from __future__ import annotations

from pathlib import Path

import pymupdf
import pypdf
import pytest

from reviewer.core.exchange.service import export_document, import_file
from reviewer.core.geometry import PageGeometry, Quad
from reviewer.core.pdf import open_pdf

from .helpers import BEN, dump_db, open_review

QUOTE = "other than traffic data or content data; (d) \u201ctraffic data\u201d means"
FIRST_PAGE_PART = "other than traffic data or content data;"
SECOND_PAGE_PART = "(d) \u201ctraffic data\u201d means"


def _annotated(tmp_path: Path, sample_pdf: Path):  # type: ignore[no-untyped-def]
    review = open_review(tmp_path / "a.db")
    pdf = open_pdf(sample_pdf)
    a = review.annotate_quote(pdf, QUOTE, tags=["data sharing"], comment="Across the page break.")
    review.reply(a.id, "Seen.")
    assert a.pages == (0, 1)
    return review, pdf, a


def _text_in(path: Path, page_index: int, points: list[float]) -> str:
    """What MuPDF reads in the middle band of a quad given in PDF user space (any corners)."""
    with pymupdf.open(path) as doc:
        page = doc[page_index]
        mb, cb = page.mediabox, page.cropbox
        geometry = PageGeometry((mb.x0, mb.y0, mb.x1, mb.y1), (cb.x0, mb.y1 - cb.y1, cb.x1, mb.y1 - cb.y0), 0)
        x0, y0, x1, y1 = Quad.from_points(page_index, points).unrotated_rect(geometry)
        cy, h = (y0 + y1) / 2, y1 - y0
        return " ".join(
            page.get_textbox(pymupdf.Rect(x0 + 0.6, cy - h * 0.15, x1 - 0.6, cy + h * 0.15)).split()
        )


@pytest.mark.parametrize("fmt", ["xfdf", "pdf"])
def test_an_annotation_across_a_page_break_comes_back_whole(
    tmp_path: Path, sample_pdf: Path, fmt: str
) -> None:
    first, pdf, a = _annotated(tmp_path, sample_pdf)
    out = tmp_path / f"out.{fmt}"
    export_document(first, pdf, fmt, out)
    second = open_review(tmp_path / "b.db", BEN)
    second.register(open_pdf(sample_pdf))
    result = import_file(second, str(out), pdf_path=str(sample_pdf))
    assert len(result.added) == 2  # the annotation and its reply; the part is no annotation
    back = second.annotations(pdf.info().sha256)
    assert [x.id for x in back] == [a.id]
    got = back[0]
    assert got.quote == QUOTE and got.pages == (0, 1)
    assert got.comment == "Across the page break." and got.tag_names == ["data sharing"]
    assert [r.comment for r in got.replies] == ["Seen."]
    assert [q.page for q in got.quads] == [q.page for q in a.quads]
    for mine, theirs in zip(a.quads, got.quads, strict=True):
        assert max(abs(x - y) for x, y in zip(mine.points, theirs.points, strict=True)) <= 0.5
    before = dump_db(tmp_path / "b.db")
    again = import_file(second, str(out), pdf_path=str(sample_pdf))
    assert again.added == [] and again.updated == [] and again.conflicts == []
    assert dump_db(tmp_path / "b.db") == before


def test_the_annotated_copy_highlights_both_pages_as_one_group(tmp_path: Path, sample_pdf: Path) -> None:
    review, pdf, a = _annotated(tmp_path, sample_pdf)
    out = tmp_path / "annotated.pdf"
    export_document(review, pdf, "pdf", out)
    reader = pypdf.PdfReader(str(out))
    highlights = {
        index: [
            ref.get_object()
            for ref in page.get("/Annots", []) or []
            if ref.get_object()["/Subtype"] == "/Highlight"
        ]
        for index, page in enumerate(reader.pages)
    }
    (primary,) = highlights[0]
    (part,) = highlights[1]
    assert str(primary["/NM"]) == a.id and str(primary["/Contents"]) == "Across the page break."
    assert part["/IRT"].get_object() == primary and str(part["/RT"]) == "/Group"
    assert str(part.get("/Contents", "")) == ""  # the comment once, on the first part
    assert str(part["/NM"]) != a.id
    assert _text_in(out, 0, [float(v) for v in primary["/QuadPoints"]]) == FIRST_PAGE_PART
    assert _text_in(out, 1, [float(v) for v in part["/QuadPoints"]]) == SECOND_PAGE_PART


def test_xfdf_writes_the_part_on_its_own_page(tmp_path: Path, sample_pdf: Path) -> None:
    review, pdf, a = _annotated(tmp_path, sample_pdf)
    out = tmp_path / "out.xfdf"
    export_document(review, pdf, "xfdf", out)
    text = out.read_text("utf-8")
    assert text.count("<highlight ") == 2
    assert f'inreplyto="{a.id}"' in text and 'replyType="group"' in text
    part = text[text.index('replyType="group"') - 600 : text.index('replyType="group"')]
    assert 'page="1"' in part
