"""The outside observer of ``x_first_page``: frames read from an Xvfb framebuffer file (XWD).

The bench reads each frame from the memory Xvfb keeps its screen in (``-fbdir``), so that the
observer neither asks the server for 6.4 MB per frame nor competes with the program it times.
These tests write XWD files as Xvfb lays them out and check what the probe reads from them:
the pixels where they are, the page found where it is drawn, and a clear refusal of a screen
it cannot read. No timing.
"""

from __future__ import annotations

import importlib.util
import shutil
import struct
import subprocess
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
GREY, WHITE, RED = (0x80, 0x80, 0x80), (0xFF, 0xFF, 0xFF), (0xE0, 0x10, 0x20)


def load_probe():  # type: ignore[no-untyped-def]
    spec = importlib.util.spec_from_file_location("x_first_frame", ROOT / "bench" / "probes" / "x_first_frame.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def write_xwd(path: Path, width: int, height: int, paint, depth: int = 24, ncolors: int = 256) -> None:  # type: ignore[no-untyped-def]
    """An XWD file laid out as Xvfb's ``-fbdir`` screen: header (with the window name), colour
    map of ``ncolors`` entries, then 32-bit LSB-first pixels (B, G, R, unused)."""
    name = b"Xvfb main window\x00"
    fields = [0] * 25
    fields[0] = 100 + len(name)  # header_size
    fields[1], fields[2], fields[3] = 7, 2, depth  # version, ZPixmap, depth
    fields[4], fields[5] = width, height
    fields[7], fields[11], fields[12] = 0, 32, width * 4  # LSBFirst, bits per pixel, bytes per line
    fields[18] = fields[19] = ncolors
    pixels = bytearray()
    for y in range(height):
        for x in range(width):
            r, g, b = paint(x, y)
            pixels += bytes((b, g, r, 0))
    path.write_bytes(struct.pack(">25I", *fields) + name + b"\x00" * 12 * ncolors + bytes(pixels))


def screen_with_page(x: int, y: int) -> tuple[int, int, int]:
    """A 640 x 400 screen: grey, a white page at x 200-440, y 40-400, a red mark on it."""
    if 300 <= x < 340 and 100 <= y < 120:
        return RED
    if 200 <= x < 440 and 40 <= y < 400:
        return WHITE
    return GREY


def pixel(frame: bytes, x: int, y: int, width: int = 320) -> tuple[int, int, int]:
    i = (y * width + x) * 4
    b, g, r = frame[i], frame[i + 1], frame[i + 2]
    return (r, g, b)


def test_a_frame_is_read_from_the_framebuffer_where_it_is_drawn(tmp_path: Path) -> None:
    probe = load_probe()
    path = tmp_path / "Xvfb_screen0"
    write_xwd(path, 640, 400, screen_with_page)
    screen = probe.Framebuffer(str(path))
    image = screen.grabWindow(0)
    assert (image.width(), image.height()) == (640, 400)
    assert image.pixelColor(320, 110).getRgb()[:3] == RED
    assert image.pixelColor(10, 10).getRgb()[:3] == GREY
    frame = probe.frame(screen)  # 320 x 200, nearest pixel: halves
    assert len(frame) == 320 * 200 * 4
    assert pixel(frame, 160, 55) == RED
    assert pixel(frame, 150, 150) == WHITE
    assert pixel(frame, 5, 5) == GREY


def test_the_page_is_found_where_it_is_and_a_changed_page_does_not_match(tmp_path: Path) -> None:
    probe = load_probe()
    path = tmp_path / "Xvfb_screen0"
    write_xwd(path, 640, 400, screen_with_page)
    settled = probe.frame(probe.Framebuffer(str(path)))
    box = probe.page_box(settled)
    assert box is not None
    x0, y0, x1, y1 = box
    assert (abs(x0 - 100), abs(x1 - 220), abs(y0 - 20), y1) <= (1, 1, 1, 200)
    assert probe.match(settled, settled, box) == 1.0
    write_xwd(path, 640, 400, lambda x, y: WHITE if 200 <= x < 440 and 40 <= y < 400 else GREY)
    blank_page = probe.frame(probe.Framebuffer(str(path)))  # the page drawn without its text
    assert probe.match(blank_page, settled, box) == pytest.approx(1 - 20 * 10 / ((x1 - x0) * (y1 - y0)))
    assert probe.match(blank_page, settled, box) >= probe.MATCH  # a 20 x 10 mark is under 3 %


def test_a_screen_it_cannot_read_is_refused_in_one_line(tmp_path: Path) -> None:
    probe = load_probe()
    path = tmp_path / "Xvfb_screen0"
    write_xwd(path, 8, 8, lambda x, y: GREY, depth=16)
    with pytest.raises(SystemExit, match="a 24-bit screen of 32-bit LSB-first pixels is expected"):
        probe.Framebuffer(str(path))


@pytest.mark.skipif(shutil.which("Xvfb") is None, reason="needs Xvfb")
def test_xvfb_keeps_its_screen_where_the_probe_reads_it(tmp_path: Path) -> None:
    """The layout the reader expects is the one this machine's Xvfb writes: a black screen."""
    probe = load_probe()
    server = subprocess.Popen(
        ["Xvfb", ":87", "-screen", "0", "320x200x24", "-nolisten", "tcp", "-fbdir", str(tmp_path)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        path = tmp_path / "Xvfb_screen0"
        for _ in range(100):
            if path.exists() and path.stat().st_size > 320 * 200 * 4:
                break
            time.sleep(0.05)
        screen = probe.Framebuffer(str(path))
        assert (screen.width, screen.height, screen.stride) == (320, 200, 1280)
        assert set(probe.frame(screen)[0::4]) == {0}  # nothing drawn yet: black
    finally:
        server.terminate()
        server.wait(timeout=10)
