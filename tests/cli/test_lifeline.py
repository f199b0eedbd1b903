"""A command's child never outlives it (issue 15): ``reviewer import`` stopped mid-way by
SIGTERM, SIGINT or SIGHUP, or its process SIGKILLed, leaves no process and an unchanged
database."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pymupdf
import pytest

from reviewer.cli import launch, lifeline
from reviewer.core.pdf import open_pdf
from reviewer.core.review import Review
from reviewer.core.settings import Identity

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="/proc and prctl are Linux's")

TEXT = (
    "Each Party shall adopt such legislative and other measures as may be necessary to establish "
    "the powers and procedures provided for in this section for the purpose of specific criminal "
    "investigations or proceedings, subject to the conditions and safeguards of this Convention. "
)
COUNT = 1500


def _inputs(tmp_path: Path) -> tuple[Path, Path, Path]:
    """A 600-page PDF, a database that knows it (one annotation) and an XFDF of 1,500
    highlights from another tool: an import that runs for two seconds or more after it opens
    the PDF (with 300 pages a loaded machine once delivered the signal as the import committed)."""
    pdf_path = tmp_path / "long.pdf"
    doc = pymupdf.open()
    for number in range(600):
        page = doc.new_page(width=595, height=842)
        page.insert_textbox(pymupdf.Rect(60, 60, 535, 790), f"Article {number + 1}\n" + TEXT * 9, fontsize=10)
    doc.save(pdf_path)
    xfdf = ['<?xml version="1.0"?><xfdf xmlns="http://ns.adobe.com/xfdf/"><annots>']
    page_words = {}
    for n in range(COUNT):
        number = n % 300
        if number not in page_words:
            page_words[number] = doc[number].get_text("words")
        words = page_words[number][(n // 300) * 3 : (n // 300) * 3 + 3]
        height = doc[number].rect.height
        x0, x1, top, bottom = words[0][0], words[-1][2], height - words[0][1], height - words[0][3]
        coords = ",".join(f"{v:.2f}" for v in (x0, top, x1, top, x0, bottom, x1, bottom))
        xfdf.append(
            f'<highlight page="{number}" coords="{coords}" title="Other"><contents>c{n}</contents></highlight>'
        )
    xfdf.append("</annots></xfdf>")
    doc.close()
    xfdf_path = tmp_path / "many.xfdf"
    xfdf_path.write_text("".join(xfdf), "utf-8")
    db = tmp_path / "kept.sqlite3"
    review = Review.open(db, Identity("11111111-1111-4111-8111-111111111111", "Ada Tester"))
    with open_pdf(pdf_path) as pdf:
        review.annotate_quote(pdf, "Each Party shall adopt", occurrence=5, comment="before")
    review.close()
    return pdf_path, xfdf_path, db


def _dump(db: Path) -> str:
    conn = sqlite3.connect(str(db))
    try:
        return "\n".join(conn.iterdump())
    finally:
        conn.close()


def _session_processes(sid: int) -> list[int]:
    found = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                stat = Path(f"/proc/{entry}/stat").read_text()
            except OSError:
                continue
            fields = stat.rsplit(")", 1)[1].split()
            if int(fields[3]) == sid and fields[0] != "Z":
                found.append(int(entry))
    return found


def _parent_of(pid: int) -> int:
    try:
        return int(Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[1])
    except (OSError, ValueError, IndexError):
        return -1


def _wait_until_importing(parent: subprocess.Popen[bytes], pdf_path: Path) -> int:
    """The child's pid, once it has the PDF open (it is reading the text under the highlights)."""
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        assert parent.poll() is None, "the import ended before it could be stopped"
        for pid in _session_processes(parent.pid):
            if pid == parent.pid or _parent_of(pid) != parent.pid:  # not the text workers
                continue
            try:
                targets = [os.readlink(f"/proc/{pid}/fd/{fd}") for fd in os.listdir(f"/proc/{pid}/fd")]
            except OSError:
                continue
            if str(pdf_path) in targets:
                return pid
        time.sleep(0.01)
    raise AssertionError("the import never opened the PDF")


def _copy_database(source: Path, target: Path) -> None:
    src, dst = sqlite3.connect(str(source)), sqlite3.connect(str(target))
    try:
        src.backup(dst)
    finally:
        src.close()
        dst.close()


def _wait_stopped(pid: int) -> None:
    """Until the process is stopped. kill() only queues SIGSTOP: on a loaded machine the child
    could be stopped later, after the signal the test sends next, which the kernel delivers
    first (the lower number): the child was then found stopped inside its SIGHUP handler, with
    nothing pending, and the test said the signal never reached it."""
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
        if state in ("T", "t"):
            return
        time.sleep(0.001)
    raise AssertionError(f"the child was not stopped: {_signal_state(pid)}")


