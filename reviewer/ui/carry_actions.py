"""Carrying a review to a new version of a document, and re-attaching orphans, in the window.

When a newly opened PDF looks like a version of a known one (``earlier_versions``) and has no
annotations yet, a non-modal bar above the page offers to carry the earlier review. Accepting
parses the new document's structure in a thread (the text flow comes from the view's workers,
so no MuPDF call leaves the main thread), then ``carry_annotations`` runs as one undo step and
the bar shows the counts, with "Review Changes" (the walk through the fuzzy, changed and
orphan annotations, ``carry_walk``) and "Compare Versions" (the redline of ``reviewer diff``,
written as HTML and opened in the browser). Orphans are listed in the panel's "Orphans"
section; selecting text and choosing Annotate > Re-attach Orphan Here puts the current
orphan there (undoable).

A carry can be long (1,000 pages, 10,000 annotations): the bar shows its steps and a Cancel
button while the versions are read and aligned in the thread, and the copy on the main thread
shows the progress dialog with Cancel (``work_progress``) once it has taken a second. A cancel
writes nothing: the carry's one transaction is only opened at its end.
"""

from __future__ import annotations

import tempfile
import threading
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Qt, QTimer, QUrl
from PySide6.QtGui import QAction, QDesktopServices
from PySide6.QtWidgets import QComboBox, QLabel, QMenu, QProgressBar, QPushButton, QToolBar

from reviewer.core import progress
from reviewer.core.carry import (
    CarryReport,
    VersionMap,
    carry_annotations,
    earlier_versions,
    reattach_annotation,
)
from reviewer.core.errors import ReviewerError
from reviewer.core.operations import Change
from reviewer.core.pdf import PdfDocument, open_pdf
from reviewer.core.plain_text import display_text
from reviewer.core.structure import structure_of

if TYPE_CHECKING:
    from reviewer.ui.annotating import AnnotatingController
    from reviewer.ui.main_window import MainWindow


def describe_counts(report: CarryReport) -> str:
    counts = report.counts
    total = sum(counts.values())
    text = (
        f"Carried {total} annotation{'s' if total != 1 else ''}: {counts['exact']} exact, "
        f"{counts['fuzzy']} fuzzy, {counts['changed']} changed, "
        f"{counts['orphan']} orphan{'s' if counts['orphan'] != 1 else ''}"
    )
    if counts.get("already-carried"):
        text += f", {counts['already-carried']} carried before"
    if counts["orphan"]:
        text += " (listed under Orphans in the panel)"
    return text


