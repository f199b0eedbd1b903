"""The schema step, version names and hostile coverage entries."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from reviewer.core.errors import ReviewerError
from reviewer.core.exchange.review_file import read
from reviewer.core.exchange.service import export_document, import_file, undo_import
from reviewer.core.exchange.versions import ANNOTATION, version_hash
from reviewer.core.opening import open_store
from reviewer.core.pdf import open_pdf
from reviewer.core.positions import assign, mark_reviewed, set_position
from reviewer.core.review import Review
from reviewer.core.settings import Identity
from reviewer.core.store import SCHEMA_STEPS

ADA = Identity("11111111-1111-4111-8111-111111111111", "Ada Tester")


def test_an_older_database_gains_the_position_columns_and_keeps_its_rows(db_path: Path) -> None:
    from sqlite_utils import Database
    from sqlite_utils.migrations import Migrations

    from reviewer.core import store as store_module

    older = Migrations("reviewer")
    older._migrations = [m for m in store_module.migrations._migrations if m.name < "m0010"]
    db = Database(db_path)
    older.apply(db)
    db.execute(
        "INSERT INTO documents(id, title, page_count, first_seen, last_seen) VALUES ('d1', 'T', 1, 'now', 'now')"
    )
    db.execute(
        "INSERT INTO annotations(id, document_id, kind, author_id, author_name, created, modified, "
        "page, pages, quote, quads, geometry, comment) VALUES ('a1', 'd1', 'highlight', 'u', 'U', "
        "'now', 'now', 0, '[0]', 'interception', '[]', '{}', 'weak safeguard')"
    )
    db.conn.commit()
    db.close()
    store = open_store(db_path)
    conn = store.db.conn
    assert conn.execute("SELECT quote, stance, proposal FROM annotations").fetchall() == [
        ("interception", None, None)
    ]
    tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    assert {"position_history", "article_marks", "article_assignments"} <= tables
    steps = [r[0] for r in conn.execute("SELECT name FROM _sqlite_migrations")]
    assert "m0010_positions_coverage" in steps and steps[-1] == SCHEMA_STEPS[-1]
    store.close()


def test_an_annotation_without_a_position_keeps_its_version_name() -> None:
    """Files written before positions name their versions as they always did."""
    version = {"kind": "highlight", "revision": 1, "comment": "c", "tags": []}
    with_fields = dict(version, stance=None, proposal=None)
    assert version_hash(ANNOTATION, version) == version_hash(ANNOTATION, with_fields)
    assert version_hash(ANNOTATION, dict(version, stance="oppose")) != version_hash(ANNOTATION, version)


def _exported(tmp_path: Path, sample_pdf: Path) -> Path:
    review = Review.open(tmp_path / "ada.db", ADA)
    pdf = open_pdf(sample_pdf)
    set_position(review, pdf, 12, "reservation", "r", "Wording")
    mark_reviewed(review, pdf, [12], True)
    assign(review, pdf, "1-2", "Ada Tester")
    out = tmp_path / "ada.review.json"
    export_document(review, pdf, "review", out)
    review.close()
    return out


@pytest.mark.parametrize(
    ("mutate", "message"),
    [
        (
            lambda c: c[0].update(type="rv:Verdict"),
            "rv:coverage[0].type: must be rv:ArticleMark or rv:ArticleAssignment",
        ),
        (lambda c: c[0].update(id="not-a-uuid"), "rv:coverage[0].id: must be a urn:uuid"),
        (
            lambda c: c[0]["rv:versions"][0].update(article="12"),
            "rv:coverage[0].rv:versions[0]: article and revision",
        ),
        (
            lambda c: c[0]["rv:versions"][0].pop("modified"),
            "rv:coverage[0].rv:versions[0]: must hold exactly",
        ),
        (
            lambda c: c[0].update({"rv:history": ["zz"]}),
            "rv:coverage[0].rv:history: must be a list of version hashes",
        ),
        (lambda c: c.append(dict(c[0])), "rv:coverage[3].id: urn:uuid:"),
    ],
)
def test_a_hostile_coverage_entry_is_refused_in_one_line_and_nothing_changes(
    tmp_path: Path,
    sample_pdf: Path,
    mutate,
    message: str,  # type: ignore[no-untyped-def]
) -> None:
    good = _exported(tmp_path, sample_pdf)
    data = json.loads(good.read_text("utf-8"))
    assert len(data["rv:coverage"]) == 3
    mutate(data["rv:coverage"])
    bad = tmp_path / "bad.review.json"
    bad.write_text(json.dumps(data, ensure_ascii=False), "utf-8")
    with pytest.raises(ReviewerError) as refused:
        read(str(bad))
    assert message in str(refused.value) and str(bad) in str(refused.value)
    assert "\n" not in str(refused.value)
    other = Review.open(tmp_path / "other.db", ADA)
    before = other.store.counts()
    with pytest.raises(ReviewerError):
        import_file(other, str(bad), pdf_path=str(sample_pdf))
    assert other.store.counts() == before and other.store.article_marks(read(str(good)).document.sha256) == []
    other.close()


def test_an_import_of_marks_and_assignments_is_one_undo_step(tmp_path: Path, sample_pdf: Path) -> None:
    good = _exported(tmp_path, sample_pdf)
    other = Review.open(tmp_path / "other.db", Identity("22222222-2222-4222-8222-222222222222", "Ben"))
    result = import_file(other, str(good), pdf_path=str(sample_pdf))
    document_id = result.document_id
    assert [r["reviewer_name"] for r in other.store.article_marks(document_id)] == ["Ada Tester"]
    assert [r["assignee"] for r in other.store.article_assignments(document_id)] == ["Ada Tester"] * 2
    undo_import(other, result)
    assert other.store.article_marks(document_id) == [] and other.store.article_assignments(document_id) == []
    assert other.store.position_rows(document_id) == []
    other.close()


def test_a_position_carried_to_a_new_version_keeps_its_stance_and_is_superseded_there(tmp_path: Path) -> None:
    from reviewer.core.carry import carry_annotations
    from reviewer.core.coverage import coverage
    from reviewer.core.sample_treaty import SAMPLE_TREATY, build_treaty_pdf, reworded, with_version_note

    v1, v2 = tmp_path / "v1.pdf", tmp_path / "v2.pdf"
    build_treaty_pdf(SAMPLE_TREATY, v1)
    redraft = reworded(SAMPLE_TREATY, "judicial or other independent review", "independent judicial review")
    build_treaty_pdf(with_version_note(redraft, "Draft text, version 2"), v2)
    review = Review.open(tmp_path / "db", ADA)
    old, new = open_pdf(v1), open_pdf(v2)
    set_position(review, old, 12, "reservation", "why", "Wording")
    carry_annotations(review, review.register(old)["id"], new, old)
    new_id = review.register(new)["id"]
    (carried,) = review.store.position_rows(new_id)
    assert (carried["stance"], carried["proposal"], carried["article"], carried["quads"]) == (
        "reservation",
        "Wording",
        12,
        "[]",
    )
    set_position(review, new, 12, "oppose", "the redraft is worse")
    (a12,) = [a for a in coverage(review, new).articles if a.article.number == 12]
    assert [(p.stance, p.annotation_id) for p in a12.positions] == [("oppose", carried["id"])]
    review.close()
