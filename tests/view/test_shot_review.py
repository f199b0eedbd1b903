"""``reviewer shot`` shows the window as ``reviewer open`` does for the --db database: the
highlights in their tag colours at the annotations' quads, the panel listing the review with
--select, --group-by and --tag applied, the Annotate menu and toolbar."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtGui import QColor, QImage

from reviewer.core.geometry import PageGeometry, Quad
from tests.annotating.gui_helpers import blend, close_to

ROOT = Path(__file__).resolve().parents[2]
GREEN, ORANGE = "#3FA34D", "#E4572E"  # safeguard, surveillance power


def _reviewer(*args: str, db: Path, scale: str | None = None) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, PYTHONPATH=str(ROOT), QT_QPA_PLATFORM="offscreen", REVIEWER_AUTHOR="Ada Tester")
    if scale:
        env["QT_SCALE_FACTOR"] = scale
    return subprocess.run(
        [sys.executable, "-m", "reviewer", "--db", str(db), *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=180,
        cwd=ROOT,
        check=False,
    )


@pytest.fixture
def reviewed(sample_pdf: Path, tmp_path: Path):  # type: ignore[no-untyped-def]
    db = tmp_path / "team.sqlite3"
    made = {}
    for quote, tag, extra in (
        ("reliable safeguards", "safeguard", []),
        ("competent authorities", "surveillance power", ["--occurrence", "1"]),
    ):
        result = _reviewer(
            "annotate",
            str(sample_pdf),
            "--quote",
            quote,
            "--tag",
            tag,
            "--comment",
            "c",
            "--json",
            *extra,
            db=db,
        )
        assert result.returncode == 0, result.stderr
        made[tag] = json.loads(result.stdout)
    return db, made


def _shot(pdf: Path, out: Path, db: Path, *extra: str, scale: str | None = None) -> tuple[int, int, int, int]:
    result = _reviewer("shot", str(pdf), "-o", str(out), "--size", "1400x1000", *extra, db=db, scale=scale)
    assert result.returncode == 0, result.stderr
    x, y, w, h = (
        int(v) for v in result.stdout.split(" at ")[1].replace(" size ", ",").replace("x", ",").split(",")
    )
    return x, y, w, h


def _pixels_at_quads(png: Path, placed: tuple[int, int, int, int], annotation: dict) -> list[QColor]:  # type: ignore[type-arg]
    image = QImage(str(png))
    x, y, w, _h = placed
    page = annotation["page"] - 1
    geometry = PageGeometry.from_json(annotation["geometry"][str(page)])
    quads = [Quad.from_json(q) for q in annotation["quads"]]
    out = []
    for quad in quads:
        x0, y0, x1, y1 = quad.view_rect(geometry)
        scale = w / geometry.width  # PNG pixels per point (zoom and device pixel ratio)
        for fx in (0.1, 0.3, 0.5, 0.7, 0.9):
            for fy in (0.3, 0.5, 0.7):
                px = x + (x0 + (x1 - x0) * fx) * scale
                py = placed[1] + (y0 + (y1 - y0) * fy) * scale
                out.append(image.pixelColor(round(px), round(py)))
    return out


def _is(colors: list[QColor], tag_color: str) -> bool:
    wanted = [blend(tag_color, 150), blend(tag_color, 110)]
    hits = sum(any(close_to(c, g) for g in wanted) for c in colors)
    return hits >= len(colors) // 2


@pytest.mark.parametrize("scale", [None, "2"], ids=["100%", "200%"])
def test_shot_shows_highlights_in_tag_colours_at_their_quads(
    reviewed, sample_pdf: Path, tmp_path: Path, scale
) -> None:  # type: ignore[no-untyped-def]
    db, made = reviewed
    out = tmp_path / "review.png"
    placed = _shot(sample_pdf, out, db, scale=scale)
    safeguard, power = made["safeguard"], made["surveillance power"]
    assert safeguard["page"] == 1
    green = _pixels_at_quads(out, placed, safeguard)
    assert _is(green, GREEN), [c.name() for c in green]
    assert not _is(green, ORANGE)
    if power["page"] == 1:
        assert _is(_pixels_at_quads(out, placed, power), ORANGE)


def test_shot_without_the_review_shows_the_bare_page(sample_pdf: Path, tmp_path: Path, reviewed) -> None:  # type: ignore[no-untyped-def]
    _db, made = reviewed
    empty = tmp_path / "empty.sqlite3"
    out = tmp_path / "bare.png"
    placed = _shot(sample_pdf, out, empty)
    assert not _is(_pixels_at_quads(out, placed, made["safeguard"]), GREEN)  # the test can fail


def test_select_group_and_tag_set_the_panel(reviewed, sample_pdf: Path, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    db, made = reviewed
    out = tmp_path / "selected.png"
    ident = made["safeguard"]["id"]
    placed = _shot(sample_pdf, out, db, "--select", ident[:8], "--group-by", "tag", "--tag", "safeguard")
    # the selected highlight is drawn as selected: still its tag colour at the quads
    assert _is(_pixels_at_quads(out, placed, made["safeguard"]), GREEN)
    # refusals: one line, exit 1, no PNG
    for extra, words in (
        (["--select", "ffffffff"], "ffffffff"),
        (["--tag", "no such tag"], "unknown tag"),
        (["--select", made["surveillance power"]["id"], "--tag", "safeguard"], "not listed"),
    ):
        bad = tmp_path / "bad.png"
        result = _reviewer("shot", str(sample_pdf), "-o", str(bad), *extra, db=db)
        assert result.returncode == 1, result.stderr
        assert words in result.stderr and "Traceback" not in result.stderr
        assert not bad.exists()
