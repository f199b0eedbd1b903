"""Imports and exports in the window show progress with Cancel (issue 15); a cancelled import
leaves the database as it was, a cancelled export writes nothing."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QProgressDialog

from reviewer.ui import progress_dialog
from tests.exchange.helpers import annotate_sample, open_review
from tests.gui_exchange.test_exchange_gui import captured_boxes, dump_db, open_window  # noqa: F401


def _cancel_when_shown(seen: list[str]) -> QTimer:
    """Press Cancel on the progress dialog as soon as it is on screen."""

    def press() -> None:
        for widget in QApplication.topLevelWidgets():
            if isinstance(widget, QProgressDialog) and widget.isVisible() and not widget.wasCanceled():
                seen.append(widget.labelText())
                widget.cancel()

    timer = QTimer()
    timer.setInterval(0)
    timer.timeout.connect(press)
    timer.start()
    return timer


@pytest.fixture
def xfdf(tmp_path: Path, sample_pdf: Path) -> Path:
    from reviewer.core.exchange.service import export_document
    from reviewer.core.pdf import open_pdf

    other = open_review(tmp_path / "other.sqlite3")
    with open_pdf(sample_pdf) as pdf:
        annotate_sample(other, pdf)
        export_document(other, pdf, "xfdf", tmp_path / "other.xfdf")
    other.close()
    return tmp_path / "other.xfdf"


def test_cancelled_import_leaves_the_database_unchanged(
    qtbot,
    sample_pdf: Path,
    db_path: Path,
    xfdf: Path,
    monkeypatch: pytest.MonkeyPatch,
    captured_boxes,  # noqa: F811
) -> None:
    monkeypatch.setattr(progress_dialog, "SHOW_AFTER_MS", 0)
    window = open_window(qtbot, sample_pdf, db_path)
    before = dump_db(db_path)
    seen: list[str] = []
    timer = _cancel_when_shown(seen)
    outcome = window.exchange.import_paths([xfdf])
    timer.stop()
    assert seen and seen[0].endswith("…")
    assert outcome.results == []
    assert outcome.refused == [(str(xfdf), f"{xfdf}: import cancelled")]
    assert any("import cancelled" in text for text in captured_boxes)
    assert dump_db(db_path) == before
    assert window.annotating.panel.model.records == {}
    # Not cancelled, the same import goes through and the dialog is gone.
    outcome = window.exchange.import_paths([xfdf])
    assert len(outcome.results) == 1 and outcome.results[0].summary()["added"] == 6
    assert not any(isinstance(w, QProgressDialog) and w.isVisible() for w in QApplication.topLevelWidgets())


def test_cancelled_export_writes_nothing(
    qtbot, sample_pdf: Path, db_path: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setattr(progress_dialog, "SHOW_AFTER_MS", 0)
    window = open_window(qtbot, sample_pdf, db_path)
    window.annotating.review.annotate_quote(window.annotating.document, "reliable safeguards")
    seen: list[str] = []
    timer = _cancel_when_shown(seen)
    target = tmp_path / "out.xfdf"
    assert window.exchange.export_to("xfdf", str(target)) is None
    timer.stop()
    assert seen and not target.exists()
    assert "Export cancelled" in window.statusBar().currentMessage()
    assert window.exchange.export_to("xfdf", str(target)) == 1 and target.exists()


def test_cancelled_report_writes_nothing(
    qtbot,
    sample_pdf: Path,
    db_path: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    captured_boxes,  # noqa: F811
) -> None:
    from reviewer.ui.report_dialog import ReportWorker

    window = open_window(qtbot, sample_pdf, db_path)
    review, pdf = window.annotating.review, window.annotating.document
    review.annotate_quote(pdf, "reliable safeguards", comment="fine")
    dialog = window.exchange.open_report_dialog()
    out = tmp_path / "brief.pdf"
    dialog.path_edit.setText(str(out))
    start = ReportWorker.start

    def start_after_cancel(worker: ReportWorker) -> None:  # Cancel pressed before its first step
        assert dialog.cancel_button.isEnabled()
        dialog.cancel_button.click()
        start(worker)

    monkeypatch.setattr(ReportWorker, "start", start_after_cancel)
    worker = dialog.generate()
    assert worker is not None
    monkeypatch.setattr(ReportWorker, "start", start)
    with qtbot.waitSignal(worker.finished, timeout=60000):
        pass
    qtbot.waitUntil(lambda: "Cancelled" in dialog.status.text(), timeout=5000)
    assert dialog.status.text() == "Cancelled: no report was written."
    assert not out.exists() and list(tmp_path.glob("brief*")) == []
    assert captured_boxes == [] and dialog.last_error is None
    qtbot.waitUntil(lambda: not dialog.cancel_button.isEnabled(), timeout=5000)
    worker = dialog.generate()  # not cancelled: written
    with qtbot.waitSignal(worker.finished, timeout=60000):
        pass
    qtbot.waitUntil(lambda: dialog.last_output is not None, timeout=5000)
    assert out.exists()
