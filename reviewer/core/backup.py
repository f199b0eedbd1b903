"""Rotating, verified backups of the review database, and recovery from a damaged one.

Backups are copies made with SQLite's backup API (consistent while the app is writing), checked
with ``PRAGMA integrity_check`` before they count, and kept in ``backups/`` beside the database:

- at the start of a session when the newest is older than a day (``start_of_session``),
- before every schema migration (``reviewer.core.opening.open_store``),
- before every import or merge: the exchange code calls ``backup_before(store, "import")``.

Rotation keeps the ``KEEP_NEWEST`` newest plus the newest of each of the last ``KEEP_DAYS`` days.
Nothing here ever deletes a database: a damaged one and one replaced by ``restore_backup`` are
renamed aside (``<name>.damaged-<time>``, ``<name>.replaced-<time>``).
"""

from __future__ import annotations

import contextlib
import os
import re
import sqlite3
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from reviewer.core import lock
from reviewer.core.atomic import TEMP_SUFFIX, remove_stale_temporaries
from reviewer.core.errors import ReviewerError
from reviewer.core.store import (
    SCHEMA_STEPS,
    DatabaseUnreadable,
    copy_database,
    database_summary,
    describe_storage_error,
    integrity_problems_of_file,
)

if TYPE_CHECKING:
    from reviewer.core.store import Store

BACKUP_FOLDER = "backups"
KEEP_NEWEST = 10
KEEP_DAYS = 7
STALE_AFTER = timedelta(days=1)
STALE_TEMPORARY_S = 600.0  # younger temporaries may belong to a write in progress elsewhere
_STAMP = "%Y%m%dT%H%M%S%fZ"
_NAME = re.compile(r"^(?P<stem>.+)-(?P<stamp>\d{8}T\d{12}Z)-(?P<reason>[a-z0-9-]+)\.sqlite3$")


class CorruptDatabase(ReviewerError):
    """The database failed its check at start; ``report`` says what was done and offered."""

    def __init__(self, report: RecoveryReport) -> None:
        self.report = report
        super().__init__(report.message)


@dataclass(frozen=True)
class BackupInfo:
    path: Path
    created: datetime
    reason: str


@dataclass(frozen=True)
class RecoveryReport:
    """What ``recover_if_corrupt`` found and did; the GUI turns it into a dialog."""

    db_path: Path
    corrupt: bool
    problem: str = ""
    moved_to: Path | None = None
    backup: Path | None = None
    message: str = ""


@dataclass
class RestoreReport:
    db_path: Path
    backup: Path
    moved_aside: list[Path] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)


def backups_folder(db_path: str | os.PathLike[str]) -> Path:
    return Path(db_path).parent / BACKUP_FOLDER


def _now() -> datetime:
    return datetime.now(UTC)


def list_backups(db_path: str | os.PathLike[str]) -> list[BackupInfo]:
    """This database's backups, newest first (by the time in their names)."""
    folder = backups_folder(db_path)
    stem = Path(db_path).stem
    found = []
    if not folder.is_dir():
        return []
    for candidate in folder.iterdir():
        match = _NAME.match(candidate.name)
        if not match or match["stem"] != stem:
            continue
        created = datetime.strptime(match["stamp"], _STAMP).replace(tzinfo=UTC)
        found.append(BackupInfo(candidate, created, match["reason"]))
    found.sort(key=lambda b: b.created, reverse=True)
    return found


def verify_backup(path: str | os.PathLike[str]) -> str | None:
    """The first problem that makes ``path`` unusable as a Reviewer database, else ``None``."""
    try:
        problems = integrity_problems_of_file(path, quick=False)
    except DatabaseUnreadable as exc:
        return str(exc)
    if problems:
        return problems[0]
    try:
        summary = database_summary(path)
    except Exception as exc:  # noqa: BLE001 - any failure means "not usable"
        return f"cannot be read ({exc})"
    steps = summary["schema_steps"]
    if not steps:
        return "is not a Reviewer database"
    unknown = [s for s in steps if s not in SCHEMA_STEPS]
    if unknown:
        return f"was written by a newer version of Reviewer (schema step {unknown[-1]!r})"
    return None


