"""The ``reviewer`` command line: thin click commands over ``reviewer.core``.

Exit codes: 0 ok, 1 a user error (one line on stderr, no traceback), 2 a usage error.
No module here imports PySide6 at import time; ``open`` and ``shot`` load the GUI lazily.

``launch`` is the console entry point (plain ``reviewer open`` goes to the window without
loading click); ``commands`` registers every area's commands (``documents``, ``annotating``,
``tags``, ``view``, ``anchors``, ``diff``, ``exchange``, ``report``, ``safety``) on the group that
``context`` defines. ``main`` and ``main_group`` are loaded on first use, so that importing the
launcher stays cheap.
"""

from __future__ import annotations

from typing import Any


def __getattr__(name: str) -> Any:
    if name in ("main", "main_group", "cli"):
        from reviewer.cli import commands

        return getattr(commands, name)
    raise AttributeError(f"module 'reviewer.cli' has no attribute {name!r}")
