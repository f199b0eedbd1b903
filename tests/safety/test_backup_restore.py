"""Backups: made with the backup API, verified, rotated; restore and check commands."""

from __future__ import annotations

import json
import os
import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path

from safety_helpers import assert_clean_refusal, integrity, populate, run_cli, scalar

from reviewer.core import backup
from reviewer.core.opening import open_store


def test_backup_command_writes_a_verified_copy_and_check_reports_it(db_path: Path, sample_pdf: Path) -> None:
    populate(db_path, sample_pdf, count=3)
    done = run_cli(db_path, "backup")
    assert done.returncode == 0, done.stderr
    made = backup.list_backups(db_path)
    assert made and made[0].reason == "manual"
    assert str(made[0].path) in done.stdout
    assert integrity(made[0].path) == "ok"
    assert scalar(made[0].path, "SELECT count(*) FROM annotations") == 3

    out = run_cli(db_path, "check", "--json")
    assert out.returncode == 0, out.stderr
    report = json.loads(out.stdout)
    assert report["integrity"] == "ok"
    assert report["counts"]["annotations"] == 3
    assert report["counts"]["replies"] == 1
    assert report["newest_backup"]["path"] == str(made[0].path)

    text = run_cli(db_path, "check")
    assert "integrity:     ok" in text.stdout and "newest backup:" in text.stdout


def test_backup_to_a_chosen_file(db_path: Path, sample_pdf: Path, tmp_path: Path) -> None:
    populate(db_path, sample_pdf, count=2)
    target = tmp_path / "out" / "copy.sqlite3"
    target.parent.mkdir()
    done = run_cli(db_path, "backup", "-o", str(target))
    assert done.returncode == 0, done.stderr
    assert scalar(target, "SELECT count(*) FROM annotations") == 2
    assert not list(target.parent.glob(".*reviewer-tmp"))


def test_restore_moves_the_current_database_aside_and_brings_the_backup_back(
    db_path: Path, sample_pdf: Path
) -> None:
    ids = populate(db_path, sample_pdf, count=2)
    saved = backup.make_backup(db_path, reason="manual")
    populate(db_path, sample_pdf, count=3)  # later work, then regretted
    assert scalar(db_path, "SELECT count(*) FROM annotations") == 5

    done = run_cli(db_path, "restore", str(saved))
    assert done.returncode == 0, done.stderr
    assert "2 annotations" in done.stdout
    assert scalar(db_path, "SELECT count(*) FROM annotations") == 2
    assert {r for r in ids} == {r[0] for r in sqlite3.connect(db_path).execute("SELECT id FROM annotations")}
    aside = list(db_path.parent.glob(db_path.name + ".replaced-*"))
    main_aside = [p for p in aside if not p.name.endswith(("-wal", "-shm"))]
    assert len(main_aside) == 1 and scalar(main_aside[0], "SELECT count(*) FROM annotations") == 5


def test_restore_refuses_a_file_that_is_not_a_sound_backup(
    db_path: Path, sample_pdf: Path, tmp_path: Path
) -> None:
    populate(db_path, sample_pdf, count=1)
    before = db_path.read_bytes()
    bogus = tmp_path / "bogus.sqlite3"
    bogus.write_bytes(b"SQLite format 3\x00" + b"\x00" * 5000)
    done = run_cli(db_path, "restore", str(bogus))
    assert_clean_refusal(done, str(bogus), "cannot be restored")
    assert db_path.read_bytes() == before
    assert_clean_refusal(run_cli(db_path, "restore", str(tmp_path / "missing.sqlite3")), "no such backup")


def test_rotation_keeps_ten_newest_and_one_a_day_for_a_week(db_path: Path, sample_pdf: Path) -> None:
    populate(db_path, sample_pdf, count=1)
    source = backup.make_backup(db_path, reason="manual")
    folder = backup.backups_folder(db_path)
    now = datetime.now(UTC)
    stamps = [now - timedelta(hours=h) for h in range(1, 30)]  # 29 backups in the last ~day
    stamps += [now - timedelta(days=d, hours=1) for d in range(2, 12)]  # one a day, 2-11 days ago
    for stamp in stamps:
        name = f"{db_path.stem}-{stamp.strftime('%Y%m%dT%H%M%S%fZ')}-daily.sqlite3"
        (folder / name).write_bytes(source.read_bytes())
    backup.rotate(db_path, now=now)
    kept = backup.list_backups(db_path)
    kept_times = [b.created for b in kept]
    assert kept_times[:10] == sorted([source_time(source)] + stamps, reverse=True)[:10]
    days = {b.created.date() for b in kept}
    for d in range(0, 7):
        assert (now - timedelta(days=d)).date() in days  # one for each day of the last week
    assert all(now - b.created <= timedelta(days=7) for b in kept)  # older ones are gone
    assert len(kept) == len({b.created.date() for b in kept[10:]} | {b.created for b in kept[:10]})


def source_time(path: Path) -> datetime:
    return next(
        b.created for b in backup.list_backups(path.parent.parent / "review.sqlite3") if b.path == path
    )


def test_start_of_session_backs_up_when_the_newest_backup_is_older_than_a_day(
    db_path: Path, sample_pdf: Path
) -> None:
    populate(db_path, sample_pdf, count=1)
    for b in backup.list_backups(db_path):
        b.path.unlink()
    old = datetime.now(UTC) - timedelta(days=2)
    stale = (
        backup.backups_folder(db_path) / f"{db_path.stem}-{old.strftime('%Y%m%dT%H%M%S%fZ')}-daily.sqlite3"
    )
    stale.parent.mkdir(exist_ok=True)
    backup.make_backup(db_path, target=stale)
    open_store(db_path).close()
    made = backup.list_backups(db_path)
    assert len(made) == 2 and made[0].reason == "daily" and made[0].created > old
    open_store(db_path).close()
    assert len(backup.list_backups(db_path)) == 2  # fresh enough: no new one


def test_a_pending_migration_is_preceded_by_a_backup(db_path: Path, sample_pdf: Path) -> None:
    populate(db_path, sample_pdf, count=2)
    conn = sqlite3.connect(db_path)
    conn.execute("DELETE FROM _sqlite_migrations WHERE name = 'm0002_default_taxonomy'")
    conn.commit()
    conn.close()
    for b in backup.list_backups(db_path):
        b.path.unlink()
    backup.make_backup(db_path, reason="daily")  # so that only the migration adds one
    open_store(db_path).close()
    reasons = [b.reason for b in backup.list_backups(db_path)]
    assert reasons[0] == "before-migration", reasons
    copy = backup.list_backups(db_path)[0].path
    steps = [r[0] for r in sqlite3.connect(copy).execute("SELECT name FROM _sqlite_migrations")]
    assert "m0002_default_taxonomy" not in steps  # the copy is the database as it was


def test_backup_before_an_import_is_verified_and_named(review, db_path: Path) -> None:
    made = backup.backup_before(review.store, "import")
    assert made.name.endswith("-import.sqlite3")
    assert backup.verify_backup(made) is None
    assert backup.newest_verified_backup(db_path) == made


def test_a_damaged_backup_is_skipped_when_offering_one(db_path: Path, sample_pdf: Path) -> None:
    populate(db_path, sample_pdf, count=1)
    good = backup.make_backup(db_path, reason="manual")
    bad = backup.make_backup(db_path, reason="manual")
    with open(bad, "r+b") as handle:
        handle.seek(0)
        handle.write(b"garbage" * 20)
    assert backup.newest_verified_backup(db_path) == good
    assert os.path.exists(bad)
