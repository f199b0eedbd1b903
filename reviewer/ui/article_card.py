"""Article by article in the window: the outline marks each article's state (not started,
annotated, reviewed) and assignee, a "My articles" filter, the article card (the reviewer's
position, rationale and proposal, and the reviewed mark, shortcut M) and the coverage line in
the status bar. Decisions live in reviewer.core.positions and coverage; every change goes
through the window's undo stack."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt, QTimer
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDockWidget,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from reviewer.core.coverage import ArticleCoverage, Coverage, coverage_of, team_position
from reviewer.core.errors import ReviewerError
from reviewer.core.model import STANCES
from reviewer.core.plain_text import display_text
from reviewer.core.positions import ArticleRef, articles_of, mark_reviewed, set_position

if TYPE_CHECKING:
    from reviewer.ui.annotating import AnnotatingController
    from reviewer.ui.main_window import MainWindow

STATE_MARKS = {"not started": "○", "annotated": "◐", "reviewed": "●"}
TITLE_ROLE = Qt.ItemDataRole.UserRole + 7  # the outline item's own title, before the marks
_ARTICLE_TITLE = re.compile(r"^\s*(?:Article|Art\.?|Section|Sec\.?)\s+(\d{1,6})\b", re.IGNORECASE)


class ArticleCard(QWidget):
    """The current article: your position on it, and whether you have finished reviewing it."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.heading = QLabel("Choose an article in the outline.")
        self.heading.setTextFormat(Qt.TextFormat.PlainText)
        self.heading.setWordWrap(True)
        self.heading.setStyleSheet("font-weight: bold;")
        self.state = QLabel("")
        self.state.setTextFormat(Qt.TextFormat.PlainText)
        self.state.setWordWrap(True)
        self.stance = QComboBox()
        self.stance.addItems(list(STANCES))
        self.rationale = QPlainTextEdit()
        self.rationale.setPlaceholderText("Why")
        self.rationale.setMaximumHeight(70)
        self.proposal = QPlainTextEdit()
        self.proposal.setPlaceholderText("Draft wording of the reservation or declaration")
        self.proposal.setMaximumHeight(70)
        self.others = QLabel("")
        self.others.setTextFormat(Qt.TextFormat.PlainText)
        self.others.setWordWrap(True)
        self.set_button = QPushButton("Set position")
        self.reviewed_button = QPushButton("Mark reviewed (M)")
        form = QFormLayout()
        form.addRow("Stance", self.stance)
        form.addRow("Rationale", self.rationale)
        form.addRow("Proposal", self.proposal)
        buttons = QHBoxLayout()
        buttons.addWidget(self.set_button)
        buttons.addWidget(self.reviewed_button)
        column = QVBoxLayout(self)
        column.addWidget(self.heading)
        column.addWidget(self.state)
        column.addLayout(form)
        column.addLayout(buttons)
        column.addWidget(self.others)
        column.addStretch(1)
        self.setEnabled(False)


