"""Long commands draw a progress bar on stderr when it is a terminal, and nothing when piped."""

from __future__ import annotations

import os
import pty
import subprocess
import sys
from pathlib import Path

import pytest

from reviewer.core.exchange.service import export_document
from reviewer.core.pdf import open_pdf
from tests.exchange.helpers import annotate_sample, open_review

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="needs a pseudo-terminal")


def _xfdf(tmp_path: Path, sample_pdf: Path) -> Path:
    first = open_review(tmp_path / "first.sqlite3")
    with open_pdf(sample_pdf) as pdf:
        annotate_sample(first, pdf)
        export_document(first, pdf, "xfdf", tmp_path / "a.xfdf")
    first.close()
    return tmp_path / "a.xfdf"


def _run(args: list[str], env: dict[str, str], *, tty: bool) -> tuple[int, str, str]:
    if not tty:
        done = subprocess.run(args, env=env, capture_output=True, text=True, timeout=120)
        return done.returncode, done.stdout, done.stderr
    main, secondary = pty.openpty()
    process = subprocess.Popen(args, env=env, stdout=subprocess.PIPE, stderr=secondary)
    os.close(secondary)
    chunks = []
    while True:
        try:
            chunk = os.read(main, 4096)
        except OSError:  # EIO: the terminal's other side is closed
            break
        if not chunk:
            break
        chunks.append(chunk)
    out = process.stdout.read().decode() if process.stdout else ""
    process.wait(timeout=120)
    os.close(main)
    return process.returncode, out, b"".join(chunks).decode()


def test_import_draws_a_bar_on_a_terminal_and_nothing_when_piped(tmp_path: Path, sample_pdf: Path) -> None:
    xfdf = _xfdf(tmp_path, sample_pdf)
    args = [sys.executable, "-m", "reviewer", "import", str(xfdf), "--pdf", str(sample_pdf)]
    env = dict(os.environ, REVIEWER_PROGRESS_DELAY="0", REVIEWER_DB=str(tmp_path / "tty.sqlite3"))
    code, out, err = _run(args, env, tty=True)
    assert code == 0, err
    assert "6 added" in out
    assert "% reading the text (" in err and "[#" in err
    assert err.rstrip(" ").endswith("\r")  # the bar is wiped: the terminal line is left clean
    env["REVIEWER_DB"] = str(tmp_path / "piped.sqlite3")
    code, out, err = _run(args, env, tty=False)
    assert code == 0 and "6 added" in out
    assert err == ""


def test_the_bar_waits_a_second_before_it_shows(tmp_path: Path) -> None:
    from reviewer.cli.progress_bar import TerminalBar

    class Terminal:
        text = ""

        def write(self, s: str) -> None:
            self.text += s

        def flush(self) -> None:
            pass

    quiet, shown = Terminal(), Terminal()
    TerminalBar(quiet)("merging", 1, 10)  # type: ignore[arg-type]
    TerminalBar(shown, delay=0)("merging", 5, 10)  # type: ignore[arg-type]
    assert quiet.text == ""
    assert " 50% merging (5/10)" in shown.text and "[#####" in shown.text
