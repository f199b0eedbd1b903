"""No option is silently ignored: an option a case cannot honour is refused before any work
(usage error, exit 2, the reason on the error line), or honoured."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from reviewer.cli import main


def _run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    with pytest.raises(SystemExit) as exit_info:
        main(argv)
    out, err = capsys.readouterr()
    return int(exit_info.value.code or 0), out, err


@pytest.fixture
def annotated(sample_pdf: Path, capsys) -> Path:  # type: ignore[no-untyped-def]
    code, _, err = _run(
        ["annotate", str(sample_pdf), "--quote", "reliable safeguards", "--comment", "c"], capsys
    )
    assert code == 0, err
    return sample_pdf


def _error_line(err: str) -> str:
    lines = [line for line in err.splitlines() if line.startswith("Error:")]
    assert len(lines) == 1, err
    assert "Traceback" not in err
    return lines[0]


@pytest.mark.parametrize("name", ["report.html", "report.md", "report.docx"])
def test_with_pages_is_refused_for_formats_without_page_images(annotated, tmp_path, capsys, name) -> None:  # type: ignore[no-untyped-def]
    out = tmp_path / name
    code, _, err = _run(["report", str(annotated), "-o", str(out), "--with-pages"], capsys)
    assert code == 2
    line = _error_line(err)
    assert "--with-pages is for PDF reports only" in line
    assert not out.exists()


def test_with_pages_still_works_for_pdf(annotated, tmp_path, capsys) -> None:  # type: ignore[no-untyped-def]
    out = tmp_path / "report.pdf"
    assert _run(["report", str(annotated), "-o", str(out), "--with-pages"], capsys)[0] == 0
    assert out.exists()


def test_paper_is_refused_for_markdown(annotated, tmp_path, capsys) -> None:  # type: ignore[no-untyped-def]
    out = tmp_path / "report.md"
    code, _, err = _run(["report", str(annotated), "-o", str(out), "--paper", "letter"], capsys)
    assert code == 2
    assert "--paper is for PDF, DOCX and HTML reports" in _error_line(err)
    assert not out.exists()


def _docx_page_width_twips(path: Path) -> int:
    xml = zipfile.ZipFile(path).read("word/document.xml").decode("utf-8")
    import re

    return int(re.search(r'<w:pgSz w:w="(\d+)"', xml).group(1))  # type: ignore[union-attr]


def test_paper_sets_the_docx_page_and_the_html_print_size(annotated, tmp_path, capsys) -> None:  # type: ignore[no-untyped-def]
    widths = {}
    for paper in ("a4", "letter"):
        out = tmp_path / f"{paper}.docx"
        assert _run(["report", str(annotated), "-o", str(out), "--paper", paper], capsys)[0] == 0
        widths[paper] = _docx_page_width_twips(out)
    assert abs(widths["a4"] - 210 / 25.4 * 1440) < 2  # 11906 twips
    assert abs(widths["letter"] - 8.5 * 1440) < 2  # 12240 twips
    default = tmp_path / "default.docx"
    assert _run(["report", str(annotated), "-o", str(default)], capsys)[0] == 0
    assert _docx_page_width_twips(default) == widths["a4"]
    html = tmp_path / "letter.html"
    assert _run(["report", str(annotated), "-o", str(html), "--paper", "letter"], capsys)[0] == 0
    assert "@page { size: letter; }" in html.read_text("utf-8")


@pytest.mark.parametrize(
    "extra",
    [
        ["--tag", "safeguard"],
        ["--author", "Ada"],
        ["--status", "open"],
        ["--search", "x"],
        ["--include-deleted"],
    ],
)
def test_list_conflicts_refuses_filters_it_would_ignore(annotated, capsys, extra) -> None:  # type: ignore[no-untyped-def]
    code, _, err = _run(["list", str(annotated), "--conflicts", *extra], capsys)
    assert code == 2
    line = _error_line(err)
    assert "--conflicts lists every conflict" in line and extra[0] in line


def test_report_dialog_offers_paper_and_pages_only_where_the_format_has_them(
    qtbot, sample_pdf, db_path
) -> None:  # type: ignore[no-untyped-def]
    from reviewer.ui.report_dialog import ReportDialog
    from tests.annotating.gui_helpers import open_window

    window = open_window(qtbot, sample_pdf, db_path)
    dialog = ReportDialog(window.annotating, window)
    qtbot.addWidget(dialog)
    dialog.pages_box.setChecked(True)
    for name, paper, pages in (("r.pdf", True, True), ("r.md", False, False), ("r.docx", True, False)):
        dialog.path_edit.setText(str(sample_pdf.with_name(name)))
        assert (dialog.paper_combo.isEnabled(), dialog.pages_box.isEnabled()) == (paper, pages), name
        options = dialog.options()
        options.check()  # the dialog never asks for what the format refuses
        assert options.with_pages == pages


def test_edit_without_a_change_is_a_usage_error(annotated, capsys) -> None:  # type: ignore[no-untyped-def]
    code, out, _ = _run(["list", str(annotated), "--json"], capsys)
    import json

    ident = json.loads(out)[0]["id"]
    code, _, err = _run(["edit", ident], capsys)
    assert code == 2
    assert "nothing to change" in _error_line(err)
