"""``reviewer report`` from the command line: exit codes, messages, files written."""

from __future__ import annotations

import ast
import os
import subprocess
import sys
from pathlib import Path

import docx
from click.testing import CliRunner
from report_testkit import ROOT, pdftotext, squash

from reviewer.cli import main_group


def run(*args: str) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    return subprocess.run([sys.executable, "-m", "reviewer", *args], capture_output=True, text=True, env=env)


def annotate(sample_pdf: Path) -> None:
    for quote, tag, comment in (
        ("competent authorities", "surveillance power", "Who are they?"),
        ("Conditions and safeguards", "safeguard", "Комментарий: хорошо."),
    ):
        result = run(
            "annotate",
            str(sample_pdf),
            "--quote",
            quote,
            "--occurrence",
            "1",
            "--tag",
            tag,
            "--comment",
            comment,
        )
        assert result.returncode == 0, result.stderr


def test_report_in_each_format(sample_pdf, tmp_path):
    annotate(sample_pdf)
    for name in ("r.pdf", "r.html", "r.md", "r.docx"):
        out = tmp_path / name
        result = run(
            "report",
            str(sample_pdf),
            "-o",
            str(out),
            "--title",
            "Notes on the draft",
            *(["--paper", "letter"] if not name.endswith(".md") else []),  # Markdown has no paper
        )
        assert result.returncode == 0, result.stderr
        assert result.stdout.strip() == str(out)
        assert out.stat().st_size > 0
    assert squash("Комментарий: хорошо.") in squash(pdftotext(tmp_path / "r.pdf"))
    assert "Notes on the draft" in (tmp_path / "r.html").read_text("utf-8")
    assert "Who are they?" in "\n".join(p.text for p in docx.Document(str(tmp_path / "r.docx")).paragraphs)
    info = subprocess.run(["pdfinfo", str(tmp_path / "r.pdf")], capture_output=True, text=True).stdout
    assert "612 x 792 pts (letter)" in info


def test_filters_from_the_command_line(sample_pdf, tmp_path):
    annotate(sample_pdf)
    out = tmp_path / "s.md"
    result = run("report", str(sample_pdf), "-o", str(out), "--tag", "safeguard", "--group-by", "tag")
    assert result.returncode == 0, result.stderr
    text = out.read_text("utf-8")
    assert "### Tag: safeguard" in text and "Who are they?" not in text


def test_user_errors_are_one_line(sample_pdf, tmp_path):
    cases = [
        (
            ["report", str(sample_pdf), "-o", str(tmp_path / "r.txt")],
            "must end in .pdf, .html, .md or .docx",
        ),
        (
            ["report", str(sample_pdf), "-o", str(tmp_path / "r.pdf"), "--tag", "no such tag"],
            "unknown tag 'no such tag'",
        ),
        (
            ["report", str(tmp_path / "missing.pdf"), "-o", str(tmp_path / "r.pdf")],
            "missing.pdf: no such file",
        ),
    ]
    for args, message in cases:
        result = run(*args)
        assert result.returncode == 1
        assert message in result.stderr and len(result.stderr.strip().splitlines()) == 1
        assert "Traceback" not in result.stderr
    assert not (tmp_path / "r.pdf").exists()
    result = run("report", str(sample_pdf), "-o", str(tmp_path / "r.pdf"), "--group-by", "colour")
    assert result.returncode == 2


def test_help_names_every_option_with_examples():
    result = CliRunner().invoke(main_group, ["report", "--help"])
    assert result.exit_code == 0
    for option in (
        "--output",
        "--group-by",
        "--tag",
        "--author",
        "--status",
        "--title",
        "--paper",
        "--with-pages",
    ):
        assert option in result.output
    assert "reviewer report treaty.pdf -o report.pdf" in result.output


def test_only_the_pdf_writers_import_pymupdf_and_no_qt():
    package = ROOT / "reviewer" / "core" / "report"
    for module in package.glob("*.py"):
        imported = set()
        for node in ast.walk(ast.parse(module.read_text("utf-8"))):
            if isinstance(node, ast.Import):
                imported |= {a.name.split(".")[0] for a in node.names}
            elif isinstance(node, ast.ImportFrom) and node.module:
                imported.add(node.module.split(".")[0])
        assert "PySide6" not in imported, module.name
        assert ("pymupdf" in imported or "fitz" in imported) == (
            module.name in {"pdf_layout.py", "ligature_text.py"}
        ), module.name
    code = "import reviewer.core.report, reviewer.cli.report, sys; print('PySide6' in sys.modules)"
    out = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        env=dict(os.environ, PYTHONPATH=str(ROOT)),
    )
    assert out.stdout.strip() == "False", out.stderr
