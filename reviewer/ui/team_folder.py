"""File → Team Folder…: the window keeps the review in sync with a folder the team shares.

Wiring only; ``reviewer.core.exchange.team_folder`` decides what is read and written. The
folder is remembered per database. A change made here is written within about a second
(debounced: a burst of typing is one write); a teammate's file is imported within about a
second of arriving (``QFileSystemWatcher``, with a poll every ``POLL_MS`` for network drives
and sync clients that the watcher does not see). Each sync runs in a thread on a connection of
its own, so the window never waits for it; what it imported refreshes the views but never
enters the undo stack (Ctrl+Z undoes one's own steps, not a teammate's).
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QFileSystemWatcher, QObject, Qt, QTimer
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QFileDialog, QLabel, QMenu

from reviewer.core.errors import ReviewerError
from reviewer.core.exchange.team_folder import (
    SyncReport,
    remember_folder,
    remembered_folder,
    sync_folder,
)
from reviewer.core.plain_text import display_text
from reviewer.core.review import Review
from reviewer.core.store import Store
from reviewer.ui.carry_actions import in_background
from reviewer.ui.qt_compat import emit
from reviewer.ui.undo import ChangeNotice

if TYPE_CHECKING:
    from reviewer.ui.annotating import AnnotatingController
    from reviewer.ui.main_window import MainWindow

WRITE_DELAY_MS = 800  # after the first change of a burst: written well within 2 s
READ_DELAY_MS = 250  # after the watcher's signal: a sync client writes a file in pieces
POLL_MS = 1500  # the fallback when the watcher sees nothing (network drives)


class TeamFolderSync(QObject):
    """One window's link to its database's team folder."""

    def __init__(self, window: MainWindow, annotating: AnnotatingController) -> None:
        super().__init__(window)
        self.window = window
        self.annotating = annotating
        self.folder: str | None = None
        self.last_report: SyncReport | None = None
        self.last_error = ""
        self._worker_review: Review | None = None
        self._running = False
        self._again = False
        self._applying = False
        self.status = QLabel("")
        self.status.setObjectName("teamFolderStatus")
        self.status.setTextFormat(Qt.TextFormat.PlainText)
        window.statusBar().addPermanentWidget(self.status)
        self.action = QAction("&Team Folder…", window)
        self.action.triggered.connect(lambda _checked=False: self.choose_folder())
        self._add_to_file_menu()
        self.watcher = QFileSystemWatcher(self)
        self.watcher.directoryChanged.connect(lambda _path: self._soon(READ_DELAY_MS))
        self.watcher.fileChanged.connect(lambda _path: self._soon(READ_DELAY_MS))
        self.write_timer = self._timer(WRITE_DELAY_MS)
        self.read_timer = self._timer(READ_DELAY_MS)
        self.poll_timer = QTimer(self)
        self.poll_timer.setInterval(POLL_MS)
        self.poll_timer.timeout.connect(self.sync_now)
        annotating.undo.changed.connect(self._on_local_change)
        remembered = remembered_folder(annotating.review)
        if remembered:
            self.start(remembered, remember=False)

    def _timer(self, delay: int) -> QTimer:
        timer = QTimer(self)
        timer.setSingleShot(True)
        timer.setInterval(delay)
        timer.timeout.connect(self.sync_now)
        return timer

    def _add_to_file_menu(self) -> None:
        file_menu = next((m.menu() for m in self.window.menuBar().actions() if m.text() == "&File"), None)
        if not isinstance(file_menu, QMenu):
            return
        quit_action = getattr(self.window, "quit_action", None)
        if isinstance(quit_action, QAction) and quit_action in file_menu.actions():
            file_menu.insertAction(quit_action, self.action)
        else:
            file_menu.addAction(self.action)

    # choosing --------------------------------------------------------------------------
    def choose_folder(self) -> None:
        start = self.folder or str(Path.home())
        chosen = QFileDialog.getExistingDirectory(
            self.window, "Team folder (shared by the team's sync client)", start
        )
        if chosen:
            self.start(chosen)

    def start(self, folder: str, *, remember: bool = True) -> None:
        """Sync with ``folder`` from now on (and, remembered, whenever this database opens)."""
        if remember:
            remember_folder(self.annotating.review, folder)
        self.folder = folder
        self._watch()
        self.poll_timer.start()
        self.sync_now()

    def stop(self) -> None:
        self.folder = None
        self.poll_timer.stop()
        if self.watcher.directories():
            self.watcher.removePaths(self.watcher.directories())

    # syncing ---------------------------------------------------------------------------
    def _on_local_change(self, notice: ChangeNotice) -> None:
        if self.folder and not self._applying and not self.write_timer.isActive():
            self.write_timer.start()  # not restarted by later keystrokes: written within 2 s

    def _soon(self, delay: int) -> None:
        if self.folder and not self.read_timer.isActive():
            self.read_timer.start(delay)

    def sync_now(self) -> None:
        if not self.folder:
            return
        if self._running:
            self._again = True
            return
        self._running = True
        folder = self.folder
        review = self._review_for_worker()
        in_background(self, lambda: sync_folder(review, folder), self._finished)

    def _review_for_worker(self) -> Review:
        """A connection of its own for the sync thread (SQLite serialises the writers; the
        process's writer lock is shared by every connection of this process)."""
        if self._worker_review is None:
            main = self.annotating.review
            self._worker_review = Review(Store.open(main.store.path), main.identity)
        return self._worker_review

    def _finished(self, outcome: object) -> None:
        self._running = False
        if isinstance(outcome, ReviewerError):
            self.last_error = str(outcome)
            self.status.setText(display_text(f"Team folder: {outcome}", max_length=160))
        elif isinstance(outcome, SyncReport):
            self.last_error = ""
            self.last_report = outcome
            self._apply(outcome)
            self._watch()
        elif isinstance(outcome, BaseException):
            raise outcome
        if self._again:
            self._again = False
            self.sync_now()

    def _apply(self, report: SyncReport) -> None:
        """Teammates' changes refresh the views; the undo stack is not touched."""
        changes = report.changes
        if changes:
            self.annotating.review.forget_cached_tags()
            self._applying = True
            try:
                emit(self.annotating.undo.changed, ChangeNotice.of(changes))
            finally:
                self._applying = False
        elif any(f.action == "imported" and f.conflicts for f in report.files):
            emit(self.annotating.undo.changed, ChangeNotice((), (), (), ""))
        now = time.localtime()
        news = report.updates_by_reviewer() or report.written or report.skipped or not self.status.text()
        if news or self.status.text().startswith("Team folder:"):
            # A look that found nothing keeps the line (what came last, and when); its time
            # goes to the tooltip, so that the line does not flicker every poll.
            self.status.setText(status_text(report, now))
        self.status.setToolTip(
            f"Team folder: {display_text(self.folder or '', max_length=200)}\n"
            f"Last looked {time.strftime('%H:%M:%S', now)}"
        )

    def _watch(self) -> None:
        """The folder and its document folders (a new one appears when a teammate starts)."""
        if not self.folder:
            return
        root = Path(self.folder)
        wanted = {str(root)} | {str(p) for p in root.iterdir() if p.is_dir() and not p.name.startswith(".")}
        missing = sorted(wanted - set(self.watcher.directories()))
        if missing:
            self.watcher.addPaths(missing)

    def close(self) -> None:
        self.stop()
        if self._worker_review is not None and not self._running:
            self._worker_review.close()
            self._worker_review = None


def status_text(report: SyncReport, now: time.struct_time) -> str:
    """ "Synced with team folder 12:04 — 3 updates from Ben Reviewer" (plain text)."""
    text = f"Synced with team folder {time.strftime('%H:%M', now)}"
    updates = report.updates_by_reviewer()
    if updates:
        parts = []
        for number, (who, count) in enumerate(sorted(updates.items(), key=lambda item: (-item[1], item[0]))):
            noun = ("update" if count == 1 else "updates") if number == 0 else ""
            name = display_text(who, max_length=40)
            parts.append(f"{count} {noun} from {name}".replace("  ", " "))
        text += " \u2014 " + ", ".join(parts)
    skipped = report.skipped
    if skipped:
        text += f" \u00b7 {len(skipped)} file{'s' if len(skipped) != 1 else ''} skipped (incomplete?)"
    return text


def attach_team_folder(window: MainWindow, annotating: AnnotatingController) -> TeamFolderSync:
    sync = TeamFolderSync(window, annotating)
    window.team_folder = sync  # type: ignore[attr-defined]
    return sync
