"""HTML, Markdown and DOCX reports hold the PDF's entries; strings from files stay text."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import docx
import pytest
from report_testkit import ROOT, html_text, markdown_text, pdftotext, squash


def docx_text(path: Path) -> str:
    document = docx.Document(str(path))
    return "\n".join(p.text for p in document.paragraphs)


def assert_entries_in_order(text: str, expected) -> None:
    flat = squash(text)
    position = 0
    for number, a in enumerate(expected, start=1):
        marker = squash(f"#{number} {a.citation or f'p. {a.page + 1}'}")
        at = flat.find(marker, position)
        assert at >= 0, f"entry #{number} missing or out of order"
        following = flat[at : at + 4000]
        for part in (a.quote, a.comment, a.author_name, *(r.comment for r in a.replies)):
            assert squash(part) in following, part
        position = at + len(marker)


@pytest.mark.parametrize("name", ["report.html", "report.md", "report.docx"])
def test_every_entry_in_article_order(make_report, expected, name):
    path = make_report(name)
    reader = {".html": lambda p: html_text(p)[0], ".md": markdown_text, ".docx": docx_text}[path.suffix]
    text = reader(path)
    assert_entries_in_order(text, expected)
    assert squash("Article 12 — Conditions and safeguards") in squash(text)
    for name_ in ("José Núñez", "Zoë Ångström", "Ada Lovelace"):
        assert squash(name_) in squash(text)


def test_docx_headings_and_quote_style(make_report, expected):
    document = docx.Document(str(make_report("report.docx")))
    styles = [(p.style.name, p.text) for p in document.paragraphs]
    heading2 = [t for s, t in styles if s == "Heading 2"]
    assert "Article 13 — Expedited preservation of stored electronic data" in heading2
    assert ("Heading 1", "Annotations") in styles
    quotes = [t for s, t in styles if s == "Report Quote"]
    assert len(quotes) == sum(1 for a in expected if a.quote)
    assert squash(quotes[0]) == squash(f"\u201c{expected[0].quote}\u201d")
    comments = {t for s, t in styles if s == "Normal"}
    assert expected[0].comment in comments


def test_html_is_self_contained(make_report):
    page = make_report("report.html").read_text("utf-8")
    assert "<style>" in page
    assert not re.search(r"""(src|href)=["'](?!#)""", page), "a link or resource outside the file"
    assert "<script" not in page


@pytest.fixture
def hostile_review(tmp_path):
    """Annotations whose texts try to be markup in each output format."""
    from reviewer.core.pdf import open_pdf
    from reviewer.core.review import Review
    from reviewer.core.settings import Identity

    pdf_path = tmp_path / "treaty.pdf"
    shutil.copyfile(ROOT / "resources" / "sample-treaty.pdf", pdf_path)
    pdf = open_pdf(pdf_path)
    review = Review.open(
        tmp_path / "h.sqlite3",
        Identity("bbbbbbbb-0000-4000-8000-000000000001", "<b>Mallory</b> & Co"),
    )
    review.annotate_quote(
        pdf,
        "competent authorities",
        occurrence=1,
        tags=["safeguard"],
        comment="<script>alert('x')</script> **not bold** [link](http://evil.example)"
        "\n# not a heading\n1. not a list",
    )
    yield review, pdf
    review.close()
    pdf.close()


