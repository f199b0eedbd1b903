"""Exports (reviewer.core.exchange.export): annotated PDF copies read back by independent tools
(pypdf, poppler) on every rotation and box, with replies and status.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pypdf
import pytest

from reviewer.core.exchange.service import export_document
from reviewer.core.geometry import PageGeometry
from reviewer.core.pdf import open_pdf

from .helpers import annotate_sample, copy_to, corpus_pdf, open_review


def _poppler_words(pdf_path: Path) -> list[list[tuple[float, float, float, float, str]]]:
    """Words per page from pdftotext -bbox: MediaBox-relative, y down, in the rotated view."""
    if shutil.which("pdftotext") is None:
        pytest.skip("poppler-utils not installed")
    xml = subprocess.run(
        ["pdftotext", "-bbox", str(pdf_path), "-"], capture_output=True, text=True, check=True
    ).stdout
    pages = []
    for page in re.split(r"<page ", xml)[1:]:
        words = []
        for m in re.finditer(
            r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>',
            page,
        ):
            x0, y0, x1, y1 = (float(m.group(i)) for i in range(1, 5))
            words.append((x0, y0, x1, y1, m.group(5)))
        pages.append(words)
    return pages


def _pypdf_highlights(path: Path) -> dict[int, list[dict]]:  # type: ignore[type-arg]
    reader = pypdf.PdfReader(str(path))
    out: dict[int, list[dict]] = {}  # type: ignore[type-arg]
    for index, page in enumerate(reader.pages):
        for ref in page.get("/Annots", []) or []:
            annot = ref.get_object()
            if annot["/Subtype"] == "/Highlight":
                out.setdefault(index, []).append(annot)
    return out


def test_annotated_copy_quads_enclose_the_quote_on_every_rotation_and_box(tmp_path: Path) -> None:
    boxes = copy_to(corpus_pdf("qpdf-boxes-rotation-negative-mediabox.pdf"), tmp_path)
    review = open_review(tmp_path / "a.db")
    pdf = open_pdf(boxes)
    assert pdf.page_count == 8
    quotes = {}
    for page in range(8):
        for quote in ("green at crop", "rectangle"):
            a = review.annotate_quote(
                pdf, quote, page=page + 1, occurrence=None if quote != "rectangle" else 1
            )
            quotes[a.id] = (page, a.quote)
    out = tmp_path / "annotated.pdf"
    export_document(review, pdf, "pdf", out)

    highlights = _pypdf_highlights(out)
    words = _poppler_words(boxes)
    reader = pypdf.PdfReader(str(boxes))
    seen = set()
    for page in range(8):
        assert len(highlights.get(page, [])) == 2, f"page {page + 1}"
        mediabox = tuple(float(v) for v in reader.pages[page].mediabox)
        rotation = int(reader.pages[page].get("/Rotate", 0)) % 360
        view = PageGeometry(mediabox, mediabox, rotation)  # type: ignore[arg-type]
        for annot in highlights[page]:
            name = str(annot["/NM"])
            seen.add(name)
            assert quotes[name][0] == page
            points = [float(v) for v in annot["/QuadPoints"]]
            rects = []
            for k in range(0, len(points), 8):
                xs, ys = points[k : k + 8 : 2], points[k + 1 : k + 8 : 2]
                rects.append((min(xs), min(ys), max(xs), max(ys)))
            inside = []
            for x0, y0, x1, y1, text in words[page]:
                cx, cy = view.view_to_pdf((x0 + x1) / 2, (y0 + y1) / 2)
                if any(r[0] <= cx <= r[2] and r[1] <= cy <= r[3] for r in rects):
                    inside.append(text)
            assert " ".join(inside) == quotes[name][1], f"page {page + 1}: {inside}"
            assert str(annot["/M"]).endswith("+00'00'") and str(annot["/CreationDate"]).endswith("+00'00'")
            assert str(annot["/T"]) == "Ada Tester"
    assert seen == set(quotes)


def test_annotated_copy_carries_replies_and_status(tmp_path: Path, sample_pdf: Path) -> None:
    review = open_review(tmp_path / "a.db")
    pdf = open_pdf(sample_pdf)
    ids = annotate_sample(review, pdf)
    out = tmp_path / "annotated.pdf"
    export_document(review, pdf, "pdf", out)
    reader = pypdf.PdfReader(str(out))
    annots = [ref.get_object() for page in reader.pages for ref in (page.get("/Annots", []) or [])]
    by_name = {str(a.get("/NM")): a for a in annots if "/NM" in a}
    first = by_name[ids[0]]
    assert str(first["/Contents"]) == "Too broad.\nSee Art. 3."
    assert str(first["/Subj"]) == "surveillance power"
    replies = [a for a in annots if "/IRT" in a and a["/IRT"].get_object() == first and "/State" not in a]
    assert sorted(str(r["/Contents"]) for r in replies) == sorted(
        ["Agreed; compare Art. 13(2).", "Ünïcödé reply — „quoted“ 条约"]
    )
    states = [a for a in annots if "/State" in a]
    assert [(str(s["/State"]), s["/IRT"].get_object()["/NM"]) for s in states] == [("Accepted", ids[1])]
    assert ids[2] not in by_name  # deleted annotations are not exported
