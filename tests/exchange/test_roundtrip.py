"""Round trips: database -> file -> empty database -> file, for every exchange format."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest

from reviewer.core.exchange import review_file
from reviewer.core.exchange.service import export_document, import_file
from reviewer.core.pdf import open_pdf
from reviewer.core.resources import resource_path

from .helpers import ADA, BEN, VALIDATOR, W3C_TESTS, annotate_sample, open_review


def _projection(review, document_id):  # type: ignore[no-untyped-def]
    """What a user sees of each live annotation, positions kept apart for tolerance checks."""
    out = {}
    for a in review.annotations(document_id):
        out[a.id] = {
            "quote": a.quote,
            "tags": a.tag_names,
            "comment": a.comment,
            "status": a.status,
            "author": (a.author_id, a.author_name),
            "created": a.created,
            "modified": a.modified,
            "revision": a.revision,
            "kind": a.kind,
            "replies": [(r.id, r.author_name, r.comment, r.created, r.modified) for r in a.replies],
            "quads": [(q.page, q.points) for q in a.quads],
        }
    return out


def _assert_same(left, right, tolerance):  # type: ignore[no-untyped-def]
    assert left.keys() == right.keys()
    for key in left:
        a, b = dict(left[key]), dict(right[key])
        qa, qb = a.pop("quads"), b.pop("quads")
        assert a == b, key
        assert len(qa) == len(qb)
        for (pa, va), (pb, vb) in zip(qa, qb, strict=True):
            assert pa == pb
            assert max(abs(x - y) for x, y in zip(va, vb, strict=True)) <= tolerance


def test_review_file_round_trip_is_identical(tmp_path: Path, sample_pdf: Path) -> None:
    first = open_review(tmp_path / "a.db")
    pdf = open_pdf(sample_pdf)
    ids = annotate_sample(first, pdf)
    out_a = tmp_path / "a.review.json"
    export_document(first, pdf, "review", out_a)

    second = open_review(tmp_path / "b.db", BEN)
    result = import_file(second, str(out_a), pdf_path=str(sample_pdf))
    assert sorted(result.added) == sorted(
        [*ids, *[r["id"] for r in []]] + [r.id for a in first.annotations(None) for r in a.replies]
    )
    out_b = tmp_path / "b.review.json"
    export_document(second, open_pdf(sample_pdf), "review", out_b)
    assert out_a.read_bytes() == out_b.read_bytes()

    # The tombstone travelled, with its content.
    data = review_file.read(str(out_b))
    assert data.annotations[ids[2]].winner["deleted"] is True
    # Quads to 0.01 pt, timestamps, tags, comments, replies, status: the whole rows.
    doc_id = pdf.info().sha256
    _assert_same(_projection(first, doc_id), _projection(second, doc_id), 0.01)


def test_reimport_adds_nothing_and_changes_nothing(tmp_path: Path, sample_pdf: Path) -> None:
    from .helpers import dump_db

    review = open_review(tmp_path / "a.db")
    pdf = open_pdf(sample_pdf)
    annotate_sample(review, pdf)
    out = tmp_path / "a.review.json"
    export_document(review, pdf, "review", out)
    before = dump_db(tmp_path / "a.db")
    result = import_file(review, str(out))
    assert (result.added, result.updated, result.conflicts) == ([], [], [])
    assert len(result.unchanged) == 7  # 5 annotations (one a tombstone), 2 replies
    assert dump_db(tmp_path / "a.db") == before


def test_exported_review_file_passes_w3c_and_own_schema(tmp_path: Path, sample_pdf: Path) -> None:
    review = open_review(tmp_path / "a.db")
    pdf = open_pdf(sample_pdf)
    annotate_sample(review, pdf)
    out = tmp_path / "a.review.json"
    export_document(review, pdf, "review", out)
    if not W3C_TESTS.exists():
        pytest.skip("W3C test suite not available")
    run = subprocess.run(
        [sys.executable, str(VALIDATOR), str(W3C_TESTS), str(out)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert run.returncode == 0, run.stdout[-2000:]
    assert run.stdout.count("54/54 assertions passed") == 7
    schema = json.loads(resource_path("review-file.schema.json").read_text("utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    jsonschema.Draft202012Validator(schema).validate(json.loads(out.read_text("utf-8")))


def test_own_schema_rejects_what_the_reader_rejects(tmp_path: Path, sample_pdf: Path) -> None:
    review = open_review(tmp_path / "a.db")
    pdf = open_pdf(sample_pdf)
    annotate_sample(review, pdf)
    out = tmp_path / "a.review.json"
    export_document(review, pdf, "review", out)
    doc = json.loads(out.read_text("utf-8"))
    doc["first"]["items"][0]["rv:revision"] = "2"
    schema = json.loads(resource_path("review-file.schema.json").read_text("utf-8"))
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.Draft202012Validator(schema).validate(doc)


def test_xfdf_round_trip(tmp_path: Path, sample_pdf: Path) -> None:
    first = open_review(tmp_path / "a.db")
    pdf = open_pdf(sample_pdf)
    annotate_sample(first, pdf)
    xfdf = tmp_path / "a.xfdf"
    assert export_document(first, pdf, "xfdf", xfdf) == 4  # the deleted one stays home
    text = xfdf.read_text("utf-8")
    assert 'statemodel="Review"' in text and 'state="Accepted"' in text and "inreplyto=" in text
    second = open_review(tmp_path / "b.db", BEN)
    result = import_file(second, str(xfdf), pdf_path=str(sample_pdf))
    assert len(result.added) == 6
    again = import_file(second, str(xfdf), pdf_path=str(sample_pdf))
    assert again.added == [] and again.updated == [] and again.conflicts == []
    doc_id = pdf.info().sha256
    _assert_same(_projection(first, doc_id), _projection(second, doc_id), 0.5)


def test_annotated_pdf_round_trip(tmp_path: Path, sample_pdf: Path) -> None:
    first = open_review(tmp_path / "a.db")
    pdf = open_pdf(sample_pdf)
    annotate_sample(first, pdf)
    original = sample_pdf.read_bytes()
    out = tmp_path / "annotated.pdf"
    export_document(first, pdf, "pdf", out)
    assert sample_pdf.read_bytes() == original  # never the original
    second = open_review(tmp_path / "b.db", BEN)
    second.register(open_pdf(sample_pdf))  # the team has the treaty; the copy matches by /ID
    result = import_file(second, str(out))
    assert len(result.added) == 6 and result.document_id == pdf.info().sha256
    again = import_file(second, str(out))
    assert again.added == [] and again.updated == [] and again.conflicts == []
    doc_id = pdf.info().sha256
    _assert_same(_projection(first, doc_id), _projection(second, doc_id), 0.01)


def test_annotated_pdf_refuses_to_overwrite_the_original(tmp_path: Path, sample_pdf: Path) -> None:
    from reviewer.core.errors import ReviewerError

    review = open_review(tmp_path / "a.db")
    pdf = open_pdf(sample_pdf)
    annotate_sample(review, pdf)
    original = sample_pdf.read_bytes()
    with pytest.raises(ReviewerError, match="original PDF"):
        export_document(review, pdf, "pdf", sample_pdf)
    assert sample_pdf.read_bytes() == original


def test_csv_export(tmp_path: Path, sample_pdf: Path) -> None:
    import csv

    review = open_review(tmp_path / "a.db")
    pdf = open_pdf(sample_pdf)
    review.annotate_quote(pdf, "reliable safeguards", comment='=HYPERLINK("http://x")', tags=["safeguard"])
    out = tmp_path / "a.csv"
    export_document(review, pdf, "csv", out)
    rows = list(csv.DictReader(out.read_text("utf-8-sig").splitlines()))
    assert rows[0]["quote"] == "reliable safeguards"
    assert rows[0]["tags"] == "safeguard"
    assert rows[0]["author"] == ADA.name
    assert rows[0]["comment"].startswith("'=")  # a formula is shown, not run
    assert rows[0]["page"] == "1"


@pytest.mark.parametrize("fmt", ["xfdf", "pdf"])
def test_reimporting_an_old_export_after_local_edits_changes_nothing(
    tmp_path: Path, sample_pdf: Path, fmt: str
) -> None:
    review = open_review(tmp_path / "a.db")
    pdf = open_pdf(sample_pdf)
    ids = annotate_sample(review, pdf)
    out = tmp_path / f"old.{fmt}"
    export_document(review, pdf, fmt, out)
    review.edit(ids[0], comment="Changed after the export")
    result = import_file(review, str(out), pdf_path=str(sample_pdf))
    assert (result.added, result.updated, result.conflicts) == ([], [], [])
    assert review.annotation(ids[0]).comment == "Changed after the export"


def test_xfdf_edited_in_another_tool_is_a_visible_conflict(tmp_path: Path, sample_pdf: Path) -> None:
    """Acrobat users change a comment: it is neither lost nor silently applied over ours."""
    from reviewer.core.exchange.service import conflicts

    review = open_review(tmp_path / "a.db")
    pdf = open_pdf(sample_pdf)
    ids = annotate_sample(review, pdf)
    out = tmp_path / "a.xfdf"
    export_document(review, pdf, "xfdf", out)
    text = out.read_text("utf-8").replace("Too broad.", "Far too broad (Acrobat)")
    text = text.replace(' rv:data="', ' rv:old="')  # another tool drops our private data
    edited = tmp_path / "edited.xfdf"
    edited.write_text(text, "utf-8")
    result = import_file(review, str(edited), pdf_path=str(sample_pdf))
    assert result.conflicts == [ids[0]]
    found = conflicts(review)
    assert {found[0].comment, found[0].winner_comment} == {
        "Too broad.\nSee Art. 3.",
        "Far too broad (Acrobat)\nSee Art. 3.",
    }
