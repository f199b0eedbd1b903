# ruff: noqa: E501
"""The benchmark runner: scenarios, their floors and budgets, the table and the JSON file.

Each scenario returns the samples of what Reviewer does and, where one exists, the samples of
the floor: the same work done by the bare libraries (PyMuPDF, Qt, SQLite, ``json``) on the same
input in the same run, interleaved with Reviewer's runs so that load on a shared machine hits
both alike. A scenario whose code is not on this branch yet says so instead of a number.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import sys
import tempfile
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bench.inputs import OUT

COLUMNS = (
    "scenario", "title", "unit", "median", "min", "max", "runs", "floor", "floor_what", "ratio",
    "budget", "status", "note",
)  # fmt: skip


@dataclass(frozen=True)
class Budget:
    """``kind``: "ratio" (median / floor), "max" (median in ``unit``), or "report" (no limit)."""

    kind: str
    limit: float = 0.0

    def text(self, unit: str) -> str:
        if self.kind == "ratio":
            return f"≤ {self.limit:g}× floor"
        if self.kind == "max":
            return f"≤ {self.limit:g} {unit}"
        return "reported"


@dataclass(frozen=True)
class Sizes:
    """Input sizes; ``--quick`` and ``--smoke`` scale them down (the table says so)."""

    name: str
    big_pdf: int  # the 1,000-page document
    huge_pdf: int  # the 5,000-page document
    small_pdf: int  # the 100-page document
    scroll_pdf: int  # the 700-page document
    carry_pdf: int  # the 300-page document
    panel_counts: tuple[int, int]  # 10,000 and 100,000 annotations
    memory_annotations: int  # 10,000
    import_count: int  # 10,000
    merge_files: int  # 10
    carry_count: int  # 1,000
    report_count: int  # 2,000
    create_db: int  # annotations already in the database when one is created
    repeats: int  # runs of in-process scenarios
    cold_repeats: int  # runs of subprocess scenarios


FULL = Sizes("full", 1000, 5000, 100, 700, 300, (10_000, 100_000), 10_000, 10_000, 10, 1000, 2000,
             10_000, 7, 5)  # fmt: skip
QUICK = Sizes("quick", 200, 400, 50, 150, 60, (2_000, 10_000), 2_000, 2_000, 4, 200, 400, 1_000,
              5, 3)  # fmt: skip
SMOKE = Sizes("smoke", 12, 20, 8, 12, 10, (100, 200), 100, 100, 2, 20, 20, 50, 2, 1)  # fmt: skip


@dataclass
class Measurement:
    """What a scenario hands back: its samples and the floor's, in the scenario's unit."""

    samples: list[float]
    floor: list[float] | None = None
    floor_what: str = ""
    note: str = ""


@dataclass
class Context:
    sizes: Sizes
    work: Path  # a temporary folder for this run
    verbose: bool = False
    facts: dict[str, Any] = field(default_factory=dict)


ScenarioFn = Callable[[Context], Measurement]


class NotAvailable(Exception):
    """The code this scenario measures is not on this branch yet."""


@dataclass(frozen=True)
class Scenario:
    key: str
    title: str  # with {sizes} fields filled from Sizes
    unit: str
    budget: Budget
    run: ScenarioFn
    needs: tuple[str, ...] = ()  # modules that must exist for it to run


SCENARIOS: list[Scenario] = []
ORDER = (
    "cold_start",
    "cold_start_huge",
    "x_first_page",
    "render_view",
    "render_core",
    "page_turn",
    "scroll_stall",
    "create",
    "panel_filter_10k",
    "panel_filter_100k",
    "find_first",
    "find_all",
    "find_all_warm",
    "find_all_cold",
    "text_ready",
    "import",
    "merge",
    "carry",
    "compare",
    "compare_scroll_stall",
    "report",
    "report_pages",
    "team_sync_idle",
    "team_sync_change",
    "memorandum",
    "memory_app",
    "memory_app_total",
    "memory_core",
    "install_size",
)


def scenario(
    key: str, title: str, unit: str, budget: Budget, needs: tuple[str, ...] = ()
) -> Callable[[ScenarioFn], ScenarioFn]:
    def register(fn: ScenarioFn) -> ScenarioFn:
        SCENARIOS.append(Scenario(key, title, unit, budget, fn, needs))
        return fn

    return register


def _missing(modules: tuple[str, ...]) -> list[str]:
    import importlib.util

    missing = []
    for name in modules:
        try:
            if importlib.util.find_spec(name) is None:
                missing.append(name)
        except ModuleNotFoundError:
            missing.append(name)
    return missing


def _fmt(value: float | None, unit: str) -> str:
    if value is None:
        return "—"
    if unit == "ms":
        return f"{value:.1f}" if value < 100 else f"{value:.0f}"
    if unit == "s":
        return f"{value:.2f}"
    return f"{value:.0f}" if value >= 100 else f"{value:.1f}"


def run_scenario(item: Scenario, ctx: Context) -> dict[str, Any]:
    title = item.title.format(s=ctx.sizes)
    row: dict[str, Any] = dict.fromkeys(COLUMNS)
    row.update(scenario=item.key, title=title, unit=item.unit, budget=item.budget.text(item.unit), note="")
    missing = _missing(item.needs)
    if missing:
        row.update(status="not available yet", note="needs " + ", ".join(missing))
        return row
    try:
        result = item.run(ctx)
    except NotAvailable as exc:
        row.update(status="not available yet", note=str(exc))
        return row
    except Exception as exc:
        if ctx.verbose:
            traceback.print_exc()
        row.update(status="error", note=f"{type(exc).__name__}: {' '.join(str(exc).split())[:200]}")
        return row
    samples = result.samples
    row.update(
        median=statistics.median(samples),
        min=min(samples),
        max=max(samples),
        runs=len(samples),
        note=result.note,
        floor_what=result.floor_what,
    )
    if result.floor:
        row["floor"] = statistics.median(result.floor)
        if row["floor"] > 0:
            row["ratio"] = row["median"] / row["floor"]
    budget = item.budget
    if budget.kind == "ratio":
        ok = row["ratio"] is not None and row["ratio"] <= budget.limit
    elif budget.kind == "max":
        ok = row["median"] <= budget.limit
    else:
        ok = None
    row["status"] = "info" if ok is None else ("pass" if ok else "miss")
    if ctx.sizes.name != "full" and budget.kind == "max":
        row["status"] += " (scaled input)"
    return row


def table(rows: list[dict[str, Any]]) -> str:
    head = ["scenario", "median", "min", "max", "floor", "ratio", "budget", "status"]
    lines = [head]
    for r in rows:
        unit = r["unit"]
        lines.append(
            [
                r["title"],
                f"{_fmt(r['median'], unit)} {unit}" if r["median"] is not None else "—",
                _fmt(r["min"], unit),
                _fmt(r["max"], unit),
                _fmt(r["floor"], unit),
                f"{r['ratio']:.2f}×" if r["ratio"] is not None else "—",
                r["budget"],
                r["status"],
            ]
        )
    widths = [max(len(str(line[i])) for line in lines) for i in range(len(head))]
    out = []
    for n, line in enumerate(lines):
        out.append("  ".join(str(c).ljust(w) for c, w in zip(line, widths, strict=True)).rstrip())
        if n == 0:
            out.append("  ".join("-" * w for w in widths))
    return "\n".join(out)


def markdown_table(rows: list[dict[str, Any]]) -> str:
    out = [
        "| scenario | median | min | max | floor | ratio | budget | status | floor is / note |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for r in rows:
        unit = r["unit"]
        median = f"{_fmt(r['median'], unit)} {unit}" if r["median"] is not None else "—"
        floor = f"{_fmt(r['floor'], unit)} {unit}" if r["floor"] is not None else "—"
        ratio = f"{r['ratio']:.2f}×" if r["ratio"] is not None else "—"
        notes = "; ".join(x for x in (r.get("floor_what") or "", r.get("note") or "") if x)
        out.append(
            f"| {r['title']} | {median} | {_fmt(r['min'], unit)} | {_fmt(r['max'], unit)} | {floor} | "
            f"{ratio} | {r['budget']} | {r['status']} | {notes.replace('|', '/')} |"
        )
    return "\n".join(out)


def machine() -> dict[str, Any]:
    info: dict[str, Any] = {
        "nproc": os.cpu_count(),
        "python": platform.python_version(),
        "platform": platform.platform(),
    }
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                info["cpu"] = line.split(":", 1)[1].strip()
                break
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                info["ram_gib"] = round(int(line.split()[1]) / 1024 / 1024, 1)
                break
        info["load_average"] = os.getloadavg()
    except OSError:
        pass
    try:
        import pymupdf

        info["pymupdf"] = pymupdf.__version__
        info["mupdf"] = pymupdf.mupdf_version
    except ImportError:
        pass
    try:
        import PySide6
        from PySide6 import QtCore

        info["pyside6"] = PySide6.__version__
        info["qt"] = QtCore.qVersion()
    except ImportError:
        pass
    try:
        import sqlite3

        info["sqlite"] = sqlite3.sqlite_version
    except ImportError:
        pass
    return info


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bench",
        description="Measure Reviewer against the floor of its libraries and print the table.",
        epilog="Example: python -m bench --quick --scenarios create,find_all",
    )
    mode = parser.add_mutually_exclusive_group()
    mode.add_argument("--quick", action="store_true", help="small inputs, about 2 minutes")
    mode.add_argument("--smoke", action="store_true", help="tiny inputs, one run each (for the test)")
    parser.add_argument("--json", type=Path, default=OUT / "results.json", help="where to write the results")
    parser.add_argument("--markdown", type=Path, help="also write the table as Markdown")
    parser.add_argument("--scenarios", help="comma-separated scenario keys (default: all)")
    mode.add_argument(
        "--scale",
        action="store_true",
        help="only the scale scenarios: 1,000 pages and 10,000 foreign annotations in every path",
    )
    parser.add_argument("--list", action="store_true", help="list the scenario keys and exit")
    parser.add_argument("-v", "--verbose", action="store_true", help="print tracebacks of failing scenarios")
    args = parser.parse_args(argv)

    import bench.compare_scenarios  # noqa: F401
    import bench.exchange_scenarios  # noqa: F401
    import bench.gui_scenarios  # noqa: F401  (registers the scenarios)
    import bench.memorandum_scenarios  # noqa: F401
    import bench.scale_paths  # noqa: F401
    import bench.scale_scenarios  # noqa: F401
    import bench.scenarios  # noqa: F401
    import bench.structure_scenarios  # noqa: F401
    import bench.team_folder_scenarios  # noqa: F401

    SCENARIOS.sort(key=lambda item: ORDER.index(item.key) if item.key in ORDER else len(ORDER))
    if args.list:
        for item in SCENARIOS:
            print(f"{item.key:24} {item.title.format(s=FULL)}")
        return 0
    sizes = SMOKE if args.smoke else QUICK if args.quick else FULL
    chosen = [s for s in SCENARIOS if s.key.startswith("scale_") == args.scale]
    if args.scenarios:
        wanted = [k.strip() for k in args.scenarios.split(",") if k.strip()]
        unknown = [k for k in wanted if k not in {s.key for s in SCENARIOS}]
        if unknown:
            parser.error(f"unknown scenario(s): {', '.join(unknown)} (see --list)")
        chosen = [s for s in SCENARIOS if s.key in wanted]

    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    started = time.time()
    rows = []
    with tempfile.TemporaryDirectory(prefix="reviewer-bench-") as work:
        ctx = Context(sizes, Path(work), verbose=args.verbose)
        for item in chosen:
            t0 = time.perf_counter()
            print(f"… {item.key}", file=sys.stderr, flush=True)
            row = run_scenario(item, ctx)
            row["seconds"] = round(time.perf_counter() - t0, 1)
            rows.append(row)
    result = {
        "mode": sizes.name,
        "started": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(started)),
        "duration_s": round(time.time() - started, 1),
        "machine": machine(),
        "columns": list(COLUMNS),
        "results": rows,
    }
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n", "utf-8")
    print(table(rows))
    print(f"\n{sizes.name} mode, {result['duration_s']} s; results in {args.json}")
    if args.markdown:
        args.markdown.write_text(markdown_table(rows) + "\n", "utf-8")
    return 0
