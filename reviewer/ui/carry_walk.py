"""After a carry: walk through what needs a reviewer's eyes, old and new wording side by side.

Every annotation carried as ``fuzzy``, ``changed`` or ``orphan`` is listed in reading order.
J and K step through them while the walk is open (the window's next/previous annotation keys
defer to it); each shows the old wording with deleted words struck through in red and the new
wording with inserted words underlined in green, the material kinds ("number", "modal"...)
named. Confirm keeps the annotation on the new words as ``exact`` (one undo step);
Re-attach puts it on the text selected on the page (one undo step).
"""

from __future__ import annotations

import html
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDockWidget,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from reviewer.core.carry import carry_outcomes, confirm_carried, reattach_annotation
from reviewer.core.errors import ReviewerError

if TYPE_CHECKING:
    from reviewer.ui.annotating import AnnotatingController
    from reviewer.ui.main_window import MainWindow

OLD_STYLE = "color:#b00020; text-decoration:line-through; background:#fde7ea"
NEW_STYLE = "color:#006b2e; text-decoration:underline; background:#e3f6e8"


def side_html(diff: list[list[str]], side: str) -> str:
    """One side of a diff as HTML (every string escaped): ``side`` is "-" (old) or "+" (new)."""
    parts = []
    for op, text in diff:
        escaped = html.escape(text, quote=False)
        if op == "=":
            parts.append(escaped)
        elif op == side:
            parts.append(f'<span style="{OLD_STYLE if side == "-" else NEW_STYLE}">{escaped}</span>')
    return "".join(parts)


class CarryWalk(QDockWidget):
    """The dock that walks through a carry's fuzzy, changed and orphan annotations."""

    def __init__(self, window: MainWindow, controller: AnnotatingController) -> None:
        super().__init__("Review the Carry", window)
        self.setObjectName("carry_walk")
        self.window_ = window
        self.controller = controller
        self.items: list[dict[str, Any]] = []
        self.position = 0
        body = QWidget()
        layout = QVBoxLayout(body)
        self.heading = QLabel()
        self.heading.setTextFormat(Qt.TextFormat.PlainText)
        self.heading.setWordWrap(True)
        layout.addWidget(self.heading)
        panes = QHBoxLayout()
        self.old_view = QTextBrowser()
        self.new_view = QTextBrowser()
        for title, view in (("Old wording", self.old_view), ("New wording", self.new_view)):
            column = QVBoxLayout()
            label = QLabel(title)
            label.setTextFormat(Qt.TextFormat.PlainText)
            column.addWidget(label)
            view.setOpenLinks(False)
            view.setOpenExternalLinks(False)
            view.setMinimumHeight(60)
            view.setMaximumHeight(150)  # a passage or two; the page keeps the room
            column.addWidget(view)
            panes.addLayout(column)
        layout.addLayout(panes)
        buttons = QHBoxLayout()
        self.previous_button = QPushButton("Previous (K)")
        self.next_button = QPushButton("Next (J)")
        self.confirm_button = QPushButton("Confirm New Wording")
        self.reattach_button = QPushButton("Re-attach to Selection")
        self.close_button = QPushButton("Close")
        self.previous_button.clicked.connect(lambda: self.step(-1))
        self.next_button.clicked.connect(lambda: self.step(1))
        self.confirm_button.clicked.connect(self.confirm)
        self.reattach_button.clicked.connect(self.reattach)
        self.close_button.clicked.connect(self.hide)
        for button in (
            self.previous_button,
            self.next_button,
            self.confirm_button,
            self.reattach_button,
            self.close_button,
        ):
            buttons.addWidget(button)
        layout.addLayout(buttons)
        self.setWidget(body)
        window.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, self)
        self.hide()

    # the list ----------------------------------------------------------------------------
    def active(self) -> bool:
        return self.isVisible() and bool(self.items)

    def start(self) -> bool:
        """Load the pending outcomes of the open document; show the first. False: none."""
        document_id = self.controller.document_id
        if document_id is None:
            return False
        self.items = carry_outcomes(self.controller.review, document_id)
        self.position = 0
        if not self.items:
            self.hide()
            return False
        self.show()
        self.raise_()
        self.show_current()
        return True

    def step(self, delta: int) -> None:
        if not self.items:
            return
        self.position = (self.position + delta) % len(self.items)
        self.show_current()

    def current(self) -> dict[str, Any] | None:
        return self.items[self.position] if self.items else None

    def show_current(self) -> None:
        item = self.current()
        if item is None:
            self.heading.setText("Nothing left to review in this carry.")
            self.old_view.clear()
            self.new_view.clear()
            for button in (self.confirm_button, self.reattach_button, self.previous_button, self.next_button):
                button.setEnabled(False)
            return
        review = self.controller.review
        row = review.store.annotation_row(item["annotation_id"]) or {}
        outcome = item["outcome"]
        kinds = f" ({', '.join(item['kinds'])})" if outcome == "changed" and item["kinds"] else ""
        score = f" {item['score']:.2f}" if outcome == "fuzzy" and item["score"] is not None else ""
        where = f"{item['old_citation'] or '-'} \u2192 {row.get('citation') or '-'}"
        self.heading.setText(
            f"{self.position + 1} of {len(self.items)}: {outcome}{score}{kinds}  \u00b7  {where}"
        )
        if outcome == "orphan":
            self.old_view.setHtml(f'<span style="{OLD_STYLE}">{html.escape(item["old_quote"])}</span>')
            self.new_view.setHtml(
                "<i>These words were deleted in this version. Select the passage the comment now "
                "belongs to and choose Re-attach, or leave it as an orphan.</i>"
            )
        else:
            diff = item["diff"] or [["=", item["old_quote"]]]
            self.old_view.setHtml(side_html(diff, "-"))
            self.new_view.setHtml(side_html(diff, "+"))
        self.confirm_button.setEnabled(outcome != "orphan")
        self.reattach_button.setEnabled(True)
        self.previous_button.setEnabled(len(self.items) > 1)
        self.next_button.setEnabled(len(self.items) > 1)
        controller = self.controller
        if controller.panel.select_annotation(item["annotation_id"]) and outcome != "orphan":
            controller.reveal(item["annotation_id"])

    # settling one ------------------------------------------------------------------------
    def _settled(self) -> None:
        del self.items[self.position]
        if self.items:
            self.position %= len(self.items)
        self.show_current()

    def confirm(self) -> bool:
        item = self.current()
        if item is None or item["outcome"] == "orphan":
            return False
        controller = self.controller
        done = controller._run(  # noqa: SLF001 - its error reporting is what we want
            lambda: confirm_carried(controller.review, item["annotation_id"])
        )
        if done is None:
            return False
        controller.show_message("Confirmed on the new wording (Undo takes it back)")
        self._settled()
        return True

    def reattach(self) -> bool:
        item = self.current()
        controller = self.controller
        document = controller.document
        if item is None or document is None:
            return False
        selection = controller.view.selection_range()
        if selection is None:
            controller.show_message("Select the passage on the page, then choose Re-attach")
            return False
        start, end = selection
        try:
            done = controller._run(  # noqa: SLF001
                lambda: reattach_annotation(controller.review, document, item["annotation_id"], start, end)
            )
        except ReviewerError:
            return False
        if done is None:
            return False
        controller.view.clear_selection()
        controller.show_message("Re-attached to the selected passage (Undo puts it back)")
        self._settled()
        return True


def attach_carry_walk(window: MainWindow, controller: AnnotatingController) -> CarryWalk:
    walk = CarryWalk(window, controller)
    window.carry_walk = walk  # type: ignore[attr-defined]
    return walk
