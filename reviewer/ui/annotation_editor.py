"""Editing one annotation: comment, tags, status, replies, delete.

Every edit is committed at once through the ``UndoController`` (no Save button). Typing in the
comment commits each keystroke and merges them into one undo step per annotation.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, QPointF, QRectF, Qt, Signal
from PySide6.QtGui import QColor, QIcon, QKeyEvent, QKeySequence, QPainter, QPen, QPixmap
from PySide6.QtWidgets import (
    QColorDialog,
    QComboBox,
    QCompleter,
    QHBoxLayout,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QSizePolicy,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from reviewer.core.comment_markup import plain_text
from reviewer.core.errors import ReviewerError
from reviewer.core.model import STATUSES, Annotation
from reviewer.core.review import Review
from reviewer.ui.plain import local_time, plain_label, plain_tooltip, short
from reviewer.ui.undo import ChangeNotice, UndoController

ColorChooser = Callable[[QWidget, str], "str | None"]

GLOBAL_KEYS = (QKeySequence.StandardKey.Undo, QKeySequence.StandardKey.Redo)


def is_global_undo_key(event: QKeyEvent) -> bool:
    if any(event.matches(k) for k in GLOBAL_KEYS):
        return True
    combo = event.keyCombination()
    return combo.key() == Qt.Key.Key_Z and bool(
        combo.keyboardModifiers() & Qt.KeyboardModifier.ControlModifier
    )


class CommentEdit(QPlainTextEdit):
    """A plain-text editor that leaves Ctrl+Z / Ctrl+Shift+Z to the review's undo stack.

    Right after a highlight is created ("quick tagging"), keys 1-9 typed into the still
    empty comment apply tags instead of being typed; any other key ends quick tagging.
    """

    focusLeft = Signal()
    escaped = Signal()
    tagKey = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setUndoRedoEnabled(False)
        self.setTabChangesFocus(True)
        self.quick_tagging = False

    def event(self, event: QEvent) -> bool:
        if (
            event.type() == QEvent.Type.ShortcutOverride
            and isinstance(event, QKeyEvent)
            and is_global_undo_key(event)
        ):
            event.ignore()
            return False
        return super().event(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802
        if event.key() == Qt.Key.Key_Escape:
            self.quick_tagging = False
            self.escaped.emit()
            return
        text = event.text()
        if (
            self.quick_tagging
            and not self.toPlainText()
            and len(text) == 1
            and text in "123456789"
            and not event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
        ):
            self.tagKey.emit(int(text))
            return
        if text:
            self.quick_tagging = False
        super().keyPressEvent(event)

    def focusOutEvent(self, event: QEvent) -> None:  # type: ignore[override]  # noqa: N802
        super().focusOutEvent(event)  # type: ignore[arg-type]
        self.quick_tagging = False
        self.focusLeft.emit()


def ask_color(parent: QWidget, tag_name: str) -> str | None:
    color = QColorDialog.getColor(QColor("#78909C"), parent, f"Colour for the new tag {tag_name!r}")
    return color.name().upper() if color.isValid() else None


def chip_style(color: str) -> str:
    qcolor = QColor(color)
    text = "#000000" if qcolor.lightness() > 140 else "#FFFFFF"
    return (
        f"QToolButton {{ background: {qcolor.name()}; color: {text}; border-radius: 8px;"
        " padding: 1px 6px; border: none; }"
    )


class AnnotationEditor(QWidget):
    """The lower half of the panel: the selected annotation, editable."""

    deleted = Signal(str)
    message = Signal(str)

    def __init__(self, review: Review, undo: UndoController, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.review = review
        self.undo = undo
        self.color_chooser: ColorChooser = ask_color
        self.annotation: Annotation | None = None
        self._loading = False

        self.place_label = plain_label()
        self.place_label.setObjectName("placeLabel")
        self.quote_label = plain_label()
        self.quote_label.setWordWrap(True)
        self.quote_label.setStyleSheet("font-style: italic;")
        self.quote_label.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)

        self.tag_row = QHBoxLayout()
        self.tag_row.setSpacing(4)
        self.tag_input = QLineEdit()
        self.tag_input.setPlaceholderText("Add a tag\u2026 (type, Enter)")
        self.tag_input.setAccessibleName("Add a tag")
        self.completer = QCompleter([], self.tag_input)
        self.completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.completer.setFilterMode(Qt.MatchFlag.MatchContains)
        self.tag_input.setCompleter(self.completer)
        self.tag_input.returnPressed.connect(self._tag_entered)

        self.status_combo = QComboBox()
        self.status_combo.addItems(list(STATUSES))
        self.status_combo.setAccessibleName("Status")
        self.status_combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.status_combo.setSizePolicy(QSizePolicy.Policy.Minimum, QSizePolicy.Policy.Fixed)
        self.status_combo.activated.connect(lambda i: self.set_status(STATUSES[i]))
        self.delete_button = QPushButton("Delete")
        self.delete_button.setToolTip("Delete this annotation (Del; undo with Ctrl+Z)")
        self.delete_button.clicked.connect(self.delete)
        self.private_button = QToolButton()
        self.private_button.setObjectName("privateToggle")
        self.private_button.setCheckable(True)
        self.private_button.setText("Private")
        self.private_button.setIcon(lock_icon(self.palette().color(self.foregroundRole())))
        self.private_button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.private_button.setAccessibleName("Private note")
        self.private_button.setToolTip(
            "A private note stays in your database: never written to the team folder or any export"
        )
        self.private_button.toggled.connect(self.set_private)

        self.comment_edit = CommentEdit()
        self.comment_edit.setPlaceholderText(
            "Comment: why this passage matters\u2026 (on a new highlight, 1\u20139 tag it first)"
        )
        self.comment_edit.setAccessibleName("Comment")
        self.comment_edit.textChanged.connect(self._comment_typed)
        self.comment_edit.focusLeft.connect(self.undo.end_typing)

        self.replies_list = QListWidget()
        self.replies_list.setWordWrap(True)
        self.replies_list.setAccessibleName("Replies")
        self.replies_list.setMaximumHeight(120)
        self.reply_input = QLineEdit()
        self.reply_input.setPlaceholderText("Reply\u2026 (Enter to send)")
        self.reply_input.setAccessibleName("Reply")
        self.reply_input.returnPressed.connect(self._reply_entered)

        self.meta_label = plain_label()
        self.meta_label.setStyleSheet("color: palette(mid);")
        self.meta_label.setWordWrap(True)  # author, dates, editor: wraps rather than widening

        # The header on a line of its own, wrapped: at the panel's minimum width, with large
        # text or long translations, it is never cut off ("No annotation selecte").
        self.place_label.setWordWrap(True)
        top = QHBoxLayout()
        top.addWidget(self.status_combo)
        top.addWidget(self.delete_button)
        top.addWidget(self.private_button)
        top.addStretch(1)
        tags_line = QVBoxLayout()  # the chips, then the input: neither squeezes the other
        chips_line = QHBoxLayout()
        chips_line.addLayout(self.tag_row)
        chips_line.addStretch(1)
        tags_line.addLayout(chips_line)
        tags_line.addWidget(self.tag_input)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.place_label)
        layout.addLayout(top)
        layout.addWidget(self.quote_label)
        layout.addLayout(tags_line)
        layout.addWidget(self.comment_edit, 2)
        layout.addWidget(self.meta_label)
        self.replies_label = plain_label("Replies")
        layout.addWidget(self.replies_label)
        layout.addWidget(self.replies_list, 1)
        layout.addWidget(self.reply_input)
        self.undo.changed.connect(self._on_change)
        self.set_annotation(None)

    # showing -----------------------------------------------------------------------------
    def set_annotation(self, annotation: Annotation | None) -> None:
        self.undo.end_typing()
        self.annotation = annotation
        enabled = annotation is not None
        for widget in (
            self.tag_input,
            self.status_combo,
            self.delete_button,
            self.private_button,
            self.comment_edit,
            self.reply_input,
        ):
            widget.setEnabled(enabled)
        self._loading = True
        try:
            self.completer.model().setStringList(  # type: ignore[attr-defined]
                [t.name for t in self.review.tags(include_retired=False)]
            )
            self.private_button.setChecked(bool(annotation and annotation.private))
            if annotation is None:
                self.place_label.setText("No annotation selected")
                self.quote_label.setText("Select text and press H, or pick an entry above.")
                self.comment_edit.setPlainText("")
                self.meta_label.setText("")
                self.replies_list.clear()
                self._show_tags()
                return
            place = annotation.citation or f"Page {annotation.page + 1}"
            self.place_label.setText(f"{place} \u00b7 {annotation.kind}")
            self.quote_label.setText(short(annotation.quote, 400) if annotation.quote else "")
            self.quote_label.setToolTip(plain_tooltip(short(annotation.quote, 2000)))
            if self.comment_edit.toPlainText() != annotation.comment:
                self.comment_edit.setPlainText(annotation.comment)
            self.status_combo.setCurrentIndex(STATUSES.index(annotation.status))
            self.meta_label.setText(_meta_text(annotation))
            self._show_tags()
            self.replies_list.clear()
            for reply in annotation.replies:
                edited = (
                    f" \u00b7 edited by {reply.editor_name}" if reply.editor_id != reply.author_id else ""
                )
                heading = f"{reply.author_name} \u00b7 {local_time(reply.created)}{edited}"
                item = QListWidgetItem(f"{heading}\n{plain_text(reply.comment)}")
                self.replies_list.addItem(item)
        finally:
            self._loading = False

    def _show_tags(self) -> None:
        while self.tag_row.count():
            item = self.tag_row.takeAt(0)
            widget = item.widget() if item else None
            if widget is not None:
                widget.hide()  # deleteLater alone leaves it painted until the loop runs
                widget.setParent(None)
                widget.deleteLater()
        if self.annotation is None:
            return
        for tag in self.annotation.tags:
            chip = QToolButton()
            chip.setText(tag.name.replace("&", "&&") + "  \u2715")
            chip.setToolTip(plain_tooltip(f"Remove the tag {tag.name}"))
            chip.setStyleSheet(chip_style(tag.color))
            chip.setAccessibleName(f"Remove tag {tag.name}")
            chip.clicked.connect(lambda _=False, name=tag.name: self.toggle_tag(name))
            self.tag_row.addWidget(chip)

    def _on_change(self, notice: ChangeNotice) -> None:
        if self.annotation is None:
            return
        if notice.tag_ids:
            self.completer.model().setStringList(  # type: ignore[attr-defined]
                [t.name for t in self.review.tags(include_retired=False)]
            )
        if self.annotation.id not in notice.annotation_ids and not notice.tag_ids:
            return
        try:
            fresh = self.review.annotation(self.annotation.id)
        except ReviewerError:
            fresh = None
        if fresh is None or fresh.deleted:
            self.set_annotation(None)
            return
        if notice.typing:
            self.annotation = fresh  # keep the cursor where the reviewer is typing
            self.meta_label.setText(_meta_text(fresh))
            return
        cursor = self.comment_edit.textCursor().position()
        self.set_annotation(fresh)
        restored = self.comment_edit.textCursor()
        restored.setPosition(min(cursor, len(fresh.comment)))
        self.comment_edit.setTextCursor(restored)

    # editing -----------------------------------------------------------------------------
    def _run(self, action: Callable[[], object], merge_key: str | None = None) -> bool:
        try:
            self.undo.run(action, merge_key)  # type: ignore[arg-type]
        except ReviewerError as exc:
            self.message.emit(str(exc))
            return False
        return True

    def _comment_typed(self) -> None:
        if self._loading or self.annotation is None:
            return
        annotation_id = self.annotation.id
        text = self.comment_edit.toPlainText()
        continuing = self.undo.continues(annotation_id)
        self._run(
            lambda: self.review.edit(annotation_id, comment=text, continuing=continuing),
            merge_key=annotation_id,
        )

    def start_quick_tagging(self) -> None:
        """Keys 1-9 tag the new annotation until the reviewer starts typing the comment."""
        self.comment_edit.quick_tagging = True

    def focus_comment(self) -> None:
        self.comment_edit.setFocus(Qt.FocusReason.ShortcutFocusReason)
        cursor = self.comment_edit.textCursor()
        cursor.movePosition(cursor.MoveOperation.End)
        self.comment_edit.setTextCursor(cursor)

    def set_private(self, private: bool) -> None:
        if self._loading or self.annotation is None or self.annotation.private == private:
            return
        annotation_id = self.annotation.id
        if self._run(lambda: self.review.set_private(annotation_id, private)):
            self.message.emit(
                "Private: stays on this computer, never synced or exported (Ctrl+Z to undo)"
                if private
                else "Shared again: goes to the team folder with the next sync"
            )

    def set_status(self, status: str) -> None:
        if self.annotation is None:
            return
        annotation_id = self.annotation.id
        self._run(lambda: self.review.edit(annotation_id, status=status))

    def toggle_tag(self, name: str) -> None:
        """Add the tag, or remove it when the annotation carries it already."""
        if self.annotation is None:
            return
        annotation_id = self.annotation.id
        current = self.review.annotation(annotation_id)
        if any(t.name.casefold() == name.casefold() for t in current.tags):
            self._run(lambda: self.review.edit(annotation_id, remove_tags=[name]))
        else:
            self._run(lambda: self.review.edit(annotation_id, add_tags=[name]))

    def add_tag_by_name(self, name: str) -> bool:
        """Add a tag from the taxonomy, or create it on the spot (asking for its colour)."""
        if self.annotation is None or not name.strip():
            return False
        annotation_id = self.annotation.id
        known = self.review.store.tag_by_name(name.strip())
        if known is not None:
            return self._run(lambda: self.review.edit(annotation_id, add_tags=[known["name"]]))
        color = self.color_chooser(self, name.strip())
        if not color:
            return False
        self.undo.stack.beginMacro(f"Add tag {name.strip()}")
        try:
            ok = self._run(lambda: self.review.add_tag(name, color)) and self._run(
                lambda: self.review.edit(annotation_id, add_tags=[name])
            )
        finally:
            self.undo.stack.endMacro()
        return ok

    def _tag_entered(self) -> None:
        if self.add_tag_by_name(self.tag_input.text()):
            self.tag_input.clear()

    def reply(self, text: str) -> bool:
        if self.annotation is None:
            return False
        annotation_id = self.annotation.id
        return self._run(lambda: self.review.reply(annotation_id, text))

    def _reply_entered(self) -> None:
        if self.reply(self.reply_input.text()):
            self.reply_input.clear()

    def delete(self) -> None:
        """Deleting asks nothing: Ctrl+Z brings the annotation back."""
        if self.annotation is None:
            return
        annotation_id = self.annotation.id
        if self._run(lambda: self.review.delete(annotation_id)):
            self.deleted.emit(annotation_id)
            self.message.emit("Annotation deleted (Ctrl+Z to undo)")


def lock_icon(color: QColor, size: int = 16) -> QIcon:
    """A padlock, drawn: the toggle's icon does not depend on an icon theme or emoji font."""
    pixmap = QPixmap(size, size)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    pen = QPen(color, 1.6)
    painter.setPen(pen)
    painter.drawArc(QRectF(size * 0.28, size * 0.08, size * 0.44, size * 0.5), 0, 180 * 16)
    painter.drawLine(QPointF(size * 0.28, size * 0.33), QPointF(size * 0.28, size * 0.45))
    painter.drawLine(QPointF(size * 0.72, size * 0.33), QPointF(size * 0.72, size * 0.45))
    painter.setBrush(color)
    painter.drawRoundedRect(QRectF(size * 0.18, size * 0.45, size * 0.64, size * 0.47), 2, 2)
    painter.end()
    return QIcon(pixmap)


def show_error(parent: QObject | None, text: str) -> None:
    box = QMessageBox(QMessageBox.Icon.Warning, "Reviewer", text, parent=parent)  # type: ignore[arg-type]
    box.setTextFormat(Qt.TextFormat.PlainText)
    box.exec()


def _meta_text(annotation: Annotation) -> str:
    """Author, date, revision, and who made this revision when that is someone else."""
    text = (
        f"{annotation.author_name} \u00b7 created {local_time(annotation.created)} "
        f"\u00b7 revision {annotation.revision}"
    )
    if annotation.editor_id != annotation.author_id:
        text += f" \u00b7 edited by {annotation.editor_name}"
    if annotation.private:
        text += " \u00b7 private: never synced or exported"
    return text
