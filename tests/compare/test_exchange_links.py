"""Links and the confirmed concordance in review files: W3C-valid, imported and merged like
annotations (the same bytes in any order, concurrent edits kept as conflicts), and their ends
as highlights in XFDF and annotated PDFs."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pymupdf
import pytest

from .conftest import run_cli

ROOT = Path(__file__).resolve().parents[2]
VALIDATOR = ROOT.parent / "shared" / "tools" / "validate_web_annotation.py"
W3C_TESTS = ROOT.parent / "shared" / "w3c-annotation-tests"


def cli(capsys, db: Path, author: str, *args: str) -> str:  # type: ignore[no-untyped-def]
    code, out, err = run_cli(capsys, "--db", str(db), "--author", author, *args)
    assert code == 0, err
    return out


@pytest.fixture
def ada_review(pair, tmp_path: Path, capsys):  # type: ignore[no-untyped-def]
    """Ada links Art. 15 of A to Art. 17 of B and confirms two pairs; her files of A and B."""
    a, b = pair
    db = tmp_path / "ada.sqlite3"
    link_id = cli(
        capsys,
        db,
        "Ada",
        "link",
        str(a),
        "--quote",
        "principle of proportionality",
        "--to",
        str(b),
        "--to-quote",
        "protection of human rights",
        "--relation",
        "safeguard-missing",
        "--comment",
        "Weaker in B",
    ).strip()
    cli(capsys, db, "Ada", "reply", link_id, "--comment", "Check the travaux")
    cli(capsys, db, "Ada", "concordance", str(a), str(b), "--set", "Art. 15=Art. 17", "--relation", "broader")
    cli(capsys, db, "Ada", "concordance", str(a), str(b), "--set", "Art. 16=Art. 18")
    files = {}
    for name, pdf in (("a", a), ("b", b)):
        files[name] = tmp_path / f"ada-{name}.review.json"
        cli(capsys, db, "Ada", "export", str(pdf), "-o", str(files[name]))
    return {"db": db, "link": link_id, "files": files}


def test_the_review_file_holds_a_linking_annotation_valid_against_the_w3c_schemas(ada_review) -> None:  # type: ignore[no-untyped-def]
    data = json.loads(ada_review["files"]["a"].read_text(encoding="utf-8"))
    [link] = [i for i in data["first"]["items"] if i.get("motivation") == "linking"]
    assert link["id"] == f"urn:uuid:{ada_review['link']}"
    own, other = link["target"]
    assert own["source"] == f"urn:sha256:{data['rv:document']['sha256']}"
    assert other["source"].startswith("urn:sha256:") and other["source"] != own["source"]
    for target, quote in ((own, "principle of proportionality"), (other, "protection of human rights")):
        kinds = {s["refinedBy"]["type"]: s["refinedBy"] for s in target["selector"]}
        assert kinds["TextQuoteSelector"]["exact"] == quote
        assert "TextPositionSelector" in kinds
    assert other["rv:relation"] == "safeguard-missing" and other["rv:citation"] == "Art. 17"
    assert [(p["a"]["citation"], p["b"]["citation"]) for p in data["rv:concordance"]] != []
    for path in ada_review["files"].values():
        done = subprocess.run(
            [sys.executable, str(VALIDATOR), str(W3C_TESTS), str(path)], capture_output=True, text=True
        )
        assert done.returncode == 0, done.stdout + done.stderr


def test_export_import_export_is_byte_identical_and_shows_on_both_documents(
    ada_review, pair, tmp_path, capsys
) -> None:  # type: ignore[no-untyped-def]
    a, b = pair
    ben = tmp_path / "ben.sqlite3"
    # B's file first: its concordance names A, which Ben has not opened yet.
    for name, pdf in (("b", b), ("a", a)):
        cli(capsys, ben, "Ben", "import", str(ada_review["files"][name]), "--pdf", str(pdf))
    for name, pdf in (("a", a), ("b", b)):
        again = tmp_path / f"ben-{name}.review.json"
        cli(capsys, ben, "Ben", "export", str(pdf), "-o", str(again))
        assert again.read_bytes() == ada_review["files"][name].read_bytes()
    [seen_from_b] = json.loads(cli(capsys, ben, "Ben", "list", str(b), "--json"))
    assert seen_from_b["id"] == ada_review["link"] and seen_from_b["citation"] == "Art. 17"
    assert seen_from_b["links"][0]["citation"] == "Art. 15"
    assert [r["comment"] for r in seen_from_b["replies"]] == ["Check the travaux"]
    assert json.loads(cli(capsys, ben, "Ben", "concordance", str(b), str(a), "--json")) == [
        {"a": "Art. 17", "b": "Art. 15", "relation": "narrower"},
        {"a": "Art. 18", "b": "Art. 16", "relation": None},
    ]


def test_concurrent_edits_merge_the_same_in_any_order_with_conflicts_kept(
    ada_review, pair, tmp_path, capsys
) -> None:  # type: ignore[no-untyped-def]
    a, b = pair
    ben, carla = tmp_path / "ben.sqlite3", tmp_path / "carla.sqlite3"
    files: dict[str, Path] = {"ada": ada_review["files"]["a"]}
    for db, who, comment, relation in (
        (ben, "Ben", "Much weaker", "narrower"),
        (carla, "Carla", "Same", "equivalent"),
    ):
        cli(capsys, db, who, "import", str(ada_review["files"]["a"]), "--pdf", str(a))
        cli(capsys, db, who, "edit", ada_review["link"], "--comment", comment)
        cli(
            capsys, db, who, "concordance", str(a), str(b), "--set", "Art. 15=Art. 17", "--relation", relation
        )
        files[who] = tmp_path / f"{who}.review.json"
        cli(capsys, db, who, "export", str(a), "-o", str(files[who]))
    orders = [("ada", "Ben", "Carla"), ("Carla", "ada", "Ben"), ("Ben", "Carla", "ada", "Ben")]
    outputs = []
    for i, order in enumerate(orders):
        out = tmp_path / f"merged-{i}.review.json"
        cli(
            capsys,
            tmp_path / "unused.sqlite3",
            "Ada",
            "merge",
            *(str(files[k]) for k in order),
            "-o",
            str(out),
        )
        outputs.append(out.read_bytes())
    assert outputs[0] == outputs[1] == outputs[2]
    merged = json.loads(outputs[0])
    [link] = [i for i in merged["first"]["items"] if i.get("motivation") == "linking"]
    comments = {link["body"][0]["value"], *(c["body"][0]["value"] for c in link["rv:conflicts"])}
    assert comments == {"Much weaker", "Same"}
    [pair_15] = [p for p in merged["rv:concordance"] if "Art. 15" in (p["a"]["citation"], p["b"]["citation"])]
    assert {pair_15["relation"], *(c["relation"] for c in pair_15["rv:conflicts"])} == {
        "broader",
        "equivalent",
    } or {pair_15["relation"], *(c["relation"] for c in pair_15["rv:conflicts"])} == {
        "narrower",
        "equivalent",
    }
    # Imported, the merged file keeps both: the winner in the database, the loser as a conflict.
    dana = tmp_path / "dana.sqlite3"
    merged_path = tmp_path / "merged-0.review.json"
    cli(capsys, dana, "Dana", "import", str(merged_path), "--pdf", str(a))
    again = tmp_path / "dana.review.json"
    cli(capsys, dana, "Dana", "export", str(a), "-o", str(again))
    assert again.read_bytes() == merged_path.read_bytes()
    # Both conflicts are listed, and resolved like any: one new revision over every version.
    listed = json.loads(cli(capsys, dana, "Dana", "list", str(a), "--conflicts", "--json"))
    assert {c["kind"] for c in listed} == {"annotation", "concordance"}
    pair_conflict = next(c for c in listed if c["kind"] == "concordance")
    assert "Art. 15 = Art. 17" in pair_conflict["comment"] or "Art. 17 = Art. 15" in pair_conflict["comment"]
    out = cli(capsys, dana, "Dana", "resolve", pair_conflict["id"][:8], "--keep", "theirs")
    assert out.strip() == f"resolved {pair_conflict['id']}"
    kept_relation = pair_conflict["comment"].split(": ", 1)[1]
    shown = json.loads(cli(capsys, dana, "Dana", "concordance", str(a), str(b), "--json"))
    [row_15] = [r for r in shown if r["a"] == "Art. 15"]
    inverse = {"broader": "narrower", "narrower": "broader"}
    assert row_15["relation"] in (kept_relation, inverse.get(kept_relation, kept_relation))
    listed = json.loads(cli(capsys, dana, "Dana", "list", str(a), "--conflicts", "--json"))
    assert [c["kind"] for c in listed] == ["annotation"]


def test_xfdf_and_annotated_pdf_name_the_other_end(ada_review, pair, tmp_path, capsys) -> None:  # type: ignore[no-untyped-def]
    a, b = pair
    db = ada_review["db"]
    xfdf = tmp_path / "b.xfdf"
    cli(capsys, db, "Ada", "export", str(b), "-o", str(xfdf))
    text = xfdf.read_text(encoding="utf-8")
    assert "<highlight" in text
    assert "\u2194 Convention on Offences against Computer Systems, Art. 15" in text
    annotated = tmp_path / "a-annotated.pdf"
    cli(capsys, db, "Ada", "export", str(a), "-o", str(annotated))
    with pymupdf.open(annotated) as doc:
        found = [(annot.type[1], annot.info["content"]) for page in doc for annot in page.annots()]
    assert (
        "Highlight",
        "Weaker in B\n\n\u2194 United Nations Convention against Information System Crime, Art. 17",
    ) in found
    # Read back, a link's end is not turned into a plain highlight (links travel in review files).
    out = cli(capsys, db, "Ada", "import", str(xfdf), "--pdf", str(b))
    assert "0 added, 0 updated" in out and "2 skipped" in out  # the link and its reply
    [still] = json.loads(cli(capsys, db, "Ada", "list", str(b), "--json"))
    assert still["id"] == ada_review["link"] and still["kind"] == "link" and still["comment"] == "Weaker in B"


def test_a_hostile_link_target_is_refused_whole(ada_review, pair, tmp_path, capsys) -> None:  # type: ignore[no-untyped-def]
    a, _ = pair
    data = json.loads(ada_review["files"]["a"].read_text(encoding="utf-8"))
    link = next(i for i in data["first"]["items"] if i.get("motivation") == "linking")
    link["target"][1]["source"] = link["target"][0]["source"]
    bad = tmp_path / "bad.review.json"
    bad.write_text(json.dumps(data), encoding="utf-8")
    code, _, err = run_cli(capsys, "--db", str(tmp_path / "x.sqlite3"), "import", str(bad), "--pdf", str(a))
    assert code == 1 and "bad.review.json" in err and "another document" in err and "Traceback" not in err
    link["target"] = link["target"][:1]
    bad.write_text(json.dumps(data), encoding="utf-8")
    code, _, err = run_cli(capsys, "--db", str(tmp_path / "x.sqlite3"), "import", str(bad), "--pdf", str(a))
    assert code == 1 and "a link needs a target in each of two documents" in err
