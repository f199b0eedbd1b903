"""Progress of long work (import, export, merge, text extraction), for whoever shows it.

The core calls ``report(task, done, total)`` at natural steps (a page extracted, a hundred
markups read); by default that does nothing. A shell installs a reporter with ``reporting``:
the command line draws a bar on a terminal (``reviewer.cli.progress_bar``), the window a
dialog with Cancel. A reporter may raise (``Cancelled``) to stop the work: an import or merge
is one transaction, so stopping leaves the database as it was.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from contextvars import ContextVar

Reporter = Callable[[str, int, int], None]

_reporter: ContextVar[Reporter | None] = ContextVar("reviewer_progress", default=None)


class Cancelled(Exception):
    """The user cancelled the work in progress (nothing of it was saved)."""


def report(task: str, done: int, total: int) -> None:
    """``done`` of ``total`` steps of ``task`` (a short verb phrase: "reading the text")."""
    reporter = _reporter.get()
    if reporter is not None:
        reporter(task, done, total)


def active() -> bool:
    return _reporter.get() is not None


@contextlib.contextmanager
def reporting(reporter: Reporter) -> Iterator[None]:
    """Send the progress of the work done inside to ``reporter``."""
    token = _reporter.set(reporter)
    try:
        yield
    finally:
        _reporter.reset(token)
