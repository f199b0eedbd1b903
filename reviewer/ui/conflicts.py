"""The Conflicts section: when teammates changed the same annotation differently, the merge keeps
a winner and the other version waits here for a person to choose. Resolving is one undo step.

Above the annotation list a banner says "Conflicts (N)"; its button opens a dialog that shows
each conflict's current text and the other version (plain text), with Keep current / Keep
this version.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QFrame,
    QHBoxLayout,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from reviewer.core.errors import ReviewerError
from reviewer.core.exchange.service import Conflict, ImportResult, conflicts, resolve
from reviewer.core.plain_text import display_text
from reviewer.ui.import_undo import ExchangeCommand, announce
from reviewer.ui.plain import local_time, plain_label, short
from reviewer.ui.safe_dialogs import message_box

if TYPE_CHECKING:
    from reviewer.ui.annotating import AnnotatingController
    from reviewer.ui.main_window import MainWindow
    from reviewer.ui.undo import ChangeNotice


def resolve_conflict(annotating: AnnotatingController, item_id: str, keep: str) -> bool:
    """Resolve through the core and push one undo step that also restores the conflict."""
    review = annotating.review
    store = review.store
    before = (
        store.exchange_versions([item_id]).get(item_id, set()),
        store.exchange_conflict_rows(item_ids=[item_id]),
    )
    document_id = annotating.document_id or ""
    try:
        change = resolve(review, item_id, keep)
    except ReviewerError as exc:
        message_box(annotating.window, QMessageBox.Icon.Warning, "Cannot resolve", str(exc))
        return False
    after = (
        sorted(store.exchange_versions([item_id]).get(item_id, set())),
        store.exchange_conflict_rows(item_ids=[item_id]),
    )
    record = ImportResult(
        path="",
        format="resolve",
        document_id=document_id,
        change=change,
        exchange_before={item_id: before},
        exchange_after={item_id: after},
    )
    annotating.undo.stack.push(ExchangeCommand(annotating.undo, [record], "Resolve conflict"))
    announce(annotating.undo, [record])
    return True


def describe(conflict: Conflict) -> tuple[str, str]:
    """(current version, other version) as plain text."""
    current = (
        f"Current (kept by the merge): revision {conflict.winner_revision}, "
        f"{display_text(conflict.winner_author, max_length=80)}, {local_time(conflict.winner_modified)}\n\n"
        + display_text(conflict.winner_comment, max_length=4000, keep_newlines=True)
    )
    other = (
        f"Other version {conflict.version[:8]}: revision {conflict.revision}, "
        f"{display_text(conflict.author, max_length=80)}, {local_time(conflict.modified)}\n\n"
        + display_text(conflict.comment, max_length=4000, keep_newlines=True)
    )
    return current, other


class ConflictsDialog(QDialog):
    def __init__(self, banner: ConflictsBanner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.banner = banner
        self.setWindowTitle("Conflicts")
        self.resize(760, 440)
        self.list = QListWidget()
        self.current_text = QPlainTextEdit()
        self.current_text.setReadOnly(True)
        self.other_text = QPlainTextEdit()
        self.other_text.setReadOnly(True)
        self.keep_current = QPushButton("Keep current")
        self.keep_other = QPushButton("Keep this version")
        self.keep_current.clicked.connect(lambda: self._resolve("mine"))
        self.keep_other.clicked.connect(lambda: self._resolve(None))
        close = QPushButton("Close")
        close.clicked.connect(self.close)
        texts = QHBoxLayout()
        left = QVBoxLayout()
        left.addWidget(self.current_text)
        left.addWidget(self.keep_current)
        right = QVBoxLayout()
        right.addWidget(self.other_text)
        right.addWidget(self.keep_other)
        texts.addLayout(left)
        texts.addLayout(right)
        layout = QVBoxLayout(self)
        layout.addWidget(plain_label("Teammates changed these differently; choose the text to keep:"))
        layout.addWidget(self.list, 1)
        layout.addLayout(texts, 2)
        layout.addWidget(close, 0, Qt.AlignmentFlag.AlignRight)
        self.list.currentRowChanged.connect(self._show)
        self.refresh()

    def refresh(self) -> None:
        self.items = self.banner.current_conflicts()
        self.list.clear()
        for conflict in self.items:
            label = (
                f"{conflict.kind} {conflict.item_id.removeprefix('urn:uuid:')[:8]}: "
                f"{short(display_text(conflict.winner_comment), 40)} ↔ "
                f"{short(display_text(conflict.comment), 40)}"
            )
            self.list.addItem(QListWidgetItem(label))
        if self.items:
            self.list.setCurrentRow(0)
        else:
            self.current_text.setPlainText("No conflicts left.")
            self.other_text.clear()
        self.keep_current.setEnabled(bool(self.items))
        self.keep_other.setEnabled(bool(self.items))

    def _show(self, row: int) -> None:
        if 0 <= row < len(self.items):
            current, other = describe(self.items[row])
            self.current_text.setPlainText(current)
            self.other_text.setPlainText(other)

    def _resolve(self, keep: str | None) -> None:
        row = self.list.currentRow()
        if not 0 <= row < len(self.items):
            return
        conflict = self.items[row]
        resolve_conflict(self.banner.annotating, conflict.item_id, keep or conflict.version)
        self.refresh()


class ConflictsBanner(QFrame):
    """The "Conflicts (N)" line above the annotation list, shown only when there are some."""

    def __init__(self, annotating: AnnotatingController, window: MainWindow) -> None:
        super().__init__(annotating.panel)
        self.annotating = annotating
        self.dialog: ConflictsDialog | None = None
        self.setStyleSheet(
            "ConflictsBanner { background:#fde2e1; border:1px solid #e8a19c; border-radius:4px; }"
        )
        self.label = plain_label()
        self.button = QPushButton("Resolve…")
        self.button.clicked.connect(self.open_dialog)
        row = QHBoxLayout(self)
        row.setContentsMargins(6, 3, 6, 3)
        row.addWidget(self.label, 1)
        row.addWidget(self.button)
        layout = annotating.panel.layout()
        if layout is not None:
            layout.insertWidget(0, self)  # type: ignore[attr-defined]
        annotating.undo.changed.connect(self._on_change)
        window.documentOpened.connect(lambda _document: self.refresh())
        self.refresh()

    def current_conflicts(self) -> list[Conflict]:
        document_id = self.annotating.document_id
        if not document_id:
            return []
        return conflicts(self.annotating.review, document_id)

    def refresh(self) -> None:
        count = len(self.current_conflicts())
        self.label.setText(
            f"Conflicts ({count}): teammates changed {'an annotation' if count == 1 else 'annotations'} "
            "differently; choose what to keep."
        )
        self.setVisible(count > 0)
        if self.dialog is not None and self.dialog.isVisible():
            self.dialog.refresh()

    def _on_change(self, notice: ChangeNotice) -> None:
        if not notice.typing:
            self.refresh()

    def open_dialog(self) -> ConflictsDialog:
        if self.dialog is None:
            self.dialog = ConflictsDialog(self, self.annotating.window)
        self.dialog.refresh()
        self.dialog.show()
        self.dialog.raise_()
        return self.dialog
