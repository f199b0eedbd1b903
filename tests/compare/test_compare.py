"""``reviewer compare``: two treaties in two house styles, with every true pair known
(``treaty_pair``): renumbered, reordered, retitled, split, merged, dropped and added articles."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from .conftest import run_cli as run
from .conftest import treaty_pair


@pytest.fixture(scope="module")
def treaties(built_treaties: dict[str, Path]) -> dict[str, Path]:
    return built_treaties


def _recall_precision(found: set[tuple[str, str]], truth: set[tuple[str, str]]) -> tuple[float, float]:
    hits = len(found & truth)
    return hits / len(truth), hits / max(1, len(found))


@pytest.mark.parametrize(("a_key", "b_key"), [("a_regional", "b_un"), ("a_un", "b_regional")])
def test_compare_finds_the_true_pairs(treaties, a_key: str, b_key: str, capsys) -> None:  # type: ignore[no-untyped-def]
    code, out, err = run(capsys, "compare", str(treaties[a_key]), str(treaties[b_key]), "--json")
    assert code == 0, err
    result = json.loads(out)
    truth = treaty_pair.true_pairs()
    found = {(p["a"], p["b"]) for p in result["pairs"]}
    recall, precision = _recall_precision(found, truth)
    assert recall >= 0.9 and precision >= 0.9, (sorted(truth - found), sorted(found - truth))
    # Split: A's preservation article has two counterparts; merge: B's forgery-and-fraud two.
    a_numbers = {aid: n for n, art in treaty_pair.A.numbered() for aid in [art.aid]}
    preservation = f"Art. {a_numbers['a-preservation']}"
    assert len([p for p in result["pairs"] if p["a"] == preservation]) == 2
    # Dropped and added articles have no counterpart.
    dropped = {f"Art. {a_numbers[aid]}" for aid in ("a-copyright", "a-spontaneous")}
    assert set(result["only_in_a"]) == dropped
    added = {f"Art. {n}" for n, art in treaty_pair.B.numbered() if art.aid.startswith("b-")}
    assert set(result["only_in_b"]) == added


def test_json_has_the_documented_shape(treaties, capsys) -> None:  # type: ignore[no-untyped-def]
    code, out, _ = run(capsys, "compare", str(treaties["a_regional"]), str(treaties["b_un"]), "--json")
    assert code == 0
    result = json.loads(out)
    assert set(result) == {"a", "b", "pairs", "only_in_a", "only_in_b"}
    assert result["a"]["title"] == treaty_pair.A.title
    assert result["b"]["title"] == treaty_pair.B.title
    assert len(result["a"]["document"]) == 64  # the document's identity, the SHA-256 of its bytes
    pair = next(p for p in result["pairs"] if p["a"] == "Art. 15")
    assert pair == {
        "a": "Art. 15",
        "b": "Art. 17",
        "a_article": 15,
        "b_article": 17,
        "score": pair["score"],
        "confirmed": False,
        "relation": None,
    }
    assert 0.5 < pair["score"] <= 1.0


def test_csv_concordance(treaties, tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    out_csv = tmp_path / "concordance.csv"
    code, out, err = run(
        capsys, "compare", str(treaties["a_regional"]), str(treaties["b_un"]), "-o", str(out_csv)
    )
    assert code == 0, err
    assert "Art. 15    = Art. 17" in out
    rows = list(csv.DictReader(out_csv.read_text(encoding="utf-8-sig").splitlines()))
    assert rows[0].keys() >= {"a", "b", "score", "confirmed", "relation"}
    assert {"a": "Art. 19", "b": "Art. 22"}.items() <= next(r for r in rows if r["a"] == "Art. 19").items()
    assert any(r["a"] == "Art. 10" and r["b"] == "" for r in rows)  # copyright: only in A


def test_bad_inputs_are_one_line_errors(treaties, tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    missing = tmp_path / "nope.pdf"
    code, _, err = run(capsys, "compare", str(treaties["a_regional"]), str(missing))
    assert code == 1 and "nope.pdf" in err and "Traceback" not in err
    code, _, err = run(
        capsys, "compare", str(treaties["a_regional"]), str(treaties["b_un"]), "-o", str(tmp_path / "x.txt")
    )
    assert code == 1 and "x.txt" in err and ".csv" in err
    assert not (tmp_path / "x.txt").exists()


def test_a_treaty_without_article_titles_is_matched_by_its_text(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    """Older treaties print "Article 12" and no title: the bodies alone must carry the match."""
    from dataclasses import replace

    untitled = replace(
        treaty_pair.B,
        chapters=tuple(
            (name, tuple(replace(a, title="") for a in arts)) for name, arts in treaty_pair.B.chapters
        ),
    )
    a = treaty_pair.regional_pdf(treaty_pair.A, tmp_path / "a.pdf")
    b = treaty_pair.un_pdf(untitled, tmp_path / "b-untitled.pdf")
    code, out, err = run(capsys, "compare", str(a), str(b), "--json")
    assert code == 0, err
    found = {(p["a"], p["b"]) for p in json.loads(out)["pairs"]}
    recall, precision = _recall_precision(found, treaty_pair.true_pairs())
    assert recall >= 0.9 and precision >= 0.9, (recall, precision)
