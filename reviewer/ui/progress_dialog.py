"""Progress with Cancel for imports and exports that run in the window's thread.

``with work_progress(window, "Importing"):`` installs a ``core.progress`` reporter: the
dialog appears once the work has taken a second (``QProgressDialog.minimumDuration``), the
window keeps painting (events are processed every 50 ms at most, with the dialog modal to the
window so nothing else can start), and Cancel raises ``core.progress.Cancelled`` at the next
report: the import rolls back (one transaction) and an export writes nothing (atomic write).
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Iterator

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QProgressDialog, QWidget

from reviewer.core import progress

SHOW_AFTER_MS = 1000
EVENTS_EVERY = 0.05


class WorkProgress:
    def __init__(self, parent: QWidget | None, title: str) -> None:
        self.dialog = QProgressDialog(title, "Cancel", 0, 0, parent)
        self.dialog.setWindowTitle(title)
        self.dialog.setWindowModality(Qt.WindowModality.WindowModal)
        self.dialog.setMinimumDuration(SHOW_AFTER_MS)
        self.dialog.setAutoReset(False)
        self.dialog.setAutoClose(False)
        self.dialog.setValue(0)
        self.last_events = 0.0

    def __call__(self, task: str, done: int, total: int) -> None:
        if total > 0 and done >= total:
            return  # that step is done: too late to cancel it
        if self.dialog.wasCanceled():
            raise progress.Cancelled("cancelled")
        now = time.monotonic()
        if now - self.last_events < EVENTS_EVERY:
            return
        self.last_events = now
        self.dialog.setLabelText(f"{task[:1].upper()}{task[1:]}…")
        if total > 0:
            self.dialog.setMaximum(total)
            self.dialog.setValue(done)
        QApplication.processEvents()
        if self.dialog.wasCanceled():
            raise progress.Cancelled("cancelled")

    def close(self) -> None:
        self.dialog.reset()
        self.dialog.close()
        self.dialog.deleteLater()


@contextlib.contextmanager
def work_progress(parent: QWidget | None, title: str) -> Iterator[WorkProgress]:
    reporter = WorkProgress(parent, title)
    try:
        with progress.reporting(reporter):
            yield reporter
    finally:
        reporter.close()
