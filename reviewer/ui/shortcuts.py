"""The annotating shortcuts in one table: the window wires its actions from it and the
shortcut sheet (F1 or ?) lists it, so the two cannot disagree."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)


@dataclass(frozen=True)
class Shortcut:
    name: str  # the action's object name
    keys: tuple[str, ...]  # QKeySequence strings, the first one is shown in menus
    text: str


ANNOTATING_SHORTCUTS: tuple[Shortcut, ...] = (
    Shortcut("highlight", ("H",), "Highlight the selected text"),
    Shortcut(
        "tag_1_9",
        ("1", "2", "3", "4", "5", "6", "7", "8", "9"),
        "Tag 1\u20139 of the taxonomy: toggle it on the selected annotation, "
        "or highlight the selected text with it",
    ),
    Shortcut("comment", ("C",), "Comment on the selected annotation (focus the comment box)"),
    Shortcut("page_note", ("N",), "Page note: click a point on the page"),
    Shortcut("area", ("A",), "Area annotation: drag a rectangle on the page"),
    Shortcut("next", ("J",), "Next annotation"),
    Shortcut("previous", ("K",), "Previous annotation"),
    Shortcut("status", ("S",), "Cycle the status: open, accepted, rejected, resolved"),
    Shortcut("reply", ("R",), "Reply to the selected annotation"),
    Shortcut("delete", ("Delete",), "Delete the selected annotation (Ctrl+Z brings it back)"),
    Shortcut("undo", ("Ctrl+Z",), "Undo"),
    Shortcut("redo", ("Ctrl+Shift+Z", "Ctrl+Y"), "Redo"),
    Shortcut("search", ("Ctrl+Shift+F",), "Search annotations (quote and comment)"),
    Shortcut("tag_manager", ("Ctrl+T",), "Tag manager: add, rename, recolour, retire, merge"),
    Shortcut("panel", ("Ctrl+B",), "Show or hide the annotation panel"),
    Shortcut("escape", ("Esc",), "Back to the page (clear the selection, leave a text box)"),
    Shortcut("shortcuts", ("F1", "?", "Shift+?"), "This sheet"),
)


def shortcut(name: str) -> Shortcut:
    for item in ANNOTATING_SHORTCUTS:
        if item.name == name:
            return item
    raise KeyError(name)


def key_sequences(name: str) -> list[QKeySequence]:
    return [QKeySequence(k) for k in shortcut(name).keys]


class ShortcutSheet(QDialog):
    def __init__(self, extra: list[tuple[str, str]] | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Keyboard shortcuts")
        rows = [(_keys_text(s), s.text) for s in ANNOTATING_SHORTCUTS]
        rows += extra or []
        self.table = QTableWidget(len(rows), 2)
        self.table.setHorizontalHeaderLabels(["Keys", "Action"])
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        for row, (keys, text) in enumerate(rows):
            key_item = QTableWidgetItem(keys)
            key_item.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
            self.table.setItem(row, 0, key_item)
            self.table.setItem(row, 1, QTableWidgetItem(text))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table)
        layout.addWidget(buttons)
        self.resize(620, 560)

    def texts(self) -> list[str]:
        return [self.table.item(r, 1).text() for r in range(self.table.rowCount())]


def _keys_text(item: Shortcut) -> str:
    if item.name == "tag_1_9":
        return "1 \u2026 9"
    # "Shift+?" only makes "?" work where the keyboard reports the Shift it needs
    keys = [k for k in item.keys if k != "Shift+?"]
    return " or ".join(_native(k) for k in keys)


def _native(key: str) -> str:
    return QKeySequence(key).toString(QKeySequence.SequenceFormat.NativeText) or key
