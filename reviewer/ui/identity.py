"""Who is reviewing: asked once, on first run, and kept in the settings with a stable id."""

from __future__ import annotations

import os
import uuid
from collections.abc import Callable
from pathlib import Path

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLineEdit, QVBoxLayout, QWidget

from reviewer.core.settings import Identity, Settings, resolve_identity
from reviewer.ui.plain import plain_label


class IdentityDialog(QDialog):
    def __init__(self, suggestion: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Who is reviewing?")
        text = plain_label(
            "Your name is shown on every annotation and reply you make, and travels with "
            "them when you share your review. You can change it later in the settings."
        )
        text.setWordWrap(True)
        self.name_edit = QLineEdit(suggestion)
        self.name_edit.setPlaceholderText("Your name, e.g. Ada Lovelace")
        self.name_edit.setAccessibleName("Your name")
        self.name_edit.selectAll()
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok)
        self.buttons.accepted.connect(self.accept)
        self.name_edit.textChanged.connect(self._update)
        layout = QVBoxLayout(self)
        layout.addWidget(text)
        layout.addWidget(self.name_edit)
        layout.addWidget(self.buttons)
        self._update()

    def _update(self) -> None:
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setEnabled(bool(self.name_edit.text().strip()))

    def name(self) -> str:
        return " ".join(self.name_edit.text().split())


def store_reviewer_name(settings: Settings, name: str, directory: Path | None = None) -> Settings:
    """Keep the name; the reviewer id is created once and never changes with the name."""
    settings.reviewer_name = " ".join(name.split())
    if not settings.reviewer_id:
        settings.reviewer_id = str(uuid.uuid4())
    settings.save(directory)
    return settings


def ensure_identity(
    settings: Settings,
    author: str | None = None,
    parent: QWidget | None = None,
    ask: Callable[[str], str | None] | None = None,
) -> Identity:
    """The reviewer's identity, asking for a name on first run.

    ``--author`` / ``REVIEWER_AUTHOR`` win and skip the question (scripts, tests).
    """
    chosen = author or os.environ.get("REVIEWER_AUTHOR")
    if not chosen and not settings.reviewer_name:
        asker = ask or (lambda suggestion: _ask_name(suggestion, parent))
        name = asker(_login_suggestion())
        if name and name.strip():
            store_reviewer_name(settings, name)
    return resolve_identity(chosen, settings)


def _ask_name(suggestion: str, parent: QWidget | None) -> str | None:
    dialog = IdentityDialog(suggestion, parent)
    return dialog.name() if dialog.exec() == QDialog.DialogCode.Accepted else None


def _login_suggestion() -> str:
    import getpass

    try:
        return getpass.getuser()
    except Exception:
        return ""
