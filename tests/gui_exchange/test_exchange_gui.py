"""File → Import reviews…, Export…, the Conflicts section and File → Report…, driven like a
reviewer would: through the window's actions and dialogs, with the file dialogs bypassed."""

from __future__ import annotations

import csv
import json
import sqlite3
import subprocess
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QFileDialog, QMessageBox

from reviewer.core.exchange.service import conflicts, export_document, import_file
from reviewer.core.pdf import open_pdf
from reviewer.core.review import Review
from reviewer.core.settings import Identity

ADA = Identity("11111111-1111-4111-8111-111111111111", "Ada Tester")
BEN = Identity("22222222-2222-4222-8222-222222222222", "Ben Reviewer")


def dump_db(path: Path) -> str:
    conn = sqlite3.connect(str(path))
    try:
        return "\n".join(conn.iterdump())
    finally:
        conn.close()


def live_annotation_ids(db: Path) -> set[str]:
    conn = sqlite3.connect(str(db))
    try:
        return {r[0] for r in conn.execute("SELECT id FROM annotations WHERE deleted = 0")}
    finally:
        conn.close()


@pytest.fixture
def captured_boxes(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every QMessageBox shown (its text), answered at once."""
    shown: list[str] = []

    def fake_exec(box: QMessageBox) -> int:
        shown.append(box.text())
        return int(QMessageBox.StandardButton.Ok.value)

    monkeypatch.setattr(QMessageBox, "exec", fake_exec)
    return shown


@pytest.fixture
def ben_file(tmp_path: Path, sample_pdf: Path) -> tuple[Path, list[str]]:
    """A review file exported from Ben's own database (another laptop)."""
    pdf = open_pdf(sample_pdf)
    ben = Review.open(tmp_path / "ben.sqlite3", BEN)
    ids = [
        ben.annotate_quote(pdf, "reliable safeguards", tags=["safeguard"], comment="Ben: fine").id,
        ben.annotate_quote(pdf, "promote and strengthen measures", comment="Ben: too broad").id,
    ]
    ben.reply(ids[1], "Ben's reply")
    out = tmp_path / "ben.review.json"
    export_document(ben, pdf, "review", out)
    ben.close()
    pdf.close()
    return out, ids


def open_window(qtbot, pdf: Path, db: Path):  # type: ignore[no-untyped-def]
    from reviewer.ui.app import create_main_window

    window = create_main_window(str(pdf), db_path=db, author=None, remember=False)
    qtbot.addWidget(window)
    window.resize(1200, 800)
    window.show()
    qtbot.waitExposed(window)
    window.activateWindow()
    qtbot.waitUntil(lambda: window.annotating.document_id is not None, timeout=30000)
    return window


def test_file_menu_has_import_export_report(qtbot, sample_pdf: Path, db_path: Path) -> None:
    window = open_window(qtbot, sample_pdf, db_path)
    file_menu = next(m.menu() for m in window.menuBar().actions() if m.text() == "&File")
    texts = [a.text() for a in file_menu.actions()]
    assert "Import &Reviews…" in texts and "&Export…" in texts and "&Report…" in texts
    assert texts.index("&Report…") < texts.index("&Quit")


def test_import_through_the_menu_is_one_undo_step(
    qtbot, sample_pdf: Path, db_path: Path, ben_file, monkeypatch: pytest.MonkeyPatch, captured_boxes
) -> None:
    path, ids = ben_file
    window = open_window(qtbot, sample_pdf, db_path)
    panel = window.annotating.panel
    assert panel.model.records == {}
    monkeypatch.setattr(QFileDialog, "getOpenFileNames", lambda *a, **k: ([str(path)], ""))
    window.exchange.import_action.trigger()
    assert set(panel.model.records) == set(ids)
    assert live_annotation_ids(db_path) == set(ids)
    summary = window.exchange.summary_dialog.text.toPlainText()
    assert "ben.review.json" in summary and "added 3" in summary and "conflicts 0" in summary
    assert "ANOTHER document" not in summary
    assert captured_boxes == []
    # the highlights are on the page too
    assert set(window.annotating._items) == set(ids)

    window.exchange.summary_dialog.close()  # as the reviewer does, then back to the page
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window, timeout=5000)
    window.view.setFocus()
    QTest.keyClick(window.view, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert live_annotation_ids(db_path) == set()
    assert panel.model.records == {}
    QTest.keyClick(
        window.view, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
    )
    assert live_annotation_ids(db_path) == set(ids)
    assert set(panel.model.records) == set(ids)
    assert window.annotating.undo.stack.count() == 1


def test_several_files_one_step_and_a_hostile_one_refused(
    qtbot, sample_pdf: Path, db_path: Path, ben_file, tmp_path: Path, captured_boxes
) -> None:
    path, ids = ben_file
    hostile = tmp_path / "evil.xfdf"
    hostile.write_text(
        '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;">]>'
        '<xfdf xmlns="http://ns.adobe.com/xfdf/"><annots><highlight page="0" rect="1,1,2,2">&b;'
        "</highlight></annots></xfdf>"
    )
    broken = tmp_path / "broken.review.json"
    broken.write_text('{"type": "AnnotationCollection", "first": ')
    window = open_window(qtbot, sample_pdf, db_path)
    outcome = window.exchange.import_paths([hostile, path, broken])
    assert [Path(p).name for p, _ in outcome.refused] == ["evil.xfdf", "broken.review.json"]
    assert len(captured_boxes) == 2
    assert "evil.xfdf" in captured_boxes[0] and "nothing of it was stored" in captured_boxes[0]
    assert "broken.review.json" in captured_boxes[1]
    assert live_annotation_ids(db_path) == set(ids)  # the good file still imported
    summary = window.exchange.summary_dialog.text.toPlainText()
    assert "evil.xfdf  REFUSED" in summary and "added 3" in summary


def test_hostile_file_alone_leaves_the_database_unchanged(
    qtbot, sample_pdf: Path, db_path: Path, tmp_path: Path, captured_boxes
) -> None:
    window = open_window(qtbot, sample_pdf, db_path)
    before = dump_db(db_path)
    deep = tmp_path / "deep.review.json"
    deep.write_text("[" * 5000 + "]" * 5000)
    window.exchange.import_paths([deep])
    assert len(captured_boxes) == 1 and "deep.review.json" in captured_boxes[0]
    assert dump_db(db_path) == before
    assert window.annotating.undo.stack.count() == 0


def test_review_of_another_document_is_said_clearly(
    qtbot, sample_pdf: Path, db_path: Path, tmp_path: Path, captured_boxes
) -> None:
    other_pdf = tmp_path / "other.pdf"
    import pymupdf  # the test builds a different document; app code uses reviewer.core.pdf

    doc = pymupdf.open()
    page = doc.new_page()
    page.insert_text((72, 72), "A different protocol on data retention.")
    doc.save(other_pdf)
    other = open_pdf(other_pdf)
    ben = Review.open(tmp_path / "ben.sqlite3", BEN)
    ben.annotate_quote(other, "data retention", comment="other doc")
    out = tmp_path / "other.review.json"
    export_document(ben, other, "review", out)
    ben.close()
    window = open_window(qtbot, sample_pdf, db_path)
    before = dump_db(db_path)
    window.exchange.import_paths([out])
    assert len(captured_boxes) == 1
    assert "another document" in captured_boxes[0] and "other.review.json" in captured_boxes[0]
    assert dump_db(db_path) == before


def test_export_writes_every_format(
    qtbot, sample_pdf: Path, db_path: Path, tmp_path: Path, captured_boxes
) -> None:
    from pypdf import PdfReader

    window = open_window(qtbot, sample_pdf, db_path)
    pdf = window.annotating.document
    review = window.annotating.review
    a = review.annotate_quote(pdf, "reliable safeguards", tags=["safeguard"], comment="Keep")
    b = review.annotate_quote(pdf, "promote and strengthen measures", comment="Too broad")
    window.annotating.panel.model.reload()
    exchange = window.exchange

    assert exchange.export_to("review", str(tmp_path / "x.review.json")) == 2
    data = json.loads((tmp_path / "x.review.json").read_text())
    assert data["type"] == "AnnotationCollection" and a.id in json.dumps(data)
    assert exchange.export_to("xfdf", str(tmp_path / "x.xfdf")) == 2
    xfdf = (tmp_path / "x.xfdf").read_text()
    assert "<highlight" in xfdf and a.id.removeprefix("urn:uuid:") in xfdf and "Keep" in xfdf
    assert exchange.export_to("pdf", str(tmp_path / "x.pdf")) == 2
    highlights = [
        annot.get_object()
        for p in PdfReader(str(tmp_path / "x.pdf")).pages
        for annot in (p.get("/Annots") or [])
        if annot.get_object().get("/Subtype") == "/Highlight"
    ]
    assert len(highlights) == 2
    assert exchange.export_to("csv", str(tmp_path / "x.csv")) == 2
    rows = list(csv.DictReader((tmp_path / "x.csv").open(encoding="utf-8-sig")))
    assert {r["comment"] for r in rows} == {"Keep", "Too broad"}

    # the panel's filter (tag) offered in the dialog and applied
    window.annotating.panel.set_tag_filter(["safeguard"])
    dialog = exchange.open_export_dialog()
    assert "safeguard" in dialog.filtered_box.text() and dialog.filtered_box.isEnabled()
    dialog.format_combo.setCurrentIndex(3)  # CSV
    assert dialog.path_edit.text().endswith("treaty.csv")
    dialog.path_edit.setText(str(tmp_path / "filtered.csv"))
    dialog.filtered_box.setChecked(True)
    dialog.accept()
    rows = list(csv.DictReader((tmp_path / "filtered.csv").open(encoding="utf-8-sig")))
    assert [r["comment"] for r in rows] == ["Keep"]
    assert b.id  # created, and filtered out above

    # never over the open PDF, whatever the format
    original = Path(pdf.path).read_bytes()
    for fmt in ("pdf", "csv"):
        assert exchange.export_to(fmt, pdf.path) is None
    assert Path(pdf.path).read_bytes() == original
    assert len(captured_boxes) == 2 and "open PDF" in captured_boxes[0]


def test_filter_panel_by_reviewer(qtbot, sample_pdf: Path, db_path: Path, ben_file, captured_boxes) -> None:
    path, ben_ids = ben_file
    window = open_window(qtbot, sample_pdf, db_path)
    review = window.annotating.review
    mine = review.annotate_quote(window.annotating.document, "information system", occurrence=1).id
    window.annotating.panel.model.reload()  # made through the core, not the window
    window.exchange.import_paths([path])
    panel = window.annotating.panel
    assert set(panel.model.visible_ids) == {mine, *ben_ids}
    names = [panel.author_combo.itemText(i) for i in range(panel.author_combo.count())]
    assert "Ben Reviewer" in names and "Ada Tester" in names
    panel.set_author_filter("Ben Reviewer")
    assert set(panel.model.visible_ids) == set(ben_ids)
    panel.set_author_filter("Ada Tester")
    assert panel.model.visible_ids == [mine]
    panel.set_author_filter("")
    assert len(panel.model.visible_ids) == 3


@pytest.fixture
def conflicting(tmp_path: Path, sample_pdf: Path, db_path: Path):  # type: ignore[no-untyped-def]
    """Ada (the window's database) and Ben edit the same comment differently; Ben's file."""
    pdf = open_pdf(sample_pdf)
    ada = Review.open(db_path, ADA)
    a = ada.annotate_quote(pdf, "reliable safeguards", comment="Original", tags=["safeguard"])
    base = tmp_path / "base.review.json"
    export_document(ada, pdf, "review", base)
    ben = Review.open(tmp_path / "ben.sqlite3", BEN)
    import_file(ben, str(base), pdf_path=str(sample_pdf))
    ada.edit(a.id, comment="Ada's reading")
    ben.edit(a.id, comment="Ben's reading")
    ben_file = tmp_path / "ben-edit.review.json"
    export_document(ben, pdf, "review", ben_file)
    ben.close()
    ada.close()
    pdf.close()
    return a.id, ben_file


def comment_in_db(db: Path, annotation_id: str) -> str:
    conn = sqlite3.connect(str(db))
    try:
        return str(
            conn.execute("SELECT comment FROM annotations WHERE id = ?", [annotation_id]).fetchone()[0]
        )
    finally:
        conn.close()


def test_conflict_shows_and_resolving_it_is_undoable(
    qtbot, sample_pdf: Path, db_path: Path, conflicting, captured_boxes
) -> None:
    item_id, ben_file = conflicting
    window = open_window(qtbot, sample_pdf, db_path)
    banner = window.exchange.conflicts
    assert not banner.isVisible()
    outcome = window.exchange.import_paths([ben_file])
    assert outcome.results[0].conflicts == [item_id]
    assert banner.isVisible() and banner.label.text().startswith("Conflicts (1)")
    assert "conflicts 1" in window.exchange.summary_dialog.text.toPlainText()
    winner = comment_in_db(db_path, item_id)
    loser = ({"Ada's reading", "Ben's reading"} - {winner}).pop()

    dialog = banner.open_dialog()
    assert dialog.list.count() == 1
    assert winner in dialog.current_text.toPlainText() and loser in dialog.other_text.toPlainText()
    dialog.keep_other.click()  # keep the version that lost the merge
    assert comment_in_db(db_path, item_id) == loser
    assert not banner.isVisible()
    review = window.annotating.review
    assert conflicts(review, window.annotating.document_id) == []
    assert window.annotating.panel.model.records[item_id].comment == loser

    window.annotating.undo.undo()
    assert comment_in_db(db_path, item_id) == winner
    assert len(conflicts(review, window.annotating.document_id)) == 1
    assert banner.isVisible()
    window.annotating.undo.redo()
    assert comment_in_db(db_path, item_id) == loser
    assert conflicts(review, window.annotating.document_id) == []
    # undoing the import too brings back the comment from before it
    window.annotating.undo.undo()
    window.annotating.undo.undo()
    assert comment_in_db(db_path, item_id) == "Ada's reading"
    assert not banner.isVisible()


def test_report_dialog_writes_a_pdf_in_the_background(
    qtbot, sample_pdf: Path, db_path: Path, tmp_path: Path, captured_boxes
) -> None:
    window = open_window(qtbot, sample_pdf, db_path)
    review = window.annotating.review
    pdf = window.annotating.document
    review.annotate_quote(pdf, "reliable safeguards", tags=["safeguard"], comment="Łódź ok")
    review.annotate_quote(pdf, "promote and strengthen measures", comment="Too broad")
    window.annotating.panel.model.reload()
    dialog = window.exchange.open_report_dialog()
    preview = dialog.preview.toPlainText()
    assert "2 annotations" in preview and "reliable safeguards" in preview
    dialog.title_edit.setText("Committee brief")
    dialog.update_preview()
    assert dialog.preview.toPlainText().startswith("Committee brief")
    out = tmp_path / "brief.pdf"
    dialog.path_edit.setText(str(out))
    seen: list[int] = []
    worker = dialog.generate()
    assert worker is not None
    worker.progress.connect(lambda percent, _what: seen.append(percent))
    with qtbot.waitSignal(worker.finished, timeout=60000):
        pass
    qtbot.waitUntil(lambda: dialog.last_output is not None or dialog.last_error is not None, timeout=5000)
    assert dialog.last_error is None and captured_boxes == []
    assert dialog.progress.value() == 100
    assert Path(dialog.last_output or "") == out
    text = subprocess.run(["pdftotext", str(out), "-"], capture_output=True, text=True, check=True).stdout
    assert "reliable safeguards" in text and "Committee brief" in text


def test_report_error_is_shown_in_a_dialog(
    qtbot, sample_pdf: Path, db_path: Path, tmp_path: Path, captured_boxes
) -> None:
    window = open_window(qtbot, sample_pdf, db_path)
    dialog = window.exchange.open_report_dialog()
    dialog.path_edit.setText(str(tmp_path / "report.txt"))
    assert dialog.generate() is None
    assert len(captured_boxes) == 1 and ".pdf, .html, .md or .docx" in captured_boxes[0]
    dialog.path_edit.setText(window.annotating.document.path)
    assert dialog.generate() is None
    assert "over the open PDF" in captured_boxes[1]