def test_strings_from_files_stay_plain_text(hostile_review, tmp_path):
    from reviewer.core.report import ReportOptions, build_report

    review, pdf = hostile_review
    html_path = build_report(review, pdf, ReportOptions(tmp_path / "h.html", title="<i>Title</i>"))
    text, tags = html_text(html_path)
    assert "script" not in tags and "i" not in tags
    assert "<script>alert('x')</script>" in text and "<b>Mallory</b> & Co" in text and "<i>Title</i>" in text
    md_path = build_report(review, pdf, ReportOptions(tmp_path / "h.md"))
    source = md_path.read_text("utf-8")
    assert "\n# not a heading" not in source and "\\# not a heading" in source
    # Markdown in comments is rendered (issue 19): emphasis and lists stay Markdown, a link is
    # its text and target as escaped text (nothing to click), HTML stays escaped text.
    assert "\n1. not a list" in source
    assert "**not bold**" in source and "](" not in source and "\\<script\\>" in source
    assert "<script>alert('x')</script> **not bold** link (http://evil.example)" in markdown_text(md_path)
    docx_path = build_report(review, pdf, ReportOptions(tmp_path / "h.docx"))
    assert "<script>alert('x')</script>" in docx_text(docx_path)
    pdf_path = build_report(review, pdf, ReportOptions(tmp_path / "h.pdf"))
    assert squash("<script>alert('x')</script>") in squash(pdftotext(pdf_path))
    assert squash("<b>Mallory</b> & Co") in squash(pdftotext(pdf_path))


def test_progress_is_reported_up_to_done(treaty, tmp_path):
    from treaty_review import REVIEWERS

    from reviewer.core.report import ReportOptions, build_report
    from reviewer.core.review import Review

    db, pdf, _ids = treaty
    review = Review.open(db, REVIEWERS[0])
    calls: list[tuple[float, str]] = []
    try:
        build_report(
            review,
            pdf,
            ReportOptions(tmp_path / "p.pdf"),
            progress=lambda f, m: calls.append((f, m)),
        )
    finally:
        review.close()
    fractions = [f for f, _ in calls]
    assert fractions == sorted(fractions) and fractions[0] == 0.0 and calls[-1] == (1.0, "done")
    assert any(m == "drawing pages" for _, m in calls)


@pytest.mark.parametrize("name", ["report.html", "report.md", "report.docx"])
def test_summary_flags_the_same_articles_as_the_pdf(make_report, name):
    path = make_report(name)
    reader = {".html": lambda p: html_text(p)[0], ".md": markdown_text, ".docx": docx_text}[path.suffix]
    text = squash(reader(path)).replace("**", "")  # Markdown bold around the lead-in
    pdf_text = squash(pdftotext(make_report("report.pdf")))
    marker = squash("A surveillance power with no safeguard tag in:")
    flagged_pdf = pdf_text.split(marker)[1].split(".")[0]
    assert marker in text and text.split(marker)[1].split(".")[0] == flagged_pdf


def test_docx_paragraphs_are_appended_without_scanning_the_body(treaty, tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """python-docx's add_paragraph scans every child of the body for the section properties,
    per paragraph (quadratic in entries); the report appends its entries without that scan,
    and the document is the same, byte for byte, as python-docx's own appending makes it."""
    import zipfile

    from docx.oxml.ns import qn
    from docx.oxml.xmlchemy import BaseOxmlElement
    from treaty_review import ARTICLE_TITLES, REVIEWERS

    from reviewer.core.report import ReportOptions, build_report, docx_render
    from reviewer.core.review import Review

    db, pdf, _ids = treaty
    body_scans: list[int] = []
    real_scan = BaseOxmlElement.first_child_found_in

    def counting(self, *tagnames):  # type: ignore[no-untyped-def]
        if self.tag == qn("w:body"):
            body_scans.append(len(self))
        return real_scan(self, *tagnames)

    def report(name: str) -> bytes:
        review = Review.open(db, REVIEWERS[0])
        try:
            options = ReportOptions(tmp_path / name, article_titles=ARTICLE_TITLES, generated="2026-11-28")
            path = build_report(review, pdf, options)
        finally:
            review.close()
        return zipfile.ZipFile(path).read("word/document.xml")

    monkeypatch.setattr(BaseOxmlElement, "first_child_found_in", counting)
    ours = report("ours.docx")
    scans_while_entries_are_added = [n for n in body_scans if n > 100]
    assert scans_while_entries_are_added == []  # only the few paragraphs before the entries
    monkeypatch.setattr(docx_render, "BodyAppender", lambda document: document)  # python-docx's own
    body_scans.clear()
    theirs = report("theirs.docx")
    assert len([n for n in body_scans if n > 100]) > 500  # what that costs: a scan per paragraph
    assert ours == theirs
