"""Import cost grows with pages + annotations, never their product (issue 15).

No timing: the glyph maps of the text flow count their reads. The same highlights are
imported into a document of N pages and of 2N pages (the added pages come after the annotated
ones); the work per added annotation (reads of the glyph maps for K more highlights) must stay
the same, where the old lookup walked every glyph of the document for each highlight.
"""

from __future__ import annotations

from array import array
from pathlib import Path
from typing import Any

import pymupdf
import pytest

from reviewer.core import pdf as pdf_module
from reviewer.core.exchange.service import import_file
from tests.exchange.helpers import open_review

BODY = (
    "The States Parties shall ensure that personal data is processed lawfully and fairly. "
    "Each Party shall adopt such legislative measures as may be necessary to establish the "
    "powers and procedures provided for in this section, subject to the conditions and "
    "safeguards of Article 15. Nothing in this Convention shall affect the rights of others."
)


class CountingMap:
    """An array of the flow's glyph maps that counts how many entries are read."""

    reads = 0

    def __init__(self, values: array) -> None:  # type: ignore[type-arg]
        self.values = values

    def __len__(self) -> int:
        return len(self.values)

    def __getitem__(self, index: Any) -> Any:
        got = self.values[index]
        CountingMap.reads += len(got) if isinstance(index, slice) else 1
        return got

    def __iter__(self) -> Any:
        for value in self.values:
            CountingMap.reads += 1
            yield value

    def index(self, value: Any, start: int = 0, stop: int | None = None) -> int:
        """array.index, counting the entries it looks at (structure detection uses it)."""
        stop = len(self.values) if stop is None else min(stop, len(self.values))
        try:
            found = self.values.index(value, start, stop)
        except ValueError:
            CountingMap.reads += max(0, stop - start)
            raise
        CountingMap.reads += found - start + 1
        return found

    @property
    def typecode(self) -> str:
        return str(self.values.typecode)


def _document(path: Path, pages: int, style: str) -> Path:
    doc = pymupdf.open()
    for number in range(pages):
        page = doc.new_page(width=595, height=842)
        if style == "articles":
            page.insert_text((72, 80), f"Article {number + 1}", fontsize=13, fontname="hebo")
            box = pymupdf.Rect(72, 100, 523, 780)
            page.insert_textbox(box, f"1. {BODY}\n2. {BODY}\n3. {BODY}", fontsize=11)
        else:  # two columns of small print, as a report's annex
            for column in range(2):
                box = pymupdf.Rect(50 + column * 260, 60, 290 + column * 260, 800)
                page.insert_textbox(box, f"{BODY} {BODY} {BODY}", fontsize=9, fontname="tiro")
    doc.save(path)
    doc.close()
    return path


def _xfdf(pdf_path: Path, path: Path, count: int, annotated_pages: int) -> Path:
    """``count`` highlights of a few words each, on the first ``annotated_pages`` pages."""
    doc = pymupdf.open(pdf_path)
    out = ['<?xml version="1.0" encoding="UTF-8"?><xfdf xmlns="http://ns.adobe.com/xfdf/"><annots>']
    for n in range(count):
        number = n % annotated_pages
        page = doc[number]
        words = page.get_text("words")
        first = (n * 7) % max(1, len(words) - 4)
        run = [w for w in words[first : first + 4] if (w[5], w[6]) == (words[first][5], words[first][6])]
        height = page.rect.height
        x0, x1 = run[0][0], run[-1][2]
        top, bottom = height - run[0][1], height - run[0][3]
        coords = ",".join(f"{v:.3f}" for v in (x0, top, x1, top, x0, bottom, x1, bottom))
        out.append(
            f'<highlight page="{number}" coords="{coords}" rect="{x0:.3f},{bottom:.3f},{x1:.3f},{top:.3f}" '
            f'title="Other Tool" date="D:20261201120000Z"><contents>n{n}</contents></highlight>'
        )
    out.append("</annots></xfdf>")
    doc.close()
    path.write_text("".join(out), "utf-8")
    return path