def make_backup(
    db_path: str | os.PathLike[str],
    *,
    reason: str = "manual",
    target: str | os.PathLike[str] | None = None,
    rotate_after: bool = True,
) -> Path:
    """Copy the database (backup API), verify the copy, then give it its final name.

    Without ``target`` the copy goes to ``backups/`` and old backups are rotated.
    """
    source = Path(db_path)
    if not source.exists():
        raise ReviewerError("no database to back up", path=str(source))
    reason = re.sub(r"[^a-z0-9-]+", "-", reason.lower()).strip("-") or "manual"
    if target is None:
        folder = backups_folder(source)
        folder.mkdir(parents=True, exist_ok=True)
        final = folder / f"{source.stem}-{_now().strftime(_STAMP)}-{reason}.sqlite3"
    else:
        final = Path(target)
        folder = final.parent if str(final.parent) else Path(".")
        if final.resolve() == source.resolve():
            raise ReviewerError("a backup cannot replace the database itself", path=str(final))
    temp = folder / f".{final.name}.{os.getpid()}{TEMP_SUFFIX}"
    try:
        copy_database(source, temp)
        problem = verify_backup(temp)
        if problem:
            raise ReviewerError(f"the backup copy failed its check ({problem})", path=str(final))
        with open(temp, "rb") as handle:
            os.fsync(handle.fileno())
        os.replace(temp, final)
    except ReviewerError:
        raise
    except OSError as exc:
        raise ReviewerError(f"cannot write the backup ({exc.strerror or exc})", path=str(final)) from None
    except sqlite3.Error as exc:
        raise ReviewerError(
            f"cannot write the backup ({describe_storage_error(exc)})", path=str(final)
        ) from None
    finally:
        with contextlib.suppress(OSError):
            temp.unlink()
    if target is None and rotate_after:
        rotate(source)
    return final


def backup_before(store: Store, reason: str) -> Path:
    """A verified backup before a risky change (an import, a merge, a migration).

    Call it before the change's transaction starts: the copy shows committed data only.
    """
    return make_backup(store.path, reason=reason)


def rotate(db_path: str | os.PathLike[str], now: datetime | None = None) -> list[Path]:
    """Remove old backups: keep the newest ``KEEP_NEWEST`` and one a day for ``KEEP_DAYS`` days."""
    backups = list_backups(db_path)
    current = now or _now()
    keep = {b.path for b in backups[:KEEP_NEWEST]}
    days_seen: set[str] = set()
    for b in backups:
        day = b.created.strftime("%Y-%m-%d")
        if current - b.created <= timedelta(days=KEEP_DAYS) and day not in days_seen:
            days_seen.add(day)
            keep.add(b.path)
    removed = []
    for b in backups:
        if b.path not in keep:
            try:
                b.path.unlink()
                removed.append(b.path)
            except OSError:
                pass
    return removed


def newest_verified_backup(db_path: str | os.PathLike[str]) -> Path | None:
    for b in list_backups(db_path):
        if verify_backup(b.path) is None:
            return b.path
    return None


def backup_if_stale(db_path: str | os.PathLike[str]) -> Path | None:
    """Back up when the newest backup is older than ``STALE_AFTER`` (or there is none)."""
    backups = list_backups(db_path)
    if backups and _now() - backups[0].created < STALE_AFTER:
        return None
    return make_backup(db_path, reason="daily")


def start_of_session(db_path: str | os.PathLike[str]) -> None:
    """What the app and every command do when they open an existing database."""
    path = Path(db_path)
    for folder in (path.parent, backups_folder(path)):
        remove_stale_temporaries(folder, older_than=STALE_TEMPORARY_S)
    # A failed backup must not keep the user from their work; `reviewer check` shows it.
    with contextlib.suppress(ReviewerError):
        backup_if_stale(path)


def _aside_name(path: Path, label: str) -> Path:
    stamp = _now().strftime("%Y%m%dT%H%M%SZ")
    candidate = path.with_name(f"{path.name}.{label}-{stamp}")
    n = 1
    while candidate.exists():
        n += 1
        candidate = path.with_name(f"{path.name}.{label}-{stamp}-{n}")
    return candidate


def _move_aside(path: Path, label: str) -> list[Path]:
    """Rename the database and its -wal/-shm companions aside, never deleting anything."""
    target = _aside_name(path, label)
    moved = []
    for suffix in ("", "-wal", "-shm", "-journal"):
        companion = Path(str(path) + suffix)
        if companion.exists():
            destination = Path(str(target) + suffix)
            os.replace(companion, destination)
            moved.append(destination)
    return moved


