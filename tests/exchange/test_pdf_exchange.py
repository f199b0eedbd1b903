"""Annotated PDF copies read back by independent tools, and other tools' PDFs and XFDF imported."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pypdf
import pytest

from reviewer.core.exchange.service import export_document, import_file
from reviewer.core.geometry import PageGeometry
from reviewer.core.pdf import open_pdf

from .helpers import BEN, annotate_sample, copy_to, corpus_pdf, corpus_xfdf, dump_db, open_review


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
