"""``reviewer shot``: the window as a PNG; its page area must match PyMuPDF's own rendering."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from PySide6.QtGui import QImage

from reviewer.cli import main_group
from reviewer.core.pdf import open_pdf

ROOT = Path(__file__).resolve().parents[2]


def run_shot(*args: str, scale_factor: str | None = None) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, PYTHONPATH=str(ROOT), QT_QPA_PLATFORM="offscreen")
    if scale_factor:
        env["QT_SCALE_FACTOR"] = scale_factor
    return subprocess.run(
        [sys.executable, "-m", "reviewer", "shot", *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=180,
        cwd=ROOT,
    )


def page_difference(
    png: Path, placed: tuple[int, int, int, int], pdf: Path, page: int, zoom: float
) -> tuple[float, float, int]:
    """(mean absolute difference per channel, share of pixels off by more than 16,
    dark pixels in the reference) between the shot's page area and PyMuPDF's rendering."""
    x, y, w, h = placed
    with open_pdf(pdf) as document:
        rw, rh, stride, samples = document.render_page_rgb(page, zoom)
    assert (w, h) == (rw, rh)
    shot = QImage(str(png)).convertToFormat(QImage.Format.Format_RGB888)
    assert x >= 0 and y >= 0 and x + w <= shot.width() and y + h <= shot.height(), "page not fully shown"
    crop = shot.copy(x, y, w, h)
    total = 0
    off = 0
    dark = 0
    crop_stride = crop.bytesPerLine()
    data = bytes(crop.constBits())
    for row in range(h):
        a = data[row * crop_stride : row * crop_stride + w * 3]
        b = samples[row * stride : row * stride + w * 3]
        if a == b:
            dark += sum(1 for v in b[::3] if v < 128)
            continue
        for i in range(0, w * 3, 3):
            d = max(abs(a[i] - b[i]), abs(a[i + 1] - b[i + 1]), abs(a[i + 2] - b[i + 2]))
            total += abs(a[i] - b[i]) + abs(a[i + 1] - b[i + 1]) + abs(a[i + 2] - b[i + 2])
            off += d > 16
            dark += b[i] < 128
    return total / (w * h * 3), off / (w * h), dark


def placed_from(output: str) -> tuple[int, int, int, int]:
    match = re.search(r"at (\d+),(\d+) size (\d+)x(\d+)", output)
    assert match, output
    return tuple(int(v) for v in match.groups())  # type: ignore[return-value]


@pytest.mark.parametrize(
    ("name", "page", "zoom"),
    [
        ("qpdf-boxes-rotation-negative-mediabox.pdf", 2, "1"),  # /Rotate 90, CropBox offset
        ("qpdf-boxes-rotation-negative-mediabox.pdf", 6, "1.5"),  # /Rotate 90, negative MediaBox
        ("qpdf-boxes-rotation-negative-mediabox.pdf", 8, "1"),  # /Rotate 270, negative MediaBox
        ("pdfbox-rotations-90-180-270.pdf", 2, "1"),
        ("pdfbox-rotations-90-180-270.pdf", 3, "1"),
        ("pdfbox-rotations-90-180-270.pdf", 4, "1"),
        ("pdfjs-acrobat24-highlight-popup-small-cropbox.pdf", 1, "1.25"),
    ],
)
def test_shot_page_area_matches_pymupdf(corpus_copy, tmp_path: Path, name: str, page: int, zoom: str) -> None:
    pdf = corpus_copy(name)
    out = tmp_path / "shot.png"
    result = run_shot(str(pdf), "-o", str(out), "--page", str(page), "--zoom", zoom, "--size", "1900x1500")
    assert result.returncode == 0, result.stderr
    placed = placed_from(result.stdout)
    mean, off_share, dark = page_difference(out, placed, pdf, page - 1, float(zoom))
    print(f"{name} p{page} zoom {zoom}: mean diff {mean:.3f}, pixels off {off_share:.4%}, dark {dark}")
    assert dark > 200  # the page has ink, so a blank or misplaced page would fail
    assert off_share < 0.002
    assert mean < 0.5


def test_shot_is_sharp_on_a_hidpi_screen(corpus_copy, tmp_path: Path) -> None:
    """At device pixel ratio 2 the page is rendered at twice the scale, pixel for pixel."""
    pdf = corpus_copy("qpdf-boxes-rotation-negative-mediabox.pdf")
    out = tmp_path / "hidpi.png"
    result = run_shot(str(pdf), "-o", str(out), "--page", "6", "--size", "1700x900", scale_factor="2")
    assert result.returncode == 0, result.stderr
    placed = placed_from(result.stdout)
    assert QImage(str(out)).width() == 3400
    mean, off_share, dark = page_difference(out, placed, pdf, 5, 2.0)
    print(f"HiDPI: mean diff {mean:.3f}, pixels off {off_share:.4%}")
    assert dark > 200
    assert off_share < 0.002 and mean < 0.5


def test_shot_fit_width_writes_a_png(sample_pdf: Path, tmp_path: Path) -> None:
    out = tmp_path / "fit.png"
    result = run_shot(
        str(sample_pdf), "-o", str(out), "--page", "3", "--zoom", "fit-width", "--size", "1000x700"
    )
    assert result.returncode == 0, result.stderr
    assert "page 3 of 7" in result.stdout
    image = QImage(str(out))
    assert (image.width(), image.height()) == (1000, 700)
    x, y, w, h = placed_from(result.stdout)
    assert w != 612 and x >= 0 and x + w <= 1000  # scaled to fit, wholly in the window


def test_shot_errors_are_one_line() -> None:
    runner = CliRunner()
    result = runner.invoke(main_group, ["shot", "missing.pdf", "-o", "x.png"])
    assert result.exit_code == 1 or isinstance(result.exception, Exception)
    bad = runner.invoke(main_group, ["shot", "missing.pdf", "-o", "x.png", "--zoom", "huge"])
    assert bad.exit_code == 2
    assert "not a zoom" in bad.output
    size = runner.invoke(main_group, ["shot", "missing.pdf", "-o", "x.png", "--size", "12"])
    assert size.exit_code == 2


def test_shot_missing_file_exit_code(tmp_path: Path) -> None:
    result = run_shot(str(tmp_path / "missing.pdf"), "-o", str(tmp_path / "x.png"))
    assert result.returncode == 1
    assert result.stderr.strip().splitlines()[-1].startswith("reviewer: error:")
    assert "no such file" in result.stderr
    assert not (tmp_path / "x.png").exists()


def test_shot_help_has_an_example() -> None:
    result = CliRunner().invoke(main_group, ["shot", "--help"])
    assert result.exit_code == 0
    assert "reviewer shot treaty.pdf -o" in result.output


def test_the_wait_for_the_window_keeps_the_event_loop_running(qtbot) -> None:  # type: ignore[no-untyped-def]
    """What ``shot`` waits for arrives through the event loop (the workers' replies, page by
    page); the wait runs the loop all the while and stops when ready, or gives up."""
    from PySide6.QtCore import QTimer

    from reviewer.ui.event_wait import run_events_until

    steps: list[int] = []

    def step() -> None:  # each step is one event, queued by the one before
        steps.append(len(steps))
        if len(steps) < 500:
            QTimer.singleShot(0, step)

    QTimer.singleShot(0, step)
    asked: list[int] = []

    def ready() -> bool:
        asked.append(len(steps))
        return len(steps) == 500

    assert run_events_until(ready, timeout=30)
    assert steps == list(range(500))
    assert len(asked) < 100  # asked every 10 ms, not once per event
    assert run_events_until(lambda: False, timeout=0.05) is False
