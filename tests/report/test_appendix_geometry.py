"""Appendix highlights land on their text on rotated pages and pages with odd boxes.

The reference is independent of ``reviewer.core.geometry``: PyMuPDF's own search on the
source page, turned to the displayed page with ``rotation_matrix``.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pymupdf
import pytest


def corpus(name: str) -> Path:
    """../shared next to the checkout (main), or two levels up (a worktree under wt/)."""
    here = Path(__file__).resolve()
    for root in (here.parents[3], here.parents[4]):
        path = root / "shared" / "corpus" / "pdfs" / name
        if path.exists():
            return path
    pytest.skip(f"corpus file {name} not available")


def test_highlights_on_rotated_pages_and_offset_boxes(review, tmp_path):
    from reviewer.core.pdf import open_pdf
    from reviewer.core.report import ReportOptions, build_report

    source = tmp_path / "boxes.pdf"
    shutil.copyfile(corpus("qpdf-boxes-rotation-negative-mediabox.pdf"), source)
    pdf = open_pdf(source)
    quote = "red rectangle at media"
    for page in range(1, pdf.page_count + 1):
        review.annotate_quote(pdf, quote, page=page, tags=["safeguard"])
    out = build_report(review, pdf, ReportOptions(tmp_path / "r.pdf", with_pages=True))
    pdf.close()
    with pymupdf.open(source) as src, pymupdf.open(out) as report:
        appendix = report.page_count - src.page_count
        for index in range(src.page_count):
            page = report[appendix + index]
            (image,) = page.get_images()
            (placed,) = page.get_image_rects(image[0])
            shown = src[index].rect  # the displayed page (rotation applied)
            scale = placed.width / shown.width
            assert placed.height / shown.height == pytest.approx(scale, rel=1e-3)
            drawn = [
                d["rect"] for d in page.get_drawings() if d.get("fill_opacity") and d["fill_opacity"] < 1
            ]
            assert drawn, f"page {index + 1}: no highlight"
            got = pymupdf.Rect(drawn[0])
            for r in drawn[1:]:
                got |= r
            got = pymupdf.Rect(
                (got.x0 - placed.x0) / scale,
                (got.y0 - placed.y0) / scale,
                (got.x1 - placed.x0) / scale,
                (got.y1 - placed.y0) / scale,
            )
            hits = src[index].search_for(quote)
            want = pymupdf.Rect(hits[0])
            for r in hits[1:]:
                want |= r
            want = want * src[index].rotation_matrix
            for a, b in zip(got, want, strict=True):
                assert a == pytest.approx(b, abs=1.5), f"page {index + 1}: {got} vs {want}"


def test_page_labels_are_what_entries_and_appendix_cite(review, tmp_path):
    from report_testkit import markdown_text, pdftotext, squash

    from reviewer.core.pdf import open_pdf
    from reviewer.core.report import ReportOptions, build_report

    source = tmp_path / "labels.pdf"
    shutil.copyfile(corpus("pagelabels-roman-arabic.pdf"), source)
    pdf = open_pdf(source)
    review.annotate_quote(pdf, "Second section Some text here", page=2, comment="On page iv.")
    md = markdown_text(build_report(review, pdf, ReportOptions(tmp_path / "r.md", group_by="page")))
    assert "### Page iv" in md and "#### #1 p. iv · page iv" in md
    text = pdftotext(build_report(review, pdf, ReportOptions(tmp_path / "r.pdf", with_pages=True)))
    pdf.close()
    assert squash("#1 p. iv · page iv") in squash(text)
    assert "Page iv" in text.split("Appendix: annotated pages")[-1]
