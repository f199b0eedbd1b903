"""The exchange commands as a user runs them: conflicts, resolve, merge, the git merge driver."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from reviewer.cli import main
from reviewer.core.exchange import review_file
from reviewer.core.exchange.service import (
    conflicts,
    export_document,
    import_file,
    redo_import,
    undo_import,
)
from reviewer.core.pdf import open_pdf

from .helpers import ADA, BEN, dump_db, open_review

ROOT = Path(__file__).resolve().parents[2]


def _run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    with pytest.raises(SystemExit) as exit_info:
        main(argv)
    out, err = capsys.readouterr()
    return int(exit_info.value.code or 0), out, err


@pytest.fixture
def concurrent(tmp_path: Path, sample_pdf: Path):  # type: ignore[no-untyped-def]
    """Ada and Ben both change the same comment, starting from the same file."""
    pdf = open_pdf(sample_pdf)
    ada = open_review(tmp_path / "ada.db", ADA)
    a = ada.annotate_quote(pdf, "reliable safeguards", comment="Original", tags=["safeguard"])
    base = tmp_path / "base.review.json"
    export_document(ada, pdf, "review", base)
    ben = open_review(tmp_path / "ben.db", BEN)
    import_file(ben, str(base), pdf_path=str(sample_pdf))
    ada.edit(a.id, comment="Ada's reading")
    ben.edit(a.id, comment="Ben's reading", add_tags=["vague definition"])
    ada_file, ben_file = tmp_path / "ada.review.json", tmp_path / "ben.review.json"
    export_document(ada, pdf, "review", ada_file)
    export_document(ben, pdf, "review", ben_file)
    return a.id, ada, ben, ada_file, ben_file


def test_concurrent_edits_give_a_visible_conflict(concurrent, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    item_id, ada, ben, ada_file, ben_file = concurrent
    result = import_file(ada, str(ben_file))
    assert result.conflicts == [item_id]
    found = conflicts(ada)
    assert len(found) == 1
    texts = {found[0].comment, found[0].winner_comment}
    assert texts == {"Ada's reading", "Ben's reading"}
    # The other side reaches the same winner and the same conflict.
    import_file(ben, str(ada_file))
    assert ada.annotation(item_id).comment == ben.annotation(item_id).comment
    assert [c.version for c in conflicts(ben)] == [c.version for c in found]
    # And both files' merge carries both texts.
    merged = tmp_path / "m.review.json"
    from reviewer.core.exchange.service import merge_files

    data = merge_files([str(ada_file), str(ben_file)], merged)
    assert {v["comment"] for v in data.annotations[item_id].versions.values()} == texts
    assert '"rv:conflicts"' in merged.read_text("utf-8")


def test_list_conflicts_and_resolve_from_the_cli(concurrent, tmp_path, sample_pdf, capsys) -> None:  # type: ignore[no-untyped-def]
    item_id, ada, ben, ada_file, ben_file = concurrent
    db = str(tmp_path / "ada.db")
    code, out, err = _run(["--db", db, "import", str(ben_file)], capsys)
    assert code == 0 and "1 conflicts" in out and item_id in out
    code, out, err = _run(["--db", db, "list", str(sample_pdf), "--conflicts", "--json"], capsys)
    listed = json.loads(out)
    assert len(listed) == 1 and listed[0]["id"] == item_id
    losing = listed[0]["comment"]
    code, out, err = _run(["--db", db, "list", str(sample_pdf), "--conflicts"], capsys)
    assert item_id[:8] in out and "version" in out
    code, out, err = _run(["--db", db, "resolve", item_id[:8], "--keep", "theirs"], capsys)
    assert code == 0, err
    ada2 = open_review(tmp_path / "ada.db", ADA)
    assert ada2.annotation(item_id).comment == losing
    code, out, err = _run(["--db", db, "list", str(sample_pdf), "--conflicts", "--json"], capsys)
    assert json.loads(out) == []
    # The resolution travels: Ben imports Ada's new file and gets the chosen text, no conflict.
    resolved = tmp_path / "resolved.review.json"
    export_document(ada2, open_pdf(sample_pdf), "review", resolved)
    result = import_file(ben, str(resolved))
    assert result.conflicts == [] and ben.annotation(item_id).comment == losing
    assert conflicts(ben) == [] or all(c.item_id != item_id for c in conflicts(ben))


def test_resolve_keep_mine(concurrent) -> None:  # type: ignore[no-untyped-def]
    from reviewer.core.exchange.service import resolve

    item_id, ada, ben, ada_file, ben_file = concurrent
    import_file(ada, str(ben_file))
    current = ada.annotation(item_id)
    resolve(ada, item_id, "mine")
    after = ada.annotation(item_id)
    assert after.comment == current.comment and after.revision > current.revision
    assert conflicts(ada) == []


def test_undo_import_restores_rows_and_bookkeeping(concurrent, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    item_id, ada, ben, ada_file, ben_file = concurrent

    def rows() -> list[str]:
        # The full-text index's internal segments differ after write + undo; its content does not.
        return [line for line in dump_db(tmp_path / "ada.db").splitlines() if "annotations_fts" not in line]

    before = rows()
    result = import_file(ada, str(ben_file))
    assert rows() != before
    undo_import(ada, result)
    assert rows() == before
    redo_import(ada, result)
    assert [c.item_id for c in conflicts(ada)] == [item_id]
    undo_import(ada, result)
    assert rows() == before
    assert [r["id"] for r in ada.store.query_annotations(None, search="reading")] == [item_id]


def test_delete_propagates(tmp_path: Path, sample_pdf: Path) -> None:
    pdf = open_pdf(sample_pdf)
    ada = open_review(tmp_path / "ada.db", ADA)
    a = ada.annotate_quote(pdf, "reliable safeguards")
    base = tmp_path / "base.review.json"
    export_document(ada, pdf, "review", base)
    ben = open_review(tmp_path / "ben.db", BEN)
    import_file(ben, str(base), pdf_path=str(sample_pdf))
    ben.delete(a.id)
    ben_file = tmp_path / "ben.review.json"
    export_document(ben, pdf, "review", ben_file)
    result = import_file(ada, str(ben_file))
    assert result.updated == [a.id] and result.conflicts == []
    assert ada.annotations(None) == []


def test_import_summary_json_and_export_filters(tmp_path, sample_pdf, capsys) -> None:  # type: ignore[no-untyped-def]
    db = str(tmp_path / "a.db")
    for quote, tag in (
        ("reliable safeguards", "safeguard"),
        ("human rights", "surveillance power"),
    ):
        code, _, err = _run(
            [
                "--db",
                db,
                "annotate",
                str(sample_pdf),
                "--quote",
                quote,
                "--occurrence",
                "1",
                "--tag",
                tag,
            ],
            capsys,
        )
        assert code == 0, err
    out_file = tmp_path / "only.review.json"
    code, out, err = _run(
        [
            "--db",
            db,
            "export",
            str(sample_pdf),
            "--format",
            "review",
            "-o",
            str(out_file),
            "--tag",
            "safeguard",
        ],
        capsys,
    )
    assert code == 0 and "wrote 1 annotation " in out
    data = review_file.read(str(out_file))
    assert [s.winner["quote"] for s in data.annotations.values()] == ["reliable safeguards"]
    code, out, err = _run(
        [
            "--db",
            str(tmp_path / "b.db"),
            "import",
            str(out_file),
            "--pdf",
            str(sample_pdf),
            "--json",
        ],
        capsys,
    )
    summary = json.loads(out)
    assert summary[0]["added"] == 1 and summary[0]["conflicts"] == 0
    code, out, err = _run(
        [
            "--db",
            db,
            "export",
            str(sample_pdf),
            "--format",
            "csv",
            "-o",
            str(tmp_path / "x.csv"),
            "--status",
            "accepted",
        ],
        capsys,
    )
    assert code == 0 and "wrote 0 annotations" in out


def test_every_exchange_command_has_help_with_an_example(capsys) -> None:  # type: ignore[no-untyped-def]
    for command in ("export", "import", "merge", "merge-driver", "resolve"):
        code, out, err = _run([command, "--help"], capsys)
        assert (
            code == 0
            and "Examples:" in out
            and f"reviewer {command}" in out.replace("# git config", "reviewer merge-driver")
        ), command
    code, out, err = _run(["list", "--help"], capsys)
    assert "--conflicts" in out


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
