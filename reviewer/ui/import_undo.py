"""Imports and conflict resolutions as one undo step each (shared by File → Import and the
Conflicts banner)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from PySide6.QtGui import QUndoCommand

from reviewer.core.errors import ReviewerError
from reviewer.core.exchange.service import ImportResult, redo_import, undo_import
from reviewer.ui.qt_compat import emit

if TYPE_CHECKING:
    from reviewer.ui.undo import UndoController


class ExchangeCommand(QUndoCommand):
    """Imports (or a conflict resolution) as one undo step; pushed after they were applied."""

    def __init__(self, controller: UndoController, results: list[ImportResult], label: str) -> None:
        super().__init__(label)
        self.controller = controller
        self.results = results
        self._pushed = False

    def redo(self) -> None:
        if not self._pushed:
            self._pushed = True  # applied before the push
            return
        try:
            for result in self.results:
                redo_import(self.controller.review, result)
        except ReviewerError as exc:
            self._failed(exc)
            return
        announce(self.controller, self.results)

    def undo(self) -> None:
        try:
            for result in reversed(self.results):
                undo_import(self.controller.review, result)
        except ReviewerError as exc:
            self._failed(exc)
            return
        announce(self.controller, self.results)

    def _failed(self, exc: ReviewerError) -> None:
        self.setObsolete(True)
        emit(self.controller.failed, str(exc))


def announce(controller: UndoController, results: Sequence[ImportResult]) -> None:
    """Tell the panel and the page what the imports touched."""
    changes = [r.change for r in results if r.change is not None]
    if changes:
        controller.notify(changes)
    else:  # only merge bookkeeping changed (a conflict recorded): the banner still updates
        from reviewer.ui.undo import ChangeNotice

        emit(controller.changed, ChangeNotice((), (), (), ""))
