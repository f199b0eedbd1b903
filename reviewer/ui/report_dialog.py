"""File → Report…: the choices of ``reviewer report``, a text preview, and generation in the
background with a progress bar.

The worker thread opens its own database connection and its own copy of the PDF: neither a
SQLite connection nor a PyMuPDF document is shared between threads. The preview is the
report's content (``report_content``) summarised as plain text.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, QThread, QTimer, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPlainTextEdit,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from reviewer.core.errors import ReviewerError
from reviewer.core.model import STATUSES
from reviewer.core.opening import open_store
from reviewer.core.pdf import open_pdf
from reviewer.core.plain_text import display_text
from reviewer.core.progress import Cancelled
from reviewer.core.report import GROUP_BY, PAPERS, ReportOptions, build_report, report_content
from reviewer.core.report.content import ReportContent, short_date
from reviewer.core.report.options import FORMATS
from reviewer.core.review import Review
from reviewer.core.settings import Identity
from reviewer.ui.plain import plain_label
from reviewer.ui.qt_compat import emit
from reviewer.ui.safe_dialogs import message_box

if TYPE_CHECKING:
    from reviewer.ui.annotating import AnnotatingController

REPORT_FILTER = "PDF (*.pdf);;HTML (*.html);;Markdown (*.md);;Word (*.docx)"
PREVIEW_ENTRIES = 12


class ReportWorker(QThread):
    """Builds one report off the GUI thread; progress in percent."""

    progress = Signal(int, str)
    succeeded = Signal(str)
    failed = Signal(str)
    cancelled = Signal()

    def __init__(
        self,
        db_path: Path,
        identity: Identity,
        pdf_path: str,
        password: str | None,
        options: ReportOptions,
        memorandum: tuple[str | None, str | None] | None = None,  # (title, recommendation)
    ) -> None:
        super().__init__()
        self.memorandum = memorandum
        self.db_path = db_path
        self.identity = identity
        self.pdf_path = pdf_path
        self.password = password
        self.options = options
        self.cancel_requested = False  # set from the GUI thread; read at each progress step

    def _step(self, fraction: float, what: str) -> None:
        if self.cancel_requested:
            raise Cancelled("cancelled")  # the report is written atomically: nothing is left
        emit(self.progress, round(fraction * 100), what)

    def run(self) -> None:
        review = None
        pdf = None
        try:
            review = Review(open_store(self.db_path, startup_checks=False), self.identity)
            pdf = open_pdf(self.pdf_path, self.password)
            if self.memorandum is not None:
                from reviewer.core.report.memorandum_render import write_memorandum

                self._step(0.1, "writing the memorandum")
                title, recommendation = self.memorandum
                written = write_memorandum(
                    review,
                    pdf,
                    self.options.output,
                    title=title,
                    recommendation=recommendation,
                    paper=self.options.paper_size,
                )
                emit(self.succeeded, str(written))
                return
            out = build_report(
                review,
                pdf,
                self.options,
                progress=self._step,
            )
            emit(self.succeeded, str(out))
        except Cancelled:
            emit(self.cancelled)
        except ReviewerError as exc:
            emit(self.failed, str(exc))
        except Exception as exc:  # shown in a dialog, never a crash of the window
            emit(self.failed, f"the report could not be written ({type(exc).__name__}: {exc})")
        finally:
            if pdf is not None:
                pdf.close()
            if review is not None:
                review.close()


def preview_text(content: ReportContent) -> str:
    """What the report will hold, as plain text."""
    lines = [
        display_text(content.title, max_length=200),
        display_text(content.treaty_title, max_length=200),
        f"{len(content.entries)} annotations"
        + (
            f", {short_date(content.first_date)} – {short_date(content.last_date)}"
            if content.first_date
            else ""
        )
        + f"; grouped by {content.group_by}",
        "Reviewers: " + (", ".join(display_text(r, max_length=80) for r in content.reviewers) or "none"),
    ]
    if content.filters:
        lines.append("Filters: " + display_text("; ".join(content.filters), max_length=300))
    lines.append("")
    lines.append(
        "Tags: "
        + (", ".join(f"{display_text(t.name, max_length=60)} {n}" for t, n in content.tag_counts) or "none")
    )
    lines.append("Status: " + ", ".join(f"{s} {n}" for s, n in content.status_counts))
    lines.append("")
    lines.append("Contents:")
    for group in content.groups:
        lines.append(f"  {display_text(group.heading, max_length=120)}  ({len(group.entries)})")
    lines.append("")
    for entry in content.entries[:PREVIEW_ENTRIES]:
        a = entry.annotation
        lines.append(
            f"#{entry.number} {display_text(entry.citation, max_length=80)} · page {entry.page_label}"
            f" · {display_text(a.author_name, max_length=60)}"
        )
        lines.append(f"   “{display_text(a.quote, max_length=200)}”")
        if a.comment:
            lines.append(f"   {display_text(a.comment, max_length=200)}")
    if len(content.entries) > PREVIEW_ENTRIES:
        lines.append(f"… and {len(content.entries) - PREVIEW_ENTRIES} more")
    return "\n".join(lines)


def _checklist(names: list[str]) -> QListWidget:
    widget = QListWidget()
    for name in names:
        item = QListWidgetItem(display_text(name, max_length=80))
        item.setData(Qt.ItemDataRole.UserRole, name)
        item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
        item.setCheckState(Qt.CheckState.Unchecked)
        widget.addItem(item)
    widget.setMaximumHeight(96)
    return widget


def _checked(widget: QListWidget) -> tuple[str, ...]:
    return tuple(
        str(widget.item(i).data(Qt.ItemDataRole.UserRole))
        for i in range(widget.count())
        if widget.item(i).checkState() == Qt.CheckState.Checked
    )


class ReportDialog(QDialog):
    def __init__(self, annotating: AnnotatingController, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.annotating = annotating
        self.worker: ReportWorker | None = None
        self.last_output: str | None = None
        self.last_error: str | None = None
        self.setWindowTitle("Report")
        self.resize(900, 620)
        document = annotating.document
        assert document is not None
        source = Path(document.path)

        self.path_edit = QLineEdit(str(source.with_name(source.stem + "-report.pdf")))
        browse = QPushButton("Browse…")
        browse.clicked.connect(self._browse)
        path_row = QHBoxLayout()
        path_row.addWidget(self.path_edit, 1)
        path_row.addWidget(browse)
        self.template_combo = QComboBox()
        self.template_combo.addItem("Report: the annotations", "report")
        self.template_combo.addItem("Memorandum: positions article by article", "memorandum")
        self.recommendation_edit = QLineEdit()
        self.recommendation_edit.setPlaceholderText("The team's recommendation (memorandum)")
        self.group_combo = QComboBox()
        for name in GROUP_BY:
            self.group_combo.addItem(name, name)
        self.title_edit = QLineEdit()
        self.title_edit.setPlaceholderText("Review report")
        self.paper_combo = QComboBox()
        for name in PAPERS:
            self.paper_combo.addItem(name.upper() if name == "a4" else name.title(), name)
        self.pages_box = QCheckBox("Append the annotated pages (with numbered markers)")
        review = annotating.review
        self.tag_list = _checklist([t.name for t in review.tags(include_retired=False)])
        self.author_list = _checklist(annotating.panel.model.authors())
        self.status_list = _checklist(list(STATUSES))

        form = QFormLayout()
        form.addRow("Save to (.pdf .html .md .docx):", path_row)
        form.addRow("Template:", self.template_combo)
        form.addRow("Title:", self.title_edit)
        form.addRow("Recommendation:", self.recommendation_edit)
        form.addRow("Group by:", self.group_combo)
        form.addRow("Paper:", self.paper_combo)
        form.addRow("", self.pages_box)
        form.addRow("Only tags:", self.tag_list)
        form.addRow("Only reviewers:", self.author_list)
        form.addRow("Only status:", self.status_list)

        self.preview = QPlainTextEdit()
        self.preview.setReadOnly(True)
        self.preview.setMinimumWidth(380)
        self.progress = QProgressBar()
        self.progress.setRange(0, 100)
        self.progress.setValue(0)
        self.status = plain_label("")
        self.generate_button = QPushButton("Generate")
        self.generate_button.setDefault(True)
        self.generate_button.clicked.connect(self.generate)
        self.cancel_button = QPushButton("Cancel")
        self.cancel_button.setEnabled(False)
        self.cancel_button.clicked.connect(self.cancel)
        close = QPushButton("Close")
        close.clicked.connect(self.close)

        left = QVBoxLayout()
        left.addLayout(form)
        left.addStretch(1)
        right = QVBoxLayout()
        right.addWidget(plain_label("Preview"))
        right.addWidget(self.preview, 1)
        columns = QHBoxLayout()
        columns.addLayout(left, 1)
        columns.addLayout(right, 1)
        bottom = QHBoxLayout()
        bottom.addWidget(self.progress, 1)
        bottom.addWidget(self.generate_button)
        bottom.addWidget(self.cancel_button)
        bottom.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addLayout(columns, 1)
        layout.addWidget(self.status)
        layout.addLayout(bottom)

        self.path_edit.textChanged.connect(self._enable_format_options)
        self._enable_format_options()

        self._preview_timer = QTimer(self)
        self._preview_timer.setSingleShot(True)
        self._preview_timer.setInterval(250)
        self._preview_timer.timeout.connect(self.update_preview)
        self.template_combo.currentIndexChanged.connect(lambda *_: self._enable_format_options())
        for signal in (
            self.template_combo.currentIndexChanged,
            self.recommendation_edit.textChanged,
            self.group_combo.currentIndexChanged,
            self.title_edit.textChanged,
            self.tag_list.itemChanged,
            self.author_list.itemChanged,
            self.status_list.itemChanged,
        ):
            signal.connect(lambda *_: self._preview_timer.start())
        self.update_preview()

    def _format(self) -> str | None:
        return FORMATS.get(Path(self.path_edit.text().strip()).suffix.lower())

    def _enable_format_options(self) -> None:
        """Paper and page images only where the chosen format has them (the core refuses
        them elsewhere rather than ignoring them)."""
        fmt = self._format()
        memo = self.is_memorandum()
        self.paper_combo.setEnabled(fmt != "markdown")
        self.pages_box.setEnabled(fmt in (None, "pdf") and not memo)
        # A memorandum covers the whole review: no grouping or filters narrow it.
        for widget in (self.group_combo, self.tag_list, self.author_list, self.status_list):
            widget.setEnabled(not memo)
        self.recommendation_edit.setEnabled(memo)

    def is_memorandum(self) -> bool:
        return self.template_combo.currentData() == "memorandum"

    def options(self) -> ReportOptions:
        fmt = self._format()
        return ReportOptions(
            output=Path(self.path_edit.text().strip()),
            group_by=str(self.group_combo.currentData()),
            tags=_checked(self.tag_list),
            authors=_checked(self.author_list),
            statuses=_checked(self.status_list),
            title=self.title_edit.text().strip() or None,
            paper=str(self.paper_combo.currentData()) if fmt != "markdown" else None,
            with_pages=self.pages_box.isChecked() and fmt == "pdf",
        )

    def _browse(self) -> None:
        path, _ = QFileDialog.getSaveFileName(
            self, "Save the report as", self.path_edit.text(), REPORT_FILTER
        )
        if path:
            self.path_edit.setText(path)

    def update_preview(self) -> None:
        document = self.annotating.document
        if document is None:
            return
        options = self.options()
        if options.output.suffix.lower() not in (".pdf", ".html", ".htm", ".md", ".docx"):
            options = ReportOptions(**{**options.__dict__, "output": Path("preview.pdf")})
        if self.is_memorandum():
            self.preview.setPlainText(self._memorandum_preview())
            return
        try:
            content = report_content(self.annotating.review, document, options)
        except ReviewerError as exc:
            self.preview.setPlainText(display_text(str(exc), max_length=500))
            return
        self.preview.setPlainText(preview_text(content))

    def _memorandum_preview(self) -> str:
        """The memorandum as its Markdown reads, up to the annotations of Annex C."""
        from reviewer.core.report.memorandum import build_memorandum
        from reviewer.core.report.memorandum_render import memorandum_markdown

        document = self.annotating.document
        assert document is not None
        try:
            memo = build_memorandum(
                self.annotating.review,
                document,
                title=self.title_edit.text().strip() or None,
                recommendation=self.recommendation_edit.text(),
            )
        except ReviewerError as exc:
            return display_text(str(exc), max_length=500)
        text = memorandum_markdown(memo).split("## Annex C")[0]
        count = len(memo.annotations.entries)
        preview = f"{text}## Annex C — {count} annotations by article"
        return display_text(preview, max_length=200_000, keep_newlines=True)

    def generate(self) -> ReportWorker | None:
        """Start writing the report in the background; the window stays usable."""
        if self.worker is not None and self.worker.isRunning():
            return self.worker
        options = self.options()
        document = self.annotating.document
        if document is None:
            return None
        try:
            options.check()
            if options.output.resolve() == Path(document.path).resolve():
                raise ReviewerError(
                    "refusing to write the report over the open PDF", path=str(options.output)
                )
        except ReviewerError as exc:
            self._failed(str(exc))
            return None
        self.last_output = None
        self.last_error = None
        self.progress.setValue(0)
        self.generate_button.setEnabled(False)
        store_path = Path(self.annotating.review.store.path)
        worker = ReportWorker(
            store_path,
            self.annotating.review.identity,
            document.path,
            self.annotating.window._password,
            options
            if not self.is_memorandum()
            else ReportOptions(output=options.output, paper=options.paper),
            (options.title, self.recommendation_edit.text().strip() or None)
            if self.is_memorandum()
            else None,
        )
        worker.progress.connect(self._progress)
        worker.succeeded.connect(self._succeeded)
        worker.failed.connect(self._failed)
        worker.cancelled.connect(self._cancelled)
        worker.finished.connect(lambda: self.generate_button.setEnabled(True))
        worker.finished.connect(lambda: self.cancel_button.setEnabled(False))
        self.cancel_button.setEnabled(True)
        self.worker = worker
        worker.start()
        return worker

    def _progress(self, percent: int, what: str) -> None:
        self.progress.setValue(percent)
        self.status.setText(display_text(what, max_length=120))

    def _succeeded(self, path: str) -> None:
        self.last_output = path
        self.progress.setValue(100)
        self.status.setText(f"Written: {display_text(path, max_length=300)}")

    def cancel(self) -> None:
        """Stop the report being written (at its next step); no file is left behind."""
        if self.worker is not None:  # a finished worker ignores it
            self.worker.cancel_requested = True

    def _cancelled(self) -> None:
        self.progress.setValue(0)
        self.status.setText("Cancelled: no report was written.")

    def _failed(self, message: str) -> None:
        self.last_error = message
        self.status.setText("The report was not written.")
        message_box(self, QMessageBox.Icon.Warning, "Report failed", message)

    def done(self, result: int) -> None:
        self.cancel()
        if self.worker is not None and self.worker.isRunning():
            self.worker.wait()
        super().done(result)

    def closeEvent(self, event: object) -> None:  # noqa: N802
        self.cancel()
        if self.worker is not None and self.worker.isRunning():
            self.worker.wait()
        super().closeEvent(event)  # type: ignore[arg-type]
