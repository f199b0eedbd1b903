"""Wait for something that arrives through the event loop, running the loop all the while."""

from __future__ import annotations

import time
from collections.abc import Callable

from PySide6.QtCore import QEventLoop, QTimer


def run_events_until(ready: Callable[[], bool], timeout: float, interval_ms: int = 10) -> bool:
    """Run the event loop until ``ready()`` (asked every ``interval_ms``) or ``timeout``
    seconds; True if ready. Unlike polling with ``processEvents()`` and sleeps, replies that
    come one at a time (page texts from the workers) are handled the moment they arrive."""
    if ready():
        return True
    loop = QEventLoop()
    outcome = {"ready": False}
    deadline = time.monotonic() + timeout

    def check() -> None:
        if ready():
            outcome["ready"] = True
            loop.quit()
        elif time.monotonic() > deadline:
            loop.quit()

    timer = QTimer()
    timer.setInterval(interval_ms)
    timer.timeout.connect(check)
    timer.start()
    loop.exec()
    timer.stop()
    return outcome["ready"]