def _looks_like_ours(path: Path) -> bool:
    """A file we would move aside: an SQLite file, or one that has backups of ours."""
    try:
        with open(path, "rb") as handle:
            head = handle.read(16)
    except OSError:
        return False
    return head.startswith(b"SQLite format 3") or head == b"" or bool(list_backups(path))


def recover_if_corrupt(db_path: str | os.PathLike[str]) -> RecoveryReport:
    """Check the database at start (quick check); when damaged, move it aside and name the
    newest verified backup to restore. Never deletes, never restores by itself."""
    path = Path(db_path)
    if not path.exists():
        return RecoveryReport(path, corrupt=False)
    try:
        problems = integrity_problems_of_file(path, quick=True)
    except DatabaseUnreadable:
        # Not damage (a full disk, a lock, permissions): never move a database aside for that;
        # opening it reports the real problem.
        return RecoveryReport(path, corrupt=False)
    if not problems:
        return RecoveryReport(path, corrupt=False)
    problem = problems[0]
    if problem == "the file is empty" and (not list_backups(path) or lock.is_locked_elsewhere(path)):
        # SQLite's own empty database, or one another process is creating right now.
        return RecoveryReport(path, corrupt=False)
    if not _looks_like_ours(path):
        return RecoveryReport(
            path,
            corrupt=True,
            problem=problem,
            message=f"{path}: is not a Reviewer database ({problem}); give another --db",
        )
    holder = lock.is_locked_elsewhere(path)
    if holder is not None:
        return RecoveryReport(
            path,
            corrupt=True,
            problem=problem,
            message=f"{path}: the database is damaged ({problem}) and in use by process "
            f"{holder.pid}; close Reviewer there first",
        )
    backup = newest_verified_backup(path)
    moved = _move_aside(path, "damaged")
    moved_to = moved[0] if moved else None
    if backup is not None:
        offer = f"restore the newest verified backup with: reviewer restore {backup}"
    else:
        offer = "no verified backup was found; the next start begins an empty database"
    message = f"{path}: the database is damaged ({problem}); it was moved to {moved_to}; {offer}"
    return RecoveryReport(path, True, problem, moved_to, backup, message)


def raise_if_corrupt(db_path: str | os.PathLike[str]) -> None:
    report = recover_if_corrupt(db_path)
    if report.corrupt:
        raise CorruptDatabase(report)


def restore_backup(db_path: str | os.PathLike[str], backup: str | os.PathLike[str]) -> RestoreReport:
    """Replace the database by a verified backup; the current one is moved aside, not deleted."""
    path = Path(db_path)
    source = Path(backup)
    if not source.exists():
        raise ReviewerError("no such backup file", path=str(source))
    problem = verify_backup(source)
    if problem:
        raise ReviewerError(f"cannot be restored: {problem}", path=str(source))
    if path.exists() and source.resolve() == path.resolve():
        raise ReviewerError("is the database itself, not a backup", path=str(source))
    path.parent.mkdir(parents=True, exist_ok=True)
    lock.acquire(path, wait=0)
    try:
        temp = path.parent / f".{path.name}.restore{TEMP_SUFFIX}"
        try:
            copy_database(source, temp)
            with open(temp, "rb") as handle:
                os.fsync(handle.fileno())
            report = RestoreReport(path, source)
            if path.exists() or Path(str(path) + "-wal").exists():
                report.moved_aside = _move_aside(path, "replaced")
            os.replace(temp, path)
        finally:
            if temp.exists():
                temp.unlink()
    finally:
        lock.release(path)
    report.counts = database_summary(path)["counts"]
    return report


def check_database(db_path: str | os.PathLike[str]) -> dict[str, Any]:
    """What ``reviewer check`` prints: integrity, counts, schema, newest backup."""
    path = Path(db_path)
    if not path.exists():
        raise ReviewerError("no such database", path=str(path))
    problems = integrity_problems_of_file(path, quick=False)
    result: dict[str, Any] = {
        "database": str(path),
        "size": path.stat().st_size,
        "integrity": "ok" if not problems else "damaged",
        "problems": problems,
    }
    if not problems:
        summary = database_summary(path)
        result["counts"] = summary["counts"]
        result["schema_steps"] = len(summary["schema_steps"])
    backups = list_backups(path)
    newest = backups[0] if backups else None
    result["backups"] = len(backups)
    result["newest_backup"] = (
        {"path": str(newest.path), "created": newest.created.isoformat(), "reason": newest.reason}
        if newest
        else None
    )
    return result
