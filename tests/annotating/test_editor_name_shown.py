"""The panel, its tooltip and the editor header name who made the version shown, next to the
annotation's author."""

from __future__ import annotations

from reviewer.core.pdf import open_pdf
from reviewer.core.review import Review
from reviewer.core.settings import Identity
from reviewer.ui.panel import hover_text
from tests.annotating.gui_helpers import open_window

ADA = Identity("11111111-1111-4111-8111-111111111111", "Ada Tester")
BEN = Identity("22222222-2222-4222-8222-222222222222", "Ben Reviewer")


def test_panel_and_editor_name_the_editor(qtbot, sample_pdf, db_path) -> None:  # type: ignore[no-untyped-def]
    pdf = open_pdf(sample_pdf)
    ada = Review.open(db_path, ADA)
    a = ada.annotate_quote(pdf, "reliable safeguards", comment="Ada wrote this")
    ada.close()
    ben = Review.open(db_path, BEN)
    ben.edit(a.id, comment="Ben changed it")
    ben.close()
    pdf.close()

    window = open_window(qtbot, sample_pdf, db_path)
    panel = window.annotating.panel
    qtbot.waitUntil(lambda: panel.select_annotation(a.id), timeout=10000)
    editor = panel.editor
    qtbot.waitUntil(lambda: "edited by" in editor.meta_label.text(), timeout=5000)
    assert editor.meta_label.text().startswith("Ada Tester")
    assert "edited by Ben Reviewer" in editor.meta_label.text()
    record = panel.model.records[a.id]
    assert record.editor_name == "Ben Reviewer" and record.author_name == "Ada Tester"
    assert "Ada Tester, edited by Ben Reviewer" in hover_text(record)
