"""Running headers repeat at one height; a numbered heading that falls at the top of one page and
the foot of another does not, and must stay in the text (a document typeset with fpdf2 lost
"Article 1", "Article 8" and "Article 16" as page furniture)."""

from __future__ import annotations

from pathlib import Path

import pymupdf

from reviewer.core.pdf import open_pdf


def test_headings_near_the_page_edges_are_text_and_the_running_header_is_not(tmp_path: Path) -> None:
    path = tmp_path / "edges.pdf"
    doc = pymupdf.open()
    for number, heading_y in enumerate((62.0, 77.0, 790.0), start=1):
        page = doc.new_page(width=595, height=842)
        page.insert_text((72, 30), "Convention on Cybercrime", fontsize=9)  # the running header
        page.insert_text((72, 400), f"Body text of page {number}, far from the edges.", fontsize=10)
        page.insert_text((72, heading_y), f"Article {number}", fontname="hebo", fontsize=11)
    doc.save(path)
    with open_pdf(path) as pdf:
        text = pdf.flow().text
    for number in (1, 2, 3):
        assert f"Article {number}" in text
    assert "Convention on Cybercrime" not in text
