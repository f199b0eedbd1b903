"""Start-up safety in the app: a damaged database, a second instance, a newer database."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import textwrap
from pathlib import Path

from gui_safety_helpers import count, dump, sha256

from reviewer.core.backup import list_backups, make_backup
from reviewer.core.pdf import open_pdf
from reviewer.core.review import Review
from reviewer.core.settings import Identity

ADA = Identity("11111111-1111-4111-8111-111111111111", "Ada Tester")


def populate(db: Path, pdf: Path, n: int = 3) -> None:
    review = Review.open(db, ADA)
    try:
        with open_pdf(pdf) as document:
            for i in range(n):
                review.annotate_range(document, 20 + 60 * i, 50 + 60 * i, comment=f"note {i}")
    finally:
        review.close()


def open_window(qtbot, pdf: Path, db: Path):  # type: ignore[no-untyped-def]
    from reviewer.ui.app import create_main_window

    window = create_main_window(str(pdf), db_path=db, remember=False)
    qtbot.addWidget(window)
    return window


def damage(db: Path) -> None:
    """Checkpoint, then overwrite the b-tree pages after the first with garbage."""
    conn = sqlite3.connect(db)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    data = bytearray(db.read_bytes())
    page = int.from_bytes(data[16:18], "big") or 65536
    for offset in range(page, len(data), 7):
        data[offset] = (offset * 131) % 251
    db.write_bytes(bytes(data))


def test_a_damaged_database_is_moved_aside_and_the_backup_restored(
    qtbot, dialogs, db_path: Path, sample_pdf: Path
) -> None:
    populate(db_path, sample_pdf, n=3)
    make_backup(db_path, reason="manual")
    populate(db_path, sample_pdf, n=1)  # after the backup: this one is lost with the damage
    damage(db_path)
    dialogs.answer_yes = True
    window = open_window(qtbot, sample_pdf, db_path)
    text = dialogs.last()
    assert "The annotation database was damaged" in text
    moved = [p for p in db_path.parent.iterdir() if p.name.startswith("review.sqlite3.damaged-")]
    main_file = [p for p in moved if not p.name.endswith(("-wal", "-shm"))]
    assert len(main_file) == 1 and f"\n{main_file[0]}\n" in text
    assert "Restore the newest verified backup?" in text
    assert str(list_backups(db_path)[0].path) in text
    assert window.annotating is not None  # the app goes on, with the restored review
    assert count(db_path, "SELECT count(*) FROM annotations WHERE deleted = 0") == 3
    assert window.view.document() is not None
    window.annotating.close()


def test_a_damaged_database_can_start_empty(qtbot, dialogs, db_path: Path, sample_pdf: Path) -> None:
    populate(db_path, sample_pdf, n=2)
    make_backup(db_path, reason="manual")
    damage(db_path)
    dialogs.answer_yes = False
    window = open_window(qtbot, sample_pdf, db_path)
    assert "Yes: restore it.  No: start with an empty database." in dialogs.last()
    assert window.annotating is not None
    assert count(db_path, "SELECT count(*) FROM annotations") == 0
    assert any(".damaged-" in p.name for p in db_path.parent.iterdir())  # never deleted
    window.annotating.close()


APP_HOLDER = textwrap.dedent(
    """
    import sys, time
    from reviewer.core.opening import open_store
    store = open_store(sys.argv[1])
    store.hold_writer_lock("app")
    print("ready", flush=True)
    time.sleep(120)
    """
)


def test_a_second_instance_is_told_and_writes_nothing(
    qtbot, dialogs, db_path: Path, sample_pdf: Path, tmp_path: Path
) -> None:
    populate(db_path, sample_pdf, n=2)
    root = str(Path(__file__).resolve().parents[2])
    env = dict(os.environ, PYTHONPATH=root)
    holder = subprocess.Popen(
        [sys.executable, "-c", APP_HOLDER, str(db_path)], stdout=subprocess.PIPE, text=True, env=env
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "ready"
        before = dump(db_path)
        other = tmp_path / "other.pdf"  # a document this database has never seen
        other.write_bytes(sample_pdf.read_bytes() + b"\n% another revision\n")
        window = open_window(qtbot, sample_pdf, db_path)
        text = dialogs.last()
        assert "is in use by the Reviewer app" in text
        assert f"process {holder.pid}" in text
        assert "read-only" in text
        assert window.annotating is None  # no review open: nothing can be written
        assert window.view.document() is not None  # the PDF is still shown
        assert window.open_document(str(other))
        assert dump(db_path) == before
    finally:
        holder.kill()
        holder.wait()


def test_the_app_holds_the_writer_lock(qtbot, dialogs, db_path: Path, sample_pdf: Path) -> None:
    from reviewer.core import lock

    window = open_window(qtbot, sample_pdf, db_path)
    assert window.annotating is not None
    assert lock.held_here(db_path)
    assert dialogs.texts == []
    window.annotating.close()
    assert not lock.held_here(db_path)


def test_a_database_from_a_newer_reviewer_is_left_untouched(
    qtbot, dialogs, db_path: Path, sample_pdf: Path
) -> None:
    populate(db_path, sample_pdf, n=2)
    conn = sqlite3.connect(db_path)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.execute(
        "INSERT INTO _sqlite_migrations(migration_set, name, applied_at) "
        "VALUES ('reviewer', 'm0099_future_feature', '2030-01-01')"
    )
    conn.commit()
    conn.close()
    before = sha256(db_path)
    window = open_window(qtbot, sample_pdf, db_path)
    text = dialogs.last()
    assert "newer version of Reviewer" in text and "m0099_future_feature" in text
    assert "The database was not changed" in text
    assert window.annotating is None
    assert window.view.document() is not None and window.view.page_count() > 0
    assert sha256(db_path) == before
