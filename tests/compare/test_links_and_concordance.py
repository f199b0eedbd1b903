"""``reviewer link``, ``reviewer concordance`` and ``reviewer list`` of either document, with
undo through the operations gate."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from reviewer.core.pdf import open_pdf
from reviewer.core.review import Review
from reviewer.core.review_compare import comparison_of, link_quotes, set_pair

from .conftest import run_cli

SAFEGUARD_A = "principle of proportionality"
SAFEGUARD_B = "protection of human rights"


def test_a_link_from_the_cli_shows_on_both_documents(pair, capsys) -> None:  # type: ignore[no-untyped-def]
    a, b = pair
    code, out, err = run_cli(capsys, "tags", "add", "weak safeguard", "--color", "#cc3333")
    code, out, err = run_cli(
        capsys,
        "link",
        str(a),
        "--quote",
        SAFEGUARD_A,
        "--to",
        str(b),
        "--to-quote",
        SAFEGUARD_B,
        "--relation",
        "safeguard-missing",
        "--comment",
        "B drops independent supervision",
        "--tag",
        "weak safeguard",
    )
    assert code == 0, err
    link_id = out.strip()
    assert len(link_id) == 36

    code, out, _ = run_cli(capsys, "list", str(a), "--json")
    [seen_from_a] = json.loads(out)
    assert seen_from_a["id"] == link_id and seen_from_a["kind"] == "link"
    assert seen_from_a["citation"] == "Art. 15" and seen_from_a["quote"] == SAFEGUARD_A
    assert seen_from_a["tags"] == ["weak safeguard"]
    [end] = seen_from_a["links"]
    assert {k: end[k] for k in ("id", "relation", "citation", "quote")} == {
        "id": link_id,
        "relation": "safeguard-missing",
        "citation": "Art. 17",
        "quote": SAFEGUARD_B,
    }
    b_document = end["document"]

    code, out, _ = run_cli(capsys, "list", str(b), "--json")
    [seen_from_b] = json.loads(out)
    assert seen_from_b["id"] == link_id and seen_from_b["document"] == b_document
    assert seen_from_b["citation"] == "Art. 17" and seen_from_b["quote"] == SAFEGUARD_B
    assert seen_from_b["comment"] == "B drops independent supervision"
    [back] = seen_from_b["links"]
    assert back["document"] == seen_from_a["document"] and back["citation"] == "Art. 15"
    assert back["quote"] == SAFEGUARD_A
    # B's end is painted on B's pages: its quads are B's, not A's.
    assert seen_from_b["quads"] != seen_from_a["quads"]

    code, out, _ = run_cli(capsys, "list", str(b))
    assert (
        f"{link_id[:8]}  Art. 17" in out
        and "\u2194 Art. 15 (safeguard-missing) \u201cprinciple of proportionality\u201d" in out
    )

    # Tags, comment, status, replies: like any annotation, whichever end is listed.
    assert run_cli(capsys, "reply", link_id[:8], "--comment", "Agreed")[0] == 0
    assert run_cli(capsys, "edit", link_id[:8], "--status", "accepted")[0] == 0
    code, out, _ = run_cli(capsys, "list", str(b), "--json")
    [after] = json.loads(out)
    assert after["status"] == "accepted" and [r["comment"] for r in after["replies"]] == ["Agreed"]
    assert run_cli(capsys, "delete", link_id[:8])[0] == 0
    for document in (a, b):
        code, out, _ = run_cli(capsys, "list", str(document), "--json")
        assert json.loads(out) == []


def test_link_errors_are_one_line_and_change_nothing(pair, tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    a, b = pair
    code, _, err = run_cli(
        capsys, "link", str(a), "--quote", "no such words here", "--to", str(b), "--to-quote", SAFEGUARD_B
    )
    assert code == 1 and "convention-a.pdf" in err and "quote not found" in err and "Traceback" not in err
    code, _, err = run_cli(
        capsys, "link", str(a), "--quote", SAFEGUARD_A, "--to", str(b), "--to-quote", "no such words"
    )
    assert code == 1 and "convention-b.pdf" in err
    code, _, err = run_cli(
        capsys, "link", str(a), "--quote", SAFEGUARD_A, "--to", str(a), "--to-quote", SAFEGUARD_A
    )
    assert code == 1 and "two different documents" in err
    db = sqlite3.connect(tmp_path / "review.sqlite3")
    assert db.execute("SELECT count(*) FROM annotations").fetchone() == (0,)
    assert db.execute("SELECT count(*) FROM link_targets").fetchone() == (0,)


def test_undo_and_redo_a_link(pair, review: Review) -> None:  # type: ignore[no-untyped-def]
    a, b = pair
    pdf_a, pdf_b = open_pdf(a), open_pdf(b)
    link = link_quotes(review, pdf_a, SAFEGUARD_A, pdf_b, SAFEGUARD_B, relation="narrower")
    change = review.last_change
    b_id = review.register(pdf_b)["id"]
    assert [x.id for x in review.annotations(b_id)] == [link.id]
    review.undo(change)
    assert review.annotations(b_id) == [] and review.store.link_targets_of([link.id]) == {}
    review.redo(change)
    [again] = review.annotations(b_id)
    assert again.citation == "Art. 17" and again.links[0].relation == "narrower"


def test_concordance_set_unset_relation_and_both_sides(pair, capsys) -> None:  # type: ignore[no-untyped-def]
    a, b = pair
    code, out, err = run_cli(
        capsys, "concordance", str(a), str(b), "--set", "Art. 15=Art. 17", "--relation", "broader"
    )
    assert (code, out.strip()) == (0, "confirmed Art. 15=Art. 17 (broader)"), err
    # "Article 24" and "27": how people write them; B's Art. 27 was A's Art. 25's suggestion.
    code, out, err = run_cli(capsys, "concordance", str(a), str(b), "--set", "Article 24=27")
    assert (code, out.strip()) == (0, "confirmed Art. 24=Art. 27"), err

    code, out, _ = run_cli(capsys, "compare", str(a), str(b), "--json")
    result = json.loads(out)
    confirmed = [p for p in result["pairs"] if p["confirmed"]]
    assert [(p["a"], p["b"], p["relation"]) for p in confirmed] == [
        ("Art. 15", "Art. 17", "broader"),
        ("Art. 24", "Art. 27", None),
    ]
    assert "Art. 25" in result["only_in_a"]  # its suggested counterpart was confirmed for Art. 24

    # From B's side the same pairs, the relation read the other way.
    code, out, _ = run_cli(capsys, "concordance", str(b), str(a), "--json")
    assert json.loads(out) == [
        {"a": "Art. 17", "b": "Art. 15", "relation": "narrower"},
        {"a": "Art. 27", "b": "Art. 24", "relation": None},
    ]
    code, out, _ = run_cli(capsys, "concordance", str(b), str(a), "--unset", "Art. 27=Art. 24")
    assert (code, out.strip()) == (0, "removed Art. 27=Art. 24")
    code, out, _ = run_cli(capsys, "compare", str(a), str(b), "--json")
    result = json.loads(out)
    assert ("Art. 24", "Art. 27") not in {(p["a"], p["b"]) for p in result["pairs"]}
    assert ("Art. 25", "Art. 27") in {(p["a"], p["b"]) for p in result["pairs"]}


def test_concordance_errors(pair, capsys) -> None:  # type: ignore[no-untyped-def]
    a, b = pair
    code, _, err = run_cli(capsys, "concordance", str(a), str(b), "--set", "Art. 99=Art. 17")
    assert code == 1 and "convention-a.pdf" in err and "no article 'Art. 99'" in err
    code, _, err = run_cli(capsys, "concordance", str(a), str(b), "--set", "Art. 15")
    assert code == 1 and "Art. 15=Art. 24" in err
    code, _, err = run_cli(capsys, "concordance", str(a), str(b), "--unset", "Art. 1=Art. 2")
    assert code == 1 and "not in the confirmed concordance" in err


def test_concordance_undo_goes_through_the_gate(pair, review: Review) -> None:  # type: ignore[no-untyped-def]
    a, b = pair
    pdf_a, pdf_b = open_pdf(a), open_pdf(b)
    change = set_pair(review, pdf_a, "Art. 15", pdf_b, "Art. 17", "safeguard-missing")
    confirmed = [p for p in comparison_of(review, pdf_a, pdf_b).pairs if p.confirmed]
    assert [(p.a, p.b, p.relation) for p in confirmed] == [("Art. 15", "Art. 17", "safeguard-missing")]
    review.undo(change)
    assert not any(p.confirmed for p in comparison_of(review, pdf_a, pdf_b).pairs)
    review.redo(change)
    assert any(p.confirmed for p in comparison_of(review, pdf_a, pdf_b).pairs)


def test_an_older_database_gains_the_link_and_concordance_tables(db_path: Path) -> None:
    from sqlite_utils import Database
    from sqlite_utils.migrations import Migrations

    from reviewer.core import store as store_module
    from reviewer.core.opening import open_store

    older = Migrations("reviewer")
    older._migrations = [m for m in store_module.migrations._migrations if m.name < "m0008"]
    db = Database(db_path)
    older.apply(db)
    db.execute(
        "INSERT INTO documents(id, title, page_count, first_seen, last_seen) VALUES ('d1', 'T', 1, 'now', 'now')"
    )
    db.execute(
        "INSERT INTO annotations(id, document_id, kind, author_id, author_name, created, modified, "
        "page, pages, quote, quads, geometry) VALUES ('a1', 'd1', 'highlight', 'u', 'U', 'now', 'now', "
        "0, '[0]', 'kept', '[]', '{}')"
    )
    db.conn.commit()
    db.close()
    store = open_store(db_path)
    assert "m0008_links_concordance" in store_module.SCHEMA_STEPS
    assert store.db.conn.execute("SELECT quote FROM annotations").fetchall() == [("kept",)]
    assert store.concordance_rows("d1", "d2") == []
    assert store.link_targets_of(["a1"]) == {}
    with pytest.raises(sqlite3.IntegrityError, match="CHECK"):  # the two documents in id order
        store.db.conn.execute(
            "INSERT INTO concordance(id, a_document_id, a_citation, b_document_id, b_citation, "
            "author_id, author_name, created, modified) VALUES ('p', 'z', 'Art. 1', 'a', 'Art. 2', 'u', 'U', 'n', 'n')"
        )
    store.close()
