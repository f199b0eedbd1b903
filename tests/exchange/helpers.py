"""Shared helpers for the exchange tests."""

from __future__ import annotations

import os
import shutil
import sqlite3
from pathlib import Path

import pytest

from reviewer.core.review import Review
from reviewer.core.settings import Identity

ADA = Identity("11111111-1111-4111-8111-111111111111", "Ada Tester")
BEN = Identity("22222222-2222-4222-8222-222222222222", "Ben Reviewer")
CARLA = Identity("33333333-3333-4333-8333-333333333333", "Carla Jurist")


def _find_shared() -> Path:
    """../shared next to the checkout (main) or two levels up (a worktree in /work/wt/<branch>)."""
    root = Path(__file__).resolve().parents[2]
    candidates = [
        Path(os.environ.get("REVIEWER_SHARED", "")),
        root.parent / "shared",
        root.parent.parent / "shared",
    ]
    for candidate in candidates:
        if str(candidate) not in ("", ".") and (candidate / "corpus").is_dir():
            return candidate
    return root.parent / "shared"


SHARED = _find_shared()
VALIDATOR = SHARED / "tools" / "validate_web_annotation.py"
W3C_TESTS = SHARED / "w3c-annotation-tests"
XFDF_CORPUS = SHARED / "corpus" / "xfdf"


def dump_db(path: Path) -> str:
    """The whole database as SQL text: equal dumps mean an unchanged database."""
    conn = sqlite3.connect(str(path))
    try:
        return "\n".join(conn.iterdump())
    finally:
        conn.close()


def open_review(path: Path, identity: Identity = ADA) -> Review:
    return Review.open(path, identity)


def copy_to(src: Path, folder: Path, name: str | None = None) -> Path:
    target = folder / (name or src.name)
    shutil.copyfile(src, target)
    return target


def annotate_sample(review: Review, pdf) -> list[str]:  # type: ignore[no-untyped-def]
    """A small realistic review: tags, comments, a reply, statuses, a tombstone, an area."""
    a = review.annotate_quote(
        pdf,
        "promote and strengthen measures",
        tags=["surveillance power"],
        comment="Too broad.\nSee Art. 3.",
    )
    b = review.annotate_quote(
        pdf, "reliable safeguards", tags=["safeguard", "vague definition"], status="accepted"
    )
    c = review.annotate_quote(pdf, "information system", occurrence=1, comment='Definition <b>&amp; "quotes"')
    review.reply(a.id, "Agreed; compare Art. 13(2).")
    review.reply(a.id, "Ünïcödé reply — „quoted“ 条约")
    review.edit(b.id, comment="Adequate.")
    review.delete(c.id)
    area = review.annotate_region(pdf, 1, (60.0, 80.0, 300.0, 140.0), comment="Table")
    note = review.annotate_region(pdf, 2, (100.0, 100.0, 110.0, 110.0), kind="note", comment="Note")
    return [a.id, b.id, c.id, area.id, note.id]


def corpus_pdf(name: str) -> Path:
    path = SHARED / "corpus" / "pdfs" / name
    if not path.exists():
        pytest.skip(f"corpus file {name} not available")
    return path


def corpus_xfdf(name: str) -> Path:
    path = XFDF_CORPUS / name
    if not path.exists():
        pytest.skip(f"corpus file {name} not available")
    return path


def run_cli(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    """``reviewer ARGV`` in this process: (exit code, stdout, stderr)."""
    from reviewer.cli import main

    with pytest.raises(SystemExit) as exit_info:
        main(argv)
    out, err = capsys.readouterr()
    return int(exit_info.value.code or 0), out, err
