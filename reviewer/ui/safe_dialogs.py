"""Message boxes whose text is always plain (paths, addresses and messages may come from files).

Tests replace ``QMessageBox.exec`` to read ``text()`` and answer.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox, QWidget

from reviewer.core.plain_text import display_text

Button = QMessageBox.StandardButton
TITLE = "Reviewer"


def _box(parent: QWidget | None, icon: QMessageBox.Icon, text: str) -> QMessageBox:
    box = QMessageBox(parent)
    box.setIcon(icon)
    box.setWindowTitle(TITLE)
    box.setTextFormat(Qt.TextFormat.PlainText)
    box.setText(text)
    return box


def tell(parent: QWidget | None, text: str) -> None:
    """A warning the user acknowledges."""
    box = _box(parent, QMessageBox.Icon.Warning, text)
    box.setStandardButtons(Button.Ok)
    box.exec()


def ask(parent: QWidget | None, text: str, default_yes: bool = False) -> bool:
    """A Yes/No question; True for Yes."""
    box = _box(parent, QMessageBox.Icon.Question, text)
    box.setStandardButtons(Button.Yes | Button.No)
    box.setDefaultButton(Button.Yes if default_yes else Button.No)
    return box.exec() == Button.Yes


def message_box(parent: QWidget | None, icon: QMessageBox.Icon, title: str, text: str) -> None:
    """A modal message whose text is never read as rich text (it may come from a file)."""
    box = QMessageBox(icon, title, "", QMessageBox.StandardButton.Ok, parent)
    box.setTextFormat(Qt.TextFormat.PlainText)
    box.setText(display_text(text, max_length=2000, keep_newlines=True))
    box.exec()
