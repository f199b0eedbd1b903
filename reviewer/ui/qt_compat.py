"""Work around a PySide6 reference-count bug: call ``emit(signal, *args)``, never ``.emit``.

With PySide6 6.12 on Python 3.11, every ``SignalInstance.emit()`` returns ``True`` without
the reference it owes: after a few thousand emits Python frees ``True`` and aborts with
"bool_dealloc: deallocating True or False". (Python 3.12+ makes ``True`` immortal and hides
it.) We measure the leak once at import and, if present, give the reference back.
"""

from __future__ import annotations

import ctypes
import sys
from typing import Any

from PySide6.QtCore import QObject, Signal, SignalInstance


class _Probe(QObject):
    ping = Signal()


def _measure_leak() -> int:
    probe = _Probe()
    rounds = 50
    before = sys.getrefcount(True)
    for _ in range(rounds):
        result: object = probe.ping.emit()  # type: ignore[func-returns-value]
        del result
    after = sys.getrefcount(True)
    # give back what the probe itself took
    leaked = round((before - after) / rounds)
    for _ in range(max(0, leaked) * rounds):
        ctypes.pythonapi.Py_IncRef(ctypes.py_object(True))
    return max(0, leaked)


EMIT_LEAKS_BOOL = _measure_leak()


def emit(signal: SignalInstance, *args: Any) -> None:
    result: object = signal.emit(*args)  # type: ignore[func-returns-value]
    if EMIT_LEAKS_BOOL and isinstance(result, bool):
        ctypes.pythonapi.Py_IncRef(ctypes.py_object(result))
