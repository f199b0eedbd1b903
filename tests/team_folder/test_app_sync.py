"""The app on a team folder: two windows (two databases, as on two laptops) on one folder see
each other's new annotation; incoming changes never enter the undo stack; the panel's lock
toggle makes a note private."""

from __future__ import annotations

import shutil
import time
from pathlib import Path

import pytest
from PySide6.QtWidgets import QFileDialog

from reviewer.ui.team_folder import POLL_MS, WRITE_DELAY_MS

# Generous bounds for a loaded test machine: the 2 s the app aims at is set by its timers
# (asserted below) and measured in docs/team-folder.md, not timed here.
WAIT_MS = 30_000


def open_window(qtbot, pdf: Path, db: Path, author: str):  # type: ignore[no-untyped-def]
    from reviewer.ui.app import create_main_window

    window = create_main_window(str(pdf), db_path=db, author=author, remember=False)
    qtbot.addWidget(window)
    window.resize(1100, 700)
    window.show()
    qtbot.waitExposed(window)
    qtbot.waitUntil(lambda: window.annotating.document_id is not None, timeout=WAIT_MS)
    return window


def choose_folder(window, folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(QFileDialog, "getExistingDirectory", lambda *a, **k: str(folder))
    file_menu = next(m.menu() for m in window.menuBar().actions() if m.text() == "&File")
    (action,) = [a for a in file_menu.actions() if a.text() == "&Team Folder…"]
    action.trigger()


def annotate(window, quote: str, comment: str) -> str:  # type: ignore[no-untyped-def]
    """As the panel does it: one undoable step through the window's undo controller."""
    review = window.annotating.review
    made: list[str] = []

    def act():  # type: ignore[no-untyped-def]
        made.append(
            review.annotate_quote(window.annotating.document, quote, comment=comment, occurrence=1).id
        )
        return review.last_change

    window.annotating.undo.run(act)
    return made[0]


@pytest.fixture
def two_windows(qtbot, tmp_path: Path, sample_pdf: Path, monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    folder = tmp_path / "Team folder"
    folder.mkdir()
    windows = []
    for who in ("Ada Tester", "Ben Reviewer"):
        place = tmp_path / who.split()[0]
        place.mkdir()
        pdf = place / "treaty.pdf"
        shutil.copyfile(sample_pdf, pdf)
        window = open_window(qtbot, pdf, place / "review.sqlite3", who)
        choose_folder(window, folder, monkeypatch)
        windows.append(window)
    yield folder, windows
    for window in windows:
        window.team_folder.close()


def test_the_timers_aim_within_two_seconds() -> None:
    assert WRITE_DELAY_MS + POLL_MS <= 2000 + 500  # written, then seen by the next poll at worst
    assert WRITE_DELAY_MS < 1000 and POLL_MS <= 1500


def test_two_windows_see_each_others_new_annotation(qtbot, two_windows) -> None:  # type: ignore[no-untyped-def]
    folder, (ada, ben) = two_windows
    started = time.monotonic()
    made = annotate(ada, "reliable safeguards", "Ada, live")
    qtbot.waitUntil(lambda: made in ben.annotating.panel.model.records, timeout=WAIT_MS)
    seen_after = time.monotonic() - started
    assert ben.annotating.panel.model.records[made].comment == "Ada, live"
    assert made in ben.annotating._items  # highlighted on Ben's page too
    assert ben.annotating.undo.stack.count() == 0  # a teammate's change is not Ben's to undo
    qtbot.waitUntil(lambda: "1 update from Ada Tester" in ben.team_folder.status.text(), timeout=WAIT_MS)
    assert ben.team_folder.status.text().startswith("Synced with team folder ")
    # And back: Ben replies... as a new annotation of his own, which Ada sees.
    back = annotate(ben, "information system", "Ben, live")
    qtbot.waitUntil(lambda: back in ada.annotating.panel.model.records, timeout=WAIT_MS)
    assert ada.annotating.undo.stack.count() == 1  # only Ada's own annotation
    ada.annotating.undo.undo()  # Ctrl+Z undoes Ada's annotation, not Ben's
    assert made not in ada.annotating.panel.model.records and back in ada.annotating.panel.model.records
    print(f"Ben saw Ada's annotation after {seen_after:.2f} s")


def test_the_folder_is_remembered_per_database(qtbot, two_windows, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from reviewer.core.exchange.team_folder import remembered_folder

    folder, (ada, _ben) = two_windows
    assert remembered_folder(ada.annotating.review) == str(folder.resolve())
    assert ada.team_folder.folder == str(folder)


def test_the_lock_toggle_makes_a_note_private(qtbot, two_windows) -> None:  # type: ignore[no-untyped-def]
    folder, (ada, ben) = two_windows
    made = annotate(ada, "promote and strengthen measures", "PRIVATE-THOUGHT")
    ada.annotating.panel.select_annotation(made)
    editor = ada.annotating.panel.editor
    qtbot.waitUntil(lambda: editor.annotation is not None and editor.annotation.id == made, timeout=WAIT_MS)
    editor.private_button.click()  # the lock, before the write timer fires
    assert ada.annotating.review.annotation(made).private
    assert "private: never synced or exported" in editor.meta_label.text()
    assert editor.private_button.isChecked()
    qtbot.waitUntil(lambda: any(folder.rglob("*.review.json")), timeout=WAIT_MS)
    ada.team_folder.sync_now()
    qtbot.waitUntil(lambda: not ada.team_folder._running, timeout=WAIT_MS)
    everything = b"".join(p.read_bytes() for p in folder.rglob("*") if p.is_file())
    assert b"PRIVATE-THOUGHT" not in everything and made.encode() not in everything
    ada.annotating.undo.undo()  # Ctrl+Z: shared again
    assert not ada.annotating.review.annotation(made).private
    assert not editor.private_button.isChecked()
    qtbot.waitUntil(lambda: made in ben.annotating.panel.model.records, timeout=WAIT_MS)
