"""The Qt shell. Modules here may import PySide6; ``render_process`` and ``layout`` do not."""

# PySide6 6.12 on Python 3.11 drops a reference to None on every call of a void Qt method;
# without this the GUI aborts after a few thousand calls (see pyside_workarounds).
# Render workers (``python -m reviewer.ui.render_process``) never load Qt: importing PySide6 for
# this check cost each of them 40-100 ms at start and ~20 MB.
import os as _os  # noqa: E402

if not _os.environ.get("REVIEWER_RENDER_WORKER"):
    from reviewer.ui import pyside_workarounds as _pyside_workarounds  # noqa: F401
