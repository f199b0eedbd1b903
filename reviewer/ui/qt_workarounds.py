"""Work around a PySide6 reference-counting bug that crashes the window.

PySide6 6.12.0 returns ``True`` from ``SignalInstance.emit`` without taking a reference to it.
On Python 3.11, where ``True`` is not immortal, every emit from Python code lowers its
reference count by one, and after a few hundred emits (opening a 200-page document streams
one text signal per page) the interpreter aborts with "Fatal Python error: bool_dealloc:
deallocating True or False". Found by the benchmarks (issue 9).

The bug is detected, not assumed: a probe signal is emitted a few times at import, and only
if the count of ``True`` drops is ``emit`` wrapped to give the missing reference back.
"""

from __future__ import annotations

import ctypes
import sys
from typing import Any

from PySide6.QtCore import QObject, Signal, SignalInstance

_PROBE_EMITS = 8


class _Probe(QObject):
    ping = Signal()


def emit_loses_true() -> bool:
    """Whether ``Signal.emit`` drops a reference to ``True`` on this PySide6/Python."""
    probe = _Probe()
    before = sys.getrefcount(True)
    for _ in range(_PROBE_EMITS):
        probe.ping.emit()
    lost = before - sys.getrefcount(True)
    probe.deleteLater()
    return lost >= _PROBE_EMITS


def install() -> bool:
    """Wrap ``SignalInstance.emit`` if it loses references; return whether it was wrapped."""
    original = SignalInstance.emit
    if getattr(original, "_reviewer_refcount_fix", False) or not emit_loses_true():
        return False
    incref = ctypes.pythonapi.Py_IncRef
    incref.argtypes = [ctypes.py_object]
    incref.restype = None

    def emit(self: SignalInstance, *args: Any) -> Any:
        result = original(self, *args)
        if isinstance(result, bool):  # leaking a reference to a bool is harmless
            incref(result)
        return result

    emit._reviewer_refcount_fix = True  # type: ignore[attr-defined]
    SignalInstance.emit = emit  # type: ignore[method-assign]
    return True


INSTALLED = install()
