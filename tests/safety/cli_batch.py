"""Run ``reviewer <command> FILE`` for many files in one interpreter, through the same entry point
as the console script (``reviewer.cli.main``), to spare a Python start per file.

Protocol on stdout, one JSON object a line: {"start": i} before file i, then
{"done": i, "code": exit code, "stderr": ..., "stdout": ..., "seconds": ...}. The parent watches
the time between the two and kills the runner when a file hangs; a runner that dies mid-file
(a crash in MuPDF) shows as a start without a done.
"""

from __future__ import annotations

import contextlib
import io
import json
import queue
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any


def runner(command: list[str], files: list[str]) -> None:
    import os

    from reviewer.cli import main

    digest_of = None
    if os.environ.get("REVIEWER_BATCH_DIGEST"):
        from safety_helpers import content_digest

        db = Path(os.environ["REVIEWER_DB"])

        def digest_of() -> str:
            return content_digest(db)

    real_stdout = sys.stdout
    for index, name in enumerate(files):
        real_stdout.write(json.dumps({"start": index}) + "\n")
        real_stdout.flush()
        out, err = io.StringIO(), io.StringIO()
        code: Any = None
        before = digest_of() if digest_of else None
        started = time.monotonic()
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            try:
                main([*command, name])
            except SystemExit as exc:
                code = exc.code
        answer = {
            "done": index,
            "code": code,
            "stdout": out.getvalue(),
            "stderr": err.getvalue(),
            "seconds": time.monotonic() - started,
        }
        if digest_of:
            answer["unchanged"] = before == digest_of()
        real_stdout.write(json.dumps(answer) + "\n")
        real_stdout.flush()


def run_batch(
    command: list[str], files: list[Path], env: dict[str, str], limit_s: float
) -> dict[Path, dict[str, Any]]:
    """Results by file: the runner's answer, or {"code": "hang"} / {"code": "crash"}."""
    results: dict[Path, dict[str, Any]] = {}
    pending = list(files)
    while pending:
        child = subprocess.Popen(
            [sys.executable, __file__, json.dumps(command), *map(str, pending)],  # noqa: S603
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=env,
        )
        lines: queue.Queue[str | None] = queue.Queue()

        def pump(stream: Any = child.stdout, sink: queue.Queue[str | None] = lines) -> None:
            for line in stream:
                sink.put(line)
            sink.put(None)

        threading.Thread(target=pump, daemon=True).start()
        current: int | None = None
        done_count = 0
        while True:
            try:
                line = lines.get(timeout=limit_s if current is not None else 120)
            except queue.Empty:
                child.kill()
                child.wait()
                if current is not None:
                    results[pending[current]] = {"code": "hang", "seconds": limit_s}
                    done_count = current + 1
                break
            if line is None:
                child.wait()
                if current is not None:
                    results[pending[current]] = {
                        "code": "crash",
                        "stderr": child.stderr.read() if child.stderr else "",
                    }
                    done_count = current + 1
                break
            message = json.loads(line)
            if "start" in message:
                current = message["start"]
            else:
                results[pending[message["done"]]] = message
                current = None
                done_count = message["done"] + 1
        pending = pending[done_count:]
    return results


if __name__ == "__main__":
    # Arguments: the command (JSON list) and the files; then "reviewer <command...> FILE".
    runner(json.loads(sys.argv[1]), sys.argv[2:])
