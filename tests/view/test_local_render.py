"""Light visible pages are drawn in the window's process, heavy ones by the render workers,
with the same pixels either way; a failure in-process still gives the error tile."""

from __future__ import annotations

import random
from collections.abc import Iterator
from pathlib import Path

import pymupdf
import pytest
from PySide6.QtGui import QImage

from reviewer.core.pdf import PageRenderFeatures, open_pdf, page_render_features, render_tile
from reviewer.ui.local_render import HEAVY_MS, LocalRenderPolicy

HEAVY_PAGE = 3
LIGHT_PAGE = 6


@pytest.fixture
def mixed_pdf(tmp_path: Path) -> Path:
    """Eight text pages; page 4 (index 3) also carries ~4,000 random strokes (a dense map)."""
    doc = pymupdf.open()
    rng = random.Random(7)
    for index in range(8):
        page = doc.new_page(width=595, height=842)
        page.insert_text((72, 100), f"Article {index + 1}", fontsize=20)
        for line in range(30):
            page.insert_text((72, 140 + line * 20), f"Line {line} of page {index + 1}: the Parties agree.")
        if index == HEAVY_PAGE:
            shape = page.new_shape()
            for _ in range(4000):
                shape.draw_line(
                    (rng.uniform(0, 595), rng.uniform(0, 842)), (rng.uniform(0, 595), rng.uniform(0, 842))
                )
            shape.finish(color=(0.2, 0.3, 0.8), width=0.3)
            shape.commit()
    path = tmp_path / "mixed.pdf"
    doc.save(path, deflate=True)
    doc.close()
    return path


@pytest.fixture
def view(qtbot, mixed_pdf: Path) -> Iterator[object]:
    from reviewer.ui.page_view import PageView

    document = open_pdf(mixed_pdf)
    page_view = PageView()
    page_view.resize(1000, 800)
    page_view.show()
    qtbot.waitExposed(page_view)
    page_view.set_document(document, None, page=0, zoom="width")
    qtbot.waitUntil(page_view.is_idle, timeout=20000)
    qtbot.waitUntil(lambda: page_view._pool.warm, timeout=20000)  # the workers are up
    yield page_view
    page_view.shutdown()
    page_view.close()
    document.close()


def _visible_key(page_view, page: int):
    keys = [k for k in page_view._wanted_tiles(ahead=False) if k[0] == page]
    assert len(keys) >= 1
    return keys[0]


def _expected(mixed_pdf: Path, key) -> tuple[QImage, tuple[int, int, int, int]]:
    page, scale, clip = key
    with open_pdf(mixed_pdf) as document:
        x, y, w, h, stride, samples = render_tile(document, page, scale, clip)
        image = QImage(samples, w, h, stride, QImage.Format.Format_RGB888).convertToFormat(
            QImage.Format.Format_RGB32
        )
    return image, (x, y, w, h)


def _cached(page_view, key) -> tuple[QImage, tuple[int, int, int, int]]:
    image, rect = page_view._pool.cache.get(key)
    assert image is not None, page_view.tile_errors()
    return image.convertToFormat(QImage.Format.Format_RGB32), rect


def test_features_tell_the_dense_page_from_the_text_pages(mixed_pdf: Path) -> None:
    with open_pdf(mixed_pdf) as document:
        light = page_render_features(document, LIGHT_PAGE)
        heavy = page_render_features(document, HEAVY_PAGE)
    assert not light.uncertain and not heavy.uncertain
    assert light.content_bytes < 4_000 < 40_000 < heavy.content_bytes
    assert light.font_xrefs and light.embedded_fonts == frozenset()  # Helvetica: built in
    policy = LocalRenderPolicy()
    pixels = 1000 * 1414
    assert policy.renders_locally(LIGHT_PAGE, pixels, light)
    assert not policy.renders_locally(HEAVY_PAGE, pixels, heavy)


