"""Control and bidirectional characters are stripped where text comes in (review file, XFDF,
PDF markups, CLI flags, the editor's gate), so no output carries them; RTL text stays."""

from __future__ import annotations

import csv
import json
import subprocess
from pathlib import Path

import docx
import pytest

from reviewer.cli import main
from reviewer.core.exchange.service import export_document
from reviewer.core.pdf import open_pdf
from reviewer.core.plain_text import clean_text
from reviewer.core.review import Review
from reviewer.core.settings import Identity

ADA = Identity("11111111-1111-4111-8111-111111111111", "Ada Tester")

# Each character the issue names, and the rest of their families.
BIDI = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
C0 = "".join(chr(c) for c in range(0x20) if chr(c) not in "\t\n\r")  # CR ends a line
C1 = "".join(chr(c) for c in range(0x7F, 0xA0))
UNWANTED = BIDI + C0 + C1
ANSI = "\x1b[31m"
ARABIC = "تعلن الدولة الطرف"
HEBREW = "המדינה הצד"
# What a reader should see: the words, each kept in its own script and order.
CLEAN = f"Evil {ARABIC} and {HEBREW} end"
DIRTY = f"Ev\u202eil\x07 {ANSI}{ARABIC}\x1b[0m \u2066and\u2069 {HEBREW}\u202a\x85 e\x9bn\x7fd"


def _run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    with pytest.raises(SystemExit) as exit_info:
        main(argv)
    out, err = capsys.readouterr()
    return int(exit_info.value.code or 0), out, err


def _assert_clean(text: str, where: str, allowed: str = "") -> None:
    found = sorted({f"U+{ord(ch):04X}" for ch in text if ch in UNWANTED and ch not in allowed})
    assert not found, f"{where} carries {found}"
    assert "[31m" not in text and "[0m" not in text, f"{where} carries the rest of an ANSI escape"


def test_clean_text_keeps_rtl_tab_newline_and_marks() -> None:
    assert clean_text(DIRTY) == CLEAN
    keep = f"{ARABIC}\u200f\t{HEBREW}\u200e\n\u200c\u200d中文 Ünïcödé"
    assert clean_text(keep) == keep
    assert clean_text("a\r\nb\rc") == "a\nb\nc"
    assert clean_text("Ada\tB\nC\u202e", one_line=True) == "Ada B C"
    for ch in UNWANTED:
        assert clean_text(f"x{ch}y") == "xy", f"U+{ord(ch):04X}"


@pytest.fixture
def imported(tmp_path: Path, sample_pdf: Path, db_path: Path, capsys):  # type: ignore[no-untyped-def]
    """A review file whose comment, reply and author name hold every unwanted character,
    imported into the database through the CLI."""
    other_db = tmp_path / "other.sqlite3"
    review = Review.open(other_db, ADA)
    pdf = open_pdf(sample_pdf)
    a = review.annotate_quote(pdf, "promote and strengthen measures", comment="placeholder")
    review.reply(a.id, "reply placeholder")
    out = tmp_path / "dirty.review.json"
    export_document(review, pdf, "review", out)
    review.close()
    doc = json.loads(out.read_text("utf-8"))
    every = f"{DIRTY} all:{UNWANTED}:"
    for item in doc["first"]["items"]:
        if isinstance(item["body"], dict):  # a reply
            item["body"]["value"] = every
        else:
            item["body"] = [
                dict(b, value=every) if b.get("purpose") != "tagging" else b for b in item["body"]
            ]
        item["creator"]["name"] = f"Ev\u202eil {ANSI}Mallory\x07"
        item.pop("rv:history", None)
    out.write_text(json.dumps(doc, ensure_ascii=False, indent=1), "utf-8")
    code, _, err = _run(["import", str(out), "--pdf", str(sample_pdf)], capsys)
    assert code == 0, err
    return sample_pdf


