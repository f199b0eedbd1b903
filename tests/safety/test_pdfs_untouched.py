"""No command ever writes to a PDF it reads: hashes of every PDF are the same after a session."""

from __future__ import annotations

import shutil
from pathlib import Path

from pdf_mutations import CORPUS
from safety_helpers import run_cli, sha256

from reviewer.core.pdf_guard import probe_pdf


def test_a_session_leaves_every_pdf_byte_for_byte_unchanged(
    tmp_path: Path, sample_pdf: Path, db_path: Path
) -> None:
    pdfs = [sample_pdf]
    for name in ("derived-truncated-55pct-crpt-118hrpt728.pdf", "pdfbox-rotations-90-180-270.pdf"):
        if (CORPUS / name).exists():
            shutil.copyfile(CORPUS / name, tmp_path / name)
            pdfs.append(tmp_path / name)
    before = {p: sha256(p) for p in pdfs}

    for pdf in pdfs:
        assert run_cli(db_path, "info", str(pdf)).returncode == 0
        assert probe_pdf(pdf).ok
    made = run_cli(
        db_path,
        "annotate",
        str(sample_pdf),
        "--quote",
        "competent authorities",
        "--occurrence",
        "1",
        "--tag",
        "safeguard",
        "--comment",
        "Who decides?",
    )
    assert made.returncode == 0, made.stderr
    note = made.stdout.strip()
    for args in (
        ["edit", note, "--status", "accepted"],
        ["reply", note, "--comment", "Agreed."],
        ["list", str(sample_pdf), "--search", "decides"],
        ["backup"],
        ["check"],
        ["delete", note],
    ):
        done = run_cli(db_path, *args)
        assert done.returncode == 0, (args, done.stderr)
    assert {p: sha256(p) for p in pdfs} == before
