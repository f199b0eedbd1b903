"""Shared pieces of the safety tests: running the CLI in a child process, databases with data."""

from __future__ import annotations

import hashlib
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PY = sys.executable
SAMPLE_TREATY = ROOT / "resources" / "sample-treaty.pdf"


def child_env(db: Path, **extra: str) -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))
    env["REVIEWER_DB"] = str(db)
    env.setdefault("REVIEWER_AUTHOR", "Ada Tester")
    env.pop("REVIEWER_DEBUG", None)
    env.update(extra)
    return env


def run_cli(db: Path, *args: str, timeout: float = 60, **kwargs: object) -> subprocess.CompletedProcess[str]:
    """``reviewer ARGS`` in a fresh interpreter, as a user would run it."""
    return subprocess.run(
        [PY, "-m", "reviewer", *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        env=child_env(db),
        check=False,
        **kwargs,  # type: ignore[arg-type]
    )


def assert_clean_refusal(done: subprocess.CompletedProcess[str], *must_contain: str) -> None:
    """Exit 1, one line on stderr naming the problem, no traceback."""
    assert done.returncode == 1, (done.returncode, done.stdout, done.stderr)
    lines = [line for line in done.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, done.stderr
    assert "Traceback" not in done.stderr
    assert lines[0].startswith("reviewer: error: "), lines[0]
    for text in must_contain:
        assert text in lines[0], (text, lines[0])


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def integrity(path: Path) -> str:
    conn = sqlite3.connect(path)
    try:
        return str(conn.execute("PRAGMA integrity_check").fetchone()[0])
    finally:
        conn.close()


def scalar(path: Path, sql: str, params: tuple[object, ...] = ()) -> object:
    conn = sqlite3.connect(path)
    try:
        return conn.execute(sql, params).fetchone()[0]
    finally:
        conn.close()


def populate(db: Path, pdf: Path, count: int = 3) -> list[str]:
    """A database with ``count`` annotations (one with a reply); returns their ids."""
    from reviewer.core.pdf import open_pdf
    from reviewer.core.review import Review
    from reviewer.core.settings import Identity

    review = Review.open(db, Identity("11111111-1111-4111-8111-111111111111", "Ada Tester"))
    ids = []
    try:
        with open_pdf(pdf) as document:
            flow = document.flow()
            step = max(1, len(flow.text) // (count + 1))
            for i in range(count):
                start = step * i + 10
                note = review.annotate_range(document, start, start + 40, comment=f"note {i}")
                ids.append(note.id)
            review.reply(ids[0], "a reply")
    finally:
        review.close()
    return ids


def content_digest(path: Path) -> str:
    """SHA-256 of every row of every table (documents' last_seen aside: opening a PDF to import
    into records when it was seen, which is not a change to the review)."""
    if not path.exists():
        return "absent"
    digest = hashlib.sha256()
    conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    try:
        tables = [
            r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
        ]
        for table in tables:
            columns = [r[1] for r in conn.execute(f'PRAGMA table_info("{table}")')]
            if table == "documents":
                columns = [c for c in columns if c not in ("last_seen", "last_path")]
            if not columns:
                continue
            names = ", ".join(f'"{c}"' for c in columns)
            digest.update(table.encode())
            for row in conn.execute(f'SELECT {names} FROM "{table}" ORDER BY {names}'):
                digest.update(repr(row).encode())
    finally:
        conn.close()
    return digest.hexdigest()
