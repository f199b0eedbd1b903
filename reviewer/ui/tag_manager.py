"""The tag manager: add, rename, recolour, retire and merge tags, with usage counts.

Each action is one undoable step on the main window's stack. The dialog's methods take their
answers as arguments (the buttons ask for them) so that tests drive the real code path.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QIcon, QPixmap
from PySide6.QtWidgets import (
    QAbstractItemView,
    QColorDialog,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from reviewer.core.errors import ReviewerError
from reviewer.core.model import Tag
from reviewer.core.review import Review
from reviewer.ui.plain import plain_label, plain_tooltip
from reviewer.ui.undo import ChangeNotice, UndoController

COLUMNS = ("Tag", "Used", "Key", "Definition")


def swatch(color: str, size: int = 14) -> QIcon:
    pixmap = QPixmap(size, size)
    pixmap.fill(QColor(color))
    return QIcon(pixmap)


class TagManagerDialog(QDialog):
    def __init__(
        self,
        review: Review,
        undo: UndoController,
        document_id: str | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Tags")
        self.review = review
        self.undo = undo
        self.document_id = document_id
        self.tags: list[Tag] = []
        self.ask_text: Callable[[str, str, str], str | None] = self._ask_text
        self.ask_color: Callable[[str, str], str | None] = self._ask_color
        self.ask_choice: Callable[[str, str, list[str]], str | None] = self._ask_choice

        self.table = QTableWidget(0, len(COLUMNS))
        self.table.setHorizontalHeaderLabels(COLUMNS)
        self.table.verticalHeader().setVisible(False)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        self.table.itemSelectionChanged.connect(self._update_buttons)
        self.table.itemDoubleClicked.connect(lambda _item: self._rename_clicked())

        self.note = plain_label(
            "Keys 1\u20139 apply the first nine active tags to the selected annotation. "
            "Retired tags stay on annotations but are no longer offered."
        )
        self.note.setWordWrap(True)

        buttons = QVBoxLayout()
        self.add_button = self._button("&Add\u2026", self._add_clicked, buttons)
        self.rename_button = self._button("Re&name\u2026", self._rename_clicked, buttons)
        self.recolor_button = self._button("&Colour\u2026", self._recolor_clicked, buttons)
        self.retire_button = self._button("&Retire", self._retire_clicked, buttons)
        self.merge_button = self._button("&Merge into\u2026", self._merge_clicked, buttons)
        buttons.addStretch(1)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.rejected.connect(self.reject)

        body = QHBoxLayout()
        body.addWidget(self.table, 1)
        body.addLayout(buttons)
        layout = QVBoxLayout(self)
        layout.addLayout(body)
        layout.addWidget(self.note)
        layout.addWidget(close)
        self.resize(720, 420)
        self.undo.changed.connect(self._on_change)
        self.refresh()

    def _button(self, text: str, slot: Callable[[], None], layout: QVBoxLayout) -> QPushButton:
        button = QPushButton(text)
        button.clicked.connect(slot)
        layout.addWidget(button)
        return button

    # showing -----------------------------------------------------------------------------
    def refresh(self) -> None:
        selected = self.selected_tag()
        usage = self.review.tag_usage(self.document_id)
        self.tags = self.review.tags(include_retired=True)
        self.table.setRowCount(len(self.tags))
        key = 0
        for row, tag in enumerate(self.tags):
            name = QTableWidgetItem(swatch(tag.color), tag.name + (" (retired)" if tag.retired else ""))
            name.setToolTip(plain_tooltip(f"{tag.name}\n{tag.color}"))
            if tag.retired:
                name.setForeground(QColor("#888888"))
            count = QTableWidgetItem(str(usage.get(tag.id, 0)))
            count.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            shortcut = ""
            if not tag.retired and key < 9:
                key += 1
                shortcut = str(key)
            key_item = QTableWidgetItem(shortcut)
            key_item.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
            definition = QTableWidgetItem(tag.definition)
            definition.setToolTip(plain_tooltip(tag.definition))
            for column, item in enumerate((name, count, key_item, definition)):
                self.table.setItem(row, column, item)
        if selected is not None:
            self.select(selected.name)
        self._update_buttons()

    def _on_change(self, notice: ChangeNotice) -> None:
        if notice.tag_ids or notice.annotation_ids:
            self.refresh()

    def select(self, name: str) -> None:
        for row, tag in enumerate(self.tags):
            if tag.name.casefold() == name.casefold():
                self.table.selectRow(row)
                return

    def selected_tag(self) -> Tag | None:
        rows = self.table.selectionModel().selectedRows() if self.table.selectionModel() else []
        if not rows or rows[0].row() >= len(self.tags):
            return None
        return self.tags[rows[0].row()]

    def usage_of(self, name: str) -> int:
        for row, tag in enumerate(self.tags):
            if tag.name == name:
                item = self.table.item(row, 1)
                return int(item.text()) if item else 0
        raise KeyError(name)

    def _update_buttons(self) -> None:
        tag = self.selected_tag()
        for button in (
            self.rename_button,
            self.recolor_button,
            self.retire_button,
            self.merge_button,
        ):
            button.setEnabled(tag is not None)
        self.retire_button.setText("&Restore" if tag is not None and tag.retired else "&Retire")

    # actions (undoable) ----------------------------------------------------------------
    def _run(self, action: Callable[[], object]) -> bool:
        try:
            self.undo.run(action)  # type: ignore[arg-type]
        except ReviewerError as exc:
            self.note.setText(str(exc))
            return False
        return True

    def add_tag(self, name: str, color: str, definition: str = "") -> bool:
        ok = self._run(lambda: self.review.add_tag(name, color, definition))
        if ok:
            self.select(name.strip())
        return ok

    def rename_tag(self, old: str, new: str) -> bool:
        ok = self._run(lambda: self.review.rename_tag(old, new))
        if ok:
            self.select(new.strip())
        return ok

    def recolor_tag(self, name: str, color: str) -> bool:
        return self._run(lambda: self.review.recolor_tag(name, color))

    def retire_tag(self, name: str, retired: bool = True) -> bool:
        return self._run(lambda: self.review.retire_tag(name, retired))

    def merge_tags(self, source: str, target: str) -> bool:
        return self._run(lambda: self.review.merge_tags(source, target))

    # buttons ---------------------------------------------------------------------------
    def _add_clicked(self) -> None:
        name = self.ask_text("New tag", "Name of the new tag:", "")
        if not name:
            return
        color = self.ask_color(name, "#78909C")
        if color:
            self.add_tag(name, color)

    def _rename_clicked(self) -> None:
        tag = self.selected_tag()
        if tag is None:
            return
        new = self.ask_text("Rename tag", f"New name for {tag.name!r}:", tag.name)
        if new and new != tag.name:
            self.rename_tag(tag.name, new)

    def _recolor_clicked(self) -> None:
        tag = self.selected_tag()
        if tag is None:
            return
        color = self.ask_color(tag.name, tag.color)
        if color:
            self.recolor_tag(tag.name, color)

    def _retire_clicked(self) -> None:
        tag = self.selected_tag()
        if tag is not None:
            self.retire_tag(tag.name, not tag.retired)

    def _merge_clicked(self) -> None:
        tag = self.selected_tag()
        if tag is None:
            return
        others = [t.name for t in self.tags if t.id != tag.id and not t.retired]
        target = self.ask_choice("Merge tags", f"Move every annotation tagged {tag.name!r} to:", others)
        if target:
            self.merge_tags(tag.name, target)

    # default askers ----------------------------------------------------------------------
    def _ask_text(self, title: str, label: str, value: str) -> str | None:
        text, ok = QInputDialog.getText(self, title, label, text=value)
        return text if ok else None

    def _ask_color(self, name: str, current: str) -> str | None:
        color = QColorDialog.getColor(QColor(current), self, f"Colour of {name!r}")
        return color.name().upper() if color.isValid() else None

    def _ask_choice(self, title: str, label: str, options: list[str]) -> str | None:
        if not options:
            return None
        choice, ok = QInputDialog.getItem(self, title, label, options, 0, False)
        return choice if ok else None
