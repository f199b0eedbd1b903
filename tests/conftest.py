"""Shared fixtures. Qt runs on the offscreen platform; every test gets its own database and
settings folder, so nothing touches the developer's real review data."""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("QT_QUICK_BACKEND", "software")

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
CORPUS = SHARED / "corpus" / "pdfs"
SAMPLE_TREATY = ROOT / "resources" / "sample-treaty.pdf"

if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))


def pytest_assertrepr_compare(op: str, left: object, right: object) -> list[str] | None:
    """Two database dumps that differ: only the lines that differ (CI shows a run's last lines,
    and a whole schema there hid which test had failed)."""
    if op != "==" or not isinstance(left, str) or not isinstance(right, str):
        return None
    if "CREATE TABLE" not in left or "CREATE TABLE" not in right:
        return None
    import difflib

    changed = [
        line[:200]
        for line in difflib.unified_diff(left.splitlines(), right.splitlines(), lineterm="", n=0)
        if line[:1] in "+-" and not line.startswith(("+++", "---"))
    ]
    return ["two database dumps differ:", *changed[:12], f"({len(changed)} lines differ)"]


def corpus_file(name: str) -> Path:
    path = CORPUS / name
    if not path.exists():
        pytest.skip(f"corpus file {name} not available (../shared is missing)")
    return path


@pytest.fixture(autouse=True)
def isolated_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    config = tmp_path / "config"
    monkeypatch.setenv("REVIEWER_CONFIG_DIR", str(config))
    monkeypatch.setenv("REVIEWER_DB", str(tmp_path / "review.sqlite3"))
    monkeypatch.setenv("REVIEWER_AUTHOR", "Ada Tester")
    monkeypatch.delenv("REVIEWER_PDF_PASSWORD", raising=False)
    return tmp_path


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "review.sqlite3"


@pytest.fixture
def sample_pdf(tmp_path: Path) -> Path:
    """A copy of the sample treaty (tests must never write to shipped files)."""
    target = tmp_path / "treaty.pdf"
    shutil.copyfile(SAMPLE_TREATY, target)
    return target


@pytest.fixture
def review(db_path: Path):
    from reviewer.core.review import Review
    from reviewer.core.settings import Identity

    opened = Review.open(db_path, Identity("11111111-1111-4111-8111-111111111111", "Ada Tester"))
    yield opened
    opened.close()
