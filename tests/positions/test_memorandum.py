"""The ratification memorandum as its readers see it: the text of the PDF (pdftotext), the DOCX,
the HTML and the Markdown each hold every proposal verbatim under its article with its
proposer, the division and the dissent, every unreviewed article, and the annotations."""

from __future__ import annotations

import html.parser
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.positions.positions_team import PROPOSAL_EL_ZH, PROPOSAL_FR, ok, run, team_review

DECLARATION_16 = "Déclaration: ex ante."
RECOMMENDATION = "Ratify, with the reservation on Article 12 in the wording of Annex A."
REVIEWED = {3, 12}
TITLES = {
    5: "Respect for human rights",
    12: "Conditions and safeguards",
    16: "Real-time collection of traffic data",
    26: "Denunciation",
}


def flat(text: str) -> str:
    return " ".join(text.split())


def between(text: str, start: str, end: str | None) -> str:
    assert start in text, start
    part = text[text.index(start) + len(start) :]
    return part if end is None else part[: part.index(end)]


def check_memorandum(text: str, sample_titles: dict[int, str]) -> None:
    """What every format must hold, on its text with whitespace flattened."""
    text = flat(text)
    summary = between(text, "Executive summary", "Positions article by article")
    assert RECOMMENDATION in summary
    assert "2 of 26 articles reviewed (8%)" in summary
    assert "Article 16 — Real-time collection of traffic data" in between(
        summary, "Surveillance powers without a safeguard", "Coverage"
    )
    table = between(text, "Positions article by article", "Annex A")
    assert "divided: 2 reservation, 1 oppose" in table  # never averaged
    assert "Dissent: Carla (oppose)" in table
    assert "support (consensus of 3)" in table
    assert "A reservation is not enough: do not ratify this article" in table
    annex_a = between(text, "Annex A — Proposed reservations and declarations", "Annex B")
    art12 = between(annex_a, "Art. 12 — Conditions and safeguards", "Art. 16")
    assert "2 competing proposals" in art12
    assert f"Proposed reservation by Ada ({_today()})" in art12
    assert art12.index("Proposed reservation by Ada") < art12.index(flat(PROPOSAL_FR))
    assert art12.index("Proposed reservation by Ben") < art12.index(flat(PROPOSAL_EL_ZH))
    art16 = between(annex_a, "Art. 16 — Real-time collection of traffic data", None)
    assert "Proposed declaration by Ada" in art16 and DECLARATION_16 in art16
    annex_b = between(text, "Annex B — Articles not yet reviewed", "Annex C")
    for number, title in sample_titles.items():
        listed = f"Art. {number} — {title}"
        assert (listed in annex_b) == (number not in REVIEWED), listed
    assert "Art. 5 — Respect for human rights (assigned to Ben)" in annex_b
    assert "Art. 26 — Denunciation (unassigned)" in annex_b
    annex_c = between(text, "Annex C — Annotations by article", None)
    assert "Real time, and no judge in sight" in annex_c


def _today() -> str:
    from reviewer.core.timeutil import utc_now

    return utc_now()[:10]


@pytest.fixture
def team_pdf(capsys, sample_pdf: Path) -> tuple[str, dict[int, str]]:  # type: ignore[no-untyped-def]
    pdf = str(sample_pdf)
    team_review(capsys, pdf)
    ok(
        capsys,
        "--author",
        "Ben",
        "annotate",
        pdf,
        "--quote",
        "traffic data in real time",
        "--tag",
        "surveillance power",
        "--comment",
        "Real time, and no judge in sight",
    )
    from reviewer.core.pdf import open_pdf
    from reviewer.core.positions import articles_of

    titles = {a.number: a.title for a in articles_of(open_pdf(sample_pdf))}
    assert all(titles[n] == t for n, t in TITLES.items())
    return pdf, titles


def write(capsys, pdf: str, out: Path) -> None:  # type: ignore[no-untyped-def]
    printed = ok(
        capsys,
        "report",
        pdf,
        "--template",
        "memorandum",
        "-o",
        str(out),
        "--recommendation",
        RECOMMENDATION,
        "--title",
        "Memorandum on the Convention",
    )
    assert printed.strip() == str(out) and out.stat().st_size > 0


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils (pdftotext) is not installed")
def test_pdf_holds_every_proposal_the_dissent_and_every_unreviewed_article(
    capsys, team_pdf, tmp_path
) -> None:  # type: ignore[no-untyped-def]
    pdf, titles = team_pdf
    out = tmp_path / "memo.pdf"
    write(capsys, pdf, out)
    typeset = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", str(out), "-"], capture_output=True, text=True, check=True
    ).stdout
    # MuPDF sets "fi" and "ffi" as ligatures; pdftotext gives them back as one character each.
    text = typeset.translate(str.maketrans({"ﬁ": "fi", "ﬂ": "fl", "ﬀ": "ff", "ﬃ": "ffi", "ﬄ": "ffl"}))
    assert flat(text).startswith("Ratification memorandum Memorandum on the Convention")
    check_memorandum(text, titles)


