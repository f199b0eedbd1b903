"""Markdown in comments is rendered (emphasis, lists, links as text and target) in the panel,
the tooltip and every report format, safely: no image, no HTML, nothing clickable."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import docx
import pymupdf
import pytest

from reviewer.core import comment_markup
from reviewer.core.pdf import open_pdf
from reviewer.core.report import ReportOptions, build_report
from reviewer.core.review import Review
from reviewer.core.settings import Identity

ADA = Identity("11111111-1111-4111-8111-111111111111", "Ada Tester")
COMMENT = (
    "This is **decisive** and *vague* at once.\n"
    "\n"
    "- first point\n"
    "- second `code` point\n"
    "\n"
    "1. numbered one\n"
    "2. numbered two\n"
    "\n"
    "See [the guide](https://example.org/guide) and ![a chart](http://evil.example/x.png) "
    "<script>alert(1)</script> <b>raw</b>"
)


def test_parse_gives_blocks_and_spans() -> None:
    blocks = comment_markup.parse(COMMENT)
    assert [b.kind for b in blocks] == ["paragraph", "bullets", "numbers", "paragraph"]
    first = blocks[0].items[0][0]
    assert [(s.text, s.bold, s.italic) for s in first if s.bold or s.italic] == [
        ("decisive", True, False),
        ("vague", False, True),
    ]
    assert [["".join(s.text for s in line) for line in item] for item in blocks[1].items] == [
        ["first point"],
        ["second code point"],
    ]
    last = "".join(s.text for s in blocks[3].items[0][0])
    assert "the guide (https://example.org/guide)" in last
    assert "a chart" in last and "evil.example" not in last  # an image is its description only
    assert "<script>alert(1)</script> <b>raw</b>" in last  # HTML is text


def test_html_is_safe() -> None:
    out = comment_markup.to_html(COMMENT)
    tags = set(re.findall(r"</?([a-zA-Z0-9]+)", out))
    assert tags <= {"p", "ul", "ol", "li", "strong", "em", "code", "span", "br"}
    assert "<strong>decisive</strong>" in out and "<em>vague</em>" in out
    assert "<li>first point</li>" in out and "<ol>" in out
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in out
    assert "href" not in out and "<img" not in out and "src=" not in out
    for hostile in ("[x](javascript:alert(1))", '[a"b](http://x/"onclick=1)', "**<img src=x>**"):
        rendered = comment_markup.to_html(hostile)
        assert "<a" not in rendered and "<img" not in rendered and 'onclick="' not in rendered


@pytest.fixture
def report_of(tmp_path: Path, sample_pdf: Path):  # type: ignore[no-untyped-def]
    pdf = open_pdf(sample_pdf)
    review = Review.open(tmp_path / "md.sqlite3", ADA)
    a = review.annotate_quote(pdf, "reliable safeguards", comment=COMMENT)
    review.reply(a.id, "I **agree**")

    def make(name: str) -> Path:
        return build_report(review, pdf, ReportOptions(tmp_path / name))

    yield make
    review.close()
    pdf.close()


def test_html_report_renders_markdown(report_of) -> None:  # type: ignore[no-untyped-def]
    page = report_of("r.html").read_text("utf-8")
    assert "<strong>decisive</strong>" in page and "<em>vague</em>" in page
    assert "<li>first point</li>" in page and "<li>numbered two</li>" in page
    assert "I <strong>agree</strong>" in page
    assert "**" not in page
    assert "the guide" in page and "(https://example.org/guide)" in page
    assert "<img" not in page and 'href="https' not in page and "evil.example" not in page
    assert "&lt;script&gt;" in page and "<script" not in page


def test_markdown_report_renders_markdown_safely(report_of) -> None:  # type: ignore[no-untyped-def]
    source = report_of("r.md").read_text("utf-8")
    assert "**decisive**" in source and "*vague*" in source
    assert "\n- first point\n" in source and "\n1. numbered one\n" in source
    assert "](" not in source and "evil" not in source  # no link, no image
    assert "the guide \\(https://example\\.org/guide\\)" in source
    assert "\\<script\\>" in source and "I **agree**" in source


def test_docx_report_renders_markdown(report_of) -> None:  # type: ignore[no-untyped-def]
    document = docx.Document(str(report_of("r.docx")))
    runs = [(r.text, r.bold, r.italic) for p in document.paragraphs for r in p.runs]
    assert ("decisive", True, None) in runs and ("vague", None, True) in runs
    assert ("agree", True, None) in runs
    bullets = [p.text for p in document.paragraphs if p.style.name == "List Bullet"]
    assert bullets == ["first point", "second code point"]
    texts = [p.text for p in document.paragraphs]
    assert "1. numbered one" in texts and "2. numbered two" in texts
    joined = "\n".join(texts)
    assert "**" not in joined and "the guide (https://example.org/guide)" in joined
    assert "evil" not in joined


def test_pdf_report_renders_markdown(report_of) -> None:  # type: ignore[no-untyped-def]
    path = report_of("r.pdf")
    text = " ".join(
        subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True).stdout.split()
    )
    assert "This is decisive and vague at once." in text
    assert "**" not in text and "the guide (https://example.org/guide)" in text
    assert "<script>alert(1)</script>" in text and "evil" not in text
    fonts: dict[str, set[str]] = {}
    with pymupdf.open(str(path)) as document:
        for page in document:
            for block in page.get_text("dict")["blocks"]:
                for line in block.get("lines", []):
                    for span in line["spans"]:
                        fonts.setdefault(span["text"].strip(), set()).add(span["font"])
    assert any("bold" in f.lower() for f in fonts.get("decisive", ())), fonts.get("decisive")
    assert any("italic" in f.lower() or "oblique" in f.lower() for f in fonts.get("vague", ())), fonts.get(
        "vague"
    )
    assert not any("bold" in f.lower() for f in fonts.get("This is", ()))


def test_panel_row_and_tooltip_render_markdown(qtbot, tmp_path: Path, sample_pdf: Path) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtCore import QRect
    from PySide6.QtGui import QColor, QFont, QImage, QPainter, QTextCharFormat, QTextDocument

    from reviewer.ui.panel import AnnotationPanel, comment_runs, paint_runs

    pdf = open_pdf(sample_pdf)
    review = Review.open(tmp_path / "p.sqlite3", ADA)
    a = review.annotate_quote(pdf, "reliable safeguards", comment=COMMENT)
    panel = AnnotationPanel(review)
    qtbot.addWidget(panel)
    panel.set_document(review.register(pdf)["id"], pdf.page_label)

    # the tooltip: a rich-text document whose "decisive" is bold, with a list, no markers
    document = QTextDocument()
    document.setHtml(panel.tooltip_for(a.id))
    plain = document.toPlainText()
    assert "**" not in plain and "first point" in plain and "<script>alert(1)</script>" in plain
    cursor = document.find("decisive")
    assert not cursor.isNull()
    char: QTextCharFormat = cursor.charFormat()
    assert char.fontWeight() >= QFont.Weight.Bold
    assert document.find("first point").currentList() is not None
    assert "<script" not in panel.tooltip_for(a.id) and "&lt;script&gt;" in panel.tooltip_for(a.id)

    # the row: the painted line holds no asterisks, and the bold word is heavier
    def ink(comment: str) -> tuple[int, int]:
        image = QImage(600, 30, QImage.Format.Format_RGB32)
        image.fill(QColor("white"))
        painter = QPainter(image)
        painter.setPen(QColor("black"))
        paint_runs(painter, comment_runs(comment), QFont(panel.font()), QRect(0, 0, 600, 30))
        painter.end()
        xs = [x for x in range(600) for y in range(30) if image.pixelColor(x, y).lightness() < 128]
        return (max(xs) - min(xs) if xs else 0), len(xs)

    bold_width, bold_ink = ink("**Reservation**")
    plain_width, plain_ink = ink("Reservation")
    raw_width, _ = ink("\\*\\*Reservation\\*\\*")  # escaped: the asterisks are drawn
    assert bold_ink > plain_ink  # drawn bold
    assert bold_width < raw_width  # without the markers
    assert [s.text for s in comment_runs(COMMENT)][:4] == ["This is ", "decisive", " and ", "vague"]
    review.close()
    pdf.close()
