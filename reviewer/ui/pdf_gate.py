"""Probing a PDF in a worker process before the window opens it.

Cost (measured with ``probe_pdf``): the sample treaty ~0.3 s, the 752-page corpus report
~7.5 s (every page's text is extracted). So the probe runs only for files this database has not
seen before (their SHA-256 is not a known document; hashing costs a few ms) and never for the
bundled sample; it runs in a thread while the window keeps repainting (a nested event loop), so
a slow first open shows a busy cursor and a status message instead of a frozen window.

A crash or a hang of MuPDF in the worker gives a dialog naming the file and the problem; the
window keeps the document it showed. A repaired file is opened with a warning in the status
bar. A refusal (wrong password, not a PDF) goes on to the window's own open, which reports it.
"""

from __future__ import annotations

import functools
import math
import threading
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from reviewer.core.hashing import sha256_of_file
from reviewer.ui.event_wait import run_events_until

if TYPE_CHECKING:
    # The probe's modules are imported when a probe runs: the gate is built before the first
    # page of every start, and most starts probe nothing (the document is known).
    from reviewer.core.pdf_guard import ProbeResult
    from reviewer.ui.main_window import MainWindow

Probe = Callable[[str, "str | None", float], "ProbeResult"]


def file_sha256(path: str) -> str | None:
    try:
        return sha256_of_file(path)  # shared with the document's own identity: hashed once
    except OSError:
        return None


@functools.cache
def bundled_sample_sha256() -> str | None:
    """The bundled sample's hash (it is ours: never probed), read once per process and only
    when a file is not known otherwise: not in every window's constructor at start-up."""
    from reviewer.core.resources import sample_treaty_path

    try:
        return file_sha256(str(sample_treaty_path()))
    except Exception:  # noqa: BLE001 - no sample installed: nothing more is trusted
        return None


class PdfGate:
    """``window.pdf_gate``: called by ``MainWindow.open_document`` before it opens a file."""

    def __init__(self, window: MainWindow, probe: Probe | None = None) -> None:
        self.window = window
        self.probe: Probe = probe or _probe_in_worker
        self.timeout: float | None = None  # None: the probe's own default (pdf_guard)
        self.trusted: set[str] = set()  # hashes probed ok in this session
        self.last: ProbeResult | None = None

    def needs_probe(self, path: str) -> bool:
        """Whether opening ``path`` would first run the probe (a file never opened here)."""
        sha = file_sha256(path)
        return sha is not None and not self._known(sha)

    def _known(self, sha: str) -> bool:
        if sha in self.trusted or sha in self.window.settings.opened_documents:
            return True
        return self._in_review_database(sha) or sha == bundled_sample_sha256()

    def _in_review_database(self, sha: str) -> bool:
        controller = getattr(self.window, "annotating", None)
        if controller is None:
            return False
        try:
            return controller.review.store.document(sha) is not None
        except Exception:  # noqa: BLE001 - a read error only means: probe it
            return False

    def _run_probe(self, path: str, password: str | None) -> ProbeResult:
        """The probe in a thread; the window keeps painting meanwhile."""
        from reviewer.core.pdf_guard import DEFAULT_TIMEOUT_S, ProbeResult

        box: list[ProbeResult] = []
        timeout = DEFAULT_TIMEOUT_S if self.timeout is None else self.timeout

        def work() -> None:
            try:
                box.append(self.probe(path, password, timeout))
            except Exception as exc:  # noqa: BLE001 - any failure of the probe is reported
                box.append(ProbeResult(path, "crashed", f"{path}: the PDF check failed ({exc})"))

        self.window.statusBar().showMessage(f"Checking {Path(path).name}\u2026")
        QApplication.setOverrideCursor(Qt.CursorShape.BusyCursor)
        threading.Thread(target=work, daemon=True).start()
        try:  # no timeout of its own: the probe has one
            run_events_until(lambda: bool(box), math.inf, interval_ms=25)
        finally:
            QApplication.restoreOverrideCursor()
            self.window.statusBar().clearMessage()
        return box[0]

    def __call__(self, path: str, password: str | None) -> bool:
        """True: go on opening ``path``; False: it was refused with a dialog."""
        sha = file_sha256(path)
        if sha is None or self._known(sha):
            return True  # unreadable files are reported by the normal open
        result = self._run_probe(path, password)
        self.last = result
        if result.outcome in ("crashed", "timeout"):
            from reviewer.ui.safe_dialogs import tell

            tell(
                self.window,
                f"{result.message}\n\nThe file was not opened; Reviewer keeps running.",
            )
            return False
        if result.ok:
            self.trusted.add(sha)
            if result.repaired:
                self.window.statusBar().showMessage(result.message, 15000)
        return True


def _probe_in_worker(path: str, password: str | None, timeout: float) -> ProbeResult:
    from reviewer.core.pdf_guard import probe_pdf

    return probe_pdf(path, password, timeout)
