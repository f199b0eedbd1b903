"""Highlights sit on their text on rotated pages too (pixels of the page view)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.annotating.gui_helpers import blend, close_to, open_window, quad_pixels, show_quote


@pytest.mark.parametrize("page", [0, 2, 4])  # /Rotate 90, 180, 270
def test_highlight_on_a_rotated_page(qtbot, tmp_path, db_path, page):
    pdf = tmp_path / "rotations.pdf"
    shutil.copyfile(corpus("pdfbox-rotations-90-180-270.pdf"), pdf)
    window = open_window(qtbot, pdf, db_path)
    view = window.view
    controller = window.annotating
    flow = view.text_flow()
    start = flow.text.index("Apache PDFBox", flow.page_start[page])
    end = start + len("Apache PDFBox")
    quads = show_quote(qtbot, window, start, end)
    assert quads[0].page == page
    assert view.page_geometry(page).rotation in (90, 180, 270)
    view.select_range(start, end)
    annotation_id = controller.highlight_selection(["data sharing"])  # blue #2E86DE
    controller.panel.select_annotation("")  # unselected: plain translucent fill
    view.setFocus()
    qtbot.wait(50)
    pixels = quad_pixels(window, quads[0])
    blue = [blend("#2E86DE", 110), blend("#2E86DE", 150)]
    hits = sum(any(close_to(c, b, 20) for b in blue) for c in pixels)
    assert hits >= len(pixels) // 3, [c.name() for c in pixels]
    stored = controller.review.annotation(annotation_id).quads
    assert [q.to_json() for q in stored] == [q.to_json() for q in quads]


def corpus(name: str) -> Path:
    """../shared next to the checkout, or two levels up for a git worktree in a subfolder."""
    root = Path(__file__).resolve().parents[2]
    for base in (root.parent, root.parent.parent):
        path = base / "shared" / "corpus" / "pdfs" / name
        if path.exists():
            return path
    pytest.skip(f"corpus file {name} not available (../shared is missing)")