def test_a_light_page_is_drawn_here_a_heavy_one_by_the_workers(view, mixed_pdf: Path, qtbot) -> None:
    drawn_here = view.local_renders
    view.go_to_page(HEAVY_PAGE)
    qtbot.waitUntil(view.is_idle, timeout=20000)
    heavy_key = _visible_key(view, HEAVY_PAGE)
    assert view.local_renders == drawn_here  # predicted heavy: the workers drew it
    assert _cached(view, heavy_key) == _expected(mixed_pdf, heavy_key)

    view.go_to_page(LIGHT_PAGE)
    qtbot.waitUntil(view.is_idle, timeout=20000)
    light_key = _visible_key(view, LIGHT_PAGE)
    assert view.local_renders == drawn_here + 1
    assert not view._pool.is_in_flight(light_key)
    here = _cached(view, light_key)
    assert here == _expected(mixed_pdf, light_key)

    # the same tile drawn by a worker instead: the same pixels
    view._local.record(LIGHT_PAGE, 1, HEAVY_MS + 1)  # measured slow once: workers from now on
    view._pool.cache.clear()
    view.go_to_page(0)
    view.go_to_page(LIGHT_PAGE)
    qtbot.waitUntil(view.is_idle, timeout=20000)
    assert view.local_renders == drawn_here + 1
    assert _cached(view, light_key) == here


def test_worker_times_teach_the_view_which_pages_are_heavy(view, qtbot) -> None:
    view._local._heavy.update(range(8))  # every page to the workers
    for page in (1, 4, 7):
        view.go_to_page(page)
        qtbot.waitUntil(view.is_idle, timeout=20000)
    # the workers said what each page took (not the first render of each, which loaded fonts)
    assert view._local._measured
    view._local._heavy.clear()
    assert not view._local.is_heavy(LIGHT_PAGE)
    view._on_tile_timed((LIGHT_PAGE, 1.0, (0, 0, 10, 10)), HEAVY_MS * 2)
    assert view._local.is_heavy(LIGHT_PAGE)


def test_a_failure_in_process_gives_the_error_tile(view, qtbot, monkeypatch) -> None:
    import reviewer.core.pdf as pdf_module

    def broken(*_args: object) -> None:
        raise RuntimeError("broken content stream")

    monkeypatch.setattr(pdf_module, "render_tile_view", broken)
    drawn_here = view.local_renders
    view.go_to_page(LIGHT_PAGE)
    qtbot.waitUntil(view.is_idle, timeout=20000)
    key = _visible_key(view, LIGHT_PAGE)
    assert view.local_renders == drawn_here + 1
    assert view._pool.cache.get(key)[0] is None
    assert "broken content stream" in view.tile_errors()[key]
    view.viewport().repaint()
    image = view.viewport().grab().toImage()
    x, y, _w, _h = view.page_rect_in_viewport(LIGHT_PAGE)
    color = image.pixelColor(int(x + 5), int(max(y, 0) + 5))
    assert color.red() > 240 and color.green() < 235  # the pink error tile


def test_policy_learns_fonts_slowness_and_heavy_pages() -> None:
    policy = LocalRenderPolicy()
    fonts = frozenset(range(11, 19))
    page = PageRenderFeatures(2_000, 0, fonts, fonts, uncertain=False)
    pixels = 1_400_000
    assert not policy.renders_locally(0, pixels, page)  # eight embedded fonts to load first
    policy.fonts_loaded_for(1, page)
    assert policy.renders_locally(0, pixels, page)  # loaded now: only the drawing is left
    assert not policy.renders_locally(0, pixels, PageRenderFeatures(2_000, 0, fonts, fonts, uncertain=True))
    assert not policy.renders_locally(0, 20_000_000, page)  # too many pixels for one call
    drawing, _ = policy.predict(0, pixels, page)
    policy.record_local(0, pixels, drawing * 3, drawing)  # this machine is slower than assumed
    assert policy.slowness > 1.0
    policy.record(2, pixels, HEAVY_MS + 1)
    assert policy.is_heavy(2) and not policy.renders_locally(2, pixels, page)
    policy.reset()
    assert policy.slowness == 1.0 and not policy.is_heavy(2)


def test_workers_read_the_costs_of_all_pages_ahead_of_a_jump(view, mixed_pdf: Path, qtbot) -> None:
    view.go_to_page(1)
    qtbot.waitUntil(lambda: view._local.features(7) is not None, timeout=20000)
    with open_pdf(mixed_pdf) as document:
        for page in range(8):
            assert view._local.features(page) == page_render_features(document, page)


def test_a_thin_tile_does_not_make_a_page_look_heavy() -> None:
    """MuPDF reads the whole page for every tile: a page is judged by its biggest render."""
    policy = LocalRenderPolicy()
    page = PageRenderFeatures(2_000, 0, frozenset(), frozenset(), uncertain=False)
    policy.record(4, 1_000_000, 4.0)
    policy.record(4, 50_000, 3.0)  # an edge tile: 60 ms per megapixel if taken per pixel
    assert policy.predict(4, 1_000_000, page)[0] == 4.0
    assert policy.renders_locally(4, 1_000_000, page)
