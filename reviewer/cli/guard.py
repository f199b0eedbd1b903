"""How a command runs: one line on stderr and exit code 1 for a user error, never a traceback.

Stdlib only at import: the launcher uses it before anything else is loaded.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable


def has_display() -> bool:
    return not sys.platform.startswith("linux") or bool(
        os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY") or os.environ.get("QT_QPA_PLATFORM")
    )


def run_guarded(action: Callable[[], object]) -> None:
    """Run a command: user errors become one line on stderr and exit code 1, no traceback."""
    from reviewer.core.errors import ReviewerError

    try:
        code = action()
    except ReviewerError as exc:
        print(f"reviewer: error: {exc}", file=sys.stderr)
        sys.exit(1)
    except KeyboardInterrupt:
        sys.exit(130)
    except OSError as exc:
        where = f"{exc.filename}: " if exc.filename else ""
        print(f"reviewer: error: {where}{exc.strerror or exc}", file=sys.stderr)
        sys.exit(1)
    except Exception as exc:
        if os.environ.get("REVIEWER_DEBUG"):
            raise
        print(
            f"reviewer: internal error: {type(exc).__name__}: {exc} (set REVIEWER_DEBUG=1 for details)",
            file=sys.stderr,
        )
        sys.exit(1)
    sys.exit(code if isinstance(code, int) else 0)
