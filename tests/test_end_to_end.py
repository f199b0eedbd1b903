"""A whole review, end to end: open the window, annotate, export in every format, report,
import, close — and every PDF involved is byte-for-byte what it was."""

from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path

import pytest

from reviewer.cli import main

pytest.importorskip("pytestqt")


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def cli(capsys, *args: str) -> str:  # type: ignore[no-untyped-def]
    with pytest.raises(SystemExit) as exit_info:
        main(list(args))
    out, err = capsys.readouterr()
    assert exit_info.value.code == 0, (args, err)
    return out


def test_a_whole_review_never_changes_a_pdf(qtbot, capsys, tmp_path: Path, sample_pdf: Path) -> None:
    from reviewer.core.textflow import find_all
    from tests.annotating.gui_helpers import drag_select, open_window, show_quote
    from tests.conftest import corpus_file

    db = tmp_path / "review.sqlite3"
    rotated = tmp_path / "rotations.pdf"
    shutil.copyfile(corpus_file("pdfbox-rotations-90-180-270.pdf"), rotated)
    originals = {sample_pdf: sha(sample_pdf), rotated: sha(rotated)}

    # Open the window, select a passage with the mouse, press H: a highlight in the database.
    window = open_window(qtbot, sample_pdf, db)
    hit = find_all(window.view.text_flow(), "judicial or other independent review")[0]
    drag_select(qtbot, window, show_quote(qtbot, window, hit.start, hit.end))
    qtbot.keyClick(window.view, "h")
    qtbot.waitUntil(lambda: len(window.annotating.review.annotations(None)) == 1, timeout=10000)
    window.close()

    cli(
        capsys,
        "--db",
        str(db),
        "annotate",
        str(sample_pdf),
        "--quote",
        "traffic data in real time",
        "--tag",
        "surveillance power",
        "--comment",
        "Без судебного контроля.",
    )
    cli(capsys, "--db", str(db), "info", str(rotated))
    listed = json.loads(cli(capsys, "--db", str(db), "list", str(sample_pdf), "--json"))
    assert len(listed) == 2

    outputs = {}
    for fmt, name in (
        ("review", "team.review.json"),
        ("xfdf", "team.xfdf"),
        ("pdf", "annotated.pdf"),
        ("csv", "team.csv"),
    ):
        target = tmp_path / name
        cli(capsys, "--db", str(db), "export", str(sample_pdf), "--format", fmt, "-o", str(target))
        assert target.stat().st_size > 0
        outputs[fmt] = target
    for suffix in ("pdf", "html", "md", "docx"):
        report = tmp_path / f"report.{suffix}"
        extra = ["--with-pages"] if suffix == "pdf" else []
        cli(capsys, "--db", str(db), "report", str(sample_pdf), "-o", str(report), *extra)
        assert report.stat().st_size > 0

    annotated_before = sha(outputs["pdf"])
    other_db = tmp_path / "teammate.sqlite3"
    cli(capsys, "--db", str(other_db), "import", str(outputs["review"]), "--pdf", str(sample_pdf))
    cli(capsys, "--db", str(other_db), "import", str(outputs["xfdf"]), "--pdf", str(sample_pdf))
    cli(capsys, "--db", str(other_db), "import", str(outputs["pdf"]), "--pdf", str(sample_pdf))
    imported = json.loads(cli(capsys, "--db", str(other_db), "list", str(sample_pdf), "--json"))
    assert sorted(a["quote"] for a in imported) == sorted(a["quote"] for a in listed)

    assert {p: sha(p) for p in originals} == originals
    assert sha(outputs["pdf"]) == annotated_before
