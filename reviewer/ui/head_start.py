"""A head start for ``reviewer open``: the first render worker starts before Qt is loaded.

A worker needs ~120 ms to start Python, load MuPDF and open the document; the window needs
~200 ms to load Qt and build itself. Started first thing, the worker does its part on the
other core while the window builds, and the window's own process loads MuPDF only after the
first page is on screen. The window's render pool adopts the worker (``take``); if nothing
adopts it, it ends with this process (its pipe closes).

Stdlib only: this module is imported before anything else of Reviewer's.
"""

from __future__ import annotations

import contextlib
import mmap
import os
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

# One tile's RGB pixels at most (a whole page up to WHOLE_PAGE_LIMIT, or a TILE x TILE piece);
# a bigger one still comes through the pipe.
TILE_BUFFER_BYTES = 2048 * 2048 * 3 + 4096
# Pages whose boxes the first worker sends with its "opened" reply: the window lays out the
# first screens from them before it has MuPDF itself.
SUMMARY_PAGES = 64
FIRST_GENERATION = 1


def create_tile_buffer() -> tuple[int, mmap.mmap] | None:
    """Memory both processes map: the worker writes a tile's pixels there, the window reads
    them, instead of copying 4 MB through the pipe (pickle, two kernel copies, unpickle).
    An unlinked file in /dev/shm (in RAM) whose descriptor the worker inherits, so nothing is
    left behind whatever happens to either process. POSIX only; None means the pipe."""
    if os.name != "posix":
        return None
    folder = "/dev/shm" if os.path.isdir("/dev/shm") else None
    try:
        handle, path = tempfile.mkstemp(prefix="reviewer-tiles-", dir=folder)
    except OSError:
        return None
    with contextlib.suppress(OSError):
        os.unlink(path)
    try:
        os.ftruncate(handle, TILE_BUFFER_BYTES)
        return handle, mmap.mmap(handle, TILE_BUFFER_BYTES)
    except (OSError, ValueError):
        os.close(handle)
        return None


def spawn_worker(niceness: int, renders: bool = True) -> tuple[subprocess.Popen[bytes], mmap.mmap | None]:
    """A render worker process (``reviewer.ui.render_process``) and its tile buffer."""
    root = str(Path(__file__).resolve().parents[2])
    env = dict(os.environ)
    env["PYTHONPATH"] = root + (os.pathsep + env["PYTHONPATH"] if env.get("PYTHONPATH") else "")
    arguments = [sys.executable, "-m", "reviewer.ui.render_process", str(niceness)]
    created = create_tile_buffer() if renders else None
    if created is not None:
        arguments += [str(created[0]), str(TILE_BUFFER_BYTES)]
    buffer = None
    try:
        process = subprocess.Popen(
            arguments,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            env=env,
            pass_fds=(created[0],) if created is not None else (),
        )
    finally:
        if created is not None:
            os.close(created[0])  # the worker has its own descriptor; the mapping stays
            buffer = created[1]
    return process, buffer


@dataclass
class HeadStart:
    """A render worker already asked to open ``path`` (generation 1, with a summary)."""

    path: str
    process: subprocess.Popen[bytes]
    tile_buffer: mmap.mmap | None


_waiting: HeadStart | None = None


def begin(path: str | os.PathLike[str]) -> None:
    """Start a render worker on ``path`` now (no password: encrypted files take the normal
    way). Errors are silent: the window then starts its workers itself."""
    global _waiting
    if _waiting is not None or not os.path.isfile(path):
        return
    try:
        # At full priority until its first tile: the reader waits for nothing else. Then it
        # yields to the window like the other workers (niceness 4).
        process, buffer = spawn_worker(0)
        assert process.stdin is not None
        message = ("open", FIRST_GENERATION, str(path), None, SUMMARY_PAGES, 4)
        _write(process.stdin, message)
    except Exception:  # noqa: BLE001 - a head start is only an optimisation
        return
    _waiting = HeadStart(str(path), process, buffer)


def take(path: str | os.PathLike[str]) -> HeadStart | None:
    """The worker started for ``path``, for the window's render pool to adopt (once)."""
    global _waiting
    head, _waiting = _waiting, None
    if head is None:
        return None
    if os.path.abspath(head.path) != os.path.abspath(str(path)) or head.process.poll() is not None:
        discard(head)
        return None
    return head


def discard(head: HeadStart) -> None:
    with contextlib.suppress(Exception):
        head.process.kill()
        head.process.wait(timeout=1)
    if head.tile_buffer is not None:
        with contextlib.suppress(Exception):
            head.tile_buffer.close()


def _write(stream: IO[bytes], message: Any) -> None:
    from reviewer.ui.render_process import write_message  # Qt-free; see its module

    write_message(stream, message)
