"""The store: pragmas, migrations, refusing newer databases, document identity, operations."""

from __future__ import annotations

import hashlib
import shutil
import sqlite3
from pathlib import Path

import pytest

from reviewer.core.errors import NewerDatabase, UndoConflict
from reviewer.core.opening import open_store
from reviewer.core.pdf import open_pdf
from reviewer.core.review import Filters, Review
from reviewer.core.settings import Identity


def file_hash(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_database_is_durable_by_configuration(db_path: Path) -> None:
    store = open_store(db_path)
    conn = store.db.conn
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert conn.execute("PRAGMA synchronous").fetchone()[0] == 2  # FULL
    assert conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    assert conn.execute("PRAGMA busy_timeout").fetchone()[0] >= 1000
    assert conn.execute("PRAGMA user_version").fetchone()[0] >= 2
    store.close()


def test_newer_database_is_refused_and_left_untouched(db_path: Path) -> None:
    open_store(db_path).close()
    conn = sqlite3.connect(db_path)
    conn.execute("PRAGMA journal_mode = DELETE")  # fold the WAL so the file is the whole database
    conn.execute(
        "INSERT INTO _sqlite_migrations(migration_set, name, applied_at) VALUES ('reviewer', 'm9999_from_the_future', '2030-01-01')"
    )
    conn.commit()
    conn.close()
    before = file_hash(db_path)
    with pytest.raises(NewerDatabase, match="newer version of Reviewer"):
        open_store(db_path)
    assert file_hash(db_path) == before
    assert not Path(str(db_path) + "-wal").exists()


def test_default_taxonomy_is_seeded_once(review: Review) -> None:
    names = [t.name for t in review.tags()]
    assert names[:3] == ["surveillance power", "safeguard", "weak or missing safeguard"]
    assert len(names) == 9
    assert all(t.color.startswith("#") and len(t.color) == 7 for t in review.tags())


def test_rename_keeps_annotations_and_same_bytes_are_one_document(
    review: Review, sample_pdf: Path, tmp_path: Path
) -> None:
    with open_pdf(sample_pdf) as pdf:
        created = review.annotate_quote(pdf, "Expedited preservation", page=4, tags=["surveillance power"])
    moved = tmp_path / "renamed folder" / "UNCC final.pdf"
    moved.parent.mkdir()
    sample_pdf.rename(moved)
    with open_pdf(moved) as pdf:
        doc = review.register(pdf)
        assert [a.id for a in review.annotations(doc["id"])] == [created.id]
        assert doc["last_path"] == str(moved.resolve())
    copy = tmp_path / "copy.pdf"
    shutil.copyfile(moved, copy)
    with open_pdf(copy) as pdf:
        assert review.register(pdf)["id"] == doc["id"]
    assert len(review.store.documents()) == 1


def test_document_identity_fields(review: Review, sample_pdf: Path) -> None:
    with open_pdf(sample_pdf) as pdf:
        row = review.register(pdf)
    assert row["id"] == hashlib.sha256(sample_pdf.read_bytes()).hexdigest()
    assert row["page_count"] == 7
    assert row["title"].startswith("Convention on Cross-Border Cooperation")
    assert row["pdf_id"] and all(c in "0123456789abcdef" for c in row["pdf_id"])


def test_page_labels_are_recorded(review: Review, tmp_path: Path) -> None:
    from tests.conftest import corpus_file

    pdf_path = tmp_path / "labels.pdf"
    shutil.copyfile(corpus_file("pagelabels-roman-arabic.pdf"), pdf_path)
    with open_pdf(pdf_path) as pdf:
        row = review.register(pdf)
        labels = pdf.info().page_labels
    assert labels is not None and labels[0].lower() in {"i", "a"} or labels[0] != "1"
    assert row["page_labels"] is not None


def test_undo_and_redo_restore_rows_exactly(review: Review, sample_pdf: Path) -> None:
    with open_pdf(sample_pdf) as pdf:
        created = review.annotate_quote(pdf, "Production order", tags=["surveillance power"])
    before = dict(review.store.annotation_row(created.id))
    change = review.edit(
        created.id, comment="Compels providers abroad.", status="accepted", add_tags=["data sharing"]
    )
    after = dict(review.store.annotation_row(created.id))
    assert after["revision"] == 2 and after["comment"] == "Compels providers abroad."
    assert review.annotation(created.id).tag_names == ["surveillance power", "data sharing"]
    review.undo(change)
    assert review.store.annotation_row(created.id) == before
    assert review.annotation(created.id).tag_names == ["surveillance power"]
    review.redo(change)
    assert review.store.annotation_row(created.id) == after
    # Undo of a create removes the row; an undo over a newer change is refused, not clobbered.
    create_change = review.last_change
    with pytest.raises(UndoConflict):
        review.undo(create_change)
    review.undo(change)
    review.undo(create_change)
    assert review.store.annotation_row(created.id) is None


def test_delete_keeps_a_tombstone(review: Review, sample_pdf: Path) -> None:
    with open_pdf(sample_pdf) as pdf:
        a = review.annotate_quote(pdf, "Denunciation")
        doc_id = review.register(pdf)["id"]
    review.delete(a.id)
    assert review.annotations(doc_id) == []
    tomb = review.annotations(doc_id, Filters(include_deleted=True))
    assert [(t.id, t.deleted, t.revision) for t in tomb] == [(a.id, True, 2)]


def test_full_text_search_and_filters(review: Review, sample_pdf: Path) -> None:
    other = Review(review.store, Identity("22222222-2222-4222-8222-222222222222", "Bo Second"))
    with open_pdf(sample_pdf) as pdf:
        a = review.annotate_quote(
            pdf,
            "Interception of content data",
            tags=["surveillance power"],
            comment="Content interception, no judge.",
        )
        b = other.annotate_quote(
            pdf, "the right to an effective remedy", tags=["safeguard"], comment="Good: remedy."
        )
        doc = review.register(pdf)["id"]
    assert [x.id for x in review.annotations(doc, Filters(search="judge"))] == [a.id]
    assert [x.id for x in review.annotations(doc, Filters(search="effective rem"))] == [b.id]
    assert [x.id for x in review.annotations(doc, Filters(tags=["SAFEGUARD"]))] == [b.id]
    assert [x.id for x in review.annotations(doc, Filters(authors=["Bo Second"]))] == [b.id]
    assert [x.id for x in review.annotations(doc, Filters(statuses=["open"]))] == [
        b.id,
        a.id,
    ]  # reading order
    for hostile in ['"', "a OR b", "NEAR(", "*", "'; DROP TABLE annotations; --", "\x00\x1b", ")("]:
        review.annotations(doc, Filters(search=hostile))
    assert len(review.annotations(doc)) == 2


def test_tag_rename_recolor_retire_merge(review: Review, sample_pdf: Path) -> None:
    with open_pdf(sample_pdf) as pdf:
        a = review.annotate_quote(pdf, "Misuse of devices", tags=["vague definition"])
    review.rename_tag("vague definition", "overbroad term")
    assert review.annotation(a.id).tag_names == ["overbroad term"]
    review.recolor_tag("overbroad term", "teal")
    assert review.tag("overbroad term").color == "#00A6A6"
    review.merge_tags("overbroad term", "human-rights concern")
    assert review.annotation(a.id).tag_names == ["human-rights concern"]
    assert review.tag("overbroad term").retired
    assert "overbroad term" not in [t.name for t in review.tags(include_retired=False)]


def test_an_older_database_takes_the_link_and_position_kinds_and_keeps_its_rows(
    db_path: Path,
) -> None:
    """m0007 rewrites the annotations table's CHECK in place: rows, FTS and the refusal of
    unknown kinds all survive, on a database made before it."""
    from sqlite_utils import Database
    from sqlite_utils.migrations import Migrations

    from reviewer.core import store as store_module

    older = Migrations("reviewer")
    older._migrations = [m for m in store_module.migrations._migrations if m.name < "m0007"]
    db = Database(db_path)
    older.apply(db)
    db.execute(
        "INSERT INTO documents(id, title, page_count, first_seen, last_seen) "
        "VALUES ('d1', 'T', 1, 'now', 'now')"
    )
    db.execute(
        "INSERT INTO annotations(id, document_id, kind, author_id, author_name, created, modified, "
        "page, pages, quote, quads, geometry, comment) VALUES ('a1', 'd1', 'highlight', 'u', 'U', "
        "'now', 'now', 0, '[0]', 'interception of content', '[]', '{}', 'weak safeguard')"
    )
    db.conn.commit()
    db.close()

    store = open_store(db_path)
    conn = store.db.conn
    assert conn.execute("SELECT quote, comment FROM annotations").fetchall() == [
        ("interception of content", "weak safeguard")
    ]
    assert conn.execute(
        "SELECT rowid FROM annotations_fts WHERE annotations_fts MATCH 'safeguard'"
    ).fetchall()
    for kind in ("link", "position"):
        conn.execute(
            "INSERT INTO annotations(id, document_id, kind, author_id, author_name, created, "
            "modified, page, pages, quads, geometry) VALUES (?, 'd1', ?, 'u', 'U', 'now', 'now', "
            "0, '[0]', '[]', '{}')",
            [f"k-{kind}", kind],
        )
    with pytest.raises(sqlite3.IntegrityError, match="CHECK"):
        conn.execute(
            "INSERT INTO annotations(id, document_id, kind, author_id, author_name, created, "
            "modified, page, pages, quads, geometry) VALUES ('bad', 'd1', 'bogus', 'u', 'U', "
            "'now', 'now', 0, '[0]', '[]', '{}')"
        )
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    store.close()


def test_a_bulk_write_keeps_the_full_text_index_as_row_by_row_writes_do(
    review: Review, sample_pdf: Path
) -> None:
    """From BULK_MARKS_FROM rows the full-text triggers stand aside and the store indexes the
    rows itself (m0012): new rows are found, an upsert's old words are gone, undo (not bulk)
    takes the words out again, and FTS5's own check agrees with the table."""
    from reviewer.core import operations as ops
    from reviewer.core.store import BULK_MARKS_FROM, Snapshot

    with open_pdf(sample_pdf) as pdf:
        seed = review.annotate_quote(pdf, "Production order", comment="seed")
        doc = review.register(pdf)["id"]
    template = dict(review.store.annotation_row(seed.id))
    template.pop("replies", None)
    count = BULK_MARKS_FROM + 20
    ids = [f"00000000-0000-4000-8000-{n:012d}" for n in range(count)]

    def batch(word: str) -> Snapshot:
        snap = Snapshot()
        for n, item in enumerate(ids):
            snap.annotations[item] = dict(template, id=item, comment=f"{word} number{n}", revision=2)
        return snap

    conn = review.store.db.conn

    def found(text: str) -> list[str]:
        return sorted(x.id for x in review.annotations(doc, Filters(search=text)))

    def check_index() -> None:
        conn.execute("INSERT INTO annotations_fts(annotations_fts, rank) VALUES ('integrity-check', 1)")

    first = review.apply(ops.ReplaceRows("bulk", batch("jurisdiction")))
    assert found("jurisdiction") == ids
    assert found("number7 jurisdiction") == [ids[7]]  # the last word is a prefix
    check_index()
    second = review.apply(ops.ReplaceRows("bulk again", batch("extradition")))
    assert found("extradition") == ids and found("jurisdiction") == []
    check_index()
    review.undo(second)  # bulk too: every row of its target is there
    assert found("jurisdiction") == ids and found("extradition") == []
    review.undo(first)  # not bulk: rows deleted, through the delete trigger
    assert found("jurisdiction") == [] and found("seed") == [seed.id]
    check_index()
    # One row at a time still goes through the triggers.
    review.edit(seed.id, comment="derogation")
    assert found("derogation") == [seed.id] and found("seed") == []
    check_index()
