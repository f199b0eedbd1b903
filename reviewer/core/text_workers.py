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
import sys
from collections.abc import Callable, Iterator
from contextlib import suppress
from dataclasses import dataclass
from typing import IO, TYPE_CHECKING, Any, BinaryIO, Protocol

if TYPE_CHECKING:
    import subprocess  # imported where a worker is started: every PDF opened imports this module

    from reviewer.core.textflow import PageText


class Readable(Protocol):
    """What a worker needs of the opened document (``PdfDocument``; this module does not
    import ``pdf``, which calls it)."""

    path: str
    password: str | None

    def file_stamp(self) -> FileStamp | None: ...


OpenDocument = Callable[[str, "str | None"], Any]  # open_pdf: path, password -> a document

PARALLEL_MIN_PAGES = 64  # below this, starting a process costs more than it saves
RUN_PAGES = 20  # pages per task: small enough to balance, large enough to amortize the pipe
MAX_WORKERS = 4
WORKERS_VARIABLE = "REVIEWER_TEXT_WORKERS"  # how many processes; 0 or 1: read in this process
Task = tuple[str, "str | None", "FileStamp", list[tuple[int, int]]]  # path, password, stamp, runs


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


def _quiet_signals() -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl+C is for the command that started it
    for name in ("SIGTERM", "SIGHUP"):  # a forked worker inherits the command's handlers
        if hasattr(signal, name):
            signal.signal(getattr(signal, name), signal.SIG_DFL)


def _serve_runs(task: Task, out: BinaryIO, open_document: OpenDocument) -> None:
    """Each run of page texts to ``out`` as a pickle, or None if the file cannot be read."""
    path, password, stamp, runs = task
    try:
        document = open_document(path, password) if FileStamp.of(path) == stamp else None
    except Exception:
        document = None
    for start, stop in runs:
        texts = None if document is None else [document.page_text(index) for index in range(start, stop)]
        pickle.dump(texts, out, protocol=pickle.HIGHEST_PROTOCOL)
        out.flush()


def serve(parent: int, open_document: OpenDocument) -> None:
    """A worker in a fresh interpreter: its task comes on stdin (the password never goes on
    the command line), its runs go to stdout."""
    _die_with_parent()
    _quiet_signals()
    if os.getppid() != parent:  # it died before the request to die with it was made
        return
    _serve_runs(pickle.load(sys.stdin.buffer), sys.stdout.buffer, open_document)


class _Worker:
    """One worker process and the pipe its runs come back on."""

    def __init__(self, task: Task, open_document: OpenDocument) -> None:
        self.pid = 0
        self.process: subprocess.Popen[bytes] | None = None
        if _can_fork():
            self._fork(task, open_document)
        else:
            self._start_interpreter(task, open_document)

    def _fork(self, task: Task, open_document: OpenDocument) -> None:
        # A fork is ready at once; a fresh interpreter takes a quarter of a second to import
        # PyMuPDF. Only where no other thread runs (a fork copies none of them, and a lock one
        # of them held would stay locked in the child).
        parent = os.getpid()
        read_end, write_end = os.pipe()
        pid = os.fork()
        if pid == 0:  # the child: never returns into the caller's code
            try:
                os.close(read_end)
                _die_with_parent()
                _quiet_signals()
                if os.getppid() == parent:
                    with os.fdopen(write_end, "wb") as out:
                        _serve_runs(task, out, open_document)
            finally:
                os._exit(0)
        os.close(write_end)
        self.pid = pid
        self.output: IO[bytes] = os.fdopen(read_end, "rb")

    def _start_interpreter(self, task: Task, open_document: OpenDocument) -> None:
        opener = f"from {open_document.__module__} import {open_document.__name__} as open_document"
        code = f"{opener}; from reviewer.core.text_workers import serve; serve({os.getpid()}, open_document)"
        import subprocess

        process = subprocess.Popen(
            [sys.executable, "-c", code],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
        )
        self.process = process
        assert process.stdin is not None and process.stdout is not None
        self.output = process.stdout
        pickle.dump(task, process.stdin, protocol=pickle.HIGHEST_PROTOCOL)
        process.stdin.close()

    def next_run(self) -> list[PageText] | None:
        try:
            run: list[PageText] | None = pickle.load(self.output)
        except Exception:  # the worker died (a crash in MuPDF) or wrote something else
            return None
        return run

    def end(self) -> None:
        """Stopped if still running, and waited for (no zombie left)."""
        if self.process is not None:
            if self.process.poll() is None:
                self.process.kill()
            self.process.wait()
        elif self.pid:
            with suppress(ProcessLookupError):
                os.kill(self.pid, signal.SIGKILL)
            with suppress(ChildProcessError):
                os.waitpid(self.pid, 0)
        self.output.close()


def _can_fork() -> bool:
    """Linux, and no other thread in the process: Python's own list misses Qt's threads,
    the kernel's does not."""
    if _FRESH_ONLY or not sys.platform.startswith("linux"):
        return False
    try:
        return len(os.listdir("/proc/self/task")) == 1
    except OSError:
        return False


_FRESH_ONLY = False  # tests set it to exercise the fresh-interpreter workers on Linux


# --- in the caller ----------------------------------------------------------------------------
def read_pages(
    document: Readable,
    page_count: int,
    read_one: Callable[[int], PageText],
    on_page: Callable[[int], None],
    open_document: OpenDocument,
) -> list[PageText]:
    """Every page's text, in page order: read by worker processes (each opening the file
    with ``open_document``) when the document is large enough, else (or for what they could
    not read) by ``read_one`` in this process. ``on_page(n)`` is called once n pages are read."""
    texts: list[PageText] = []
    workers = worker_count(page_count)
    stamp = document.file_stamp()
    if workers and stamp is not None:
        for run in _runs_read_in_parallel(document, stamp, page_count, workers, open_document):
            if run is None:
                break
            texts.extend(run)
            on_page(len(texts))
    for index in range(len(texts), page_count):
        texts.append(read_one(index))
        on_page(index + 1)
    return texts


def _runs_read_in_parallel(
    document: Readable, stamp: FileStamp, page_count: int, workers: int, open_document: OpenDocument
) -> Iterator[list[PageText] | None]:
    """Runs of RUN_PAGES pages dealt to the workers in turn (run i to worker i mod n), read
    back in page order. Stops (None) at the first run a worker could not give."""
    runs = [(start, min(start + RUN_PAGES, page_count)) for start in range(0, page_count, RUN_PAGES)]
    started: list[_Worker] = []
    try:
        for k in range(workers):
            task = (document.path, document.password, stamp, runs[k::workers])
            started.append(_Worker(task, open_document))
        for n in range(len(runs)):
            run = started[n % workers].next_run()
            yield run
            if run is None:
                return
    except OSError:  # no process could be started
        yield None
    finally:
        for worker in started:
            worker.end()
