"""The benchmark runner in its smallest mode: it runs, and its JSON has every column.

No timing assertions: the figures themselves belong to ``python -m bench`` and
docs/performance.md, not to the test suite.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def run_bench(tmp_path: Path, *args: str) -> tuple[subprocess.CompletedProcess[str], dict]:
    out = tmp_path / "results.json"
    proc = subprocess.run(
        [sys.executable, "-m", "bench", "--smoke", "--json", str(out), *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        env={**__import__("os").environ, "PYTHONPATH": str(ROOT), "QT_QPA_PLATFORM": "offscreen"},
    )
    assert proc.returncode == 0, proc.stderr
    return proc, json.loads(out.read_text("utf-8"))


def test_smoke_run_writes_every_column(tmp_path: Path) -> None:
    proc, data = run_bench(tmp_path, "--scenarios", "create,install_size,find_all_warm,cold_start")
    from bench.runner import COLUMNS

    assert data["mode"] == "smoke"
    assert data["columns"] == list(COLUMNS)
    assert {"nproc", "python", "pymupdf"} <= set(data["machine"])
    rows = {r["scenario"]: r for r in data["results"]}
    assert set(rows) == {"create", "install_size", "find_all_warm", "cold_start"}
    for row in rows.values():
        assert set(COLUMNS) <= set(row)
        assert row["status"] in {
            "pass",
            "miss",
            "info",
            "not available yet",
            "pass (scaled input)",
            "miss (scaled input)",
        }, row
    measured = rows["create"]
    assert measured["median"] > 0 and measured["min"] <= measured["median"] <= measured["max"]
    assert measured["floor"] > 0 and measured["ratio"] > 0 and measured["runs"] >= 2
    assert rows["install_size"]["unit"] == "MB" and rows["install_size"]["median"] > 1
    cold = rows["cold_start"]  # the app and the floor program, each in a fresh interpreter
    if cold["status"] != "not available yet":
        assert cold["median"] > 0 and cold["floor"] > 0 and cold["floor_what"]
    # The printed table names every scenario with its budget.
    for row in rows.values():
        assert row["title"] in proc.stdout
    assert "≤ 10 ms" in proc.stdout


def test_unknown_scenario_is_a_usage_error(tmp_path: Path) -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "bench", "--smoke", "--scenarios", "nope"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env={**__import__("os").environ, "PYTHONPATH": str(ROOT)},
    )
    assert proc.returncode == 2
    assert "unknown scenario(s): nope" in proc.stderr


def test_list_names_every_scenario_of_the_issue() -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "bench", "--list"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env={**__import__("os").environ, "PYTHONPATH": str(ROOT)},
    )
    assert proc.returncode == 0
    keys = {line.split()[0] for line in proc.stdout.splitlines() if line.strip()}
    assert {
        "cold_start",
        "render_view",
        "page_turn",
        "scroll_stall",
        "create",
        "panel_filter_10k",
        "panel_filter_100k",
        "find_first",
        "find_all",
        "import",
        "merge",
        "carry",
        "report",
        "memory_app",
        "install_size",
    } <= keys
