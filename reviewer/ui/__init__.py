"""The Qt shell: widgets are wiring, decisions live in reviewer.core."""

from reviewer.ui import qt_workarounds as _qt_workarounds  # noqa: F401  (before any signal is emitted)
