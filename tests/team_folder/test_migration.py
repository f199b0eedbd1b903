"""m0009 on a database made before it: rows kept and shared (not private), the counter and
the marks start, and the database syncs like a new one."""

from __future__ import annotations

from pathlib import Path

from reviewer.core.exchange.team_folder import sync_folder
from reviewer.core.pdf import open_pdf
from reviewer.core.review import Review
from reviewer.core.settings import Identity

ADA = Identity("11111111-1111-4111-8111-111111111111", "Ada Tester")


def test_an_older_database_takes_m0009_and_syncs(tmp_path: Path, sample_pdf: Path) -> None:
    from sqlite_utils import Database
    from sqlite_utils.migrations import Migrations

    from reviewer.core import store as store_module

    db = tmp_path / "old.sqlite3"
    # The Reviewer before m0009 made this database (and an annotation in it).
    reference = Review.open(tmp_path / "reference.sqlite3", ADA)
    made = reference.annotate_quote(open_pdf(sample_pdf), "reliable safeguards", comment="Made before m0009")
    document = reference.store.document(made.document_id)
    row = reference.store.annotation_row(made.id)
    reference.close()
    older = Migrations("reviewer")
    older._migrations = [m for m in store_module.migrations._migrations if m.name < "m0009"]
    old = Database(db)
    older.apply(old)
    assert document is not None and row is not None
    for table, values in (("documents", document), ("annotations", row)):
        columns = set(old[table].columns_dict)  # the columns of that older schema only
        old[table].insert({k: v for k, v in values.items() if k in columns})
    old.conn.commit()
    old.close()
    review = Review.open(db, ADA)
    conn = review.store.db.conn
    steps = [r[0] for r in conn.execute("SELECT name FROM _sqlite_migrations")]
    assert "m0009_private_and_sync" in steps
    assert not review.annotation(made.id).private
    folder = tmp_path / "team"
    folder.mkdir()
    assert [f.action for f in sync_folder(review, folder).files] == ["written"]
    (own,) = folder.rglob("*.review.json")
    assert "Made before m0009" in own.read_text("utf-8")
    counter = review.store.change_counter()
    review.edit(made.id, comment="Edited after")
    assert review.store.change_counter() > counter
    assert made.id in review.store.dirty_since(counter)
    assert [f.action for f in sync_folder(review, folder).files] == ["not modified", "written"]
    assert "Edited after" in own.read_text("utf-8")
    review.close()
