"""Open an untrusted PDF in a worker process first, so that a file that crashes or hangs MuPDF
cannot take the app down.

``probe_pdf`` runs the risky first open, the text extraction of every page and a small render of
the first page in a child Python process with a time limit (and, on POSIX, a memory limit). The
app opens the file itself only after the probe said ``ok``; a crash, a hang or an error becomes
one line naming the file and the problem.
"""

from __future__ import annotations

import contextlib
import json
import os
import queue
import subprocess
import sys
import threading
import time
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

DEFAULT_TIMEOUT_S = 20.0
WORKER_MEMORY_BYTES = 2 * 1024**3


@dataclass(frozen=True)
class ProbeResult:
    """What the worker found. ``outcome``: ok, refused (a clear error), crashed or timeout."""

    path: str
    outcome: str
    message: str = ""
    page_count: int = 0
    repaired: bool = False
    text_chars: int = 0
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        return self.outcome == "ok"

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


def _package_root() -> str:
    return str(Path(__file__).resolve().parents[2])


def probe_pdf(
    path: str | os.PathLike[str],
    password: str | None = None,
    timeout: float = DEFAULT_TIMEOUT_S,
) -> ProbeResult:
    """Open, extract and render ``path`` in a worker process; never raises for a bad file."""
    file = str(path)
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [_package_root(), env.get("PYTHONPATH")]))
    request = json.dumps({"path": file, "password": password})
    started = time.monotonic()
    try:
        returncode, answer = _run_worker(request, env, timeout)
    except TimeoutError:
        return ProbeResult(
            file,
            "timeout",
            f"{file}: reading the PDF did not finish within {timeout:g} s (no page read in that "
            "time); the file may be damaged or built to hang PDF readers",
            seconds=time.monotonic() - started,
        )
    elapsed = time.monotonic() - started
    if returncode < 0 or returncode not in (0, 1):
        how = f"signal {-returncode}" if returncode < 0 else f"exit {returncode}"
        return ProbeResult(
            file,
            "crashed",
            f"{file}: the PDF reader crashed on this file ({how}); the file is damaged or hostile",
            seconds=elapsed,
        )
    try:
        data = json.loads(answer)
    except ValueError:
        return ProbeResult(
            file, "crashed", f"{file}: the PDF reader stopped without an answer", seconds=elapsed
        )
    return ProbeResult(
        file,
        str(data.get("outcome", "refused")),
        str(data.get("message", "")),
        int(data.get("page_count", 0)),
        bool(data.get("repaired", False)),
        int(data.get("text_chars", 0)),
        elapsed,
    )


PROGRESS = b"progress\n"  # the worker's line after each page: it is alive and moving


def _run_worker(request: str, env: dict[str, str], timeout: float) -> tuple[int, bytes]:
    """The worker's exit code and last line. ``timeout`` bounds the time without progress, not
    the whole read: a 1,000-page document on a busy laptop takes longer than a hostile file
    needs to show that it hangs (TimeoutError, the worker killed)."""
    process = subprocess.Popen(
        [sys.executable, "-m", "reviewer.core.pdf_guard"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        env=env,
    )
    lines: queue.Queue[bytes | None] = queue.Queue()

    def pump() -> None:  # a thread: pipes cannot be waited on with a time limit on Windows
        assert process.stdout is not None
        for line in process.stdout:
            lines.put(line)
        lines.put(None)

    threading.Thread(target=pump, daemon=True).start()
    try:
        assert process.stdin is not None
        with contextlib.suppress(BrokenPipeError):
            process.stdin.write(request.encode("utf-8"))
            process.stdin.close()
        answer = b""
        deadline = time.monotonic() + timeout
        while True:
            try:
                line = lines.get(timeout=max(0.0, deadline - time.monotonic()))
            except queue.Empty:
                raise TimeoutError from None
            if line is None:
                break
            if line == PROGRESS:
                deadline = time.monotonic() + timeout
            elif line.strip():
                answer = line.strip()
        return process.wait(), answer
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()


def _limit_memory() -> None:
    try:
        import resource

        resource.setrlimit(resource.RLIMIT_AS, (WORKER_MEMORY_BYTES, WORKER_MEMORY_BYTES))
    except (ImportError, ValueError, OSError):
        pass


def _work(request: dict[str, Any]) -> dict[str, Any]:
    from reviewer.core.errors import ReviewerError
    from reviewer.core.pdf import open_pdf

    path = str(request["path"])
    try:
        document = open_pdf(path, request.get("password"))
    except ReviewerError as exc:
        return {"outcome": "refused", "message": str(exc)}
    sys.stdout.buffer.write(PROGRESS)  # MuPDF loaded and the file opened
    sys.stdout.flush()
    with document:
        chars = 0
        for index in range(document.page_count):
            chars += sum(len(line.chars) for line in document.page_text(index).lines)
            sys.stdout.buffer.write(PROGRESS)
            sys.stdout.flush()
            if os.environ.get("REVIEWER_PROBE_FAULT") == "slow":  # a test hook: a long read
                time.sleep(1.0)
        try:
            document.render_page_png(0, 0.25)
        except Exception as exc:  # noqa: BLE001 - a page that does not render is reported
            return {
                "outcome": "refused",
                "message": f"{path}: the first page cannot be shown ({exc})",
            }
        return {
            "outcome": "ok",
            "page_count": document.page_count,
            "repaired": document.is_repaired,
            "text_chars": chars,
            "message": (
                f"{path}: the file is damaged; it was repaired while opening (text may be incomplete)"
                if document.is_repaired
                else ""
            ),
        }


def main() -> int:
    _limit_memory()
    request = json.loads(sys.stdin.read())
    fault = os.environ.get("REVIEWER_PROBE_FAULT")  # a test hook: prove crashes are contained
    if fault == "crash":
        os.abort()
    elif fault == "hang":
        time.sleep(3600)
    try:
        answer = _work(request)
    except MemoryError:
        answer = {
            "outcome": "refused",
            "message": f"{request['path']}: needs too much memory to read",
        }
    except Exception as exc:  # noqa: BLE001 - one line for any MuPDF failure
        text = " ".join(str(exc).split())[:160] or type(exc).__name__
        answer = {
            "outcome": "refused",
            "message": f"{request['path']}: cannot be read as a PDF ({text})",
        }
    sys.stdout.write(json.dumps(answer) + "\n")
    sys.stdout.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main())
