"""Find and the outline fill in as a long document's text arrives (issue 15): a provisional
flow of the first pages each time their number doubles; selection and annotating wait for
the document's own flow."""

from __future__ import annotations

from pathlib import Path

import pymupdf
import pytest

from reviewer.ui import page_text_flow
from reviewer.ui.page_view import PageView

from .conftest import wait_text
from .test_text_handover import assert_same_as_the_core_flow

FIRST = 40  # pages let through before the rest is held back


@pytest.fixture
def long_treaty(tmp_path: Path, sample_pdf: Path) -> Path:
    source = pymupdf.open(sample_pdf)
    doc = pymupdf.open()
    while doc.page_count < 110:
        doc.insert_pdf(source)
    path = tmp_path / "long-treaty.pdf"
    doc.save(path)
    return path


@pytest.fixture
def held_back(monkeypatch: pytest.MonkeyPatch) -> list[tuple[PageView, object]]:
    """Page texts past the first FIRST pages wait here until the test lets them in."""
    held: list[tuple[PageView, object]] = []
    original = page_text_flow.PageTextFlow._on_text

    def first_pages_only(self: PageView, page_text: object) -> None:
        if page_text.number >= FIRST:  # type: ignore[attr-defined]
            held.append((self, page_text))
        else:
            original(self, page_text)  # type: ignore[arg-type]

    monkeypatch.setattr(PageView, "_on_text", first_pages_only)
    held.append((None, original))  # type: ignore[arg-type]  # the way back in, first
    return held


def _outline_pages(window) -> list[int]:
    pages = []
    stack = [window.outline.topLevelItem(i) for i in range(window.outline.topLevelItemCount())]
    while stack:
        item = stack.pop()
        pages.append(item.data(0, 0x0100)[0])  # Qt.UserRole: (page, y, offset)
        stack.extend(item.child(i) for i in range(item.childCount()))
    return pages


def test_find_and_outline_cover_the_first_pages_before_the_last_arrives(
    make_window, long_treaty: Path, held_back, qtbot
) -> None:
    window = make_window(long_treaty)
    view = window.view
    # the first doubling: 32 pages, or a few more when two processes' pages land out of order
    # (page 31 after 32 and 33 makes the first 34 pages read at once)
    qtbot.waitUntil(lambda: view.searchable_pages() >= 32, timeout=30000)
    first = view.searchable_pages()
    assert 32 <= first <= FIRST
    total = pymupdf.open(long_treaty).page_count
    assert total >= 110
    qtbot.waitUntil(lambda: len(held_back) == 1 + total - FIRST, timeout=30000)  # all read, some held
    assert view.text_flow() is None  # nothing may be anchored on a provisional flow

    window.find_bar.open_bar()
    window.find_bar.field.setText("State Party")
    window.finder.search("State Party", immediately=True)
    qtbot.waitUntil(lambda: len(window.finder.hits) > 0, timeout=10000)
    flow, _ = view.searchable()
    hit_pages = {flow.quads(s, e)[0].page for s, e in window.finder.hits}
    assert hit_pages and max(hit_pages) < first
    assert not window.finder.finished  # more pages are coming
    assert window.find_bar.count.text().endswith("…")

    qtbot.waitUntil(
        lambda: window.outline.topLevelItemCount() > 0 and not window.outline_pending(), timeout=10000
    )
    assert window._outline_provisional
    early_outline = _outline_pages(window)
    assert early_outline and max(early_outline) < first

    # the rest of the text comes in: the document's flow, its outline and a full search
    original = held_back[0][1]
    for page_view, page_text in held_back[1:]:
        original(page_view, page_text)
    wait_text(qtbot, window)
    assert view.searchable_pages() == total
    assert_same_as_the_core_flow(view.text_flow(), view._index, long_treaty)
    qtbot.waitUntil(lambda: window.finder.finished, timeout=10000)
    final = view.text_flow()
    all_pages = {final.quads(s, e)[0].page for s, e in window.finder.hits}
    assert max(all_pages) >= 100
    qtbot.waitUntil(lambda: not window.outline_pending() and not window._outline_provisional, timeout=10000)
    assert max(_outline_pages(window)) >= 100


def test_a_short_document_waits_for_its_whole_text(make_window, sample_pdf: Path, qtbot) -> None:
    grown: list[int] = []
    window = make_window(sample_pdf)
    window.view.flowGrowing.connect(grown.append)
    wait_text(qtbot, window)
    assert grown == [] and window.view.searchable_pages() == window.view.page_count()
