"""The page layout arithmetic: positions, hit-testing, tiles and fit zooms."""

from __future__ import annotations

import pytest

from reviewer.ui.layout import (
    PageLayout,
    fit_page_zoom,
    fit_width_zoom,
    pixel_size,
    zoom_in,
    zoom_out,
)


def test_pages_stack_with_gaps_and_sizes_known_before_rendering() -> None:
    layout = PageLayout([(612, 792), (792, 612), (612, 792)], zoom=1.0, gap=10, margin=10)
    assert layout.tops == [10, 10 + 792 + 10, 10 + 792 + 10 + 612 + 10]
    assert layout.content_height == 10 + 792 + 10 + 612 + 10 + 792 + 10
    assert layout.content_width == 792 + 20


def test_pages_are_centred_and_hit_test_returns_page_points() -> None:
    layout = PageLayout([(600, 800), (400, 300)], zoom=2.0, margin=10, gap=10)
    x, y, w, h = layout.page_rect(1, viewport_width=2000)
    assert (w, h) == (800, 600)
    assert x == (2000 - 800) / 2
    spot = layout.hit(x + 100, y + 50, viewport_width=2000)
    assert spot is not None and spot.page == 1
    assert (spot.x, spot.y) == (50, 25)
    assert layout.hit(x - 5, y + 50, viewport_width=2000) is None  # beside the page
    assert layout.content_point(spot, 2000) == (x + 100, y + 50)


def test_page_at_and_visible_pages() -> None:
    layout = PageLayout([(100, 100)] * 5, zoom=1.0, margin=10, gap=10)
    assert layout.page_at(0) == 0
    assert layout.page_at(125) == 1
    assert layout.page_at(10_000) == 4
    assert list(layout.visible_pages(115, 345)) == [0, 1, 2, 3]


def test_hidpi_layout_uses_device_pixels() -> None:
    layout = PageLayout([(612, 792)], zoom=1.0, device_pixel_ratio=2.0)
    assert layout.pixels[0] == (1224, 1584)
    assert layout.page_rect(0, 1000)[2:] == (612, 792)


def test_pixel_size_matches_mupdf_rounding() -> None:
    pymupdf = pytest.importorskip("pymupdf")
    page = pymupdf.open()
    page.new_page(width=572, height=732)
    for scale in (0.37, 1.0, 1.37, 2.5, 4.0):
        pix = page[0].get_pixmap(matrix=pymupdf.Matrix(scale, scale))
        assert pixel_size(572, 732, scale) == (pix.width, pix.height)


def test_small_pages_render_whole_large_ones_in_visible_tiles() -> None:
    small = PageLayout([(612, 792)], zoom=1.0)
    assert small.tiles(0, (0, 0, 100, 100)) == [(0, 0, 612, 792)]
    big = PageLayout([(612, 792)], zoom=4.0)
    w, h = big.pixels[0]
    tiles = big.tiles(0, (1100, 0, 1500, 900))
    assert tiles == [(1024, 0, 2048, 1024)]
    every = big.tiles(0)
    assert sum((x1 - x0) * (y1 - y0) for x0, y0, x1, y1 in every) == w * h


def test_zoom_steps_and_fits() -> None:
    assert zoom_in(1.0) == 1.1
    assert zoom_out(1.0) == 0.9
    assert zoom_in(8.0) == 8.0
    assert fit_width_zoom(612, 632, margin=10) == pytest.approx(1.0)
    assert fit_page_zoom((612, 792), (1000, 812), margin=10) == pytest.approx(1.0)
