"""The PySide6 emit reference bug the benchmarks found: importing reviewer.ui neutralises it."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

THOUSANDS_OF_EMITS = """
import sys
import reviewer.ui  # installs the workaround when this PySide6 needs it
from PySide6.QtCore import QObject, Signal

class Source(QObject):
    changed = Signal(object)

source = Source()
received = []
source.changed.connect(received.append)
before = sys.getrefcount(True)
for i in range(5000):
    source.changed.emit(i)
print(len(received), sys.getrefcount(True) - before)
"""


def test_five_thousand_emits_neither_crash_nor_lose_true() -> None:
    proc = subprocess.run(
        [sys.executable, "-c", THOUSANDS_OF_EMITS],
        cwd=ROOT, capture_output=True, text=True, timeout=60,
        env={"PYTHONPATH": str(ROOT), "QT_QPA_PLATFORM": "offscreen", "PATH": "/usr/bin:/bin"},
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    received, lost = proc.stdout.split()
    assert received == "5000"
    assert int(lost) >= -5  # without the workaround PySide6 6.12 on Python 3.11 aborts before here


def test_probe_reports_the_bug_only_where_it_exists() -> None:
    from reviewer.ui import qt_workarounds

    # After install (at import) emit no longer loses references, so the probe sees none.
    assert qt_workarounds.emit_loses_true() is False
