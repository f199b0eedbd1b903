"""The Qt shell. Modules here may import PySide6; ``render_process`` and ``layout`` do not."""

# PySide6 6.12 on Python 3.11 drops a reference to None on every call of a void Qt method;
# without this the GUI aborts after a few thousand calls (see pyside_workarounds).
from reviewer.ui import pyside_workarounds as _pyside_workarounds  # noqa: E402, F401
