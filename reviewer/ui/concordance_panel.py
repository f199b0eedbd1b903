"""The Concordance panel of compare mode: every pair of articles with its relation, score and
number of links; select one to go there in both panes, confirm it, change its relation,
remove it, or add a pair the suggestion missed."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from reviewer.core.concordance import RELATIONS, Comparison, Pair

NOT_STATED = "(relation not stated)"
COLUMNS = ("A", "B", "Relation", "Score", "Links")


class ConcordancePanel(QWidget):
    pairChosen = Signal(str, str)  # A's citation, B's citation
    confirmRequested = Signal(str, str, object)  # A, B, relation (None: not stated)
    removeRequested = Signal(str, str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.pairs: list[Pair] = []
        self.table = QTableWidget(0, len(COLUMNS), self)
        self.table.setHorizontalHeaderLabels(list(COLUMNS))
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        for column in (0, 1):  # citation and title, elided: the whole of it in the tooltip
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Interactive)
            self.table.setColumnWidth(column, 165)
        self.table.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.table.setWordWrap(False)
        self.setMinimumWidth(560)
        self.table.itemSelectionChanged.connect(self._on_selection)
        self.relation = QComboBox(self)
        self.relation.addItems([NOT_STATED, *RELATIONS])
        self.confirm_button = QPushButton("Confirm", self)
        self.confirm_button.setToolTip(
            "Confirm the selected pair with this relation (the team's concordance)"
        )
        self.confirm_button.clicked.connect(self._confirm_selected)
        self.remove_button = QPushButton("Remove", self)
        self.remove_button.setToolTip("Remove the selected pair from the concordance")
        self.remove_button.clicked.connect(self._remove_selected)
        self.add_a = QComboBox(self)
        self.add_b = QComboBox(self)
        self.add_button = QPushButton("Add pair", self)
        self.add_button.clicked.connect(self._add)
        self.status = QLabel("Comparing the two treaties\u2026", self)
        self.status.setTextFormat(Qt.TextFormat.PlainText)
        row = QHBoxLayout()
        row.addWidget(self.relation, 1)
        row.addWidget(self.confirm_button)
        row.addWidget(self.remove_button)
        add_row = QHBoxLayout()
        add_row.addWidget(self.add_a, 1)
        add_row.addWidget(QLabel("=", self))
        add_row.addWidget(self.add_b, 1)
        add_row.addWidget(self.add_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.status)
        layout.addWidget(self.table, 1)
        layout.addLayout(row)
        layout.addLayout(add_row)

    def set_comparison(
        self,
        comparison: Comparison,
        link_counts: dict[tuple[str, str], int],
        a_articles: list[str],
        b_articles: list[str],
    ) -> None:
        chosen = self.selected_pair()
        self.pairs = list(comparison.pairs)
        self.table.setRowCount(len(self.pairs))
        for row, pair in enumerate(self.pairs):
            relation = pair.relation or ("" if not pair.confirmed else "not stated")
            score = "confirmed" if pair.confirmed and not pair.score else f"{pair.score:.2f}"
            if pair.confirmed and pair.score:
                score += " \u2713"
            values = (
                f"{pair.a} {pair.a_title}".strip(),
                f"{pair.b} {pair.b_title}".strip(),
                relation,
                score,
                str(link_counts.get((pair.a, pair.b), 0)),
            )
            for column, value in enumerate(values):
                item = QTableWidgetItem(value)
                item.setToolTip(value)
                self.table.setItem(row, column, item)
        confirmed = sum(1 for p in self.pairs if p.confirmed)
        self.status.setText(
            f"{len(self.pairs)} pairs ({confirmed} confirmed) \u00b7 only in A: {len(comparison.only_in_a)}"
            f" \u00b7 only in B: {len(comparison.only_in_b)}"
        )
        for combo, items in ((self.add_a, a_articles), (self.add_b, b_articles)):
            if combo.count() != len(items):
                combo.clear()
                combo.addItems(items)
        if chosen is not None:
            self.select_pair(*chosen)

    def selected_pair(self) -> tuple[str, str] | None:
        rows = self.table.selectionModel().selectedRows() if self.table.selectionModel() else []
        if not rows or rows[0].row() >= len(self.pairs):
            return None
        pair = self.pairs[rows[0].row()]
        return pair.a, pair.b

    def select_pair(self, a: str, b: str) -> None:
        for row, pair in enumerate(self.pairs):
            if (pair.a, pair.b) == (a, b):
                self.table.blockSignals(True)
                self.table.selectRow(row)
                self.table.blockSignals(False)
                return

    def _on_selection(self) -> None:
        chosen = self.selected_pair()
        if chosen is None:
            return
        pair = next(p for p in self.pairs if (p.a, p.b) == chosen)
        self.relation.setCurrentText(pair.relation or NOT_STATED)
        self.pairChosen.emit(*chosen)

    def _relation(self) -> str | None:
        text = self.relation.currentText()
        return None if text == NOT_STATED else text

    def _confirm_selected(self) -> None:
        chosen = self.selected_pair()
        if chosen is not None:
            self.confirmRequested.emit(chosen[0], chosen[1], self._relation())

    def _remove_selected(self) -> None:
        chosen = self.selected_pair()
        if chosen is not None:
            self.removeRequested.emit(*chosen)

    def _add(self) -> None:
        a, b = self.add_a.currentText(), self.add_b.currentText()
        if a and b:
            self.confirmRequested.emit(a, b, self._relation())
