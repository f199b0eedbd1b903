"""A full disk (RLIMIT_FSIZE in a child process) during an edit, an import-like batch and an
export: one clear error, nothing committed lost, a sound database, and a retry that works."""

from __future__ import annotations

import resource
import subprocess
import textwrap
from pathlib import Path

import pytest
from safety_helpers import PY, assert_clean_refusal, child_env, integrity, populate, run_cli, scalar

from reviewer.core import backup

BIG_COMMENT = "No judicial authorisation. " * 3300  # ~89,000 characters


def _limited(limit: int):  # noqa: ANN202 - a preexec_fn
    def apply() -> None:
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    return apply


def _cli_limited(db: Path, limit: int, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [PY, "-m", "reviewer", *args],
        capture_output=True,
        text=True,
        timeout=60,
        env=child_env(db),
        preexec_fn=_limited(limit),
        check=False,
    )


@pytest.mark.parametrize("limit_kb", [12, 40, 80])
def test_disk_full_during_an_edit(db_path: Path, sample_pdf: Path, limit_kb: int) -> None:
    ids = populate(db_path, sample_pdf, count=3)
    backup.make_backup(db_path, reason="daily")  # fresh: the start of session makes none
    comments = {i: scalar(db_path, "SELECT comment FROM annotations WHERE id = ?", (i,)) for i in ids}

    done = _cli_limited(db_path, limit_kb * 1024, "edit", ids[1], "--comment", BIG_COMMENT)
    assert_clean_refusal(done, str(db_path), "the disk is full")
    assert integrity(db_path) == "ok"
    for annotation_id, comment in comments.items():
        assert scalar(db_path, "SELECT comment FROM annotations WHERE id = ?", (annotation_id,)) == comment
    assert scalar(db_path, "SELECT count(*) FROM replies") == 1

    retry = run_cli(db_path, "edit", ids[1], "--comment", BIG_COMMENT)
    assert retry.returncode == 0, retry.stderr
    assert scalar(db_path, "SELECT comment FROM annotations WHERE id = ?", (ids[1],)) == BIG_COMMENT
    assert integrity(db_path) == "ok"


IMPORT_LIKE = textwrap.dedent(
    """
    import copy, sys, uuid
    from reviewer.core import operations as ops
    from reviewer.core.backup import backup_before
    from reviewer.core.errors import ReviewerError
    from reviewer.core.review import Review
    from reviewer.core.settings import Identity
    from reviewer.core.store import Snapshot
    review = Review.open(sys.argv[1], Identity("33333333-3333-4333-8333-333333333333", "Importer"))
    try:
        backup_before(review.store, "import")
        template = review.store.query_annotations(None)[0]
        batch = Snapshot()
        for n in range(300):
            row = {k: v for k, v in template.items() if k not in ("tag_ids", "replies")}
            row.update(id=str(uuid.uuid4()), comment="imported " + "x" * 400)
            batch.annotations[row["id"]] = row
        review.apply(ops.ReplaceRows("Import", batch))
    except ReviewerError as exc:
        print(exc, file=sys.stderr)
        sys.exit(1)
    print("imported 300")
    """
)


@pytest.mark.parametrize("room", ["no room for the backup", "no room for the batch"])
def test_disk_full_during_an_import(db_path: Path, sample_pdf: Path, room: str) -> None:
    populate(db_path, sample_pdf, count=3)
    backup.make_backup(db_path, reason="daily")
    size = db_path.stat().st_size
    limit = size // 2 if room == "no room for the backup" else size + 8192
    run = subprocess.run(
        [PY, "-c", IMPORT_LIKE, str(db_path)],
        capture_output=True,
        text=True,
        timeout=60,
        env=child_env(db_path),
        preexec_fn=_limited(limit),
        check=False,
    )
    assert run.returncode == 1, run.stderr
    assert "Traceback" not in run.stderr and len(run.stderr.strip().splitlines()) == 1
    assert (
        "cannot write the backup" if room == "no room for the backup" else "nothing was changed"
    ) in run.stderr
    assert integrity(db_path) == "ok"
    assert scalar(db_path, "SELECT count(*) FROM annotations") == 3
    assert not list(backup.backups_folder(db_path).glob(".*reviewer-tmp"))
    assert all(backup.verify_backup(b.path) is None for b in backup.list_backups(db_path))

    retry = subprocess.run(
        [PY, "-c", IMPORT_LIKE, str(db_path)],
        capture_output=True,
        text=True,
        timeout=60,
        env=child_env(db_path),
        check=False,
    )
    assert retry.returncode == 0, retry.stderr
    assert scalar(db_path, "SELECT count(*) FROM annotations") == 303


EXPORT = textwrap.dedent(
    """
    import sys
    from reviewer.core.atomic import write_bytes_atomic
    from reviewer.core.errors import ReviewerError
    try:
        write_bytes_atomic(sys.argv[1], b"new export\\n" * 50_000)
    except ReviewerError as exc:
        print(exc, file=sys.stderr)
        sys.exit(1)
    """
)


def test_disk_full_during_an_export(tmp_path: Path) -> None:
    target = tmp_path / "report.json"
    target.write_bytes(b"previous export\n")
    run = subprocess.run(
        [PY, "-c", EXPORT, str(target)],
        capture_output=True,
        text=True,
        timeout=60,
        env=child_env(tmp_path / "x.db"),
        preexec_fn=_limited(100_000),
        check=False,
    )
    assert run.returncode == 1
    assert (
        run.stderr.strip() == f"{target}: cannot be written: the disk is full "
        "(the previous file, if any, is unchanged)"
    )
    assert target.read_bytes() == b"previous export\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report.json"]  # no temporary left
    retry = subprocess.run([PY, "-c", EXPORT, str(target)], env=child_env(tmp_path / "x.db"), check=False)
    assert retry.returncode == 0
    assert target.read_bytes() == b"new export\n" * 50_000
