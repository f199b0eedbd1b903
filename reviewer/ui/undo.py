"""Undo/redo in the GUI: each ``QUndoCommand`` wraps the core's ``Change`` records.

A command is pushed *after* its operation was applied (and committed to SQLite): that way an
operation that fails raises its ``ReviewerError`` to the caller and nothing lands on the stack.
``QUndoStack.push`` calls ``redo()`` at once, so the first ``redo()`` only announces the change;
later ones call ``Review.redo``. Typing in a comment commits each keystroke batch and merges
the commands of one annotation's comment into a single undo step (``mergeWith``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QUndoCommand, QUndoStack

from reviewer.core.errors import ReviewerError
from reviewer.core.operations import Change
from reviewer.core.review import Review

COMMENT_MERGE_ID = 4001


@dataclass(frozen=True)
class ChangeNotice:
    """What a change, its undo or its redo touched, for the views to refresh."""

    annotation_ids: tuple[str, ...]
    reply_ids: tuple[str, ...]
    tag_ids: tuple[str, ...]
    label: str
    typing: bool = False  # a comment keystroke: repaint, do not filter again

    @classmethod
    def of(cls, changes: list[Change], typing: bool = False) -> ChangeNotice:
        annotations: dict[str, None] = {}
        replies: dict[str, None] = {}
        tags: dict[str, None] = {}
        for change in changes:
            annotations.update(dict.fromkeys(change.after.annotations))
            for reply_id in change.after.replies:
                replies[reply_id] = None
                row = change.after.replies[reply_id] or change.before.replies.get(reply_id)
                if row:
                    annotations[row["annotation_id"]] = None
            tags.update(dict.fromkeys(change.after.tags))
        label = changes[-1].label if changes else ""
        return cls(tuple(annotations), tuple(replies), tuple(tags), label, typing)


def is_noop(change: Change) -> bool:
    return change.before == change.after


class ReviewCommand(QUndoCommand):
    def __init__(
        self,
        controller: UndoController,
        changes: list[Change],
        merge_key: str | None = None,
    ) -> None:
        super().__init__(changes[-1].label)
        self.controller = controller
        self.changes = changes
        self.merge_key = merge_key
        self._pushed = False

    def id(self) -> int:
        return COMMENT_MERGE_ID if self.merge_key else -1

    def mergeWith(self, other: QUndoCommand) -> bool:  # noqa: N802
        if not isinstance(other, ReviewCommand) or other.merge_key != self.merge_key:
            return False
        if self.controller.merge_barrier:
            return False
        self.changes.extend(other.changes)
        return True

    def redo(self) -> None:
        if not self._pushed:
            self._pushed = True  # the operation was applied before the push
            return
        try:
            for change in self.changes:
                self.controller.review.redo(change)
        except ReviewerError as exc:
            self.setObsolete(True)
            self.controller.failed.emit(str(exc))
            return
        self.controller.notify(self.changes)

    def undo(self) -> None:
        try:
            for change in reversed(self.changes):
                self.controller.review.undo(change)
        except ReviewerError as exc:
            self.setObsolete(True)
            self.controller.failed.emit(str(exc))
            return
        self.controller.notify(self.changes)


class UndoController(QObject):
    """Runs review actions, keeps their undo stack, and tells the views what changed."""

    changed = Signal(object)  # ChangeNotice
    failed = Signal(str)

    def __init__(self, review: Review, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.review = review
        self.stack = QUndoStack(self)
        self.merge_barrier = False
        self._last_merge_key: str | None = None

    def run(self, action: Callable[[], Change | None], merge_key: str | None = None) -> Change | None:
        """Apply ``action`` now (committed at once) and make it one undo step.

        ``merge_key``: consecutive runs with the same key (one annotation's comment being
        typed) become one undo step. Raises the action's ``ReviewerError`` unchanged.
        """
        change = action()
        if change is None or is_noop(change):
            return change
        self.merge_barrier = merge_key is None or merge_key != self._last_merge_key
        self.stack.push(ReviewCommand(self, [change], merge_key))
        self.merge_barrier = False
        self._last_merge_key = merge_key
        self.notify([change], typing=merge_key is not None)
        return change

    def continues(self, merge_key: str) -> bool:
        """True when the last step was typing under the same key (the same comment)."""
        index = self.stack.index()
        if self._last_merge_key != merge_key or index == 0 or index != self.stack.count():
            return False  # a new burst, or something was undone since
        top = self.stack.command(index - 1)
        return isinstance(top, ReviewCommand) and top.merge_key == merge_key

    def end_typing(self) -> None:
        """The next comment edit starts a new undo step (focus left the editor)."""
        self._last_merge_key = None

    def notify(self, changes: list[Change], typing: bool = False) -> None:
        self._last_merge_key = None if not typing else self._last_merge_key
        self.changed.emit(ChangeNotice.of(changes, typing))

    def undo(self) -> None:
        self._last_merge_key = None
        self.stack.undo()

    def redo(self) -> None:
        self._last_merge_key = None
        self.stack.redo()
