"""Conflicts (reviewer.core.exchange.conflicts) as a user meets them: a concurrent edit becomes a
visible conflict, listed and resolved from the command line.
"""

from __future__ import annotations

import json
from pathlib import Path

from reviewer.core.exchange.service import (
    conflicts,
    export_document,
    import_file,
)
from reviewer.core.pdf import open_pdf

from .helpers import ADA, open_review
from .helpers import run_cli as _run


def test_concurrent_edits_give_a_visible_conflict(concurrent, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    item_id, ada, ben, ada_file, ben_file = concurrent
    result = import_file(ada, str(ben_file))
    assert result.conflicts == [item_id]
    found = conflicts(ada)
    assert len(found) == 1
    texts = {found[0].comment, found[0].winner_comment}
    assert texts == {"Ada's reading", "Ben's reading"}
    # The other side reaches the same winner and the same conflict.
    import_file(ben, str(ada_file))
    assert ada.annotation(item_id).comment == ben.annotation(item_id).comment
    assert [c.version for c in conflicts(ben)] == [c.version for c in found]
    # And both files' merge carries both texts.
    merged = tmp_path / "m.review.json"
    from reviewer.core.exchange.service import merge_files

    data = merge_files([str(ada_file), str(ben_file)], merged)
    assert {v["comment"] for v in data.annotations[item_id].versions.values()} == texts
    assert '"rv:conflicts"' in merged.read_text("utf-8")


def test_list_conflicts_and_resolve_from_the_cli(concurrent, tmp_path, sample_pdf, capsys) -> None:  # type: ignore[no-untyped-def]
    item_id, ada, ben, ada_file, ben_file = concurrent
    db = str(tmp_path / "ada.db")
    code, out, err = _run(["--db", db, "import", str(ben_file)], capsys)
    assert code == 0 and "1 conflicts" in out and item_id in out
    code, out, err = _run(["--db", db, "list", str(sample_pdf), "--conflicts", "--json"], capsys)
    listed = json.loads(out)
    assert len(listed) == 1 and listed[0]["id"] == item_id
    losing = listed[0]["comment"]
    code, out, err = _run(["--db", db, "list", str(sample_pdf), "--conflicts"], capsys)
    assert item_id[:8] in out and "version" in out
    code, out, err = _run(["--db", db, "resolve", item_id[:8], "--keep", "theirs"], capsys)
    assert code == 0, err
    ada2 = open_review(tmp_path / "ada.db", ADA)
    assert ada2.annotation(item_id).comment == losing
    code, out, err = _run(["--db", db, "list", str(sample_pdf), "--conflicts", "--json"], capsys)
    assert json.loads(out) == []
    # The resolution travels: Ben imports Ada's new file and gets the chosen text, no conflict.
    resolved = tmp_path / "resolved.review.json"
    export_document(ada2, open_pdf(sample_pdf), "review", resolved)
    result = import_file(ben, str(resolved))
    assert result.conflicts == [] and ben.annotation(item_id).comment == losing
    assert conflicts(ben) == [] or all(c.item_id != item_id for c in conflicts(ben))


def test_resolve_keep_mine(concurrent) -> None:  # type: ignore[no-untyped-def]
    from reviewer.core.exchange.service import resolve

    item_id, ada, ben, ada_file, ben_file = concurrent
    import_file(ada, str(ben_file))
    current = ada.annotation(item_id)
    resolve(ada, item_id, "mine")
    after = ada.annotation(item_id)
    assert after.comment == current.comment and after.revision > current.revision
    assert conflicts(ada) == []