class CarryOffer(QObject):
    """The offer bar and the re-attach action of one window."""

    def __init__(self, window: MainWindow, controller: AnnotatingController) -> None:
        super().__init__(window)
        self.window = window
        self.controller = controller
        self.report: CarryReport | None = None
        self.busy = False
        self._pdf: PdfDocument | None = None
        self._earlier: list[dict[str, Any]] = []

        bar = QToolBar("Carry review", window)
        bar.setObjectName("carry_bar")
        bar.setMovable(False)
        self.label = QLabel()
        self.label.setTextFormat(Qt.TextFormat.PlainText)
        self.choice = QComboBox()
        self.accept_button = QPushButton("Carry Review Here")
        self.accept_button.clicked.connect(self.accept)
        self.dismiss_button = QPushButton("Dismiss")
        self.dismiss_button.clicked.connect(self.dismiss)
        self.review_button = QPushButton("Review Changes")
        self.review_button.clicked.connect(self.open_walk)
        self.redline_button = QPushButton("Compare Versions (Redline)")
        self.redline_button.clicked.connect(self.open_redline)
        self.redline_path: Path | None = None
        self.cancel_button = QPushButton("Cancel")
        self.cancel_button.clicked.connect(self.cancel)
        self._cancel = threading.Event()
        self._step: tuple[str, int, int] | None = None  # the thread's last progress report
        self._step_timer = QTimer(self)
        self._step_timer.setInterval(100)
        self._step_timer.timeout.connect(self._show_step)
        self._old_pdf: PdfDocument | None = None
        self._versions: VersionMap | None = None
        self.progress = QProgressBar()
        self.progress.setRange(0, 0)  # busy indicator
        self.progress.setMaximumWidth(120)
        bar.addWidget(self.label)
        self.choice_action = bar.addWidget(self.choice)
        self.accept_action = bar.addWidget(self.accept_button)
        self.progress_action = bar.addWidget(self.progress)
        self.cancel_action = bar.addWidget(self.cancel_button)
        self.cancel_action.setVisible(False)
        self.review_action = bar.addWidget(self.review_button)
        self.redline_action = bar.addWidget(self.redline_button)
        bar.addWidget(self.dismiss_button)
        window.addToolBarBreak(Qt.ToolBarArea.TopToolBarArea)
        window.addToolBar(Qt.ToolBarArea.TopToolBarArea, bar)
        bar.hide()
        self.bar = bar

        self.reattach_action = QAction("Re-attach Orphan &Here", window)
        self.reattach_action.setObjectName("reattach")
        self.reattach_action.triggered.connect(lambda _c=False: self.reattach_here())
        window.addAction(self.reattach_action)
        menu = next((m.menu() for m in window.menuBar().actions() if m.text() == "&Annotate"), None)
        if isinstance(menu, QMenu):
            menu.addSeparator()
            menu.addAction(self.reattach_action)

        from reviewer.ui.carry_walk import attach_carry_walk

        self.walk = attach_carry_walk(window, controller)
        window.documentOpened.connect(self.consider)
        if controller.document is not None:
            self.consider(controller.document)

    # the offer ---------------------------------------------------------------------------
    def consider(self, pdf: PdfDocument) -> bool:
        """Show the offer when ``pdf`` is new to this review and looks like a known one."""
        self.bar.hide()
        self._pdf = pdf
        if self._old_pdf is not None and not self.busy:
            self._old_pdf.close()  # the last carry's old version, kept for its redline
            self._old_pdf = None
        controller = self.controller
        if controller.document_id is None or self.busy:
            return False
        review = controller.review
        try:
            if review.store.query_annotations(controller.document_id):
                return False
            self._earlier = earlier_versions(review, pdf)
        except ReviewerError:
            return False
        if not self._earlier:
            return False
        self.choice.clear()
        for document in self._earlier:
            count = len(review.store.query_annotations(document["id"]))
            name = display_text(document["last_path"] or document["title"], max_length=80)
            self.choice.addItem(f"{name} ({count} annotations)", document["id"])
        first = display_text(self._earlier[0]["title"] or "an earlier document", max_length=80)
        versions = len(self._earlier)
        self.label.setText(
            f"This looks like a new version of \u201c{first}\u201d"
            + (f" ({versions} earlier versions)" if versions > 1 else "")
            + ". Carry its review here? "
        )
        self.choice_action.setVisible(True)
        self.accept_action.setVisible(True)
        self.accept_button.setEnabled(True)
        self.progress_action.setVisible(False)
        self.review_action.setVisible(False)
        self.redline_action.setVisible(False)
        self.dismiss_button.setText("Dismiss")
        self.bar.show()
        return True

    def dismiss(self) -> None:
        self.bar.hide()

    def accept(self) -> None:
        """Parse in the background (the window keeps working), then carry as one undo step."""
        if self.busy or self._pdf is None or not self._earlier:
            return
        self.busy = True
        self.accept_button.setEnabled(False)
        self.choice.setEnabled(False)
        self.progress_action.setVisible(True)
        self.cancel_action.setVisible(True)
        self.cancel_button.setEnabled(True)
        self._cancel.clear()
        self._step = None
        self._step_timer.start()
        self.label.setText("Carrying the review: reading the new version\u2026 ")
        old_id = str(self.choice.currentData() or self._earlier[0]["id"])
        pdf = self._pdf
        view = self.window.view
        if view.text_flow() is None:
            # the view's workers are still extracting text: wait for them, not MuPDF here
            def on_flow() -> None:
                view.flowReady.disconnect(on_flow)
                self._parse_then_carry(pdf, old_id)

            view.flowReady.connect(on_flow)
        else:
            self._parse_then_carry(pdf, old_id)

    def _parse_then_carry(self, pdf: PdfDocument, old_id: str) -> None:
        old_document = self.controller.review.store.document(old_id) or {}
        old_path = str(old_document.get("last_path") or "")
        self._old_pdf = None
        self._versions = None

        def heard(task: str, done: int, total: int) -> None:
            if self._cancel.is_set():
                raise progress.Cancelled("cancelled")
            self._step = (task, done, total)

        def work() -> None:
            with progress.reporting(heard):
                progress.report("reading the structure", 0, 0)
                structure_of(pdf)  # cached for carry_annotations
                # The old version's text, and the two aligned (here, off the main thread).
                self._old_pdf = _open_version(old_path, old_id)
                if self._old_pdf is not None:
                    self._old_pdf.flow()
                    progress.report("aligning the two versions", 0, 0)
                    self._versions = VersionMap(self._old_pdf.flow(), pdf.flow())
                progress.report("aligning the two versions", 1, 1)

        def prepared(outcome: object) -> None:
            if isinstance(outcome, progress.Cancelled) or self._cancel.is_set():
                self._cancelled()
            else:
                self._carry(pdf, old_id)

        in_background(self, work, prepared)

    def cancel(self) -> None:
        """Stop the carry at its next step; nothing has been written."""
        self._cancel.set()
        self.cancel_button.setEnabled(False)
        self.label.setText("Cancelling the carry\u2026 ")

    def _show_step(self) -> None:
        if self._step is None or self._cancel.is_set():
            return
        task, done, total = self._step
        self.label.setText(f"Carrying the review: {task}\u2026 ")
        if total > 0:
            self.progress.setRange(0, total)
            self.progress.setValue(done)
        else:
            self.progress.setRange(0, 0)

    def _finish_busy(self) -> None:
        self.busy = False
        self.choice.setEnabled(True)
        self._step_timer.stop()
        self.progress_action.setVisible(False)
        self.cancel_action.setVisible(False)
        self.progress.setRange(0, 0)

    def _cancelled(self) -> None:
        self._finish_busy()
        self.label.setText("Carry cancelled: nothing was changed. ")
        self.accept_button.setEnabled(True)
        self.controller.show_message("Carry cancelled: nothing was changed")

    def _carry(self, pdf: PdfDocument, old_id: str) -> None:
        controller = self.controller
        reports: list[CarryReport] = []

        old_pdf, versions = self._old_pdf, self._versions

        def run() -> Change | None:
            report = carry_annotations(controller.review, old_id, pdf, old_pdf, versions=versions)
            reports.append(report)
            return report.change

        from reviewer.ui.progress_dialog import work_progress

        self._step_timer.stop()
        self.cancel_action.setVisible(False)
        try:
            with work_progress(self.window, "Carrying the review"):
                controller.undo.run(run)
        except progress.Cancelled:
            self._cancelled()
            return
        except ReviewerError as exc:
            self.label.setText(f"The review could not be carried: {exc} ")
        else:
            self.report = reports[0] if reports else None
            if self.report is not None:
                self.label.setText(describe_counts(self.report) + ". Undo removes them. ")
                pending = sum(self.report.counts[k] for k in ("fuzzy", "changed", "orphan"))
                self.review_button.setText(f"Review Changes ({pending})")
                self.review_action.setVisible(pending > 0)
                self.redline_action.setVisible(self._old_pdf is not None)
                if pending:
                    self.walk.start()
        finally:
            if self.busy:
                self._finish_busy()
            self.accept_action.setVisible(False)
            self.choice_action.setVisible(False)
            self.dismiss_button.setText("Close")

    def open_walk(self) -> bool:
        return self.walk.start()

    def open_redline(self) -> bool:
        """Compare the two versions in a thread (the window keeps working), then write the
        article-by-article redline as HTML and open it in the browser."""
        old_pdf, new_pdf = self._old_pdf, self._pdf
        if old_pdf is None or new_pdf is None or self.busy:
            return False
        from reviewer.core.atomic import write_text_atomic
        from reviewer.core.redline import compare_versions, redline_html

        self.redline_button.setEnabled(False)
        self.controller.show_message("Comparing the two versions\u2026")

        def work() -> Path:
            page = redline_html(compare_versions(old_pdf, new_pdf))
            path = Path(tempfile.mkdtemp(prefix="reviewer-redline-")) / "redline.html"
            write_text_atomic(path, page)
            return path

        def finished(result: object) -> None:
            self.redline_button.setEnabled(True)
            if isinstance(result, BaseException):
                self.controller.show_message(f"The redline could not be made: {result}")
                return
            assert isinstance(result, Path)
            self.redline_path = result
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(result)))
            self.controller.show_message(f"Redline written to {result}")

        in_background(self, work, finished)
        return True

    # re-attaching ------------------------------------------------------------------------
    def reattach_here(self) -> bool:
        """Put the annotation selected in the panel on the text selected on the page."""
        controller = self.controller
        selection = controller.view.selection_range()
        annotation_id = controller.panel.current_annotation_id()
        if controller.document is None or not annotation_id:
            controller.show_message("Select an orphan in the panel first")
            return False
        if selection is None:
            controller.show_message("Select the passage on the page, then choose Re-attach")
            return False
        start, end = selection
        document = controller.document
        done = controller._run(  # noqa: SLF001 - its error reporting is what we want
            lambda: reattach_annotation(controller.review, document, annotation_id, start, end)
        )
        if done is None:
            return False
        controller.view.clear_selection()
        controller.show_message("Re-attached to the selected passage (Undo puts it back)")
        return True


