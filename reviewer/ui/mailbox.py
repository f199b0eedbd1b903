"""Hand Python objects from worker threads to the GUI thread.

Only a no-argument signal crosses threads; the objects travel in a locked deque, and a burst
of replies costs one wake-up of the GUI thread, not one queued event each.
"""

from __future__ import annotations

import threading
from collections import deque
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, Qt, Signal

from reviewer.ui.qt_compat import emit


class Mailbox(QObject):
    arrived = Signal()

    def __init__(self, handler: Callable[[Any], None], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._handler = handler
        self._items: deque[Any] = deque()
        self._lock = threading.Lock()
        self._pending = False
        self.arrived.connect(self._drain, Qt.ConnectionType.QueuedConnection)

    def put(self, item: Any) -> None:
        """Callable from any thread."""
        with self._lock:
            self._items.append(item)
            if self._pending:
                return
            self._pending = True
        emit(self.arrived)

    def deliver_now(self) -> None:
        """Hand what has arrived to the handler now (GUI thread), not at the next event-loop turn."""
        self._drain()

    def _drain(self) -> None:
        with self._lock:
            items = list(self._items)
            self._items.clear()
            self._pending = False
        for item in items:
            self._handler(item)
