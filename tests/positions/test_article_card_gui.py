"""The article card in the window: set a position from the card, mark the article reviewed
with M; the outline's mark and the status bar follow, and undo takes both back."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from tests.annotating.gui_helpers import open_window

PROPOSAL = "La République déclare que 第十二条 s’applique sous contrôle judiciaire."


def _article_item(window, number: int):  # type: ignore[no-untyped-def]
    view = window.article_coverage
    return next(item for item in view._items() if view.article_of_item(item) == number)


def test_position_and_reviewed_mark_from_the_card_and_undo(qtbot, sample_pdf: Path, db_path: Path) -> None:
    window = open_window(qtbot, sample_pdf, db_path)
    view = window.article_coverage
    qtbot.waitUntil(lambda: view.coverage is not None and view.outline_mark(12) != "", timeout=30000)
    assert view.outline_mark(12).startswith("○ ")  # not started
    assert view.status.text() == "0 of 26 articles reviewed"

    item = _article_item(window, 12)
    window.outline.setCurrentItem(item)
    window.outline.itemClicked.emit(item, 0)
    card = view.card
    assert card.isEnabled() and card.heading.text() == "Art. 12 — Conditions and safeguards"
    card.stance.setCurrentText("reservation")
    card.rationale.setPlainText("No independent oversight")
    card.proposal.setPlainText(PROPOSAL)
    qtbot.mouseClick(card.set_button, Qt.MouseButton.LeftButton)
    review = window.annotating.review  # type: ignore[attr-defined]
    (position,) = review.store.position_rows(review.store.documents()[0]["id"])
    assert (position["stance"], position["comment"], position["proposal"]) == (
        "reservation",
        "No independent oversight",
        PROPOSAL,
    )
    assert view.outline_mark(12).startswith("◐ ")  # annotated: a position, not yet reviewed

    window.outline.setFocus()
    QTest.keyClick(window.outline, Qt.Key.Key_M)
    qtbot.waitUntil(lambda: view.outline_mark(12).startswith("● "), timeout=5000)
    assert view.status.text() == "1 of 26 articles reviewed"
    assert card.reviewed_button.text() == "Mark not reviewed (M)"

    undo = window.annotating.undo  # type: ignore[attr-defined]
    undo.undo()
    assert view.outline_mark(12).startswith("◐ ") and view.status.text() == "0 of 26 articles reviewed"
    undo.undo()
    assert view.outline_mark(12).startswith("○ ")
    assert review.store.position_rows(review.store.documents()[0]["id"]) == []
    undo.redo()
    undo.redo()
    assert view.outline_mark(12).startswith("● ")


def test_my_articles_filter_and_assignee_in_the_outline(qtbot, sample_pdf: Path, db_path: Path) -> None:
    from reviewer.core.pdf import open_pdf
    from reviewer.core.positions import assign

    window = open_window(qtbot, sample_pdf, db_path)
    view = window.article_coverage
    qtbot.waitUntil(lambda: view.coverage is not None and view.outline_mark(3) != "", timeout=30000)
    review = window.annotating.review  # type: ignore[attr-defined]
    me = review.identity.name
    undo = window.annotating.undo  # type: ignore[attr-defined]
    undo.run(lambda: assign(review, open_pdf(sample_pdf), "3,12", me))
    undo.run(lambda: assign(review, open_pdf(sample_pdf), "4", "Ben Reviewer"))
    assert view.outline_mark(3).endswith(f" · {me.split()[0]}") and view.outline_mark(4).endswith(" · Ben")
    assert "assigned to Ben Reviewer" in _article_item(window, 4).toolTip(0)
    view.mine.setChecked(True)
    hidden = {n: _article_item(window, n).isHidden() for n in (3, 4, 5, 12)}
    assert hidden == {3: False, 4: True, 5: True, 12: False}
    view.mine.setChecked(False)
    assert not _article_item(window, 4).isHidden()


def test_file_report_offers_the_memorandum_with_a_preview(qtbot, sample_pdf: Path, db_path: Path) -> None:
    from reviewer.core.pdf import open_pdf
    from reviewer.core.positions import set_position
    from reviewer.ui.report_dialog import ReportDialog

    window = open_window(qtbot, sample_pdf, db_path)
    review = window.annotating.review  # type: ignore[attr-defined]
    window.annotating.undo.run(  # type: ignore[attr-defined]
        lambda: set_position(review, open_pdf(sample_pdf), 12, "reservation", "No judge", PROPOSAL)
    )
    dialog = ReportDialog(window.annotating, window)  # type: ignore[attr-defined]
    qtbot.addWidget(dialog)
    out = sample_pdf.with_name("memo.md")
    dialog.path_edit.setText(str(out))
    dialog.template_combo.setCurrentIndex(dialog.template_combo.findData("memorandum"))
    assert not dialog.group_combo.isEnabled() and not dialog.tag_list.isEnabled()
    dialog.recommendation_edit.setText("Ratify with one reservation.")
    dialog.update_preview()
    preview = dialog.preview.toPlainText()
    assert "Executive summary" in preview and "Ratify with one reservation." in preview
    assert f"> {PROPOSAL}" in preview
    worker = dialog.generate()
    assert worker is not None
    qtbot.waitUntil(lambda: dialog.last_output is not None or dialog.last_error is not None, timeout=30000)
    assert dialog.last_error is None and dialog.last_output == str(out)
    text = out.read_text("utf-8")
    assert "## Annex A — Proposed reservations and declarations" in text and f"> {PROPOSAL}" in text


def test_choosing_an_annotation_in_the_panel_brings_its_article_card(
    qtbot, sample_pdf: Path, db_path: Path
) -> None:
    window = open_window(qtbot, sample_pdf, db_path)
    view = window.article_coverage
    qtbot.waitUntil(lambda: view.coverage is not None, timeout=30000)
    review = window.annotating.review  # type: ignore[attr-defined]
    from reviewer.core.pdf import open_pdf

    annotation = review.annotate_quote(open_pdf(sample_pdf), "traffic data in real time")
    window.annotating.panel.currentAnnotationChanged.emit(annotation.id)  # type: ignore[attr-defined]
    assert view.current == 16 and view.card.heading.text() == "Art. 16 — Real-time collection of traffic data"
