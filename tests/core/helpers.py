"""Small PDFs built for one test each (never the user's files)."""

from __future__ import annotations

from pathlib import Path

import pymupdf


def write_lines_pdf(path: Path, pages: list[list[str]], *, fontsize: float = 12) -> Path:
    """One text line per entry, top to bottom, in Helvetica; a page per list."""
    doc = pymupdf.open()
    for lines in pages:
        page = doc.new_page(width=595, height=842)
        y = 120.0
        for line in lines:
            page.insert_text((72, y), line, fontname="helv", fontsize=fontsize)
            y += fontsize * 1.6
    doc.save(path)
    doc.close()
    return path


def text_under_quads(pdf_path: Path, quads: list[dict]) -> list[str]:
    """What MuPDF itself reads in the middle band of each quad (independent of our text flow)."""
    from reviewer.core.geometry import PageGeometry, Quad

    out = []
    with pymupdf.open(pdf_path) as doc:
        for q in quads:
            quad = Quad.from_json(q)
            page = doc[quad.page]
            mb, cb = page.mediabox, page.cropbox
            geometry = PageGeometry(
                (mb.x0, mb.y0, mb.x1, mb.y1), (cb.x0, mb.y1 - cb.y1, cb.x1, mb.y1 - cb.y0), page.rotation
            )
            x0, y0, x1, y1 = quad.unrotated_rect(geometry)
            cy, h = (y0 + y1) / 2, y1 - y0
            band = pymupdf.Rect(x0 + 0.6, cy - h * 0.15, x1 - 0.6, cy + h * 0.15)
            out.append(" ".join(page.get_textbox(band).split()))
    return out
