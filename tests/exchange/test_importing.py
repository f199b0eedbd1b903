"""Importing review files (reviewer.core.exchange.importing): undo, deletes, the summary and
export filters, as a user runs them.
"""

from __future__ import annotations

import json
from pathlib import Path

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
from .helpers import run_cli as _run


def test_undo_import_restores_rows_and_bookkeeping(concurrent, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    item_id, ada, ben, ada_file, ben_file = concurrent

    def rows() -> list[str]:
        # The full-text index's internal segments differ after write + undo; its content does not.
        # The change counter and the items it marks (m0009) count the undo as the change it is.
        return [
            line
            for line in dump_db(tmp_path / "ada.db").splitlines()
            if "annotations_fts" not in line and "change_counter" not in line and "sync_dirty" not in line
        ]

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
