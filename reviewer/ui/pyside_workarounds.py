"""Workarounds for bugs of the Qt binding we ship with.

PySide6 6.12 on Python 3.11 returns ``None`` without taking a reference to it: every call of
a void Qt method (``QPainter.setPen``, ``QLabel.setText``, ``QWidget.update``...) and every
call that yields an invalid ``QVariant`` (``QModelIndex.data()`` for a role the model does not
answer, ``QComboBox.currentData()`` on an empty combo) drops one reference to ``None``.
Measured here: 100 calls, -100 references; ``None`` starts with ~5,000, and one repaint of the
annotation list makes ~90 such calls, so the GUI aborted within seconds ("Fatal Python
error: none_dealloc: deallocating None"). Python 3.12 made ``None`` immortal (PEP 683), which
is presumably why the binding no longer bothers.

Importing this module (``reviewer.ui`` does) adds 2**40 references to ``None`` once: one write
to its reference count, no memory. Nothing is done on Python 3.12+.
"""

from __future__ import annotations

import sys

EXTRA_NONE_REFERENCES = 1 << 40


def protect_none() -> None:
    import PySide6

    # pyproject excludes 6.12.0; this guards an environment that installed it anyway.
    affected = PySide6.__version__.startswith("6.12.")
    if not affected or sys.version_info >= (3, 12) or getattr(sys, "_reviewer_none_protected", False):
        return
    import ctypes  # here: 11 ms of every cold start on versions that do not need it

    refcount = ctypes.c_ssize_t.from_address(id(None))
    refcount.value += EXTRA_NONE_REFERENCES
    sys._reviewer_none_protected = True  # type: ignore[attr-defined]


protect_none()


def skip_feature_source_scan() -> None:
    """PySide6 reads the source of every module imported after it, to see whether the text
    says "PySide6" (for the optional ``from __feature__ import snake_case``; PYSIDE-2029):
    about 1 ms per module, 50-70 ms of a cold start with everything the window imports.
    Reviewer never selects a feature, so no module needs that answer: it is always "no".
    (If PySide6's internals move, this does nothing and imports are only slower.)"""
    feature = sys.modules.get("PySide6.support.feature")
    if feature is not None and callable(getattr(feature, "_mod_uses_pyside", None)):
        feature._mod_uses_pyside = _uses_no_feature


def _uses_no_feature(module: object) -> bool:
    return False


skip_feature_source_scan()
