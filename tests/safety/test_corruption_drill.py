"""Corruption drill: a copy of a database damaged in many ways is detected at start, moved aside
(never deleted) and the newest verified backup restores it."""

from __future__ import annotations

import json
import random
import shutil
import sqlite3
import struct
from collections.abc import Callable
from pathlib import Path

import pytest
from safety_helpers import SAMPLE_TREATY, assert_clean_refusal, integrity, populate, run_cli, scalar

from reviewer.core import backup
from reviewer.core.backup import CorruptDatabase
from reviewer.core.opening import open_store

PAGE = 4096


def _pages(path: Path) -> int:
    return path.stat().st_size // PAGE


def _write_at(path: Path, offset: int, data: bytes) -> None:
    with open(path, "r+b") as handle:
        handle.seek(offset)
        handle.write(data)


def _btree_pages(path: Path) -> list[int]:
    """1-based numbers of the b-tree pages (interior or leaf), page 1 excluded."""
    data = path.read_bytes()
    return [n for n in range(2, _pages(path) + 1) if data[(n - 1) * PAGE] in (2, 5, 10, 13)]


def truncate_half(path: Path) -> None:
    with open(path, "r+b") as handle:
        handle.truncate(_pages(path) // 2 * PAGE)


def truncate_mid_page(path: Path) -> None:
    with open(path, "r+b") as handle:
        handle.truncate(path.stat().st_size - PAGE * 3 - 1000)


def empty_file(path: Path) -> None:
    path.write_bytes(b"")


def garbage_header(path: Path) -> None:
    _write_at(path, 0, random.Random(1).randbytes(100))


def magic_overwritten(path: Path) -> None:
    _write_at(path, 0, b"XQLite format 3\x00")


def invalid_page_size(path: Path) -> None:
    _write_at(path, 16, struct.pack(">H", 3))


def schema_page_garbage(path: Path) -> None:
    _write_at(path, 100, random.Random(2).randbytes(PAGE - 100))


def zeroed_pages(path: Path) -> None:
    for n in _btree_pages(path)[:4]:
        _write_at(path, (n - 1) * PAGE, bytes(PAGE))


def bad_page_types(path: Path) -> None:
    for n in _btree_pages(path)[::3]:
        _write_at(path, (n - 1) * PAGE, b"\x07")


def flipped_cell_pointers(path: Path) -> None:
    data = bytearray(path.read_bytes())
    for n in _btree_pages(path):
        start = (n - 1) * PAGE + (12 if data[(n - 1) * PAGE] in (2, 5) else 8)
        for i in range(start, start + 8):
            data[i] ^= 0xFF
    path.write_bytes(bytes(data))


def duplicated_page(path: Path) -> None:
    pages = _btree_pages(path)
    source, target = pages[0], pages[-1]
    data = path.read_bytes()
    _write_at(path, (target - 1) * PAGE, data[(source - 1) * PAGE : source * PAGE])


def random_bytes_in_btree(path: Path) -> None:
    rng = random.Random(3)
    data = bytearray(path.read_bytes())
    for n in _btree_pages(path):
        for _ in range(64):
            data[(n - 1) * PAGE + rng.randrange(0, 64)] = rng.randrange(256)
    path.write_bytes(bytes(data))


def replaced_by_text(path: Path) -> None:
    path.write_text("This is not a database. " * 400)


DAMAGES: dict[str, Callable[[Path], None]] = {
    f.__name__: f
    for f in (
        truncate_half,
        truncate_mid_page,
        empty_file,
        garbage_header,
        magic_overwritten,
        invalid_page_size,
        schema_page_garbage,
        zeroed_pages,
        bad_page_types,
        flipped_cell_pointers,
        duplicated_page,
        random_bytes_in_btree,
        replaced_by_text,
    )
}


@pytest.fixture(scope="module")
def pristine(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, int]:
    """A database with 40 annotations, closed cleanly (no -wal), and its annotation count."""
    folder = tmp_path_factory.mktemp("pristine")
    pdf = folder / "treaty.pdf"
    shutil.copyfile(SAMPLE_TREATY, pdf)
    db = folder / "review.sqlite3"
    populate(db, pdf, count=40)
    assert not Path(str(db) + "-wal").exists()
    return db, 40


def _install(pristine: tuple[Path, int], db_path: Path) -> Path:
    shutil.copyfile(pristine[0], db_path)
    return backup.make_backup(db_path, reason="daily")


@pytest.mark.parametrize("damage", sorted(DAMAGES))
def test_damage_is_detected_at_start_and_the_newest_backup_restores(
    damage: str, pristine: tuple[Path, int], db_path: Path
) -> None:
    saved = _install(pristine, db_path)
    DAMAGES[damage](db_path)
    damaged_bytes = db_path.read_bytes()

    with pytest.raises(CorruptDatabase) as caught:
        open_store(db_path)
    report = caught.value.report
    assert report.corrupt and report.backup == saved
    assert not db_path.exists()
    assert report.moved_to is not None and report.moved_to.read_bytes() == damaged_bytes
    assert f"reviewer restore {saved}" in str(caught.value)

    done = run_cli(db_path, "restore", str(saved))
    assert done.returncode == 0, done.stderr
    assert integrity(db_path) == "ok"
    assert scalar(db_path, "SELECT count(*) FROM annotations") == pristine[1]
    assert report.moved_to.exists()  # the damaged file is kept


def test_the_cli_names_the_damage_and_the_backup_in_one_line(
    pristine: tuple[Path, int], db_path: Path
) -> None:
    saved = _install(pristine, db_path)
    zeroed_pages(db_path)
    done = run_cli(db_path, "tags")
    assert_clean_refusal(done, str(db_path), "damaged", f"reviewer restore {saved}")
    assert list(db_path.parent.glob("review.sqlite3.damaged-*"))
    check = run_cli(db_path, "restore", str(saved))
    assert check.returncode == 0
    report = json.loads(run_cli(db_path, "check", "--json").stdout)
    assert report["integrity"] == "ok" and report["counts"]["annotations"] == pristine[1]


def test_torn_checkpoint_after_the_wal_was_lost(
    pristine: tuple[Path, int], db_path: Path, tmp_path: Path
) -> None:
    """Half of the WAL's pages reached the database file, then the -wal was deleted."""
    saved = _install(pristine, db_path)
    live = sqlite3.connect(db_path, isolation_level=None)
    live.execute("PRAGMA journal_mode = WAL")
    live.execute("PRAGMA wal_autocheckpoint = 0")
    for _ in range(3):
        live.execute("UPDATE annotations SET comment = comment || randomblob(300)")
    live.execute("DELETE FROM annotations WHERE rowid % 2 = 0")
    live.execute("VACUUM")  # VACUUM rewrites every page: a torn copy breaks the tree
    wal = Path(str(db_path) + "-wal").read_bytes()
    shutil.copyfile(db_path, tmp_path / "main.copy")
    live.close()  # checkpoints; the copies above are what a crash left
    shutil.copyfile(tmp_path / "main.copy", db_path)
    Path(str(db_path) + "-wal").unlink(missing_ok=True)
    Path(str(db_path) + "-shm").unlink(missing_ok=True)
    frame = 24 + PAGE
    frames = (len(wal) - 32) // frame
    with open(db_path, "r+b") as handle:
        for i in range(frames // 2):
            header = wal[32 + i * frame : 32 + i * frame + 24]
            page_no = struct.unpack(">I", header[:4])[0]
            handle.seek((page_no - 1) * PAGE)
            handle.write(wal[32 + i * frame + 24 : 32 + (i + 1) * frame])
    assert backup.recover_if_corrupt(db_path).corrupt
    done = run_cli(db_path, "restore", str(saved))
    assert done.returncode == 0
    assert scalar(db_path, "SELECT count(*) FROM annotations") == pristine[1]
