"""Reviewer's own sample treaty set in two columns (as the issue tried it: 69 of 93 passages
cited right): every paragraph and subparagraph cited as on one column."""

from __future__ import annotations

import io
from pathlib import Path

import pymupdf

from reviewer.core.pdf import open_pdf
from reviewer.core.sample_treaty import CSS, SAMPLE_TREATY, treaty_html
from reviewer.core.structure import structure_of


def _two_columns(path: Path) -> None:
    story = pymupdf.Story(html=treaty_html(SAMPLE_TREATY), user_css=CSS + "body { font-size: 9pt; }")
    page_rect = pymupdf.paper_rect("a4")
    gutter = 18
    width = (page_rect.width - 2 * 50 - gutter) / 2
    columns = [
        pymupdf.Rect(50, 60, 50 + width, page_rect.height - 60),
        pymupdf.Rect(50 + width + gutter, 60, page_rect.width - 50, page_rect.height - 60),
    ]
    buffer = io.BytesIO()
    writer = pymupdf.DocumentWriter(buffer)
    more = 1
    while more:
        device = writer.begin_page(page_rect)
        for column in columns:
            if more:
                more, _ = story.place(column)
                story.draw(device)
        writer.end_page()
    writer.close()
    doc = pymupdf.open("pdf", buffer.getvalue())
    for page in doc:
        page.insert_text(
            (50, 40), "Convention on Cross-Border Cooperation | two columns", fontname="helv", fontsize=8
        )
        page.insert_text((290, page.rect.height - 30), f"{page.number + 1}", fontname="helv", fontsize=8)
    doc.save(path)


def _unique_window(text: str, haystack: str) -> str:
    """Six words of ``text`` that occur once in the document."""
    words = text.split()
    for start in range(max(1, len(words) - 5)):
        window = " ".join(words[start : start + 6])
        if haystack.count(window) == 1:
            return window
    raise AssertionError(f"no unique quote in {text!r}")


def test_sample_treaty_in_two_columns_is_cited_as_on_one(tmp_path: Path) -> None:
    path = tmp_path / "two-columns.pdf"
    _two_columns(path)
    expected: list[tuple[str, str]] = []
    for number, article in SAMPLE_TREATY.articles():
        single = len(article.paragraphs) == 1
        for pi, paragraph in enumerate(article.paragraphs, start=1):
            base = f"Art. {number}" + ("" if single else f"({pi})")
            expected.append((paragraph.text, base))
            for si, sub in enumerate(paragraph.subparagraphs):
                expected.append((sub, f"{base}({chr(ord('a') + si)})"))
    with open_pdf(path) as pdf:
        assert pdf.page_count > 1
        flow = pdf.flow()
        found = structure_of(pdf)
        titles = [(a.number, a.title) for a in found.articles]
        wrong = []
        for text, citation in expected:
            quote = _unique_window(text, flow.text)
            offset = flow.text.find(quote)
            got = found.place_at(offset).citation
            if got != citation:
                wrong.append((quote, got, citation))
    assert titles == [(n, a.title) for n, a in SAMPLE_TREATY.articles()]
    assert not wrong, f"{len(wrong)} of {len(expected)} wrong: {wrong[:5]}"
