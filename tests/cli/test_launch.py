"""The `reviewer` entry point: plain `reviewer open [PDF]` starts a render worker first and goes
straight to the window; every other form goes through the command-line parser."""

from __future__ import annotations

from pathlib import Path

import pytest

from reviewer.cli import launch
from reviewer.cli.launch import PlainOpen, plain_open
from reviewer.core.errors import ReviewerError


@pytest.fixture(autouse=True)
def display(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("QT_QPA_PLATFORM", "offscreen")
    monkeypatch.delenv("REVIEWER_DB", raising=False)
    monkeypatch.delenv("REVIEWER_AUTHOR", raising=False)


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        ([], PlainOpen(None, None, None)),
        (["open"], PlainOpen(None, None, None)),
        (["open", "treaty.pdf"], PlainOpen("treaty.pdf", None, None)),
        (["--db", "r.sqlite3", "open", "t.pdf"], PlainOpen("t.pdf", "r.sqlite3", None)),
        (["--db=r.sqlite3", "--author", "Ada", "open"], PlainOpen(None, "r.sqlite3", "Ada")),
        (["--author=Ada"], PlainOpen(None, None, "Ada")),
        (["list", "t.pdf"], None),
        (["open", "--help"], None),
        (["open", "a.pdf", "b.pdf"], None),
        (["--password", "x", "open", "t.pdf"], None),
        (["--version"], None),
        (["--db"], None),
    ],
)
def test_only_the_plain_forms_skip_the_parser(argv: list[str], expected: PlainOpen | None) -> None:
    assert plain_open(argv) == expected


def test_environment_fills_what_the_options_do_not(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("REVIEWER_DB", "env.sqlite3")
    monkeypatch.setenv("REVIEWER_AUTHOR", "Env Author")
    assert plain_open(["open", "t.pdf"]) == PlainOpen("t.pdf", "env.sqlite3", "Env Author")
    assert plain_open(["--db", "x.sqlite3", "open"]) == PlainOpen(None, "x.sqlite3", "Env Author")


def test_a_password_or_no_display_takes_the_usual_way(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("REVIEWER_PDF_PASSWORD", "secret")
    assert plain_open(["open", "t.pdf"]) is None
    monkeypatch.delenv("REVIEWER_PDF_PASSWORD")
    monkeypatch.delenv("QT_QPA_PLATFORM")
    monkeypatch.delenv("DISPLAY", raising=False)
    monkeypatch.delenv("WAYLAND_DISPLAY", raising=False)
    monkeypatch.setattr(launch.sys, "platform", "linux")
    assert plain_open(["open", "t.pdf"]) is None  # `open` then says there is no display


def _run(monkeypatch: pytest.MonkeyPatch, argv: list[str]) -> int:
    monkeypatch.setattr(launch.sys, "argv", ["reviewer", *argv])
    with pytest.raises(SystemExit) as stopped:
        launch.main()
    return int(stopped.value.code or 0)


def test_plain_open_starts_the_worker_then_the_window(
    monkeypatch: pytest.MonkeyPatch, sample_pdf: Path
) -> None:
    import gc

    import reviewer.ui.app
    import reviewer.ui.head_start

    calls: list[tuple[str, object]] = []
    monkeypatch.setattr(reviewer.ui.head_start, "begin", lambda path: calls.append(("worker", str(path))))
    monkeypatch.setattr(
        reviewer.ui.app, "run_app", lambda **kwargs: calls.append(("window", kwargs, gc.isenabled())) or 0
    )
    assert gc.isenabled()
    assert _run(monkeypatch, ["--db", "r.sqlite3", "--author", "Ada", "open", str(sample_pdf)]) == 0
    assert gc.isenabled()  # paused for the start-up only: on again once the window is gone
    assert calls[0] == ("worker", str(sample_pdf))  # before the window is even imported
    assert calls[1] == (
        "window",
        {"pdf": str(sample_pdf), "db_path": Path("r.sqlite3"), "author": "Ada", "password": None},
        False,  # no collection while the window is built (run_app turns it on after the page)
    )


def test_plain_open_reports_a_user_error_in_one_line(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import reviewer.ui.app

    def refuse(**kwargs: object) -> int:
        raise ReviewerError("is not a PDF", path="notes.txt")

    monkeypatch.setattr(reviewer.ui.app, "run_app", refuse)
    assert _run(monkeypatch, ["open", "notes.txt"]) == 1
    err = capsys.readouterr().err
    assert err == "reviewer: error: notes.txt: is not a PDF\n"


def test_other_commands_go_through_the_parser(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv(launch.CHILD_MARK, "1")  # as in the command's own process
    assert _run(monkeypatch, ["--version"]) == 0
    assert "reviewer" in capsys.readouterr().out
    assert _run(monkeypatch, ["open", "--help"]) == 0
    assert "Open the review window" in capsys.readouterr().out
    assert _run(monkeypatch, ["no-such-command"]) == 2


def test_a_command_runs_in_a_child_and_keeps_its_output_and_exit_code(tmp_path: Path) -> None:
    import subprocess
    import sys

    root = Path(__file__).resolve().parents[2]
    env = {**__import__("os").environ, "PYTHONPATH": str(root)}
    env.pop(launch.CHILD_MARK, None)
    done = subprocess.run(
        [sys.executable, "-m", "reviewer", "no-such-command"], capture_output=True, text=True, env=env
    )
    assert done.returncode == 2 and "No such command 'no-such-command'" in done.stderr
    done = subprocess.run(
        [sys.executable, "-m", "reviewer", "--version"], capture_output=True, text=True, env=env
    )
    assert done.returncode == 0 and done.stdout.startswith("reviewer, version ")


def test_a_crash_of_the_pdf_engine_becomes_one_line_and_exit_1(
    sample_pdf: Path, capfd: pytest.CaptureFixture[str]
) -> None:
    import sys

    crash = [sys.executable, "-c", "import os; os.abort()"]  # what a MuPDF crash looks like from outside
    code = launch.run_isolated(["annotate", str(sample_pdf), "--quote", "x"], command=crash)
    err = capfd.readouterr().err
    assert code == 1
    assert err == (
        f"reviewer: error: the PDF engine crashed (SIGABRT) on {sample_pdf}: the file is damaged or "
        "hostile; the step it was doing was not saved\n"
    )
    assert launch.run_isolated(["list"], command=[sys.executable, "-c", "raise SystemExit(3)"]) == 3


def test_plain_reviewer_reads_the_settings_once_and_gives_them_to_the_window(
    monkeypatch: pytest.MonkeyPatch, sample_pdf: Path
) -> None:
    import reviewer.ui.app
    import reviewer.ui.head_start
    from reviewer.core.settings import Settings

    remembered = Settings(recent_files=[str(sample_pdf)])
    reads: list[Settings] = []
    monkeypatch.setattr(
        Settings, "load", classmethod(lambda cls, directory=None: reads.append(remembered) or remembered)
    )
    started: list[str] = []
    monkeypatch.setattr(reviewer.ui.head_start, "begin", lambda path: started.append(str(path)))
    windows: list[dict[str, object]] = []
    monkeypatch.setattr(reviewer.ui.app, "run_app", lambda **kwargs: windows.append(kwargs) or 0)
    assert _run(monkeypatch, []) == 0
    assert started == [str(sample_pdf)]  # the last document opened
    assert len(reads) == 1
    assert windows[0]["settings"] is remembered and windows[0]["pdf"] is None
