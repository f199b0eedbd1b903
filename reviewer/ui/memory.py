"""Give freed heap memory back to the operating system (glibc only, a no-op elsewhere).

glibc keeps memory freed by Python in its heaps for reuse: after the document's text is built,
tens of MB of temporary strings and unpickled messages stay counted in the window's resident
memory although nothing uses them. ``malloc_trim(0)`` returns the free pages of every arena.
"""

from __future__ import annotations

import ctypes
import sys
from typing import Any

_trim: Any = None


def release_free_memory() -> bool:
    """True when glibc's ``malloc_trim`` ran (it releases the GIL while it works)."""
    global _trim
    if _trim is None:
        _trim = False
        if sys.platform.startswith("linux"):
            try:
                function = ctypes.CDLL(None).malloc_trim  # the C library loaded; absent on musl
                function.argtypes = [ctypes.c_size_t]
                function.restype = ctypes.c_int
                _trim = function
            except (OSError, AttributeError):
                _trim = False
    if not _trim:
        return False
    _trim(0)
    return True