def test_review_file_import_is_cleaned_and_every_output_is_clean(
    imported: Path, tmp_path: Path, capsys
) -> None:  # type: ignore[no-untyped-def]
    review = Review.open(tmp_path / "review.sqlite3", ADA)
    pdf = open_pdf(imported)
    [a] = review.annotations(review.register(pdf)["id"])
    expected = f"{CLEAN} all::"
    assert a.comment == expected
    assert a.author_name == "Evil Mallory"
    assert [r.comment for r in a.replies] == [expected]
    review.close()

    outputs: dict[str, str] = {}
    code, out, err = _run(["list", str(imported)], capsys)
    assert code == 0, err
    outputs["terminal"] = out
    csv_path = tmp_path / "out.csv"
    assert _run(["export", str(imported), "-o", str(csv_path)], capsys)[0] == 0
    outputs["csv"] = csv_path.read_text("utf-8-sig")
    rows = list(csv.DictReader(outputs["csv"].splitlines()))
    assert rows[0]["comment"] == expected and rows[0]["author"] == "Evil Mallory"
    for suffix in ("html", "md", "docx", "pdf"):
        path = tmp_path / f"report.{suffix}"
        code, _, err = _run(["report", str(imported), "-o", str(path)], capsys)
        assert code == 0, err
        if suffix == "docx":
            document = docx.Document(str(path))
            outputs[suffix] = "\n".join(p.text for p in document.paragraphs)
        elif suffix == "pdf":
            copied = subprocess.run(
                ["pdftotext", str(path), "-"], capture_output=True, text=True, check=True
            ).stdout
            # pdftotext itself marks right-to-left runs with U+202B...U+202C and pages with FF
            _assert_clean(copied, "pdftotext", allowed="\u202b\u202c\x0c")
            assert "\u202e" not in copied
            import pymupdf as fitz  # the text layer itself, as written

            with fitz.open(str(path)) as document:
                outputs[suffix] = "".join(page.get_text() for page in document)
        else:
            outputs[suffix] = path.read_text("utf-8")
    for where, text in outputs.items():
        _assert_clean(text, where)
        assert "Mallory" in text, where
        if where != "pdf":  # the PDF's text layer is checked word by word in the script tests
            assert ARABIC in text and HEBREW in text, where
        assert "Evil" in text, where


def test_cli_flags_are_cleaned(sample_pdf: Path, db_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    code, out, err = _run(
        [
            "--author",
            f"Bob\u202e{ANSI}",
            "annotate",
            str(sample_pdf),
            "--quote",
            "reliable safeguards",
            "--comment",
            DIRTY,
            "--json",
        ],
        capsys,
    )
    assert code == 0, err
    created = json.loads(out)
    assert created["comment"] == CLEAN
    ident = created["id"]
    assert _run(["edit", ident, "--comment", "x\u202ey\x07"], capsys)[0] == 0
    assert _run(["reply", ident, "--comment", f"r\u2067{HEBREW}\u2069"], capsys)[0] == 0
    assert _run(["tags", "add", "t1", "--definition", "d\u202ef\x1b[1m"], capsys)[0] == 0
    code, out, _ = _run(["list", str(sample_pdf), "--json"], capsys)
    [a] = json.loads(out)
    assert a["comment"] == "xy"
    assert a["author"] == "Bob"
    assert [r["comment"] for r in a["replies"]] == [f"r{HEBREW}"]
    _assert_clean(out, "list --json")
    code, out, _ = _run(["tags", "--json"], capsys)
    assert [t["definition"] for t in json.loads(out) if t["name"] == "t1"] == ["df"]


def test_xfdf_and_pdf_markups_are_cleaned(tmp_path: Path, sample_pdf: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    source_db = tmp_path / "source.sqlite3"
    review = Review.open(source_db, ADA)
    pdf = open_pdf(sample_pdf)
    review.annotate_quote(pdf, "reliable safeguards", comment="placeholder")
    xfdf, annotated = tmp_path / "out.xfdf", tmp_path / "annotated.pdf"
    export_document(review, pdf, "xfdf", xfdf)
    review.close()
    text = xfdf.read_text("utf-8").replace("placeholder", "Ev&#x202E;il&#x2066; end")
    xfdf.write_text(text, "utf-8")
    assert _run(["import", str(xfdf), "--pdf", str(sample_pdf)], capsys)[0] == 0
    code, out, _ = _run(["list", str(sample_pdf), "--json"], capsys)
    assert [a["comment"] for a in json.loads(out)] == ["Evil end"]

    # another tool's PDF: a highlight whose /Contents holds an override
    import pymupdf as fitz

    doc = fitz.open(str(sample_pdf))
    page = doc[0]
    quads = page.search_for("promote and strengthen measures", quads=True)
    annot = page.add_highlight_annot(quads)
    annot.set_info(content="Tr\u202eojan\x1b[2J source", title="Ev\u202eil")
    annot.update()
    doc.save(str(annotated))
    assert _run(["import", str(annotated), "--pdf", str(sample_pdf)], capsys)[0] == 0
    code, out, _ = _run(["list", str(sample_pdf), "--json"], capsys)
    comments = sorted(a["comment"] for a in json.loads(out))
    assert comments == ["Evil end", "Trojan source"]
    _assert_clean(out, "list --json")
