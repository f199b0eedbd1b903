"""The document's text reaches the window page by page; the text worker then ends, and the
window builds the flow between events. What it builds must be exactly the core's flow."""

from __future__ import annotations

from array import array
from pathlib import Path

from reviewer.core.pdf import open_pdf
from reviewer.core.textflow import TextFlow
from reviewer.ui.memory import release_free_memory
from reviewer.ui.text_index import TextIndex

from .conftest import wait_rendered, wait_text


def text_worker(window):
    pool = window.view._pool
    return pool._workers[pool._text_worker_index]


def assert_same_as_the_core_flow(flow: TextFlow, index: TextIndex, path: Path) -> None:
    with open_pdf(path) as pdf:
        expected = pdf.flow()
        assert flow.text == expected.text and len(flow.text) > 1000
        assert flow.glyph_of == expected.glyph_of
        assert list(flow.glyph_page) == list(expected.glyph_page)
        assert list(flow.glyph_line) == list(expected.glyph_line)
        assert list(flow.glyph_char) == list(expected.glyph_char)
        assert flow.page_start == expected.page_start
        assert flow.furniture == expected.furniture
        assert flow.key_folded == expected.key_folded
        # the glyph boxes came through the pipe: quads of every 200-character stretch agree
        for start in range(0, len(flow.text), 200):
            end = min(len(flow.text), start + 200)
            assert flow.quads(start, end) == expected.quads(start, end)
        assert index.line_base == TextIndex(expected).line_base
        # every glyph's offset: its first character in the flow, -1 when it is not in it
        first_offset = array("i", [-1]) * len(expected.glyph_page)
        for offset, glyph in enumerate(expected.glyph_of):
            if glyph >= 0 and first_offset[glyph] < 0:
                first_offset[glyph] = offset
        assert [index.offset_of_glyph(g) for g in range(len(first_offset))] == list(first_offset)
        assert max(first_offset) > 1000 and first_offset.count(-1) > 100


def test_text_worker_ends_once_the_text_is_in_and_the_flow_is_the_cores(
    make_window, corpus_copy, qtbot
) -> None:
    path = corpus_copy("pdfbox-ligatures-physics-paper.pdf")
    window = make_window(path)
    wait_rendered(qtbot, window)
    wait_text(qtbot, window)
    worker = text_worker(window)
    qtbot.waitUntil(lambda: worker.process.poll() is not None, timeout=5000)
    assert worker.process.returncode == 0  # told to quit, not crashed
    assert worker.retired and not window.view._pool.text_worker_alive()
    # the render workers go on
    assert all(w.process.poll() is None for w in window.view._pool._workers if w is not worker)
    assert_same_as_the_core_flow(window.view.text_flow(), window.view._index, path)


def test_another_document_gets_a_fresh_text_worker(make_window, sample_pdf: Path, corpus_copy, qtbot) -> None:
    window = make_window(sample_pdf)
    wait_text(qtbot, window)
    first = text_worker(window)
    qtbot.waitUntil(lambda: first.process.poll() is not None, timeout=5000)
    other = corpus_copy("us-crpt-118hrpt728.pdf")
    assert window.open_document(str(other))
    qtbot.waitUntil(lambda: window.view.document() is not None and window.view.document().path == str(other))
    wait_text(qtbot, window, timeout=60000)
    second = text_worker(window)
    assert second is not first
    qtbot.waitUntil(lambda: second.process.poll() is not None, timeout=5000)
    assert second.process.returncode == 0
    assert_same_as_the_core_flow(window.view.text_flow(), window.view._index, other)
    # and the view still renders with its render workers
    view = window.view
    view.go_to_page(view.page_count() - 1)
    wait_rendered(qtbot, window)
    assert not view.tile_errors()


def test_find_and_selection_work_on_the_flow_built_in_the_window(
    make_window, sample_pdf: Path, qtbot
) -> None:
    window = make_window(sample_pdf)
    wait_text(qtbot, window)
    view = window.view
    flow = view.text_flow()
    start = flow.text.index("competent authorities")
    view.select_range(start, start + len("competent authorities"))
    assert view.selected_text() == "competent authorities"
    window.finder.search("Competent  Authorities", immediately=True)
    qtbot.waitUntil(lambda: window.finder.finished, timeout=10000)
    assert len(window.finder.hits) == flow.key_folded.count("competent authorities") > 0


def test_free_memory_is_given_back_on_glibc() -> None:
    import platform
    import sys

    expected = sys.platform.startswith("linux") and platform.libc_ver()[0] == "glibc"
    assert release_free_memory() is expected


def test_a_flow_still_being_built_is_dropped_when_another_document_opens(
    make_window, sample_pdf: Path, corpus_copy, qtbot
) -> None:
    window = make_window(sample_pdf)
    wait_text(qtbot, window)
    view = window.view
    delivered: list[str] = []
    view.flowReady.connect(lambda: delivered.append(view.document().path))
    view._start_flow_build()  # the sample treaty's flow again, in slices on the event loop
    other = corpus_copy("pdfbox-ligatures-physics-paper.pdf")
    view.set_document(open_pdf(other))  # before the next slice runs (no event loop in between)
    assert view.text_flow() is None
    wait_text(qtbot, window)
    qtbot.wait(200)
    assert delivered == [str(other)]
    assert_same_as_the_core_flow(view.text_flow(), view._index, other)


def test_glyph_offsets_stay_right_when_the_per_page_maps_are_dropped(sample_pdf: Path, monkeypatch) -> None:
    import reviewer.ui.text_index as text_index

    monkeypatch.setattr(text_index, "PAGES_KEPT", 2)
    with open_pdf(sample_pdf) as pdf:
        flow = pdf.flow()
    index = TextIndex(flow)
    first_offset = array("i", [-1]) * len(flow.glyph_page)
    for offset, glyph in enumerate(flow.glyph_of):
        if glyph >= 0 and first_offset[glyph] < 0:
            first_offset[glyph] = offset
    glyphs = list(range(len(first_offset)))
    order = glyphs[::3] + glyphs[1::3] + glyphs[2::3]  # back and forth across the pages
    assert len(flow.pages) > 3
    assert [index.offset_of_glyph(g) for g in order] == [first_offset[g] for g in order]
    assert len(index._page_offsets) <= 2
