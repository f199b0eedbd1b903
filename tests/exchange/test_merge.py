"""Merging review files without a database (reviewer.core.exchange.merge): the git merge
driver, and files of different documents refused.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from reviewer.core.exchange import review_file
from reviewer.core.exchange.service import (
    export_document,
    import_file,
)
from reviewer.core.pdf import open_pdf

from .helpers import ADA, BEN, open_review
from .helpers import run_cli as _run

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.skipif(shutil.which("git") is None, reason="git not installed")
def test_git_merge_driver(tmp_path: Path, sample_pdf: Path) -> None:
    """Two branches edit the review file; git merges them through the driver, no text conflict."""
    pdf = open_pdf(sample_pdf)
    ada = open_review(tmp_path / "ada.db", ADA)
    a = ada.annotate_quote(pdf, "reliable safeguards", comment="Original")
    repo = tmp_path / "repo"
    repo.mkdir()
    env_python = f"PYTHONPATH={ROOT} {sys.executable} -m reviewer"

    def git(*args: str) -> str:
        return subprocess.run(["git", *args], cwd=repo, check=True, capture_output=True, text=True).stdout

    git("init", "-q", "-b", "main")
    git("config", "user.email", "t@example.invalid")
    git("config", "user.name", "T")
    git("config", "merge.reviewer.name", "Reviewer review files")
    git("config", "merge.reviewer.driver", f"{env_python} merge-driver %O %A %B")
    (repo / ".gitattributes").write_text("*.review.json merge=reviewer\n")
    target = repo / "treaty.review.json"
    export_document(ada, pdf, "review", target)
    git("add", ".")
    git("commit", "-qm", "base")
    git("checkout", "-qb", "ben")
    ben = open_review(tmp_path / "ben.db", BEN)
    import_file(ben, str(target), pdf_path=str(sample_pdf))
    ben.annotate_quote(pdf, "human rights", occurrence=1, comment="Ben's new one")
    ben.edit(a.id, comment="Ben's reading")
    export_document(ben, pdf, "review", target)
    git("commit", "-qam", "ben")
    git("checkout", "-q", "main")
    ada.annotate_quote(pdf, "international cooperation", occurrence=1, comment="Ada's new one")
    ada.edit(a.id, comment="Ada's reading")
    export_document(ada, pdf, "review", target)
    git("commit", "-qam", "ada")
    git("merge", "-q", "--no-edit", "ben")
    text = target.read_text("utf-8")
    assert "<<<<<<<" not in text
    data = review_file.read(str(target))
    comments = {v["comment"] for s in data.annotations.values() for v in s.versions.values()}
    assert {"Ben's new one", "Ada's new one", "Ada's reading", "Ben's reading"} <= comments


def test_merge_refuses_reviews_of_different_documents(tmp_path, sample_pdf, capsys) -> None:  # type: ignore[no-untyped-def]
    pdf = open_pdf(sample_pdf)
    ada = open_review(tmp_path / "ada.db", ADA)
    ada.annotate_quote(pdf, "reliable safeguards")
    first = tmp_path / "a.review.json"
    export_document(ada, pdf, "review", first)
    other = json.loads(first.read_text("utf-8"))
    sha = "ef" * 32
    other["rv:document"]["sha256"] = sha
    for item in other["first"]["items"]:
        item["target"]["source"] = f"urn:sha256:{sha}"
    second = tmp_path / "b.review.json"
    second.write_text(json.dumps(other), "utf-8")
    out = tmp_path / "m.review.json"
    code, _, err = _run(["merge", str(first), str(second), "-o", str(out)], capsys)
    assert code == 1 and str(second) in err and "another document" in err
    assert not out.exists()
    code, _, err = _run(["merge-driver", str(first), str(first), str(second)], capsys)
    assert code == 1 and "another document" in err