def _reads_to_import(tmp_path: Path, pdf_path: Path, xfdf: Path, monkeypatch: pytest.MonkeyPatch) -> int:
    original_flow = pdf_module.PdfDocument.flow

    def counted_flow(self: Any) -> Any:
        flow = original_flow(self)
        if not isinstance(flow.glyph_of, CountingMap):
            for name in ("glyph_of", "glyph_page", "glyph_line", "glyph_char"):
                setattr(flow, name, CountingMap(getattr(flow, name)))
        return flow

    monkeypatch.setattr(pdf_module.PdfDocument, "flow", counted_flow)
    review = open_review(tmp_path / f"{xfdf.stem}-{pdf_path.stem}.sqlite3")
    try:
        CountingMap.reads = 0
        result = import_file(review, str(xfdf), pdf_path=str(pdf_path))
        reads = CountingMap.reads
        assert result.summary()["added"] == len(review.store.query_annotations(None))
    finally:
        review.close()
    return reads


@pytest.mark.parametrize("style", ["articles", "columns"])
def test_doubling_the_pages_does_not_double_the_work_per_annotation(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, style: str
) -> None:
    pages, few, more = 12, 24, 72
    per_annotation = {}
    added = {}
    for total in (pages, 2 * pages):
        pdf_path = _document(tmp_path / f"{style}-{total}.pdf", total, style)
        small = _reads_to_import(
            tmp_path, pdf_path, _xfdf(pdf_path, tmp_path / f"few-{total}.xfdf", few, 6), monkeypatch
        )
        large = _reads_to_import(
            tmp_path, pdf_path, _xfdf(pdf_path, tmp_path / f"more-{total}.xfdf", more, 6), monkeypatch
        )
        per_annotation[total] = (large - small) / (more - few)
        added[total] = (small, large)
    # The document-wide work (structure detection reads every glyph once) grows with the pages;
    # what each further highlight costs does not.
    assert added[2 * pages][0] > added[pages][0]
    assert per_annotation[pages] > 0
    assert per_annotation[2 * pages] <= per_annotation[pages] * 1.1, per_annotation


def test_offsets_in_rects_reads_only_the_lines_it_needs(tmp_path: Path) -> None:
    """The same rectangle costs the same reads on page 0 of a 5-page and a 40-page flow,
    and finds the same characters as a walk over every glyph of the document."""
    from reviewer.core.pdf import open_pdf

    found = {}
    for total in (5, 40):
        with open_pdf(_document(tmp_path / f"d{total}.pdf", total, "articles")) as pdf:
            flow = pdf.flow()
            rect = (72.0, 100.0, 300.0, 140.0)
            expected = [
                i
                for i, glyph in enumerate(flow.glyph_of)
                if glyph >= 0
                and flow.glyph_page[glyph] == 0
                and _centre_in(
                    flow.pages[0].lines[flow.glyph_line[glyph]].boxes[flow.glyph_char[glyph]], rect
                )
            ]
            for name in ("glyph_of", "glyph_page", "glyph_line", "glyph_char"):
                setattr(flow, name, CountingMap(getattr(flow, name)))
            flow.offsets_in_rects(0, [rect])  # builds page 0's line index
            CountingMap.reads = 0
            hits = flow.offsets_in_rects(0, [rect])
            found[total] = CountingMap.reads
            assert hits == expected and hits
            assert flow.text[hits[0] : hits[-1] + 1].startswith("1. The States Parties")
    assert found[40] == found[5]


def _centre_in(box: Any, rect: tuple[float, float, float, float]) -> bool:
    cx, cy = (box[0] + box[2]) / 2, (box[1] + box[3]) / 2
    return rect[0] <= cx <= rect[2] and rect[1] <= cy <= rect[3]