class ArticleCoverageView(QObject):
    def __init__(self, window: MainWindow, annotating: AnnotatingController) -> None:
        super().__init__(window)
        self.window = window
        self.annotating = annotating
        self.articles: list[ArticleRef] = []
        self.coverage: Coverage | None = None
        self.current: int | None = None  # the card's article number
        self.card = ArticleCard()
        self.dock = QDockWidget("Article", window)
        self.dock.setObjectName("article_dock")
        self.dock.setWidget(self.card)
        window.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, self.dock)
        self.status = QLabel("")
        window.statusBar().addPermanentWidget(self.status)
        self.mine = QCheckBox("My articles")
        self.mine.setToolTip("Show only the articles assigned to you")
        holder = QWidget()
        column = QVBoxLayout(holder)
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(self.mine)
        column.addWidget(window.outline, 1)
        window.outline_dock.setWidget(holder)
        # The assignee stands at the end of an article's line: elide titles in the middle.
        window.outline.setTextElideMode(Qt.TextElideMode.ElideMiddle)
        self.mark_action = QAction("Mark article reviewed", window)
        self.mark_action.setShortcut(QKeySequence("M"))
        self.mark_action.triggered.connect(self.toggle_reviewed)
        window.addAction(self.mark_action)
        self.card.set_button.clicked.connect(self.set_position_from_card)
        self.card.reviewed_button.clicked.connect(self.toggle_reviewed)
        self.mine.toggled.connect(lambda _on: self.decorate_outline())
        window.outline.itemClicked.connect(self._on_outline_item)
        window.outline.itemActivated.connect(self._on_outline_item)
        annotating.panel.currentAnnotationChanged.connect(self._on_panel_annotation)
        # Not at each keystroke of a comment: the panel's typing is no change of coverage.
        annotating.undo.changed.connect(lambda notice: None if notice.typing else self.refresh())
        window.documentOpened.connect(lambda _document: self._on_document())
        # The outline is filled once the structure is found (off the GUI thread): mark it then.
        self._decorate_soon = QTimer(self)
        self._decorate_soon.setSingleShot(True)
        self._decorate_soon.setInterval(0)
        self._decorate_soon.timeout.connect(self.refresh)
        window.outline.model().rowsInserted.connect(lambda *_: self._decorate_soon.start())
        self._on_document()

    # --- state ----------------------------------------------------------------------------
    def _on_document(self) -> None:
        self.articles = []
        self.current = None
        self.refresh()

    def refresh(self) -> None:
        document = self.annotating.document
        document_id = self.annotating.document_id
        if document is None or document_id is None or self.window.outline_pending():
            self.coverage = None
            self.status.setText("")
            return
        if not self.articles:
            try:
                self.articles = articles_of(document)
            except Exception:  # a structure that cannot be found leaves the window as it was
                self.articles = []
        self.coverage = coverage_of(self.annotating.review, document_id, self.articles)
        self.status.setText(self.coverage.summary_line() if self.articles else "")
        self.decorate_outline()
        self.show_card(self.current)

    def article(self, number: int | None) -> ArticleCoverage | None:
        if self.coverage is None or number is None:
            return None
        return next((a for a in self.coverage.articles if a.article.number == number), None)

    # --- outline --------------------------------------------------------------------------
    def _items(self) -> list[QTreeWidgetItem]:
        out: list[QTreeWidgetItem] = []
        pending = [
            self.window.outline.topLevelItem(i) for i in range(self.window.outline.topLevelItemCount())
        ]
        while pending:
            item = pending.pop(0)
            out.append(item)
            pending[0:0] = [item.child(i) for i in range(item.childCount())]
        return out

    def article_of_item(self, item: QTreeWidgetItem) -> int | None:
        title = item.data(0, TITLE_ROLE) or item.text(0)
        data = item.data(0, Qt.ItemDataRole.UserRole)
        offset = data[2] if data else -1
        if offset is not None and offset >= 0:
            for a in self.articles:
                if a.start <= offset < a.end:
                    return a.number
        match = _ARTICLE_TITLE.match(str(title))
        return (
            int(match.group(1))
            if match and any(a.number == int(match.group(1)) for a in self.articles)
            else None
        )

    def decorate_outline(self) -> None:
        me = self.annotating.review.identity.name.casefold()
        only_mine = self.mine.isChecked()
        for item in self._items():
            if item.data(0, TITLE_ROLE) is None:
                item.setData(0, TITLE_ROLE, item.text(0))
            title = str(item.data(0, TITLE_ROLE))
            found = self.article(self.article_of_item(item))
            if found is None:
                item.setText(0, title)
                continue
            # The first name keeps the line short; the tooltip and the card give the whole.
            assignee = f" · {found.assignee.split()[0]}" if found.assignee else ""
            item.setText(0, f"{STATE_MARKS[found.state]} {title}{assignee}")
            item.setToolTip(0, _state_text(found))
            item.setHidden(only_mine and (found.assignee or "").casefold() != me)

    def outline_mark(self, number: int) -> str:
        """The text the outline shows for an article (what a reader sees there)."""
        for item in self._items():
            if self.article_of_item(item) == number:
                return item.text(0)
        return ""

    def _on_outline_item(self, item: QTreeWidgetItem, _column: int = 0) -> None:
        number = self.article_of_item(item)
        if number is not None:
            self.show_card(number)

    def _on_panel_annotation(self, annotation_id: str) -> None:
        """An entry chosen in the panel brings its article's card (the article group's)."""
        row = self.annotating.review.store.annotation_row(annotation_id) if annotation_id else None
        if row is not None and row["article"] is not None and self.article(row["article"]):
            self.show_card(int(row["article"]))

    # --- the card -------------------------------------------------------------------------
    def show_card(self, number: int | None) -> None:
        found = self.article(number)
        card = self.card
        if found is None:
            card.setEnabled(False)
            return
        self.current = number
        card.setEnabled(True)
        a = found.article
        card.heading.setText(
            display_text(f"{a.citation} — {a.title}" if a.title else a.citation, max_length=200)
        )
        card.state.setText(display_text(_state_text(found), max_length=400))
        me = self.annotating.review.identity.id
        mine = next((p for p in found.positions if p.author_id == me), None)
        if mine is not None and not (card.rationale.hasFocus() or card.proposal.hasFocus()):
            card.stance.setCurrentText(mine.stance)
            card.rationale.setPlainText(mine.rationale)
            card.proposal.setPlainText(mine.proposal or "")
        elif mine is None:
            card.stance.setCurrentText("undecided")
            card.rationale.clear()
            card.proposal.clear()
        others = [f"{p.author}: {p.stance}" for p in found.positions if p.author_id != me]
        card.others.setText(display_text("Others: " + "; ".join(others), max_length=600) if others else "")
        reviewed = self.annotating.review.identity.name in found.reviewed_by
        card.reviewed_button.setText("Mark not reviewed (M)" if reviewed else "Mark reviewed (M)")

    def set_position_from_card(self) -> None:
        document, number = self.annotating.document, self.current
        if document is None or number is None:
            return
        card = self.card
        proposal = card.proposal.toPlainText().strip() or None
        self._run(
            lambda: set_position(
                self.annotating.review,
                document,
                number,
                card.stance.currentText(),
                card.rationale.toPlainText(),
                proposal,
            )
        )

    def toggle_reviewed(self) -> None:
        document, found = self.annotating.document, self.article(self.current)
        if document is None or found is None:
            return
        reviewed = self.annotating.review.identity.name in found.reviewed_by
        number = found.article.number
        self._run(lambda: mark_reviewed(self.annotating.review, document, [number], not reviewed))

    def _run(self, action) -> None:  # type: ignore[no-untyped-def]
        try:
            self.annotating.undo.run(action)
        except ReviewerError as exc:
            self.window.statusBar().showMessage(display_text(str(exc), max_length=300), 10000)


def _state_text(found: ArticleCoverage) -> str:
    parts = [found.state]
    if found.reviewed_by:
        parts.append("reviewed by " + ", ".join(found.reviewed_by))
    parts.append(f"assigned to {found.assignee}" if found.assignee else "unassigned")
    if found.positions:
        parts.append(team_position(found.positions))
    return "; ".join(parts)


def attach_article_card(window: MainWindow, annotating: AnnotatingController) -> ArticleCoverageView:
    view = ArticleCoverageView(window, annotating)
    window.article_coverage = view  # type: ignore[attr-defined]
    return view
