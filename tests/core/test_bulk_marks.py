"""A write of many rows marks its items once at its end (m0011): the team folder sees exactly
the items the per-row triggers would have marked, and the counter moves."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from reviewer.core import store
from reviewer.core.exchange.export import export_review_file
from reviewer.core.exchange.importing import import_file
from reviewer.core.pdf import open_pdf
from reviewer.core.review import Review
from reviewer.core.settings import Identity

ADA = Identity("11111111-1111-4111-8111-111111111111", "Ada Tester")
BEN = Identity("22222222-2222-4222-8222-222222222222", "Ben Reviewer")
COUNT = store.BULK_MARKS_FROM + 20


@pytest.fixture
def review_file(tmp_path: Path, sample_pdf: Path) -> Path:
    ada = Review.open(tmp_path / "ada.sqlite3", ADA)
    with open_pdf(sample_pdf) as pdf:
        flow = pdf.flow()
        words = [m for m in flow.text.split() if len(m) > 6][: COUNT * 3 : 3]
        start = 0
        made = 0
        for word in words:
            at = flow.text.find(word, start)
            ada.annotate_range(pdf, at, at + len(word), tags=["data sharing"], comment=f"note {made}")
            start = at + len(word)
            made += 1
        assert made == COUNT
        document_id = ada.register(pdf)["id"]
    out = tmp_path / "ada.review.json"
    export_review_file(ada, document_id, out)
    ada.close()
    return out


def _marks(db: Path) -> tuple[dict[str, int], int]:
    conn = sqlite3.connect(str(db))
    try:
        marks = dict(conn.execute("SELECT item_id, counter FROM sync_dirty").fetchall())
        (counter,) = conn.execute("SELECT value FROM change_counter").fetchone()
        (bulk,) = conn.execute("SELECT bulk FROM change_counter").fetchone()
        assert bulk == 0  # never left set after a write
        return marks, counter
    finally:
        conn.close()


def _import(tmp_path: Path, name: str, review_file: Path, sample_pdf: Path) -> Path:
    db = tmp_path / f"{name}.sqlite3"
    ben = Review.open(db, BEN)
    with open_pdf(sample_pdf) as pdf:
        ben.register(pdf)
    _, counter_before = _marks(db)
    result = import_file(ben, str(review_file))
    assert len(result.added) == COUNT
    ben.close()
    marks, counter = _marks(db)
    assert counter > counter_before
    return db


def test_an_import_marks_the_items_the_per_row_triggers_mark(
    tmp_path: Path, review_file: Path, sample_pdf: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    bulk_db = _import(tmp_path, "bulk", review_file, sample_pdf)
    monkeypatch.setattr(store, "BULK_MARKS_FROM", 10**9)  # every row through its trigger
    per_row_db = _import(tmp_path, "per-row", review_file, sample_pdf)
    bulk_marks, bulk_counter = _marks(bulk_db)
    per_row_marks, per_row_counter = _marks(per_row_db)
    assert set(bulk_marks) == set(per_row_marks)
    assert len(bulk_marks) >= COUNT
    # the bulk write moved the counter a few times (once per write), the triggers once per row
    assert bulk_counter < per_row_counter
    assert max(bulk_marks.values()) == bulk_counter  # the marks carry the counter's last value


def test_undoing_the_import_marks_every_item_again(tmp_path: Path, review_file: Path, sample_pdf: Path) -> None:
    db = tmp_path / "undone.sqlite3"
    ben = Review.open(db, BEN)
    with open_pdf(sample_pdf) as pdf:
        ben.register(pdf)
    result = import_file(ben, str(review_file))
    assert result.change is not None and len(result.added) == COUNT
    marks_after_import, counter = _marks(db)
    ben.undo(result.change)  # a hard delete of the imported rows: through the triggers
    ben.close()
    marks, later = _marks(db)
    assert later > counter
    assert {item for item in result.added if marks[item] > counter} == set(result.added)
    assert set(marks_after_import) <= set(marks)