def test_docx_holds_the_same(capsys, team_pdf, tmp_path) -> None:  # type: ignore[no-untyped-def]
    from docx import Document

    pdf, titles = team_pdf
    out = tmp_path / "memo.docx"
    write(capsys, pdf, out)
    document = Document(str(out))
    parts = []
    body = document.element.body
    for child in body.iterchildren():  # paragraphs and tables in document order
        parts.append(
            "".join(
                t.text or ""
                for t in child.iter("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}t")
            )
        )
    check_memorandum(" ".join(parts), titles)


class _Text(html.parser.HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []

    def handle_data(self, data: str) -> None:
        self.parts.append(data)

    def handle_starttag(self, tag: str, attrs: object) -> None:
        self.parts.append(" ")


def test_html_holds_the_same(capsys, team_pdf, tmp_path) -> None:  # type: ignore[no-untyped-def]
    pdf, titles = team_pdf
    out = tmp_path / "memo.html"
    write(capsys, pdf, out)
    parser = _Text()
    parser.feed(out.read_text("utf-8"))
    check_memorandum("".join(parser.parts), titles)


def test_markdown_holds_the_same(capsys, team_pdf, tmp_path) -> None:  # type: ignore[no-untyped-def]
    pdf, titles = team_pdf
    out = tmp_path / "memo.md"
    write(capsys, pdf, out)
    text = out.read_text("utf-8")
    assert f"> {PROPOSAL_FR}" in text and f"> {PROPOSAL_EL_ZH}" in text
    check_memorandum(text.replace("**", "").replace("<br>", " "), titles)


def test_memorandum_refuses_options_that_would_narrow_it(capsys, sample_pdf: Path, tmp_path: Path) -> None:
    out = tmp_path / "memo.pdf"
    code, _, err = run(
        capsys, "report", str(sample_pdf), "--template", "memorandum", "-o", str(out), "--tag", "x"
    )
    assert code == 2 and "--template memorandum does not take --tag" in err and not out.exists()
    code, _, err = run(capsys, "report", str(sample_pdf), "-o", str(out), "--recommendation", "Ratify")
    assert code == 2 and "--recommendation is for --template memorandum" in err


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils (pdftotext) is not installed")
def test_an_arabic_proposal_copies_back_verbatim(capsys, sample_pdf: Path, tmp_path) -> None:  # type: ignore[no-untyped-def]
    """The exact wording matters most in a proposal: lam-alef and all (report/ligature_text)."""
    proposal = "لا تعتبر الدولة نفسها ملزمة بالفقرة الثانية من المادة 12"
    pdf = str(sample_pdf)
    ok(capsys, "--author", "Dina", "position", pdf, "--article", "12", "--stance", "reservation",
       "--proposal", proposal)  # fmt: skip
    out = tmp_path / "memo.pdf"
    ok(capsys, "report", pdf, "--template", "memorandum", "-o", str(out))
    text = subprocess.run(["pdftotext", str(out), "-"], capture_output=True, text=True, check=True).stdout
    words = flat(text.translate(dict.fromkeys(map(ord, "\u202a\u202b\u202c"))))
    assert "لا تعتبر الدولة نفسها ملزمة بالفقرة الثانية من المادة" in words


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils (pdftotext) is not installed")
def test_annex_c_is_laid_out_in_parts_one_below_the_other(capsys, team_pdf, tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """Annex C (every annotation) is laid out as small stories (one MuPDF story for thousands
    of entries was quadratic): every entry once, in order, and the HTML memorandum unchanged."""
    import re

    from reviewer.core.report import html_render, pdf_layout

    pdf, _titles = team_pdf
    whole = tmp_path / "whole.html"
    write(capsys, pdf, whole)
    monkeypatch.setattr(html_render, "ENTRIES_PER_STORY", 1)
    stories: list[str] = []
    real_story = pdf_layout._story
    monkeypatch.setattr(
        pdf_layout, "_story", lambda html, css, archive: stories.append(html) or real_story(html, css, archive)
    )
    out = tmp_path / "parts.pdf"
    write(capsys, pdf, out)
    entries_per_story = [s.count('class="entry"') for s in stories if 'class="entry"' in s]
    assert set(entries_per_story) == {1}  # a story per entry, in each of the two passes
    typeset = subprocess.run(["pdftotext", str(out), "-"], capture_output=True, text=True, check=True).stdout
    numbers = [int(n) for n in re.findall(r"^#(\d+) ", typeset, flags=re.MULTILINE)]
    assert numbers == list(range(1, len(numbers) + 1)) and len(numbers) >= 2
    assert len(entries_per_story) == 2 * len(numbers)
    parted = tmp_path / "parts.html"
    write(capsys, pdf, parted)
    assert parted.read_text("utf-8") == whole.read_text("utf-8")
