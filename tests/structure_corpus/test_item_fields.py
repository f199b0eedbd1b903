"""The item level of a citation as a user meets it: ``reviewer annotate``/``list --json``,
``structure --json``, the review file (valid against its schema and the W3C model), and the
same fields back after importing that file elsewhere."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest

from reviewer.cli import main
from reviewer.core.resources import resource_path
from tests.exchange.helpers import VALIDATOR, W3C_TESTS
from tests.structure_corpus.treaties import CORPUS
from tests.structure_corpus.typeset import typeset

PASSWORD_ITEM = "a computer password, access code, or similar data"


@pytest.fixture(scope="module")
def budapest(tmp_path_factory: pytest.TempPathFactory) -> Path:
    _, markup, style = next(c for c in CORPUS if c[0] == "cyber-coe")
    path = tmp_path_factory.mktemp("budapest") / "budapest.pdf"
    path.write_bytes(typeset(markup, style)[0])
    return path


def _run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    with pytest.raises(SystemExit) as exit_info:
        main(argv)
    out, err = capsys.readouterr()
    return int(exit_info.value.code or 0), out, err


def test_item_in_list_review_file_and_import(
    budapest: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = str(tmp_path / "a.db")
    code, out, _ = _run(
        ["--db", db, "--author", "Ada", "annotate", str(budapest), "--quote", PASSWORD_ITEM, "--json"], capsys
    )
    assert code == 0
    created = json.loads(out)
    assert (created["article"], created["paragraph"], created["subparagraph"], created["item"]) == (
        6,
        1,
        "a",
        "ii",
    )
    assert created["citation"] == "Art. 6(1)(a)(ii)"
    code, out, _ = _run(
        ["--db", db, "annotate", str(budapest), "--quote", "in Articles 2 through 5; and", "--json"], capsys
    )
    assert json.loads(out)["citation"] == "Art. 6(1)(a)" and json.loads(out)["item"] is None
    code, out, _ = _run(["--db", db, "list", str(budapest), "--json"], capsys)
    listed = {a["quote"]: a for a in json.loads(out)}
    assert listed[PASSWORD_ITEM]["item"] == "ii"
    assert listed[PASSWORD_ITEM]["citation"] == "Art. 6(1)(a)(ii)"

    exported = tmp_path / "budapest.review.json"
    code, _, err = _run(["--db", db, "export", str(budapest), "-o", str(exported)], capsys)
    assert code == 0, err
    document = json.loads(exported.read_text("utf-8"))
    items = {
        i["target"]["selector"]["exact"] if "exact" in i["target"].get("selector", {}) else i["id"]: i
        for i in document["first"]["items"]
    }
    raw = next(i for i in document["first"]["items"] if i["rv:citation"] == "Art. 6(1)(a)(ii)")
    assert raw["rv:item"] == "ii" and raw["rv:subparagraph"] == "a"
    assert len(items) == 2
    schema = json.loads(resource_path("review-file.schema.json").read_text("utf-8"))
    jsonschema.Draft202012Validator(schema).validate(document)
    if W3C_TESTS.exists():
        run = subprocess.run(
            [sys.executable, str(VALIDATOR), str(W3C_TESTS), str(exported)],
            capture_output=True,
            text=True,
            check=False,
        )
        assert run.returncode == 0, run.stdout[-2000:]

    other = str(tmp_path / "b.db")
    code, _, err = _run(
        ["--db", other, "--author", "Ben", "import", str(exported), "--pdf", str(budapest)], capsys
    )
    assert code == 0, err
    code, out, _ = _run(["--db", other, "list", str(budapest), "--json"], capsys)
    imported = {a["quote"]: a for a in json.loads(out)}
    assert imported[PASSWORD_ITEM]["item"] == "ii"
    assert imported[PASSWORD_ITEM]["citation"] == "Art. 6(1)(a)(ii)"


def test_structure_json_lists_items_under_their_letters(
    budapest: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = _run(["structure", str(budapest), "--json"], capsys)
    assert code == 0
    found = json.loads(out)
    art6 = next(a for a in found["articles"] if a["label"] == "6")
    letter_a = art6["paragraphs"][0]["subparagraphs"][0]
    assert letter_a["letter"] == "a"
    assert [i["label"] for i in letter_a["items"]] == ["i", "ii"]
    assert [d["label"] for d in found["divisions"][1]["children"]] == ["1", "2"]
    assert found["closing"] is not None


def test_reports_cite_items_and_group_by_article(
    budapest: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = str(tmp_path / "r.db")
    for quote, tag in (
        (PASSWORD_ITEM, "surveillance power"),
        ("the serious hindering without right", "vague definition"),
    ):
        code, _, err = _run(["--db", db, "annotate", str(budapest), "--quote", quote, "--tag", tag], capsys)
        assert code == 0, err
    markdown = tmp_path / "report.md"
    code, _, err = _run(["--db", db, "report", str(budapest), "-o", str(markdown)], capsys)
    assert code == 0, err
    text = markdown.read_text("utf-8")
    assert "Art. 6(1)(a)(ii)" in text and "Art. 5" in text
    assert text.index("Art. 5") < text.index("Art. 6(1)(a)(ii)")  # article order
    pdf_report = tmp_path / "report.pdf"
    code, _, err = _run(["--db", db, "report", str(budapest), "-o", str(pdf_report)], capsys)
    assert code == 0, err
    shown = subprocess.run(
        ["pdftotext", "-layout", str(pdf_report), "-"], capture_output=True, text=True, check=True
    )
    assert "Art. 6(1)(a)(ii)" in shown.stdout
    assert "Misuse of devices" in shown.stdout  # the article x tag table names the article
