"""A large document's text read by worker processes (issue 15): the same flow as a serial
read, the file checked before a worker trusts it, and a serial read whenever workers fail."""

from __future__ import annotations

import os
import sys
import threading
from collections.abc import Callable
from pathlib import Path

import pymupdf
import pytest

from reviewer.core import text_workers
from reviewer.core.pdf import PdfDocument, open_pdf

PAGES = 70


@pytest.fixture(params=["fork", "fresh interpreter"])
def worker_kind(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """Both kinds of worker: forked (Linux, no other thread) and a fresh interpreter."""
    if request.param == "fork" and not sys.platform.startswith("linux"):
        pytest.skip("workers are forked on Linux only")
    monkeypatch.setattr(text_workers, "_FRESH_ONLY", request.param != "fork")
    if request.param == "fork" and not text_workers._can_fork():
        pytest.skip(f"another thread runs in this process: {threading.enumerate()}")
    return str(request.param)


@pytest.fixture
def long_pdf(tmp_path: Path, sample_pdf: Path) -> Path:
    """The sample treaty repeated to 70 pages (more than PARALLEL_MIN_PAGES)."""
    source = pymupdf.open(sample_pdf)
    doc = pymupdf.open()
    while doc.page_count < PAGES:
        doc.insert_pdf(source, to_page=min(source.page_count, PAGES - doc.page_count) - 1)
    path = tmp_path / "long.pdf"
    doc.save(path)
    return path


def _flow_counting_serial_reads(pdf: PdfDocument, monkeypatch: pytest.MonkeyPatch) -> tuple[object, list[int]]:
    serial: list[int] = []
    original = PdfDocument.page_text

    def counted(self: PdfDocument, index: int) -> object:
        serial.append(index)
        return original(self, index)

    monkeypatch.setattr(PdfDocument, "page_text", counted)
    return pdf.flow(), serial


def _serial_flow(path: Path, monkeypatch: pytest.MonkeyPatch, password: str | None = None) -> object:
    monkeypatch.setenv(text_workers.WORKERS_VARIABLE, "0")
    with open_pdf(path, password) as pdf:
        return pdf.flow()


def _flow_with_two_workers(
    path: Path,
    monkeypatch: pytest.MonkeyPatch,
    password: str | None = None,
    after_open: Callable[[], None] = lambda: None,
) -> tuple[object, list[int]]:
    """The flow read with two workers, and the pages this process read itself."""
    monkeypatch.setenv(text_workers.WORKERS_VARIABLE, "2")
    with open_pdf(path, password) as pdf:
        after_open()
        return _flow_counting_serial_reads(pdf, monkeypatch)


def _same(a: object, b: object) -> None:
    assert a.text == b.text  # type: ignore[attr-defined]
    assert [(p.number, [(line.chars, list(line.boxes)) for line in p.lines]) for p in a.pages] == [  # type: ignore[attr-defined]
        (p.number, [(line.chars, list(line.boxes)) for line in p.lines]) for p in b.pages  # type: ignore[attr-defined]
    ]


def test_two_workers_read_every_page_and_the_flow_is_the_serial_one(
    long_pdf: Path, monkeypatch: pytest.MonkeyPatch, worker_kind: str
) -> None:
    serial_flow = _serial_flow(long_pdf, monkeypatch)
    monkeypatch.setenv(text_workers.WORKERS_VARIABLE, "2")
    with open_pdf(long_pdf) as pdf:
        flow, serial = _flow_counting_serial_reads(pdf, monkeypatch)
        assert serial == []  # every page came from the workers
        _same(flow, serial_flow)
        assert pdf.page_text(7).lines == flow.pages[7].lines  # kept for later lookups


def test_an_encrypted_document_is_read_by_the_workers_with_its_password(
    tmp_path: Path, long_pdf: Path, monkeypatch: pytest.MonkeyPatch, worker_kind: str
) -> None:
    locked = tmp_path / "locked.pdf"
    pymupdf.open(long_pdf).save(locked, encryption=pymupdf.PDF_ENCRYPT_AES_256, user_pw="r3view", owner_pw="own")
    serial_flow = _serial_flow(locked, monkeypatch, "r3view")
    flow, serial = _flow_with_two_workers(locked, monkeypatch, "r3view")
    assert serial == []
    _same(flow, serial_flow)


def test_a_file_changed_since_it_was_opened_is_not_read_by_the_workers(
    long_pdf: Path, monkeypatch: pytest.MonkeyPatch, worker_kind: str
) -> None:
    serial_flow = _serial_flow(long_pdf, monkeypatch)

    def touch() -> None:  # after the file was opened
        stat = os.stat(long_pdf)
        os.utime(long_pdf, ns=(stat.st_atime_ns, stat.st_mtime_ns + 5_000_000_000))

    flow, serial = _flow_with_two_workers(long_pdf, monkeypatch, after_open=touch)
    assert serial == list(range(PAGES))  # the workers refused; this process read every page
    _same(flow, serial_flow)


def test_workers_that_die_leave_the_read_to_this_process(
    long_pdf: Path, monkeypatch: pytest.MonkeyPatch, worker_kind: str
) -> None:
    serial_flow = _serial_flow(long_pdf, monkeypatch)
    if worker_kind == "fork":  # as if MuPDF crashed in the worker
        monkeypatch.setattr(text_workers, "_serve_runs", lambda task, out, open_document: os._exit(1))
    else:
        monkeypatch.setattr(sys, "executable", "/bin/false")  # every worker exits at once
    flow, serial = _flow_with_two_workers(long_pdf, monkeypatch)
    assert serial == list(range(PAGES))
    _same(flow, serial_flow)


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
def test_no_worker_is_left_after_the_read(
    long_pdf: Path, monkeypatch: pytest.MonkeyPatch, worker_kind: str
) -> None:
    def children() -> set[str]:
        return set(Path(f"/proc/{os.getpid()}/task/{os.getpid()}/children").read_text().split())

    before = children()
    monkeypatch.setenv(text_workers.WORKERS_VARIABLE, "3")
    with open_pdf(long_pdf) as pdf:
        pdf.flow()
    assert children() - before == set()  # none running, none a zombie


def test_small_documents_and_one_core_read_in_this_process(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(text_workers.WORKERS_VARIABLE, raising=False)
    monkeypatch.setattr(os, "cpu_count", lambda: 1)
    assert text_workers.worker_count(1000) == 0
    monkeypatch.setattr(os, "cpu_count", lambda: 8)
    assert text_workers.worker_count(text_workers.PARALLEL_MIN_PAGES - 1) == 0
    assert text_workers.worker_count(1000) == text_workers.MAX_WORKERS
    monkeypatch.setenv(text_workers.WORKERS_VARIABLE, "2")
    assert text_workers.worker_count(1000) == 2


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="workers are forked on Linux only")
def test_forked_workers_in_a_process_with_no_other_thread(long_pdf: Path) -> None:
    """The test process itself runs Qt's threads once a GUI test ran (then the fork cases
    above are skipped): the forked workers are checked in a fresh interpreter too."""
    import json
    import subprocess

    script = Path(__file__).with_name("fork_workers_check.py")
    env = {k: v for k, v in os.environ.items() if k != text_workers.WORKERS_VARIABLE}
    done = subprocess.run(
        [sys.executable, str(script), str(long_pdf)], capture_output=True, text=True, timeout=300, env=env
    )
    assert done.returncode == 0, done.stderr
    found = json.loads(done.stdout.strip().splitlines()[-1])
    assert found == {
        "could_fork": True,
        "same": True,
        "serial_reads": 0,  # every page came from the forked workers
        "left": [],  # none running, none a zombie
        "fallback_same": True,
        "fallback_reads": PAGES,  # the workers died: this process read every page
    }
