"""``reviewer report A.pdf --compare B.pdf``: the comparison report in every format; in the PDF,
pdftotext finds each pair's two citations and each link's two quotes."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest

from .conftest import run_cli

LINKS = [
    # (A's quote, B's quote, relation, comment)
    (
        "principle of proportionality",
        "protection of human rights",
        "safeguard-missing",
        "No independent supervision",
    ),
    ("period of up to ninety days", "for up to ninety days", "equivalent", "Same ceiling"),
    ("subscriber information relating to its services", "submit subscriber information", "narrower", ""),
]


@pytest.fixture
def compared(pair, capsys):  # type: ignore[no-untyped-def]
    a, b = pair
    ids = []
    for quote, to_quote, relation, comment in LINKS:
        code, out, err = run_cli(
            capsys,
            "link",
            str(a),
            "--quote",
            quote,
            "--to",
            str(b),
            "--to-quote",
            to_quote,
            "--relation",
            relation,
            "--comment",
            comment,
        )
        assert code == 0, err
        ids.append(out.strip())
    assert run_cli(capsys, "reply", ids[0], "--comment", "Raise at the committee")[0] == 0
    assert (
        run_cli(
            capsys,
            "concordance",
            str(a),
            str(b),
            "--set",
            "Art. 15=Art. 17",
            "--relation",
            "safeguard-missing",
        )[0]
        == 0
    )
    code, out, _ = run_cli(capsys, "compare", str(a), str(b), "--json")
    return a, b, json.loads(out)


def _flat(text: str) -> str:
    return re.sub(r"\s+", " ", text.replace("\ufb01", "fi").replace("\ufb00", "ff").replace("\ufb03", "ffi"))


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils (pdftotext) is not installed")
def test_the_pdf_holds_every_pair_and_every_link_side_by_side(compared, tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    a, b, comparison = compared
    out = tmp_path / "comparison.pdf"
    code, printed, err = run_cli(capsys, "report", str(a), "--compare", str(b), "-o", str(out))
    assert code == 0 and printed.strip() == str(out), err
    raw = subprocess.run(
        ["pdftotext", "-layout", str(out), "-"], capture_output=True, text=True, check=True
    ).stdout
    text = _flat(raw)
    for pair in comparison["pairs"]:
        assert re.search(rf"{re.escape(pair['a'])} \u2013", text), pair["a"]
        assert re.search(rf"{re.escape(pair['b'])} \u2013", text), pair["b"]
    for quote, to_quote, relation, comment in LINKS:
        assert quote in text and to_quote in text and relation in text
        if comment:
            assert comment in text
    assert "Raise at the committee" in text
    assert "Pairs where a safeguard is missing: Art. 15 / Art. 17" in text
    assert "Only in A" in text and "Art. 10 \u2013 Offences related to infringements of copyright" in text
    assert "Only in B" in text and "Statement of purpose" in text
    # Two columns: the two quotes of a link stand on one line of the page, A's on the left.
    line = next(x for x in raw.splitlines() if "period of up to ninety days" in x)
    assert line.index("period of up to ninety days") < line.index("for up to ninety days")


def test_html_markdown_and_docx(compared, tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    a, b, _ = compared
    for suffix in ("html", "md", "docx"):
        out = tmp_path / f"comparison.{suffix}"
        code, _, err = run_cli(
            capsys, "report", str(a), "--compare", str(b), "-o", str(out), "--tag", "safeguard"
        )
        assert code == 0, err
    html_text = (tmp_path / "comparison.html").read_text(encoding="utf-8")
    assert '<table class="cols">' in html_text and "Art. 17 \u2013 Conditions and safeguards" in html_text
    # --tag chooses the links: none of them is tagged "safeguard".
    assert "period of up to ninety days" not in html_text
    code, _, err = run_cli(capsys, "report", str(a), "--compare", str(b), "-o", str(tmp_path / "all.md"))
    markdown = (tmp_path / "all.md").read_text(encoding="utf-8")
    assert "| A | B |" in markdown and "*period of up to ninety days*" in markdown
    with zipfile.ZipFile(tmp_path / "comparison.docx") as docx:
        body = docx.read("word/document.xml").decode("utf-8")
    assert "Art. 15 \u2013 Conditions and safeguards" in body and "<w:tbl>" in body


def test_report_compare_errors(compared, tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    a, b, _ = compared
    before = b.read_bytes()
    code, _, err = run_cli(capsys, "report", str(a), "--compare", str(b), "-o", str(b))
    assert code == 1 and "Traceback" not in err and "convention-b.pdf" in err
    assert b.read_bytes() == before
    code, _, err = run_cli(capsys, "report", str(a), "--compare", str(b), "-o", str(tmp_path / "x.txt"))
    assert code == 1 and "x.txt" in err
    code, _, err = run_cli(
        capsys, "report", str(a), "--compare", str(b), "-o", str(tmp_path / "x.pdf"), "--with-pages"
    )
    assert code == 2 and "--compare does not take --with-pages" in err
