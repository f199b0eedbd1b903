"""Timing helpers shared by the scenarios."""

from __future__ import annotations

import gc
import json
import os
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]


def timed_ms(fn: Callable[[], Any]) -> float:
    gc.collect()
    t0 = time.perf_counter()
    fn()
    return (time.perf_counter() - t0) * 1000


def interleaved(
    subject: Callable[[], Any], floor: Callable[[], Any] | None, repeats: int, *, warmup: int = 1
) -> tuple[list[float], list[float]]:
    """Run subject and floor alternately (after ``warmup`` unrecorded runs of each), in ms."""
    for _ in range(warmup):
        subject()
        if floor:
            floor()
    subject_ms: list[float] = []
    floor_ms: list[float] = []
    for _ in range(repeats):
        if floor:
            floor_ms.append(timed_ms(floor))
        subject_ms.append(timed_ms(subject))
    return subject_ms, floor_ms


def child_env(**extra: str) -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = str(ROOT) + (os.pathsep + env["PYTHONPATH"] if env.get("PYTHONPATH") else "")
    env.setdefault("QT_QPA_PLATFORM", "offscreen")
    env.update(extra)
    return env


def compile_bytecode() -> None:
    """Compile Reviewer's modules to ``__pycache__`` as ``pip install`` does, so that a cold
    start does not compile them (this machine sets PYTHONDONTWRITEBYTECODE=1: without this,
    every probe compiled every module, 110 ms, which no installed copy ever does)."""
    import compileall

    compileall.compile_dir(str(ROOT / "reviewer"), quiet=1)


def run_probe(
    script: str, *args: str, env: dict[str, str] | None = None, timeout: float = 180
) -> dict[str, Any]:
    """Run ``bench/probes/<script>`` in a fresh interpreter; it prints one JSON line last.

    ``launched`` (wall clock just before the launch) is added so that probes can report the
    time from launch to their event.
    """
    path = ROOT / "bench" / "probes" / script
    launched = time.time()
    proc = subprocess.run(
        [sys.executable, str(path), *args],
        env=env or child_env(),
        capture_output=True,
        text=True,
        timeout=timeout,
        cwd=str(ROOT),
    )
    lines = [line for line in proc.stdout.splitlines() if line.startswith("{")]
    if proc.returncode != 0 or not lines:
        tail = (proc.stderr.strip().splitlines() or ["no output"])[-1]
        raise RuntimeError(f"{script} failed (exit {proc.returncode}): {tail}")
    data: dict[str, Any] = json.loads(lines[-1])
    data["launched"] = launched
    return data
