"""One writer: while the app holds a database, other processes are refused with one clear line;
a database from a newer Reviewer is refused and left byte for byte as it was."""

from __future__ import annotations

import signal
import sqlite3
import subprocess
import textwrap
from pathlib import Path

import pytest
from safety_helpers import PY, assert_clean_refusal, child_env, populate, run_cli, scalar, sha256

from reviewer.core import lock
from reviewer.core.lock import DatabaseInUse
from reviewer.core.opening import open_store

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


@pytest.fixture
def app_process(db_path: Path, sample_pdf: Path):
    populate(db_path, sample_pdf, count=2)
    child = subprocess.Popen(
        [PY, "-c", APP_HOLDER, str(db_path)],
        stdout=subprocess.PIPE,
        text=True,
        env=child_env(db_path),
    )
    assert child.stdout is not None and child.stdout.readline().strip() == "ready"
    yield child
    child.kill()
    child.wait()


def test_a_command_that_writes_is_refused_while_the_app_holds_the_database(
    app_process: subprocess.Popen[str], db_path: Path, sample_pdf: Path
) -> None:
    note_id = str(scalar(db_path, "SELECT id FROM annotations LIMIT 1"))
    before = scalar(db_path, "SELECT comment FROM annotations WHERE id = ?", (note_id,))
    done = run_cli(db_path, "edit", note_id, "--comment", "from the command line")
    assert_clean_refusal(done, str(db_path), "in use by the Reviewer app", f"process {app_process.pid}")
    assert scalar(db_path, "SELECT comment FROM annotations WHERE id = ?", (note_id,)) == before

    holder = lock.is_locked_elsewhere(db_path)
    assert holder is not None and holder.pid == app_process.pid and holder.kind == "app"

    # Reading goes on: the listing of what the app holds.
    listed = run_cli(db_path, "check", "--json")
    assert listed.returncode == 0 and '"annotations": 2' in listed.stdout


def test_a_second_app_instance_is_refused(app_process: subprocess.Popen[str], db_path: Path) -> None:
    store = open_store(db_path)
    try:
        with pytest.raises(DatabaseInUse, match="in use by the Reviewer app"):
            store.hold_writer_lock("app")
    finally:
        store.close()


def test_the_lock_dies_with_its_holder(app_process: subprocess.Popen[str], db_path: Path) -> None:
    note_id = str(scalar(db_path, "SELECT id FROM annotations LIMIT 1"))
    app_process.send_signal(signal.SIGKILL)
    app_process.wait()
    done = run_cli(db_path, "edit", note_id, "--comment", "after the crash")
    assert done.returncode == 0, done.stderr
    assert scalar(db_path, "SELECT comment FROM annotations WHERE id = ?", (note_id,)) == "after the crash"


def test_stores_of_one_process_share_the_lock(db_path: Path, sample_pdf: Path) -> None:
    populate(db_path, sample_pdf, count=1)
    app = open_store(db_path)
    app.hold_writer_lock("app")
    other = open_store(db_path)
    try:
        with other.transaction():  # the same process: no self-deadlock
            other.upsert_reviewer("r2", "Second")
    finally:
        other.close()
        assert lock.held_here(db_path)
        app.close()
    assert not lock.held_here(db_path)
    assert lock.is_locked_elsewhere(db_path) is None


def test_a_database_from_a_newer_reviewer_is_refused_and_unchanged(db_path: Path, sample_pdf: Path) -> None:
    populate(db_path, sample_pdf, count=2)
    conn = sqlite3.connect(db_path)
    conn.execute(
        "INSERT INTO _sqlite_migrations(migration_set, name, applied_at) "
        "VALUES ('reviewer', 'm0099_future_feature', '2030-01-01')"
    )
    conn.commit()
    conn.close()
    before = sha256(db_path)
    names = sorted(p.name for p in db_path.parent.iterdir())
    for args in (["tags"], ["info", str(sample_pdf)], ["edit", "abcd", "--comment", "x"]):
        done = run_cli(db_path, *args)
        assert_clean_refusal(done, str(db_path), "newer version of Reviewer", "m0099_future_feature")
    assert sha256(db_path) == before
    new = sorted(set(p.name for p in db_path.parent.iterdir()) - set(names))
    # Not moved aside, no backup made; a read-only look may leave SQLite's empty WAL index.
    assert set(new) <= {"review.sqlite3-wal", "review.sqlite3-shm"}, new
    wal = db_path.parent / "review.sqlite3-wal"
    assert not wal.exists() or wal.stat().st_size == 0


def test_reading_a_known_document_works_beside_the_app(
    db_path: Path, sample_pdf: Path, tmp_path: Path
) -> None:
    populate(db_path, sample_pdf, count=2)  # the document is known
    child = subprocess.Popen(
        [PY, "-c", APP_HOLDER, str(db_path)],
        stdout=subprocess.PIPE,
        text=True,
        env=child_env(db_path),
    )
    try:
        assert child.stdout is not None and child.stdout.readline().strip() == "ready"
        listed = run_cli(db_path, "list", str(sample_pdf), "--json")
        assert listed.returncode == 0, listed.stderr
        assert listed.stdout.count('"id"') >= 2
        other = tmp_path / "other.pdf"
        other.write_bytes(sample_pdf.read_bytes() + b"\n%")  # a new document must be recorded
        refused = run_cli(db_path, "info", str(other))
        assert_clean_refusal(refused, str(db_path), "in use by the Reviewer app")
    finally:
        child.kill()
        child.wait()
