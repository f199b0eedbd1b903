"""The render workers: stale requests dropped, cache bounded, failures become error tiles."""

from __future__ import annotations

import os
import signal
from pathlib import Path

import pytest
from PySide6.QtGui import QImage

from reviewer.ui.render_client import RenderPool, TileCache

from .conftest import corpus_file, wait_rendered


def test_cache_is_bounded_in_bytes_and_drops_the_least_recently_used() -> None:
    cache = TileCache(budget_bytes=3 * 100 * 100 * 4)
    keys = [(page, 1.0, (0, 0, 100, 100)) for page in range(5)]
    for key in keys[:3]:
        image = QImage(100, 100, QImage.Format.Format_RGB32)
        cache.put(key, image, None, (0, 0, 100, 100))
    cache.get(keys[0])  # used recently: kept
    for key in keys[3:]:
        cache.put(key, QImage(100, 100, QImage.Format.Format_RGB32), None, (0, 0, 100, 100))
    assert cache.used <= cache.budget
    assert keys[0] in cache and keys[4] in cache
    assert keys[1] not in cache and keys[2] not in cache


def test_a_new_request_list_replaces_the_queue(qtbot, sample_pdf: Path) -> None:
    pool = RenderPool(render_workers=1)
    try:
        pool.open(str(sample_pdf), None)
        first = [(page, 2.0, (0, 0, 50, 50)) for page in range(7)]
        pool.request_tiles(first)
        in_flight = set(pool._in_flight_keys)
        assert len(in_flight) == 1  # one request per worker, the rest waits in the queue
        later = [(6, 3.0, (0, 0, 50, 50))]
        pool.request_tiles(later)
        assert pool._tile_queue == later  # the stale ones never reach a worker
        qtbot.waitUntil(lambda: later[0] in pool.cache, timeout=20000)
        for key in first:
            if key not in in_flight:
                assert key not in pool.cache
    finally:
        pool.shutdown()


def test_a_page_that_cannot_render_becomes_an_error_tile(qtbot, sample_pdf: Path) -> None:
    pool = RenderPool(render_workers=1)
    try:
        pool.open(str(sample_pdf), None)
        bad = (99, 1.0, (0, 0, 10, 10))  # no such page: MuPDF raises in the worker
        pool.request_tiles([bad])
        qtbot.waitUntil(lambda: bad in pool.cache, timeout=20000)
        assert pool.cache.get(bad)[0] is None
        assert bad in pool.errors
    finally:
        pool.shutdown()


def test_error_tiles_are_painted_not_raised(make_window, sample_pdf: Path, qtbot) -> None:
    window = make_window(sample_pdf)
    view = window.view
    wait_rendered(qtbot, window)
    key = view._wanted_tiles(ahead=False)[0]
    view._pool.errors[key] = "RuntimeError: broken content stream"
    view._pool.cache.put(key, None, None, key[2])
    view.viewport().repaint()
    image = view.viewport().grab().toImage()
    x, y, w, h = view.page_rect_in_viewport(key[0])
    color = image.pixelColor(int(x + 5), int(max(y, 0) + 5))
    assert color.red() > 240 and color.green() < 235  # the pink error tile


def test_the_view_recovers_when_a_render_worker_dies(make_window, sample_pdf: Path, qtbot) -> None:
    window = make_window(sample_pdf)
    view = window.view
    wait_rendered(qtbot, window)
    for worker in view._pool._workers[:-1]:
        os.kill(worker.process.pid, signal.SIGKILL)
    view.set_zoom(2.0)
    wait_rendered(qtbot, window)
    assert not view.tile_errors()
    # (the text worker ends by itself once the text is in)
    qtbot.waitUntil(lambda: all(w.process.poll() is None for w in view._pool._workers if not w.retired))
    view.set_zoom(0.75)  # the fresh workers render
    wait_rendered(qtbot, window)
    assert not view.tile_errors()


def test_tiles_come_through_the_shared_buffer_with_the_same_pixels(qtbot, sample_pdf: Path) -> None:
    """Pixels handed over in the shared buffer equal an in-process render; consecutive tiles
    of one worker (the buffer reused) keep their own pixels; shutdown releases the buffer."""
    from reviewer.core.pdf import open_pdf, render_tile

    pool = RenderPool(render_workers=1)
    worker = None
    try:
        pool.open(str(sample_pdf), None)
        worker = pool._workers[0]
        assert worker.tile_buffer is not None
        keys = [(0, 1.5, (0, 0, 600, 700)), (1, 1.5, (0, 0, 600, 700)), (0, 2.0, (100, 50, 400, 300))]
        for key in keys:
            pool.request_tiles([key])
            qtbot.waitUntil(lambda key=key: key in pool.cache, timeout=20000)
        with open_pdf(sample_pdf) as document:
            for page, scale, clip in keys:
                x, y, w, h, stride, samples = render_tile(document, page, scale, clip)
                expected = QImage(samples, w, h, stride, QImage.Format.Format_RGB888).convertToFormat(
                    QImage.Format.Format_RGB32
                )
                image, rect = pool.cache.get((page, scale, clip))
                assert rect == (x, y, w, h)
                assert image == expected
        assert pool.cache.get(keys[0])[0] != pool.cache.get(keys[1])[0]  # pages differ
        # the last tile's pixels are the ones in the shared memory: they did not take the pipe
        assert worker.tile_buffer is not None and worker.tile_buffer[: len(samples)] == samples
    finally:
        pool.shutdown()
    assert worker is not None and worker.tile_buffer is None


