"""Errors a user can act on; the CLI prints them as one line and exits 1."""

from __future__ import annotations


class ReviewerError(Exception):
    """A refusal that names the file (when there is one) and the problem in one line."""

    def __init__(self, message: str, *, path: str | None = None) -> None:
        self.path = path
        super().__init__(f"{path}: {message}" if path else message)


class QuoteNotFound(ReviewerError):
    pass


class AmbiguousQuote(ReviewerError):
    pass


class NewerDatabase(ReviewerError):
    pass


class UndoConflict(ReviewerError):
    """The rows an undo would restore were changed by something else since."""
