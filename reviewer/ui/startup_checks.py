"""Opening the review database for the app, with the start-up safety dialogs.

``reviewer.core.opening.open_store`` already does the checks (quick check and moving a
damaged file aside, refusing a newer schema, clearing stale temporaries, the daily backup);
this module turns their outcomes into dialogs and takes the writer lock for the app's lifetime.

Decisions:
- a damaged database: say where it was moved; offer the newest verified backup (Yes restores it,
  No starts an empty database). The app keeps running either way.
- a database from a newer Reviewer: a dialog; the file is not touched; the PDF is shown
  read-only (no annotation panel).
- a second instance on the same database: a dialog naming the process that holds it; this
  window shows the PDF read-only without annotations (no Review is kept open, so nothing can
  be written and undo stacks never interleave).
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QWidget

from reviewer.core.backup import CorruptDatabase, restore_backup
from reviewer.core.errors import NewerDatabase, ReviewerError
from reviewer.core.lock import DatabaseInUse
from reviewer.core.review import Review
from reviewer.core.settings import Identity
from reviewer.ui.safe_dialogs import ask, tell


class ReadOnlyView(ReviewerError):
    """The app goes on without annotations (the reason was shown in a dialog already)."""


class HandedOver(ReadOnlyView):
    """The app that holds the database opened this window's document itself: close this one."""


def _restore_offer(parent: QWidget | None, exc: CorruptDatabase) -> None:
    report = exc.report
    if report.moved_to is None:  # not ours, or in use elsewhere: nothing was moved
        tell(parent, report.message)
        raise ReadOnlyView(report.message)
    head = (
        f"The annotation database was damaged ({report.problem}).\n"
        f"It was moved aside, not deleted:\n{report.moved_to}"
    )
    if report.backup is None:
        tell(parent, f"{head}\n\nNo verified backup was found; Reviewer starts with an empty database.")
        return
    question = (
        f"{head}\n\nRestore the newest verified backup?\n{report.backup}\n\n"
        "Yes: restore it.  No: start with an empty database."
    )
    if ask(parent, question, default_yes=True):
        try:
            restore_backup(report.db_path, report.backup)
        except ReviewerError as error:
            tell(
                parent,
                f"The backup could not be restored:\n{error}\n\nReviewer starts with an empty database.",
            )


def open_review_for_app(parent: QWidget | None, path: Path, identity: Identity) -> Review:
    """The review the window works on, holding the writer lock until it is closed.

    Raises ``ReviewerError`` (after a dialog) when the app must go on without annotations.
    """
    try:
        review = Review.open(path, identity)
    except CorruptDatabase as exc:
        _restore_offer(parent, exc)
        review = Review.open(path, identity)
    except NewerDatabase as exc:
        tell(
            parent,
            f"{exc}\n\nThe database was not changed. The document is shown read-only, without annotations.",
        )
        raise ReadOnlyView(str(exc)) from None
    try:
        review.store.hold_writer_lock("app")
    except DatabaseInUse as exc:
        review.close()
        from reviewer.ui.single_instance import hand_over

        if hand_over(path, getattr(parent, "document_to_hand_over", None)):
            raise HandedOver(f"opened in the Reviewer app that has {path} open") from None
        tell(
            parent,
            f"{exc}\n\nAnother Reviewer window is working on this database. This window shows "
            "the document read-only, without annotations; close the other one to annotate.",
        )
        raise ReadOnlyView(f"read-only: {exc}") from None
    return review
