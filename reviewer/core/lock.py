"""One writer per database: an OS file lock on ``<database>.lock`` beside it.

Design (see docs/safety.md):

- Every write transaction (``Store.transaction``) takes the writer lock for its duration. Another
  process that is writing at that moment is waited for (up to ``COMMAND_WAIT_S``), as SQLite's
  own busy timeout would.
- The app takes the lock for its whole lifetime (``Store.hold_writer_lock(kind="app")``). While
  it holds it, a command-line writer or a second app instance is refused at once with one clear
  line naming the database and the process holding it; reading stays possible.
- The lock is an ``flock`` (POSIX) or ``msvcrt.locking`` (Windows) lock: the kernel releases it
  when the holder dies, even by SIGKILL, so a crash never leaves a stale lock behind. The file's
  content (pid, kind, time) only serves the message.
- Within one process the lock is re-entrant and shared by every ``Store`` on the same database
  (flock would otherwise make two connections of the same process exclude each other).
"""

from __future__ import annotations

import contextlib
import json
import os
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from reviewer.core.errors import ReviewerError

COMMAND_WAIT_S = 10.0
LOCK_SUFFIX = ".lock"


class DatabaseInUse(ReviewerError):
    """Another process holds the writer lock of this database."""


@dataclass(frozen=True)
class LockHolder:
    pid: int
    kind: str
    since: str


def lock_path_for(db_path: str | os.PathLike[str]) -> Path:
    path = Path(db_path)
    return path.with_name(path.name + LOCK_SUFFIX)


class _ProcessLock:
    """The one OS lock this process holds on one lock file, with a holder count."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.fd: int | None = None
        self.count = 0
        self.kind = "command"


_registry: dict[str, _ProcessLock] = {}
_registry_guard = threading.RLock()


def _try_os_lock(fd: int) -> bool:
    if sys.platform == "win32":  # pragma: no cover - exercised on Windows only
        import msvcrt

        try:
            os.lseek(fd, 0, os.SEEK_SET)
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
            return True
        except OSError:
            return False
    import fcntl

    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        return True
    except BlockingIOError:
        return False


def _os_unlock(fd: int) -> None:
    if sys.platform == "win32":  # pragma: no cover
        import msvcrt

        os.lseek(fd, 0, os.SEEK_SET)
        msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)
        return
    import fcntl

    fcntl.flock(fd, fcntl.LOCK_UN)


def read_holder(db_path: str | os.PathLike[str]) -> LockHolder | None:
    """Who says they hold the lock (informative only: the OS lock is the truth)."""
    try:
        data = json.loads(lock_path_for(db_path).read_text("utf-8") or "{}")
        return LockHolder(int(data["pid"]), str(data["kind"]), str(data["since"]))
    except (OSError, ValueError, KeyError, TypeError):
        return None


def _describe(holder: LockHolder | None) -> str:
    if holder is None:
        return "another Reviewer process"
    what = "the Reviewer app" if holder.kind == "app" else "another reviewer command"
    return f"{what} (process {holder.pid}, since {holder.since})"


def _write_holder(fd: int, kind: str) -> None:
    info = {"pid": os.getpid(), "kind": kind, "since": time.strftime("%Y-%m-%d %H:%M:%S")}
    data = json.dumps(info).encode("utf-8")
    try:
        os.ftruncate(fd, 0)
        os.pwrite(fd, data, 0) if hasattr(os, "pwrite") else os.write(fd, data)
    except OSError:
        pass  # the message gets vaguer, the lock still holds


def acquire(db_path: str | os.PathLike[str], *, kind: str = "command", wait: float | None = None) -> None:
    """Take the writer lock (re-entrant in this process) or raise ``DatabaseInUse``.

    ``wait`` seconds are spent waiting for a command that is writing; a lock held by the app
    is refused at once, since it will not be released soon.
    """
    key = str(Path(db_path).resolve())
    wait = COMMAND_WAIT_S if wait is None else wait
    with _registry_guard:
        entry = _registry.get(key)
        if entry is None:
            entry = _registry[key] = _ProcessLock(lock_path_for(key))
        if entry.count > 0:
            entry.count += 1
            if kind == "app" and entry.kind != "app" and entry.fd is not None:
                entry.kind = "app"
                _write_holder(entry.fd, "app")
            return
        fd = os.open(entry.path, os.O_RDWR | os.O_CREAT, 0o600)
        started = time.monotonic()
        deadline = started + wait
        while not _try_os_lock(fd):
            holder = read_holder(key)
            now = time.monotonic()
            # The app keeps its lock: refuse at once (after a moment, in case the lock was only
            # being tested by ``is_locked_elsewhere`` in another process).
            app_holds = holder is not None and holder.kind == "app" and now - started > 0.25
            if app_holds or now >= deadline:
                os.close(fd)
                raise DatabaseInUse(
                    f"is in use by {_describe(holder)}; changes are refused until it is closed",
                    path=str(db_path),
                )
            time.sleep(0.05)
        entry.fd = fd
        entry.count = 1
        entry.kind = kind
        _write_holder(fd, kind)


def release(db_path: str | os.PathLike[str]) -> None:
    key = str(Path(db_path).resolve())
    with _registry_guard:
        entry = _registry.get(key)
        if entry is None or entry.count == 0:
            return
        entry.count -= 1
        if entry.count == 0 and entry.fd is not None:
            fd, entry.fd = entry.fd, None
            entry.kind = "command"
            with contextlib.suppress(OSError):
                os.ftruncate(fd, 0)
            try:
                _os_unlock(fd)
            finally:
                os.close(fd)


def held_here(db_path: str | os.PathLike[str]) -> bool:
    key = str(Path(db_path).resolve())
    with _registry_guard:
        entry = _registry.get(key)
        return bool(entry and entry.count)


def is_locked_elsewhere(db_path: str | os.PathLike[str]) -> LockHolder | None:
    """The holder, when another process holds the lock now; ``None`` when it is free or ours."""
    if held_here(db_path):
        return None
    path = lock_path_for(db_path)
    if not path.exists():
        return None
    fd = os.open(path, os.O_RDWR)
    try:
        if _try_os_lock(fd):
            _os_unlock(fd)
            return None
    finally:
        os.close(fd)
    return read_holder(db_path) or LockHolder(0, "unknown", "?")
