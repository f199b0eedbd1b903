"""File → Import reviews…, Export… and Report… in the main window.

Wiring only: the exchange core (``reviewer.core.exchange.service``) imports and exports, the
report core writes reports. Here each import of several files becomes ONE undo step, refused
files are reported one by one (the others still import), and every string that came from a
file (names, authors, error text) is shown as plain text.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QMenu,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from reviewer.core.errors import ReviewerError
from reviewer.core.exchange.service import (
    ImportResult,
    export_document,
    import_file,
)
from reviewer.core.plain_text import display_text
from reviewer.core.review import Filters
from reviewer.ui.import_undo import ExchangeCommand, announce
from reviewer.ui.plain import plain_label
from reviewer.ui.safe_dialogs import message_box

if TYPE_CHECKING:
    from reviewer.ui.annotating import AnnotatingController
    from reviewer.ui.main_window import MainWindow

IMPORT_FILTER = (
    "Reviews (*.review.json *.json *.xfdf *.xml *.pdf);;"
    "Review files (*.review.json *.json);;XFDF (*.xfdf *.xml);;Annotated PDFs (*.pdf);;All files (*)"
)
# (format for the core, label, file suffix)
EXPORT_FORMATS = (
    ("review", "Review file (.review.json) for teammates", ".review.json"),
    ("xfdf", "XFDF (.xfdf) for Acrobat, Foxit, PDF-XChange", ".xfdf"),
    ("pdf", "Annotated PDF copy (.pdf)", ".annotated.pdf"),
    ("csv", "CSV (.csv) for spreadsheets", ".csv"),
)


@dataclass
class ImportOutcome:
    """What one Import reviews… did: the files imported and the ones refused (with why)."""

    results: list[ImportResult] = field(default_factory=list)
    refused: list[tuple[str, str]] = field(default_factory=list)  # (path, one-line error)


def summary_text(outcome: ImportOutcome, open_document_id: str | None, titles: dict[str, str]) -> str:
    """The import summary as plain text, one block per file."""
    lines: list[str] = []
    for result in outcome.results:
        name = display_text(Path(result.path).name, max_length=120)
        lines.append(f"{name}  ({result.format})")
        lines.append(
            f"  added {len(result.added)} · updated {len(result.updated)} · "
            f"unchanged {len(result.unchanged)} · conflicts {len(result.conflicts)}"
            " (annotations and replies)"
            + (f" · skipped {result.skipped} (not highlights)" if result.skipped else "")
        )
        if result.document_id != open_document_id:
            title = display_text(titles.get(result.document_id) or "", max_length=120)
            lines.append(
                "  NOTE: this file reviews ANOTHER document, not the open one"
                + (f" ({title}" if title else " (")
                + f"sha256 {result.document_id[:12]}…); its annotations were stored for that"
                " document and are not shown here."
            )
        if result.conflicts:
            lines.append("  Conflicts wait for a decision: see “Conflicts” above the annotation list.")
        lines.append("")
    for path, error in outcome.refused:
        lines.append(f"{display_text(Path(path).name, max_length=120)}  REFUSED, nothing imported:")
        lines.append(f"  {display_text(error, max_length=400)}")
        lines.append("")
    return "\n".join(lines).rstrip() + "\n"


class ImportSummaryDialog(QDialog):
    def __init__(self, text: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Import summary")
        self.resize(640, 360)
        layout = QVBoxLayout(self)
        layout.addWidget(plain_label("What each file brought (Ctrl+Z undoes the whole import):"))
        self.text = QPlainTextEdit()
        self.text.setReadOnly(True)
        self.text.setPlainText(text)
        layout.addWidget(self.text, 1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.close)
        buttons.accepted.connect(self.close)
        layout.addWidget(buttons)


class ExportDialog(QDialog):
    """Choose the format, the target and whether the panel's filters apply."""

    def __init__(self, default_stem: Path, filter_text: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Export annotations")
        self.default_stem = default_stem
        self.format_combo = QComboBox()
        for fmt, label, _suffix in EXPORT_FORMATS:
            self.format_combo.addItem(label, fmt)
        self.path_edit = QLineEdit(str(default_stem) + EXPORT_FORMATS[0][2])
        browse = QPushButton("Browse…")
        browse.clicked.connect(self._browse)
        row = QHBoxLayout()
        row.addWidget(self.path_edit, 1)
        row.addWidget(browse)
        self.filtered_box = QCheckBox(
            "Only what the panel shows: " + display_text(filter_text, max_length=120)
            if filter_text
            else "Only what the panel shows (no filter is set)"
        )
        self.filtered_box.setEnabled(bool(filter_text))
        form = QFormLayout()
        form.addRow("Format:", self.format_combo)
        form.addRow("Save to:", row)
        form.addRow("", self.filtered_box)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(buttons)
        self.format_combo.currentIndexChanged.connect(self._format_changed)

    def chosen_format(self) -> str:
        return str(self.format_combo.currentData())

    def _suffix(self) -> str:
        return EXPORT_FORMATS[self.format_combo.currentIndex()][2]

    def _format_changed(self, _index: int) -> None:
        current = self.path_edit.text().strip()
        for _fmt, _label, suffix in EXPORT_FORMATS:
            if current.endswith(suffix):
                self.path_edit.setText(current[: -len(suffix)] + self._suffix())
                return

    def _browse(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, "Export to", self.path_edit.text())
        if path:
            self.path_edit.setText(path)


class ExchangeActions(QObject):
    """The File-menu actions of the exchange and the report, for one main window."""

    def __init__(self, window: MainWindow, annotating: AnnotatingController) -> None:
        super().__init__(window)
        self.window = window
        self.annotating = annotating
        self.summary_dialog: ImportSummaryDialog | None = None
        self.last_outcome: ImportOutcome | None = None
        self.import_action = self._action("Import &Reviews…", self.choose_imports, "Ctrl+Shift+I")
        self.export_action = self._action("&Export…", self.open_export_dialog, "Ctrl+Shift+E")
        self.report_action = self._action("&Report…", self.open_report_dialog, "Ctrl+Shift+R")
        self._add_to_file_menu()

    def _action(self, text: str, slot: object, shortcut: str) -> QAction:
        action = QAction(text, self.window)
        action.setShortcut(shortcut)
        action.triggered.connect(lambda _checked=False: slot())  # type: ignore[operator]
        return action

    def _add_to_file_menu(self) -> None:
        menu_bar = self.window.menuBar()
        file_menu = next((m.menu() for m in menu_bar.actions() if m.text() == "&File"), None)
        if not isinstance(file_menu, QMenu):
            return
        quit_action = getattr(self.window, "quit_action", None)
        if isinstance(quit_action, QAction) and quit_action in file_menu.actions():
            for action in (self.import_action, self.export_action, self.report_action):
                file_menu.insertAction(quit_action, action)
            file_menu.insertSeparator(quit_action)
        else:
            for action in (self.import_action, self.export_action, self.report_action):
                file_menu.addAction(action)

    # import ------------------------------------------------------------------------------
    def choose_imports(self) -> None:
        paths, _ = QFileDialog.getOpenFileNames(self.window, "Import reviews", self._folder(), IMPORT_FILTER)
        if paths:
            self.import_paths(paths)

    def import_paths(self, paths: Sequence[str | os.PathLike[str]]) -> ImportOutcome:
        """Import each file (all or nothing per file); the imported ones are one undo step."""
        review = self.annotating.review
        document = self.annotating.document
        open_path = document.path if document is not None else None
        outcome = ImportOutcome()
        for raw in paths:
            path = str(raw)
            # A review file or XFDF that names no known document belongs to the open one (its
            # hash or /ID, when given, still decides); an annotated PDF is its own document.
            pdf_path = open_path if not path.lower().endswith(".pdf") else None
            try:
                result = import_file(review, path, pdf_path=pdf_path, password=self.window._password)
            except ReviewerError as exc:
                outcome.refused.append((path, str(exc)))
                continue
            except Exception as exc:  # a bug must not take the window down; the core rolled back
                outcome.refused.append((path, f"{path}: unexpected error ({type(exc).__name__}: {exc})"))
                continue
            outcome.results.append(result)
        touched = [r for r in outcome.results if r.change is not None or r.exchange_after]
        if touched:
            names = ", ".join(Path(r.path).name for r in touched)
            label = f"Import {display_text(names, max_length=60)}"
            self.annotating.undo.stack.push(ExchangeCommand(self.annotating.undo, touched, label))
            announce(self.annotating.undo, touched)
            self.annotating.panel.model.reload()
        self.last_outcome = outcome
        for path, error in outcome.refused:
            message_box(
                self.window,
                QMessageBox.Icon.Warning,
                "Import refused",
                f"{Path(path).name} was not imported (nothing of it was stored):\n{error}",
            )
        self.show_summary(outcome)
        return outcome

    def show_summary(self, outcome: ImportOutcome) -> ImportSummaryDialog:
        titles: dict[str, str] = {}
        for result in outcome.results:
            row = self.annotating.review.store.document(result.document_id)
            if row:
                titles[result.document_id] = str(row.get("title") or "")
        text = summary_text(outcome, self.annotating.document_id, titles)
        if self.summary_dialog is not None:
            self.summary_dialog.close()
        self.summary_dialog = ImportSummaryDialog(text, self.window)
        self.summary_dialog.show()
        return self.summary_dialog

    # export ------------------------------------------------------------------------------
    def _folder(self) -> str:
        document = self.annotating.document
        return str(Path(document.path).parent) if document is not None else ""

    def panel_filters(self) -> tuple[Filters, str]:
        """The panel's current filters and a line that says what they are."""
        current = self.annotating.panel.current_filter()
        parts = []
        if current.tags:
            parts.append("tags " + ", ".join(current.tags))
        if current.authors:
            parts.append("reviewer " + ", ".join(current.authors))
        if current.statuses:
            parts.append("status " + ", ".join(current.statuses))
        if current.search:
            parts.append(f"search “{current.search}”")
        return current.to_filters(), "; ".join(parts)

    def open_export_dialog(self) -> ExportDialog | None:
        document = self.annotating.document
        if document is None:
            message_box(self.window, QMessageBox.Icon.Information, "Export", "Open a PDF first.")
            return None
        source = Path(document.path)
        _filters, filter_text = self.panel_filters()
        dialog = ExportDialog(source.with_name(source.stem), filter_text, self.window)
        dialog.accepted.connect(
            lambda: self.export_to(
                dialog.chosen_format(), dialog.path_edit.text().strip(), dialog.filtered_box.isChecked()
            )
        )
        dialog.open()
        self.export_dialog = dialog
        return dialog

    def export_to(self, fmt: str, target: str, filtered: bool = False) -> int | None:
        """Write the open document's annotations; returns how many, None when refused."""
        document = self.annotating.document
        if document is None or not target:
            return None
        if _same_file(target, document.path):
            message_box(
                self.window,
                QMessageBox.Icon.Warning,
                "Export refused",
                f"{target}: refusing to write over the open PDF; choose another file name.",
            )
            return None
        filters = self.panel_filters()[0] if filtered else None
        try:
            count = export_document(self.annotating.review, document, fmt, target, filters)
        except ReviewerError as exc:
            message_box(self.window, QMessageBox.Icon.Warning, "Export refused", str(exc))
            return None
        self.window.statusBar().showMessage(
            f"Exported {count} annotation{'s' if count != 1 else ''} to {display_text(target)}", 10000
        )
        return count

    # report ------------------------------------------------------------------------------
    def open_report_dialog(self) -> QDialog | None:
        from reviewer.ui.report_dialog import ReportDialog

        if self.annotating.document is None:
            message_box(self.window, QMessageBox.Icon.Information, "Report", "Open a PDF first.")
            return None
        dialog = ReportDialog(self.annotating, self.window)
        dialog.show()
        self.report_dialog = dialog
        return dialog


def _same_file(a: str, b: str) -> bool:
    try:
        return Path(a).resolve() == Path(b).resolve() or (Path(a).exists() and os.path.samefile(a, b))
    except OSError:
        return False


def attach_exchange(window: MainWindow, annotating: AnnotatingController) -> ExchangeActions:
    """Give a main window its Import/Export/Report actions (the app adds the Conflicts banner)."""
    actions = ExchangeActions(window, annotating)
    window.exchange = actions  # type: ignore[attr-defined]
    return actions
