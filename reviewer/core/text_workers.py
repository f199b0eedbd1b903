"""A large document's page texts read by several processes at once.

MuPDF's extraction holds the GIL, so threads do not help; processes do. A document of
``PARALLEL_MIN_PAGES`` pages or more is cut into runs of pages that worker processes (fresh
interpreters, safe beside Qt's threads; not ``multiprocessing``, which re-imports the
caller's main script in each) read from the same file, each opening it itself.
The results come back as the same ``PageText`` objects a serial read makes (their glyph boxes
are packed arrays, cheap to send), in page order.

The workers are told to die with the process that started them (Linux), ignore Ctrl+C (the
command that started them reports it), and check that the file is still the one that was
opened (size and modification time): anything unexpected makes the caller read serially.
"""

from __future__ import annotations

import os
import pickle
import signal
import subprocess
import sys
from collections.abc import Callable, Iterator
from contextlib import suppress
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from reviewer.core.pdf import PdfDocument
    from reviewer.core.textflow import PageText

PARALLEL_MIN_PAGES = 64  # below this, starting a process costs more than it saves
RUN_PAGES = 20  # pages per task: small enough to balance, large enough to amortize the pipe
MAX_WORKERS = 4
WORKERS_VARIABLE = "REVIEWER_TEXT_WORKERS"  # how many processes; 0 or 1: read in this process


@dataclass(frozen=True)
class FileStamp:
    """What says a file is still the one that was opened."""

    size: int
    mtime_ns: int

    @classmethod
    def of(cls, path: str) -> FileStamp:
        stat = os.stat(path)
        return cls(stat.st_size, stat.st_mtime_ns)


def worker_count(page_count: int) -> int:
    """How many processes should read a document of ``page_count`` pages (0: none)."""
    configured = os.environ.get(WORKERS_VARIABLE, "").strip()
    wanted = int(configured) if configured.isdigit() else min(os.cpu_count() or 1, MAX_WORKERS)
    if wanted < 2 or page_count < PARALLEL_MIN_PAGES:
        return 0
    return min(wanted, -(-page_count // RUN_PAGES))


# --- in the worker ----------------------------------------------------------------------------
def _die_with_parent() -> None:
    if sys.platform.startswith("linux"):
        import ctypes

        with suppress(OSError, AttributeError):
            ctypes.CDLL(None).prctl(1, int(signal.SIGTERM), 0, 0, 0)  # PR_SET_PDEATHSIG


def serve(parent: int) -> None:
    """The worker: reads its task from stdin (the password never goes on the command line),
    writes each run of page texts to stdout as a pickle, or None if it cannot read the file."""
    _die_with_parent()
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl+C is for the command that started it
    if os.getppid() != parent:  # it died before the request to die with it was made
        return
    path, password, stamp, runs = pickle.load(sys.stdin.buffer)
    out = sys.stdout.buffer
    from reviewer.core.pdf import open_pdf

    try:
        document = open_pdf(path, password) if FileStamp.of(path) == stamp else None
    except Exception:
        document = None
    for start, stop in runs:
        texts = None if document is None else [document.page_text(index) for index in range(start, stop)]
        pickle.dump(texts, out, protocol=pickle.HIGHEST_PROTOCOL)
        out.flush()


# --- in the caller ----------------------------------------------------------------------------
def read_pages(
    document: PdfDocument,
    page_count: int,
    read_one: Callable[[int], PageText],
    on_page: Callable[[int], None],
) -> list[PageText]:
    """Every page's text, in page order: read by worker processes when the document is large
    enough, else (or for what they could not read) by ``read_one`` in this process.
    ``on_page(n)`` is called once n pages are read."""
    texts: list[PageText] = []
    workers = worker_count(page_count)
    stamp = document.file_stamp()
    if workers and stamp is not None:
        for run in _runs_read_in_parallel(document, stamp, page_count, workers):
            if run is None:
                break
            texts.extend(run)
            on_page(len(texts))
    for index in range(len(texts), page_count):
        texts.append(read_one(index))
        on_page(index + 1)
    return texts


def _runs_read_in_parallel(
    document: PdfDocument, stamp: FileStamp, page_count: int, workers: int
) -> Iterator[list[PageText] | None]:
    """Runs of RUN_PAGES pages dealt to the workers in turn (run i to worker i mod n), read
    back in page order. Stops (None) at the first run a worker could not give."""
    runs = [(start, min(start + RUN_PAGES, page_count)) for start in range(0, page_count, RUN_PAGES)]
    code = f"from reviewer.core.text_workers import serve; serve({os.getpid()})"
    processes: list[subprocess.Popen[bytes]] = []
    try:
        for k in range(workers):
            process = subprocess.Popen(
                [sys.executable, "-c", code],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=subprocess.DEVNULL,
            )
            processes.append(process)
            assert process.stdin is not None
            task = (document.path, document.password, stamp, runs[k::workers])
            pickle.dump(task, process.stdin, protocol=pickle.HIGHEST_PROTOCOL)
            process.stdin.close()
        for n in range(len(runs)):
            stdout = processes[n % workers].stdout
            assert stdout is not None
            try:
                run = pickle.load(stdout)
            except Exception:  # the worker died (a crash in MuPDF) or wrote something else
                run = None
            yield run
            if run is None:
                return
    except OSError:  # no process could be started
        yield None
    finally:
        for process in processes:
            if process.poll() is None:
                process.kill()
            process.wait()
            if process.stdout is not None:
                process.stdout.close()
