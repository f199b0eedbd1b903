"""Carrying a review to a new version in the window; orphans listed; re-attach; fuzzy marks."""

from __future__ import annotations

from pathlib import Path

from reviewer.core.pdf import open_pdf
from reviewer.core.review import Review
from reviewer.core.settings import Identity
from reviewer.core.textflow import find_all
from tests.gui_safety.treaty_versions import DELETED_PASSAGE, TreatyVersions

ADA = Identity("11111111-1111-4111-8111-111111111111", "Ada Tester")
KEPT = (
    "Each State Party shall adopt such legislative and other measures",
    "the widest measure of mutual legal assistance",
)


def annotate_v1(db: Path, v1: Path) -> list[str]:
    review = Review.open(db, ADA)
    ids = []
    try:
        with open_pdf(v1) as document:
            flow = document.flow()
            for passage in (*KEPT, DELETED_PASSAGE):
                match = find_all(flow, passage)[0]
                start, end = match.start, match.end
                ids.append(review.annotate_range(document, start, end, comment=passage[:12]).id)
    finally:
        review.close()
    return ids


def open_window(qtbot, pdf: Path, db: Path):  # type: ignore[no-untyped-def]
    from reviewer.ui.app import create_main_window

    window = create_main_window(str(pdf), db_path=db, remember=False)
    qtbot.addWidget(window)
    window.resize(1300, 860)
    window.show()
    qtbot.waitExposed(window)
    return window


def test_carry_offer_accept_orphans_undo_and_reattach(
    qtbot, dialogs, db_path: Path, treaty_versions: TreatyVersions, tmp_path: Path
) -> None:
    v1 = tmp_path / "treaty-draft.pdf"
    v2 = tmp_path / "treaty-adopted.pdf"
    v1.write_bytes(treaty_versions.v1.read_bytes())
    v2.write_bytes(treaty_versions.v2.read_bytes())
    annotate_v1(db_path, v1)
    window = open_window(qtbot, v2, db_path)
    offer = window.carry_offer
    controller = window.annotating
    assert offer.bar.isVisible()
    assert "This looks like a new version of" in offer.label.text()
    assert "treaty-draft.pdf (3 annotations)" in offer.choice.itemText(0)

    offer.accept_button.click()
    qtbot.waitUntil(lambda: offer.report is not None, timeout=30000)
    assert offer.report is not None
    assert offer.report.counts["orphan"] == 1
    assert offer.report.counts["exact"] == 1  # unchanged passage
    assert offer.report.counts["fuzzy"] == 1  # "the widest possible measure" in v2
    assert "Carried 3 annotations:" in offer.label.text() and "1 orphan" in offer.label.text()

    review = controller.review
    rows = review.store.query_annotations(controller.document_id)
    assert len(rows) == 3 and all(r["origin_id"] for r in rows)
    placed = [r for r in rows if r["anchor"] != "orphan"]
    assert all(r["citation"] and r["citation"].startswith("Art. ") for r in placed)
    # the panel: an "Orphans" section listing the deleted passage's quote
    model = controller.panel.model
    texts = [str(model.data(model.index(row, 0))) for row in range(model.rowCount())]
    orphans_at = next(i for i, t in enumerate(texts) if t.startswith("Orphans"))
    assert DELETED_PASSAGE in texts[orphans_at + 1]
    assert "(orphan)" in texts[orphans_at + 1]
    fuzzy = [t for t in texts if "widest" in t]
    assert len(fuzzy) == 1 and "(fuzzy 0." in fuzzy[0], fuzzy  # marked with its score

    # one undo step removes the whole carry
    controller.undo.undo()
    assert review.store.query_annotations(controller.document_id) == []
    controller.undo.redo()
    assert len(review.store.query_annotations(controller.document_id)) == 3

    # re-attach the orphan to a selection: exact at the new place, undoable
    orphan = next(
        r for r in review.store.query_annotations(controller.document_id) if r["anchor"] == "orphan"
    )
    flow = window.view.text_flow()
    assert flow is not None
    match = find_all(flow, "serious hindering without right")[0]
    start, end = match.start, match.end
    assert controller.panel.select_annotation(orphan["id"])
    window.view.select_range(start, end)
    assert offer.reattach_action.isEnabled()
    offer.reattach_action.trigger()
    row = review.store.annotation_row(orphan["id"])
    assert row["anchor"] == "exact" and row["text_start"] == start
    assert row["quote"] == "serious hindering without right"
    assert row["citation"] == "Art. 7"
    controller.undo.undo()
    assert review.store.annotation_row(orphan["id"])["anchor"] == "orphan"
    window.annotating.close()


