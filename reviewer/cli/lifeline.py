"""A command's child process never outlives the command (issue 15).

``reviewer`` runs each command in a child (``reviewer.launch.run_isolated``). The parent
forwards SIGTERM, SIGINT and SIGHUP to it (``forward_signals``); the child turns them into
``Stopped``, which unwinds its open transaction (an import or merge is one transaction, so the
database stays as it was) and leaves with 128 + the signal's number. On Linux the child also
asks the kernel for SIGTERM when its parent dies (``die_with_parent``: PR_SET_PDEATHSIG),
which covers a parent ended by SIGKILL, where nothing can be forwarded.

Stdlib only, and ctypes only on Linux and only in the child: ``reviewer open`` never pays it.
"""

from __future__ import annotations

import contextlib
import os
import signal
import sys
from collections.abc import Callable, Iterator
from types import FrameType

PARENT_PID = "REVIEWER_PARENT_PID"  # the parent's pid, as the child must find it
FORWARDED = tuple(getattr(signal, name) for name in ("SIGTERM", "SIGINT", "SIGHUP") if hasattr(signal, name))
PR_SET_PDEATHSIG = 1


class Stopped(BaseException):
    """A signal asked the command to stop (a BaseException: no ``except Exception`` eats it)."""

    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.signum = signum

    @property
    def exit_code(self) -> int:
        return 128 + self.signum

    @property
    def name(self) -> str:
        try:
            return signal.Signals(self.signum).name
        except ValueError:
            return f"signal {self.signum}"


def die_with_parent() -> bool:
    """Ask Linux to send this process SIGTERM when its parent dies; True when it is in place.

    If the parent is already gone (it died between the fork and this call), stop now."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        if libc.prctl(PR_SET_PDEATHSIG, int(signal.SIGTERM), 0, 0, 0) != 0:
            return False
    except (OSError, AttributeError):
        return False
    expected = os.environ.get(PARENT_PID, "")
    if expected.isdigit() and os.getppid() != int(expected):
        os.kill(os.getpid(), signal.SIGTERM)
    return True


def stop_on_signals() -> None:
    """In the child: SIGTERM and SIGHUP raise ``Stopped`` (Python would die at once, with no
    rollback of what it was writing; SQLite would still roll back, but temporary files stay).
    SIGINT keeps raising KeyboardInterrupt, which the command line reports as aborted."""

    def stop(signum: int, frame: FrameType | None) -> None:
        raise Stopped(signum)

    for signum in FORWARDED:
        if signum != signal.SIGINT:
            signal.signal(signum, stop)


@contextlib.contextmanager
def forward_signals(child_pid: Callable[[], int | None]) -> Iterator[list[int]]:
    """In the parent, while the child runs: SIGTERM, SIGINT and SIGHUP go to the child too.

    Yields the list of signals received (the parent then reports how the command ended).
    A Ctrl+C on the terminal reaches both processes; the one forwarded after it is most often
    merged with it by the kernel, and a second one only repeats the same request."""
    received: list[int] = []

    def forward(signum: int, frame: FrameType | None) -> None:
        received.append(signum)
        pid = child_pid()
        if pid is not None:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signum)

    previous = {signum: signal.signal(signum, forward) for signum in FORWARDED}
    try:
        yield received
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)