def in_background(parent: QObject, work: Callable[[], object], finished: Callable[[object], None]) -> None:
    """Run ``work`` in a thread (the window keeps working) and hand its result, or the exception
    it raised, to ``finished`` on the main thread."""
    done: list[object] = []

    def run() -> None:
        try:
            done.append(work())
        except BaseException as exc:  # noqa: BLE001 - reported on the main thread
            done.append(exc)

    timer = QTimer(parent)
    timer.setInterval(30)

    def poll() -> None:
        if not done:
            return
        timer.stop()
        timer.deleteLater()
        finished(done[0])

    timer.timeout.connect(poll)
    threading.Thread(target=run, daemon=True).start()
    timer.start()


def _open_version(path: str, sha256: str) -> PdfDocument | None:
    """The old version's PDF with its text read, if ``path`` still holds those bytes."""
    if not path or not Path(path).is_file():
        return None
    try:
        pdf = open_pdf(path)
        if pdf.info().sha256 != sha256:
            pdf.close()
            return None
        pdf.flow()
    except (ReviewerError, OSError):
        return None
    return pdf


def attach_carry(window: MainWindow, controller: AnnotatingController) -> CarryOffer:
    offer = CarryOffer(window, controller)
    window.carry_offer = offer  # type: ignore[attr-defined]
    return offer