def _signal_state(pid: int) -> str:
    """The process's state and signal masks, for a failure's message."""
    try:
        lines = Path(f"/proc/{pid}/status").read_text().splitlines()
    except OSError as exc:
        return f"no /proc/{pid}/status ({exc.strerror})"
    keys = ("State:", "PPid:", "SigPnd:", "ShdPnd:", "SigBlk:", "SigIgn:", "SigCgt:")
    return "; ".join(line.replace("\t", " ") for line in lines if line.startswith(keys))


def _wal_bytes(db: Path) -> int:
    wal = db.with_name(db.name + "-wal")
    return wal.stat().st_size if wal.exists() else 0


def _pending(pid: int) -> int:
    """The signals waiting for a process (its shared pending mask)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("ShdPnd:"):
            return int(line.split()[1], 16)
    return 0


def _start_and_hold(
    env: dict[str, str], pdf_path: Path, xfdf_path: Path, db: Path, before: str
) -> tuple[subprocess.Popen[bytes], int]:
    """Start the import and freeze its child (SIGSTOP) once it has the PDF open and has not yet
    committed; a fast machine may finish a whole import between two looks, so then it tries again from the database as it was
    (and when it froze the child during its transaction's writes)."""
    pristine = db.with_name("pristine.sqlite3")
    _copy_database(db, pristine)
    for _ in range(5):
        parent = subprocess.Popen(
            [sys.executable, "-m", "reviewer", "import", str(xfdf_path), "--pdf", str(pdf_path)],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            start_new_session=True,  # the test finds every process of the command by its session
        )
        child = _wait_until_importing(parent, pdf_path)
        os.kill(child, signal.SIGSTOP)
        _wait_stopped(child)
        # Held before its transaction wrote anything: a child frozen inside COMMIT (its pages
        # in the WAL, the commit not yet visible) would finish it before it could see a signal.
        if _wal_bytes(db) == 0 and _dump(db) == before:
            return parent, child
        os.kill(child, signal.SIGCONT)
        parent.communicate(timeout=120)
        _copy_database(pristine, db)
    raise AssertionError("the import always committed before the test could stop it")


@pytest.mark.parametrize("how", ["SIGTERM", "SIGKILL", "SIGINT", "SIGHUP"])
def test_stopping_an_import_mid_way_leaves_no_process_and_the_database_unchanged(
    tmp_path: Path, how: str
) -> None:
    pdf_path, xfdf_path, db = _inputs(tmp_path)
    before = _dump(db)
    env = dict(os.environ, REVIEWER_DB=str(db))
    env.pop(launch.CHILD_MARK, None)
    parent, child = _start_and_hold(env, pdf_path, xfdf_path, db, before)
    parent.send_signal(getattr(signal, how))
    # The child learns of the stop while frozen (forwarded by the parent, or PR_SET_PDEATHSIG's
    # SIGTERM when the parent is killed), then runs on: the signal is what ends it, not a race.
    expected = signal.SIGTERM if how == "SIGKILL" else getattr(signal, how)
    deadline = time.monotonic() + 30
    while not _pending(child) & (1 << (expected - 1)) and time.monotonic() < deadline:
        time.sleep(0.01)
    assert _pending(child) & (1 << (expected - 1)), (
        f"{how} never reached the child: {_signal_state(child)}; the command: {_signal_state(parent.pid)}"
    )
    os.kill(child, signal.SIGCONT)
    _, err = parent.communicate(timeout=30)
    deadline = time.monotonic() + 20
    while _session_processes(parent.pid) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert _session_processes(parent.pid) == [], f"left running after {how}"
    assert not Path(f"/proc/{child}").exists() or "Z" in Path(f"/proc/{child}/stat").read_text().split()[2]
    assert _dump(db) == before, (how, parent.returncode, err.decode()[-500:])
    if how == "SIGKILL":
        assert parent.returncode == -signal.SIGKILL
    elif how == "SIGINT":  # a KeyboardInterrupt in the child, reported as Ctrl+C always was
        assert parent.returncode == 1
        assert "reviewer: aborted" in err.decode()
    else:
        assert parent.returncode == 128 + getattr(signal, how)
        assert f"reviewer: stopped by {how}; the step it was doing was not saved" in err.decode()
    if how != "SIGKILL":
        return
    # Nothing else was broken: the same import, left alone, adds the highlights.
    done = subprocess.run(
        [sys.executable, "-m", "reviewer", "import", str(xfdf_path), "--pdf", str(pdf_path)],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    assert f"{COUNT} added" in done.stdout


def test_the_child_asks_to_die_with_its_parent() -> None:
    """PR_SET_PDEATHSIG is in place in a child that ``reviewer`` starts (read back by prctl)."""
    code = (
        "import ctypes, os; from reviewer.cli import lifeline; assert lifeline.die_with_parent(); "
        "libc = ctypes.CDLL(None); value = ctypes.c_int(); "
        "libc.prctl(2, ctypes.byref(value), 0, 0, 0); print(value.value)"
    )
    env = dict(os.environ, **{lifeline.PARENT_PID: str(os.getpid())})
    done = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
    assert int(done.stdout) == signal.SIGTERM
