"""Two treaties side by side: File → Open in New Window opens another window of the same app,
sharing the review database (one writer), each window with its own undo stack; a change made
in one window shows in the other."""

from __future__ import annotations

import shutil
from pathlib import Path

from reviewer.core.review import Review
from reviewer.core.settings import Identity

from .gui_helpers import drag_select, open_window, show_quote, wait_idle

ROTATIONS = (
    Path(__file__).resolve().parents[2].parent
    / "shared"
    / "corpus"
    / "pdfs"
    / "pdfbox-rotations-90-180-270.pdf"
)


def _wait_text(qtbot, window) -> None:  # type: ignore[no-untyped-def]
    qtbot.waitUntil(lambda: window.view.text_flow() is not None, timeout=30000)


def test_a_second_window_shares_the_database_and_shows_the_other_windows_changes(
    qtbot, sample_pdf: Path, db_path: Path, tmp_path: Path
) -> None:
    first = open_window(qtbot, sample_pdf, db_path)
    assert first.new_window_action.text() == "Open in New &Window…"
    second = first.open_in_new_window(str(sample_pdf))
    second.resize(1300, 860)
    qtbot.waitExposed(second)
    _wait_text(qtbot, second)
    assert second.annotating.review is first.annotating.review  # one writer for the database
    assert second.annotating.undo is not first.annotating.undo

    # annotate in the second window: the first window's panel and page show it
    flow = second.view.text_flow()
    start = flow.text.index("Statement of purpose")
    quads = show_quote(qtbot, second, start, start + len("Statement of purpose"))
    drag_select(qtbot, second, quads)
    created = second.annotating.highlight_selection(["safeguard"])
    assert created is not None
    qtbot.waitUntil(lambda: created in first.annotating.panel.model.records, timeout=5000)
    qtbot.waitUntil(lambda: created in first.annotating._items, timeout=5000)
    wait_idle(qtbot, first.view)

    # the row is in the one database, written once
    check = Review.open(db_path, Identity("33333333-3333-4333-8333-333333333333", "Check"))
    try:
        rows = [a for a in check.annotations(None) if a.id == created]
        assert [(a.quote, a.tag_names) for a in rows] == [("Statement of purpose", ["safeguard"])]
    finally:
        check.close()

    # undo belongs to the window that made the change; both windows follow it
    assert first.annotating.undo.stack.count() == 0
    second.annotating.undo.undo()
    qtbot.waitUntil(lambda: created not in first.annotating.panel.model.records, timeout=5000)
    assert created not in first.annotating._items
    second.close()
    first.close()


def test_another_document_in_a_new_window(qtbot, sample_pdf: Path, db_path: Path, tmp_path: Path) -> None:
    if not ROTATIONS.exists():
        import pytest

        pytest.skip("corpus not available")
    other = tmp_path / "rotations.pdf"
    shutil.copyfile(ROTATIONS, other)
    first = open_window(qtbot, sample_pdf, db_path)
    second = first.open_in_new_window(str(other))
    qtbot.waitExposed(second)
    assert first.view.document().path == str(sample_pdf)
    assert second.view.document().path == str(other)
    assert second.view.page_count() == 6 and first.view.page_count() == 7
    assert second.annotating.document_id != first.annotating.document_id
    second.close()
    first.close()


def test_a_second_app_on_the_same_database_hands_its_document_over(
    qtbot, sample_pdf: Path, db_path: Path, tmp_path: Path
) -> None:
    """`reviewer open other.pdf` while the app has the database open: the running app opens it
    in a new window (annotations included), the second process closes without a dialog."""
    import os
    import subprocess
    import sys

    from PySide6.QtWidgets import QApplication

    from reviewer.ui.main_window import MainWindow

    if not ROTATIONS.exists():
        import pytest

        pytest.skip("corpus not available")
    other = tmp_path / "rotations.pdf"
    shutil.copyfile(ROTATIONS, other)
    first = open_window(qtbot, sample_pdf, db_path)
    root = Path(__file__).resolve().parents[2]
    env = dict(os.environ, REVIEWER_DB=str(db_path), QT_QPA_PLATFORM="offscreen", PYTHONPATH=str(root))
    second_app = subprocess.Popen(
        [sys.executable, "-m", "reviewer", "open", str(other)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        cwd=str(tmp_path),
    )
    try:
        qtbot.waitUntil(lambda: second_app.poll() is not None, timeout=60000)
    finally:
        if second_app.poll() is None:
            second_app.kill()
    assert second_app.returncode == 0, second_app.stderr.read().decode()[-2000:]

    def windows_on(path: Path) -> list[MainWindow]:
        return [
            w
            for w in QApplication.topLevelWidgets()
            if isinstance(w, MainWindow) and w.isVisible() and w.view.document() is not None
            and Path(w.view.document().path) == path.resolve()
        ]  # fmt: skip

    qtbot.waitUntil(lambda: bool(windows_on(other)), timeout=10000)
    (opened,) = windows_on(other)
    assert opened.annotating is not None and opened.annotating.review is first.annotating.review
    opened.close()
    first.close()


def test_plain_reviewer_brings_the_running_app_forward(qtbot, sample_pdf: Path, db_path: Path) -> None:
    from PySide6.QtWidgets import QApplication

    from reviewer.ui.app import _SERVERS
    from reviewer.ui.main_window import MainWindow

    first = open_window(qtbot, sample_pdf, db_path)
    server = _SERVERS[str(db_path.resolve())]

    def visible() -> list[MainWindow]:
        return [w for w in QApplication.topLevelWidgets() if isinstance(w, MainWindow) and w.isVisible()]

    before = visible()
    assert server._handle(b'{"open": null}\n') == "opened"  # what a second plain `reviewer` asks
    assert visible() == before  # no new window: the running one came forward
    assert server._handle(b'{"open": 3}\n') == "refused" and server._handle(b"not json\n") == "refused"
    first.close()  # every window closed while the app runs on: a plain `reviewer` opens one
    assert server._handle(b'{"open": null}\n') == "opened"
    (again,) = visible()
    assert again is not first and again.view.document() is not None
    again.close()
