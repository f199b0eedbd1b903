"""Who made each version (``modified_by``) is recorded, travels in review files, and is what
conflicts, the panel and reports name; old files without it still import."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import docx
import pytest

from reviewer.cli import main
from reviewer.core.exchange import review_file
from reviewer.core.exchange.service import conflicts, export_document, import_file, merge_files
from reviewer.core.pdf import open_pdf

from .helpers import ADA, BEN, CARLA, VALIDATOR, W3C_TESTS, open_review


def _run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    with pytest.raises(SystemExit) as exit_info:
        main(argv)
    out, err = capsys.readouterr()
    return int(exit_info.value.code or 0), out, err


@pytest.fixture
def team(tmp_path: Path, sample_pdf: Path):  # type: ignore[no-untyped-def]
    """Ada writes an annotation and a reply; Ben and Carla each edit both on their machines."""
    pdf = open_pdf(sample_pdf)
    ada = open_review(tmp_path / "ada.db", ADA)
    a = ada.annotate_quote(pdf, "reliable safeguards", comment="Ada's first words")
    ada.reply(a.id, "Ada's reply")
    start = tmp_path / "start.review.json"
    export_document(ada, pdf, "review", start)
    files = {}
    for who, identity in (("ben", BEN), ("carla", CARLA)):
        review = open_review(tmp_path / f"{who}.db", identity)
        import_file(review, str(start), pdf_path=str(sample_pdf))
        review.edit(a.id, comment=f"{identity.name} rewrote this")
        files[who] = tmp_path / f"{who}.review.json"
        export_document(review, pdf, "review", files[who])
        review.close()
    ada.close()
    return a.id, files, pdf


def test_every_version_records_its_editor(tmp_path: Path, sample_pdf: Path) -> None:
    pdf = open_pdf(sample_pdf)
    ada = open_review(tmp_path / "ada.db", ADA)
    a = ada.annotate_quote(pdf, "reliable safeguards", comment="c")
    assert (a.modified_by_id, a.modified_by_name) == (ADA.id, ADA.name)
    ada.close()
    ben = open_review(tmp_path / "ada.db", BEN)  # Ben on the same database
    ben.edit(a.id, status="accepted")
    edited = ben.annotation(a.id)
    assert (edited.author_name, edited.modified_by_name, edited.modified_by_id) == (
        ADA.name,
        BEN.name,
        BEN.id,
    )
    ben.reply(a.id, "r")
    assert [r.modified_by_name for r in ben.annotation(a.id).replies] == [BEN.name]
    ben.close()


def test_the_editor_travels_in_the_file_and_the_file_stays_valid(team, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    item_id, files, _pdf = team
    doc = json.loads(files["ben"].read_text("utf-8"))
    item = next(i for i in doc["first"]["items"] if i["id"] == f"urn:uuid:{item_id}")
    assert item["creator"]["name"] == ADA.name
    assert item["rv:modifiedBy"] == {"id": f"urn:uuid:{BEN.id}", "type": "Person", "name": BEN.name}
    data = review_file.read(str(files["ben"]))
    version = data.annotations[item_id].winner
    assert (version["modified_by_id"], version["modified_by_name"]) == (BEN.id, BEN.name)
    if not W3C_TESTS.exists():
        pytest.skip("W3C test suite not available")
    run = subprocess.run(
        [sys.executable, str(VALIDATOR), str(W3C_TESTS), str(files["ben"])],
        capture_output=True,
        text=True,
        check=False,
    )
    assert run.returncode == 0, run.stdout[-2000:]


def test_conflict_names_the_editors_not_the_author(team, tmp_path: Path, sample_pdf: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    item_id, files, pdf = team
    # Ada's database (the CLI's) takes both edits: a conflict between Ben's and Carla's
    db = tmp_path / "review.sqlite3"
    ada = open_review(db, ADA)
    ada.register(pdf)
    ada.close()
    assert _run(["--author", ADA.name, "import", str(files["ben"]), str(files["carla"])], capsys)[0] == 0
    code, out, err = _run(["list", str(sample_pdf), "--conflicts", "--json"], capsys)
    assert code == 0, err
    [conflict] = [c for c in json.loads(out) if c["id"] == item_id]
    editors = {conflict["author"], conflict["current"]["author"]}
    assert editors == {BEN.name, CARLA.name}
    assert {conflict["modified_by"]["id"], conflict["current"]["modified_by"]["id"]} == {BEN.id, CARLA.id}
    assert conflict["original_author"] == ADA.name
    code, out, _ = _run(["list", str(sample_pdf), "--conflicts"], capsys)
    assert BEN.name in out and CARLA.name in out and ADA.name not in out

    winner = conflict["current"]["author"]
    for suffix in ("md", "html", "docx", "pdf"):
        path = tmp_path / f"report.{suffix}"
        assert _run(["report", str(sample_pdf), "-o", str(path)], capsys)[0] == 0
        if suffix == "docx":
            text = "\n".join(p.text for p in docx.Document(str(path)).paragraphs)
        elif suffix == "pdf":
            text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True).stdout
            text = " ".join(text.split())
        else:
            text = path.read_text("utf-8")
        assert f"edited by {winner}" in text, suffix
        assert ADA.name in text, suffix  # the author stays named


def test_merge_is_deterministic_when_two_people_make_the_same_edit(tmp_path: Path, sample_pdf: Path) -> None:
    pdf = open_pdf(sample_pdf)
    ada = open_review(tmp_path / "ada.db", ADA)
    a = ada.annotate_quote(pdf, "reliable safeguards", comment="c")
    start = tmp_path / "start.review.json"
    export_document(ada, pdf, "review", start)
    ada.close()
    files = []
    for identity in (BEN, CARLA):
        review = open_review(tmp_path / f"{identity.name}.db", identity)
        import_file(review, str(start), pdf_path=str(sample_pdf))
        review.edit(a.id, comment="the same words")
        row = review.store.annotation_row(a.id)
        assert row is not None
        # the same second on both machines: only the editor tells the versions apart
        review.store.db.execute(
            "UPDATE annotations SET modified = ? WHERE id = ?", ["2026-12-01T00:00:00.000Z", a.id]
        )
        review.store.db.conn.commit()
        out = tmp_path / f"{identity.name}.review.json"
        export_document(review, pdf, "review", out)
        files.append(out)
        review.close()
    one, two = tmp_path / "one.review.json", tmp_path / "two.review.json"
    merge_files([str(files[0]), str(files[1])], str(one))
    merge_files([str(files[1]), str(files[0])], str(two))
    assert one.read_bytes() == two.read_bytes()
    merged = review_file.read(str(one)).annotations[a.id]
    assert merged.head_count == 1  # the same edit: no conflict


def test_old_file_without_the_editor_imports(team, tmp_path: Path, sample_pdf: Path) -> None:  # type: ignore[no-untyped-def]
    item_id, files, _pdf = team
    text = files["ben"].read_text("utf-8")
    lines = []
    for line in text.split("\n"):
        if '"rv:modifiedBy"' in line:
            item = json.loads(line.rstrip(","))
            item.pop("rv:modifiedBy")
            line = json.dumps(item, ensure_ascii=False, separators=(",", ":")) + (
                "," if line.endswith(",") else ""
            )
        lines.append(line)
    old = tmp_path / "old.review.json"
    old.write_text("\n".join(lines), "utf-8")
    assert "rv:modifiedBy" not in old.read_text("utf-8")
    review = open_review(tmp_path / "fresh.db", ADA)
    import_file(review, str(old), pdf_path=str(sample_pdf))
    a = review.annotation(item_id)
    assert a.comment == "Ben Reviewer rewrote this"
    assert (a.modified_by_id, a.editor_name) == (None, ADA.name)  # not known: the author is shown
    # the same version as Ben's file (the editor does not name it): no conflict on import
    result = import_file(review, str(files["ben"]))
    assert result.conflicts == [] and item_id in result.unchanged
    assert conflicts(review) == []
    review.close()
