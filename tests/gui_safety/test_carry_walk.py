"""After a carry in the window: the walk through fuzzy, changed and orphan annotations (J/K),
old and new wording side by side with the differences marked, Confirm and Re-attach as one
undo step each, and the redline of the two versions from the carry bar (issue 14)."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QDesktopServices

from reviewer.core.pdf import open_pdf
from reviewer.core.review import Review
from reviewer.core.sample_treaty import (
    SAMPLE_TREATY,
    build_treaty_pdf,
    reworded,
    with_article_inserted,
    with_version_note,
    without_paragraph,
)
from reviewer.core.settings import Identity
from reviewer.core.textflow import find_all
from tests.gui_safety.treaty_versions import DELETED_PASSAGE, INSERTED, WIDEST

ADA = Identity("11111111-1111-4111-8111-111111111111", "Ada Tester")
NINETY = "up to a maximum of ninety days"  # "sixty days" in v2: a changed duration
KEPT = "the right to an effective remedy"


@pytest.fixture(scope="module")
def versions(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    folder = tmp_path_factory.mktemp("walk")
    v2 = without_paragraph(SAMPLE_TREATY, 19, 2)
    v2 = with_article_inserted(v2, 1, 1, INSERTED)
    v2 = reworded(v2, WIDEST, WIDEST.replace("widest", "widest possible"))
    v2 = reworded(v2, NINETY, NINETY.replace("ninety", "sixty"))
    v2 = with_version_note(v2, "Adopted text, version 2")
    build_treaty_pdf(SAMPLE_TREATY, folder / "treaty-draft.pdf")
    build_treaty_pdf(v2, folder / "treaty-adopted.pdf")
    return folder / "treaty-draft.pdf", folder / "treaty-adopted.pdf"


def carried_window(qtbot, db: Path, versions: tuple[Path, Path], tmp_path: Path):  # type: ignore[no-untyped-def]
    from reviewer.ui.app import create_main_window

    v1, v2 = tmp_path / "treaty-draft.pdf", tmp_path / "treaty-adopted.pdf"
    v1.write_bytes(versions[0].read_bytes())
    v2.write_bytes(versions[1].read_bytes())
    review = Review.open(db, ADA)
    try:
        with open_pdf(v1) as document:
            for passage in (KEPT, NINETY, WIDEST, DELETED_PASSAGE):
                match = find_all(document.flow(), passage)[0]
                review.annotate_range(document, match.start, match.end, comment=passage[:12])
    finally:
        review.close()
    window = create_main_window(str(v2), db_path=db, remember=False)
    qtbot.addWidget(window)
    window.resize(1400, 950)
    window.show()
    qtbot.waitExposed(window)
    offer = window.carry_offer
    assert offer.bar.isVisible()
    offer.accept_button.click()
    qtbot.waitUntil(lambda: offer.report is not None, timeout=30000)
    return window


def coloured_pixels(widget, rgb: tuple[int, int, int], tolerance: int = 30) -> int:  # type: ignore[no-untyped-def]
    image = widget.grab().toImage()
    count = 0
    for y in range(0, image.height(), 2):
        for x in range(0, image.width(), 2):
            colour = image.pixelColor(x, y)
            if all(
                abs(a - b) <= tolerance
                for a, b in zip((colour.red(), colour.green(), colour.blue()), rgb, strict=True)
            ):
                count += 1
    return count


def test_the_walk_shows_each_change_side_by_side_and_steps_with_j_and_k(
    qtbot, dialogs, db_path: Path, versions: tuple[Path, Path], tmp_path: Path
) -> None:
    window = carried_window(qtbot, db_path, versions, tmp_path)
    offer, walk = window.carry_offer, window.carry_walk
    assert offer.report.counts == {"exact": 1, "fuzzy": 1, "changed": 1, "orphan": 1, "already-carried": 0}
    assert "1 changed" in offer.label.text()
    assert offer.review_button.text() == "Review Changes (3)" and offer.review_action.isVisible()
    assert walk.isVisible() and len(walk.items) == 3
    assert walk.heading.text() == "1 of 3: changed (number)  \u00b7  Art. 13(2) \u2192 Art. 14(2)"
    assert "ninety" in walk.old_view.toPlainText() and "sixty" not in walk.old_view.toPlainText()
    assert "sixty" in walk.new_view.toPlainText() and "ninety" not in walk.new_view.toPlainText()
    # Seen, not just present: the deleted word on a pink ground, the inserted on a green one.
    assert coloured_pixels(walk.old_view.viewport(), (0xFD, 0xE7, 0xEA), 6) > 20
    assert coloured_pixels(walk.new_view.viewport(), (0xE3, 0xF6, 0xE8), 6) > 20
    assert coloured_pixels(walk.old_view.viewport(), (0xE3, 0xF6, 0xE8), 6) == 0
    # The annotation is selected in the panel, and marked "changed" there.
    controller = window.annotating
    assert controller.panel.current_annotation_id() == walk.items[0]["annotation_id"]
    model = controller.panel.model
    texts = [str(model.data(model.index(row, 0))) for row in range(model.rowCount())]
    assert any("(changed)" in t and "sixty days" in t for t in texts), texts

    window.view.setFocus()
    qtbot.keyClick(window.view, Qt.Key.Key_J)
    assert walk.heading.text().startswith("2 of 3: fuzzy 0.")
    assert "Art. 20(1) \u2192 Art. 21(1)" in walk.heading.text()
    assert "possible" in walk.new_view.toPlainText() and "possible" not in walk.old_view.toPlainText()
    qtbot.keyClick(window.view, Qt.Key.Key_J)
    assert walk.heading.text().startswith("3 of 3: orphan")
    assert DELETED_PASSAGE in walk.old_view.toPlainText()
    assert not walk.confirm_button.isEnabled()
    qtbot.keyClick(window.view, Qt.Key.Key_K)
    qtbot.keyClick(window.view, Qt.Key.Key_K)
    assert walk.heading.text().startswith("1 of 3: changed")
    window.annotating.close()


def test_confirm_and_reattach_from_the_walk_are_one_undo_step_each(
    qtbot, dialogs, db_path: Path, versions: tuple[Path, Path], tmp_path: Path
) -> None:
    window = carried_window(qtbot, db_path, versions, tmp_path)
    walk, controller = window.carry_walk, window.annotating
    review = controller.review
    changed_id = walk.items[0]["annotation_id"]
    walk.confirm_button.click()
    row = review.store.annotation_row(changed_id)
    assert (row["anchor"], row["quote"]) == ("exact", "up to a maximum of sixty days")
    assert len(walk.items) == 2 and walk.heading.text().startswith("1 of 2: fuzzy")
    controller.undo.undo()
    assert review.store.annotation_row(changed_id)["anchor"] == "changed"
    controller.undo.redo()
    assert review.store.annotation_row(changed_id)["anchor"] == "exact"

    walk.step(1)
    orphan_id = walk.current()["annotation_id"]
    assert review.store.annotation_row(orphan_id)["anchor"] == "orphan"
    flow = window.view.text_flow()
    match = find_all(flow, "serious hindering without right")[0]
    window.view.select_range(match.start, match.end)
    walk.reattach_button.click()
    row = review.store.annotation_row(orphan_id)
    assert (row["anchor"], row["quote"], row["citation"]) == (
        "exact",
        "serious hindering without right",
        "Art. 7",
    )
    assert len(walk.items) == 1
    controller.undo.undo()
    assert review.store.annotation_row(orphan_id)["anchor"] == "orphan"
    window.annotating.close()


def test_the_carry_bar_links_to_the_redline(
    qtbot,
    dialogs,
    db_path: Path,
    versions: tuple[Path, Path],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    opened: list[str] = []
    monkeypatch.setattr(QDesktopServices, "openUrl", lambda url: opened.append(url.toLocalFile()) or True)
    window = carried_window(qtbot, db_path, versions, tmp_path)
    offer = window.carry_offer
    assert offer.redline_action.isVisible()
    offer.redline_button.click()
    qtbot.waitUntil(lambda: offer.redline_path is not None, timeout=30000)
    assert offer.redline_path is not None and opened == [str(offer.redline_path)]
    page = offer.redline_path.read_text(encoding="utf-8")
    assert "<del>ninety</del> <ins>sixty</ins>" in page
    assert "Art. 7 System interference" in page and "[inserted]" in page
    window.annotating.close()