def test_render_workers_never_load_qt(qtbot, sample_pdf: Path) -> None:
    """A worker only needs MuPDF; loading PySide6 cost each one 40-100 ms and ~20 MB."""
    import sys

    import pytest

    if not sys.platform.startswith("linux"):
        pytest.skip("reads /proc")
    pool = RenderPool(render_workers=1)
    try:
        pool.open(str(sample_pdf), None)
        key = (0, 1.0, (0, 0, 50, 50))
        pool.request_tiles([key])
        qtbot.waitUntil(lambda: key in pool.cache, timeout=20000)
        workers = [w for w in pool._workers if w is not None]
        assert workers
        maps = [Path(f"/proc/{w.process.pid}/maps").read_text() for w in workers]
        assert any("_mupdf" in m for m in maps)  # the one that rendered the tile
        for one in maps:
            assert "Qt6Core" not in one and "shiboken6" not in one
    finally:
        pool.shutdown()


@pytest.mark.parametrize(
    "corpus_name",
    [None, "sf-latex-two-column.pdf", "qpdf-boxes-rotation-negative-mediabox.pdf", "pdfbox-ligatures-physics-paper.pdf"],
)  # ours, LaTeX two columns, odd boxes and rotations, another publisher's ligatures
def test_page_text_is_read_by_the_text_worker_and_an_idle_render_worker_each_page_once(
    qtbot, sample_pdf: Path, corpus_name: str | None
) -> None:
    """The last render worker reads text while no tile waits (the first stays free for
    tiles): every page's text arrives once, equal to the core's, from both processes; then
    the text worker ends."""
    from reviewer.core.pdf import open_pdf

    if corpus_name is not None:
        sample_pdf = corpus_file(corpus_name)
    pool = RenderPool(render_workers=2)
    received: dict[int, object] = {}
    readers: list[int] = []
    on_message = pool._on_message

    def spy(index: int, message: tuple) -> None:  # type: ignore[type-arg]
        if message[0] == "text":
            readers.append(index)
        on_message(index, message)

    pool._on_message = spy  # type: ignore[method-assign]
    pool.textReady.connect(lambda text: received.setdefault(text.number, text) and None)
    try:
        pool.open(str(sample_pdf), None)
        with open_pdf(sample_pdf) as document:
            count = document.page_count
            pool.request_texts(list(range(count)))
            qtbot.waitUntil(lambda: len(received) == count and not pool.text_pending(), timeout=30000)
            assert sorted(received) == list(range(count)) and len(readers) == count  # each once
            both = {1, pool._text_worker_index}  # render worker 1 and the text worker
            assert set(readers) == both if count > 1 else set(readers) <= both
            for page in (0, count - 1):
                assert received[page].lines == document.page_text(page).lines
        qtbot.waitUntil(lambda: not pool.text_worker_alive(), timeout=10000)
        pool.request_tiles([(0, 1.0, (0, 0, 50, 50))])  # the render workers still draw
        qtbot.waitUntil(lambda: (0, 1.0, (0, 0, 50, 50)) in pool.cache, timeout=20000)
    finally:
        pool.shutdown()


@pytest.mark.parametrize(
    "corpus_name",
    [None, "sf-geotopo-117p-objstreams.pdf", "qpdf-boxes-rotation-negative-mediabox.pdf", "us-crpt-114hrpt354-essa-conference-report.pdf"],
)  # ours, a German LaTeX book, odd boxes and rotations, a 752-page GPO report
def test_the_text_worker_reads_ahead_and_loses_no_page_when_it_dies(
    qtbot, sample_pdf: Path, corpus_name: str | None
) -> None:
    """The text-only worker has several pages asked of it at once (it reads the next without
    waiting for the window); killed with pages asked, those pages are asked again of its
    successor: every page arrives, once, with the core's text."""
    from reviewer.core.pdf import open_pdf
    from reviewer.ui.render_client import TEXT_AHEAD

    if corpus_name is not None:
        sample_pdf = corpus_file(corpus_name)
    pool = RenderPool(render_workers=1)  # one render worker: it never reads text
    received: dict[int, list[object]] = {}
    pool.textReady.connect(lambda text: received.setdefault(text.number, []).append(text))
    try:
        pool.open(str(sample_pdf), None)
        with open_pdf(sample_pdf) as document:
            count = document.page_count
            assert count > TEXT_AHEAD + 2
            text_worker = pool._workers[pool._text_worker_index]
            pool.request_texts(list(range(count)))
            assert text_worker.texts_ahead == list(range(TEXT_AHEAD))  # asked at once
            # Held while pages are asked of it (a short document's worker can read them all
            # before a test could kill it), then killed: what it answered before counts.
            os.kill(text_worker.process.pid, signal.SIGSTOP)
            qtbot.wait(200)
            assert text_worker.texts_ahead  # pages asked and not answered
            os.kill(text_worker.process.pid, signal.SIGKILL)
            qtbot.waitUntil(lambda: len(received) == count and not pool.text_pending(), timeout=120000)
            assert pool._workers[pool._text_worker_index] is not text_worker  # a successor read the rest
            assert {page: len(texts) for page, texts in received.items()} == {p: 1 for p in range(count)}
            for page in (0, count // 2, count - 1):
                assert received[page][0].lines == document.page_text(page).lines  # type: ignore[attr-defined]
        qtbot.waitUntil(lambda: not pool.text_worker_alive(), timeout=10000)
    finally:
        pool.shutdown()
