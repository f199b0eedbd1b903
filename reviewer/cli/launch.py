"""The ``reviewer`` command's entry point.

``reviewer open [PDF]`` (and plain ``reviewer``) starts a render worker on the document it
will show first (``reviewer.ui.head_start``), so that the worker loads MuPDF and opens the file
on another core while this process loads Qt and builds the window. These plain forms go
straight to the window without loading the command-line parser; everything else, and any
form with other options, is ``reviewer.cli.commands``'.
"""

from __future__ import annotations

import os
import sys
from typing import NamedTuple

from reviewer.cli.guard import has_display, run_guarded

# Global options of reviewer.cli that the plain forms may carry (they take a value).
PLAIN_OPTIONS = ("--db", "--author")


class PlainOpen(NamedTuple):
    pdf: str | None
    db: str | None
    author: str | None


def plain_open(argv: list[str]) -> PlainOpen | None:
    """``[--db X] [--author A] [open [PDF]]`` as ``reviewer.cli`` reads it, else None."""
    if os.environ.get("REVIEWER_PDF_PASSWORD") or not has_display():
        return None  # the head start opens without a password; `open` refuses without display
    options: dict[str, str] = {}
    rest = list(argv)
    while rest and rest[0].split("=", 1)[0] in PLAIN_OPTIONS:
        name, has_value, value = rest[0].partition("=")
        if not has_value:
            if len(rest) < 2:
                return None
            value = rest[1]
            rest = rest[1:]
        options[name] = value
        rest = rest[1:]
    if rest[:1] == ["open"]:
        rest = rest[1:]
    elif rest:
        return None  # another command, or an option of its own
    if len(rest) > 1 or (rest and rest[0].startswith("-")):
        return None
    return PlainOpen(
        rest[0] if rest else None,
        options.get("--db") or os.environ.get("REVIEWER_DB") or None,
        options.get("--author") or os.environ.get("REVIEWER_AUTHOR") or None,
    )


def open_window(request: PlainOpen) -> int:
    """What ``reviewer open`` does, with the render worker started first."""
    import gc

    # No garbage collection until the first page is on screen (``run_app`` turns it back on):
    # importing Qt and building the window make objects fast and no garbage, and each pass
    # over them found nothing to free (~10 ms of passes before the first page).
    collecting = gc.isenabled()
    gc.disable()
    try:
        return _open_window(request)
    finally:  # the window has closed (or never opened): as it was
        if collecting:
            gc.enable()


def _open_window(request: PlainOpen) -> int:
    from reviewer.ui import head_start

    loaded: dict[str, object] = {}  # settings read here are the window's too: read once
    if request.pdf:
        head_start.begin(request.pdf)  # first of all: the worker needs ~120 ms to be ready
    else:
        from reviewer.core.settings import Settings, document_to_open

        settings = loaded["settings"] = Settings.load()
        head_start.begin(document_to_open(None, settings.recent_files))
    from pathlib import Path

    from reviewer.ui.app import run_app

    db_path = Path(request.db) if request.db else None  # None: REVIEWER_DB, else the default
    return run_app(
        pdf=request.pdf,
        db_path=db_path,
        author=request.author,
        password=None,
        **loaded,  # type: ignore[arg-type]
    )


CHILD_MARK = "REVIEWER_COMMAND_PROCESS"  # set in the process that runs a command for ``main``
PDF_SUFFIXES = (".pdf",)


def run_isolated(argv: list[str], command: list[str] | None = None) -> int:
    """Run a command-line command in a child process and return its exit code.

    MuPDF is C: a hostile or damaged PDF can crash it, which would end the command with a signal
    and no word. The child's crash becomes one line naming the PDF and exit code 1; SQLite rolls
    back the write it did not finish. The child shares this terminal (stdin, stdout, stderr)."""
    import signal
    import subprocess

    from reviewer.cli.lifeline import PARENT_PID, forward_signals

    command = command or [sys.executable, "-m", "reviewer", *argv]
    env = dict(os.environ)
    env[CHILD_MARK] = "1"
    env[PARENT_PID] = str(os.getpid())
    child: subprocess.Popen[bytes] | None = None
    # SIGTERM, SIGINT and SIGHUP reach the child (a timeout or a closed terminal must not leave
    # it importing into the database after the command is gone); see reviewer.cli.lifeline.
    with forward_signals(lambda: child.pid if child is not None else None) as received:
        child = subprocess.Popen(command, env=env)
        if received:  # it came while the child was being started
            os.kill(child.pid, received[-1])
        code = child.wait()
    if code < 0 and -code in received:
        return 130 if -code == signal.SIGINT else 128 - code  # stopped as asked, not a crash
    if code >= 0:
        return code
    if -code == signal.SIGINT:
        return 130
    try:
        how = signal.Signals(-code).name
    except ValueError:
        how = f"signal {-code}"
    files = [a for a in argv if a.lower().endswith(PDF_SUFFIXES) and os.path.isfile(a)]
    where = f" on {', '.join(files)}" if files else ""
    print(
        f"reviewer: error: the PDF engine crashed ({how}){where}: the file is damaged or hostile; "
        "the step it was doing was not saved",
        file=sys.stderr,
    )
    return 1


def main() -> None:
    request = plain_open(sys.argv[1:])
    if request is not None:
        run_guarded(lambda: open_window(request))
    if os.name == "posix" and not os.environ.get(CHILD_MARK):
        sys.exit(run_isolated(sys.argv[1:]))
    from reviewer.cli import lifeline

    if os.environ.get(lifeline.PARENT_PID):  # the command's child: it ends with its parent
        lifeline.stop_on_signals()
        lifeline.die_with_parent()
    from reviewer.cli.commands import main as cli_main
    from reviewer.cli.progress_bar import bar_on_terminal

    try:
        with bar_on_terminal():  # a bar on stderr for long work, if it is a terminal
            cli_main()
    except lifeline.Stopped as stopped:
        print(f"reviewer: stopped by {stopped.name}; the step it was doing was not saved", file=sys.stderr)
        sys.exit(stopped.exit_code)