def test_no_offer_for_an_unrelated_document(
    qtbot, dialogs, db_path: Path, treaty_versions: TreatyVersions, sample_pdf: Path, tmp_path: Path
) -> None:
    v1 = tmp_path / "treaty-draft.pdf"
    v1.write_bytes(treaty_versions.v1.read_bytes())
    annotate_v1(db_path, v1)
    window = open_window(qtbot, v1, db_path)  # the annotated document itself
    assert not window.carry_offer.bar.isVisible()
    window.annotating.close()


def test_cancel_while_the_versions_are_read_writes_nothing(
    qtbot, dialogs, db_path: Path, treaty_versions: TreatyVersions, tmp_path: Path, monkeypatch
) -> None:
    import threading

    import reviewer.ui.carry_actions as carry_actions

    v1 = tmp_path / "treaty-draft.pdf"
    v2 = tmp_path / "treaty-adopted.pdf"
    v1.write_bytes(treaty_versions.v1.read_bytes())
    v2.write_bytes(treaty_versions.v2.read_bytes())
    annotate_v1(db_path, v1)
    clicked = threading.Event()
    real_structure_of = carry_actions.structure_of

    def slow_structure_of(pdf):  # type: ignore[no-untyped-def]
        clicked.wait(20)  # the reviewer presses Cancel while this runs
        return real_structure_of(pdf)

    monkeypatch.setattr(carry_actions, "structure_of", slow_structure_of)
    window = open_window(qtbot, v2, db_path)
    offer = window.carry_offer
    controller = window.annotating
    offer.accept_button.click()
    assert offer.cancel_action.isVisible() and offer.cancel_button.isEnabled()
    assert offer.label.text().startswith("Carrying the review")
    offer.cancel_button.click()
    clicked.set()
    qtbot.waitUntil(lambda: not offer.busy, timeout=30000)
    assert offer.label.text() == "Carry cancelled: nothing was changed. "
    assert not offer.cancel_action.isVisible()
    assert controller.review.store.query_annotations(controller.document_id) == []
    assert controller.undo.stack.count() == 0
    # the offer stands: carrying again works
    monkeypatch.setattr(carry_actions, "structure_of", real_structure_of)
    assert offer.accept_button.isEnabled()
    offer.accept_button.click()
    qtbot.waitUntil(lambda: offer.report is not None, timeout=30000)
    assert len(controller.review.store.query_annotations(controller.document_id)) == 3
    window.annotating.close()


def test_cancel_in_the_copy_dialog_writes_nothing(
    qtbot, dialogs, db_path: Path, treaty_versions: TreatyVersions, tmp_path: Path, monkeypatch
) -> None:
    from PySide6.QtWidgets import QProgressDialog

    v1 = tmp_path / "treaty-draft.pdf"
    v2 = tmp_path / "treaty-adopted.pdf"
    v1.write_bytes(treaty_versions.v1.read_bytes())
    v2.write_bytes(treaty_versions.v2.read_bytes())
    annotate_v1(db_path, v1)
    window = open_window(qtbot, v2, db_path)
    offer = window.carry_offer
    controller = window.annotating
    asked: list[str] = []

    def cancelled(dialog: QProgressDialog) -> bool:
        asked.append(dialog.labelText())
        return True  # as if Cancel was pressed in the dialog

    monkeypatch.setattr(QProgressDialog, "wasCanceled", cancelled)
    offer.accept_button.click()
    qtbot.waitUntil(lambda: not offer.busy, timeout=30000)
    assert asked, "the copy never asked the progress dialog"
    assert offer.label.text() == "Carry cancelled: nothing was changed. "
    assert offer.report is None
    assert controller.review.store.query_annotations(controller.document_id) == []
    assert controller.review.store.carry_outcomes(controller.document_id) == []
    assert controller.undo.stack.count() == 0
    window.annotating.close()
