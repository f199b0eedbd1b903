"""A progress bar on stderr for long commands, when stderr is a terminal (never when piped).

It appears only after the command has run for ``DELAY`` seconds (short commands stay quiet),
redraws at most ten times a second on one line, and is wiped before anything else is printed.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import sys
import time
from collections.abc import Iterator
from typing import TextIO

from reviewer.core import progress

DELAY = 1.0  # REVIEWER_PROGRESS_DELAY overrides it (the tests show the bar at once)
INTERVAL = 0.1


class TerminalBar:
    def __init__(self, stream: TextIO, *, delay: float = DELAY) -> None:
        self.stream = stream
        self.started = time.monotonic()
        self.delay = delay
        self.last_draw = 0.0
        self.drawn = False

    def __call__(self, task: str, done: int, total: int) -> None:
        now = time.monotonic()
        if total > 0 and done >= total:  # this task is over: the line is free for output
            self.clear()
            return
        if now - self.started < self.delay or now - self.last_draw < INTERVAL:
            return
        self.last_draw = now
        width = max(20, min(100, shutil.get_terminal_size((80, 20)).columns) - 1)
        share = min(1.0, done / total) if total > 0 else 0.0
        label = f" {share * 100:3.0f}% {task} ({done}/{total})" if total > 0 else f" {task}"
        bar_width = max(10, width - len(label) - 2)
        filled = int(share * bar_width)
        line = f"[{'#' * filled}{'.' * (bar_width - filled)}]{label}"[:width]
        self.stream.write("\r" + line.ljust(width))
        self.stream.flush()
        self.drawn = True

    def clear(self) -> None:
        if self.drawn:
            width = max(20, min(100, shutil.get_terminal_size((80, 20)).columns) - 1)
            self.stream.write("\r" + " " * width + "\r")
            self.stream.flush()
            self.drawn = False


@contextlib.contextmanager
def bar_on_terminal(stream: TextIO | None = None) -> Iterator[TerminalBar | None]:
    """Draw a bar for the work inside if ``stream`` (stderr) is a terminal; else nothing."""
    stream = stream or sys.stderr
    try:
        is_tty = stream.isatty()
    except (AttributeError, ValueError):
        is_tty = False
    if not is_tty:
        yield None
        return
    try:
        delay = float(os.environ.get("REVIEWER_PROGRESS_DELAY", DELAY))
    except ValueError:
        delay = DELAY
    bar = TerminalBar(stream, delay=delay)
    try:
        with progress.reporting(bar):
            yield bar
    finally:
        bar.clear()
