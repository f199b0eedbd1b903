"""Write files so that a crash leaves either the old complete file or the new complete one.

A temporary file in the same folder, fsync, rename over the target, fsync the folder.
Temporaries carry a recognisable suffix so that ``remove_stale_temporaries`` can clear them.
"""

from __future__ import annotations

import errno
import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import IO

TEMP_SUFFIX = ".reviewer-tmp"
_NO_SPACE = {errno.ENOSPC, errno.EFBIG, getattr(errno, "EDQUOT", errno.ENOSPC)}


@contextmanager
def atomic_write(path: str | os.PathLike[str], mode: str = "wb") -> Iterator[IO[bytes]]:
    """``with atomic_write(path) as handle: handle.write(...)``; replaced only on success."""
    target = Path(path)
    folder = target.parent if str(target.parent) else Path(".")
    fd, tmp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=TEMP_SUFFIX, dir=folder)
    try:
        with os.fdopen(fd, mode) as handle:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp_name, target)
        _fsync_dir(folder)
    except BaseException as exc:
        with suppress(OSError):
            os.unlink(tmp_name)
        if isinstance(exc, OSError) and exc.errno in _NO_SPACE:
            from reviewer.core.errors import ReviewerError

            raise ReviewerError(
                "cannot be written: the disk is full (the previous file, if any, is unchanged)",
                path=str(target),
            ) from None
        raise


def write_bytes_atomic(path: str | os.PathLike[str], data: bytes) -> None:
    with atomic_write(path) as handle:
        handle.write(data)


def write_text_atomic(path: str | os.PathLike[str], text: str) -> None:
    write_bytes_atomic(path, text.encode("utf-8"))


def remove_stale_temporaries(folder: str | os.PathLike[str], older_than: float = 0.0) -> list[Path]:
    """Delete temporaries a crash left behind in ``folder`` (called at start for the folders
    the app writes to). ``older_than`` seconds spares a write in progress in another process."""
    import time

    removed: list[Path] = []
    if not Path(folder).is_dir():
        return removed
    limit = time.time() - older_than
    for candidate in Path(folder).glob(f".*{TEMP_SUFFIX}"):
        try:
            if older_than and candidate.stat().st_mtime > limit:
                continue
            candidate.unlink()
            removed.append(candidate)
        except OSError:
            pass
    return removed


def _fsync_dir(folder: Path) -> None:
    if os.name != "posix":
        return
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def refuse_to_overwrite(target: str | os.PathLike[str], original: str | os.PathLike[str]) -> None:
    """The user's original PDF is never written: refuse any output aimed at it (or at a link
    to it), whatever the format."""
    from reviewer.core.errors import ReviewerError

    target_path, original_path = Path(target), Path(original)
    same = target_path.resolve() == original_path.resolve()
    if not same and target_path.exists():
        try:
            same = os.path.samefile(target_path, original_path)
        except OSError:
            same = False
    if same:
        raise ReviewerError(
            "is the document itself: Reviewer never writes to the original PDF; choose another -o",
            path=str(target),
        )
