"""Arabic, Hebrew, Russian and Chinese comments in a PDF report: what a reader copies or
searches (the text layer, read with pdftotext) is exactly what was typed."""

from __future__ import annotations

import re
import shutil
import subprocess
import unicodedata
from pathlib import Path

import pymupdf
import pytest

from reviewer.core.pdf import open_pdf
from reviewer.core.report import ReportOptions, build_report
from reviewer.core.report.fonts import arabic_font_faces, typed_letters_cmap
from reviewer.core.review import Review
from reviewer.core.settings import Identity

ROOT = Path(__file__).resolve().parents[2]
COMMENTS = {
    "reliable safeguards": "تعلن الدولة الطرف أنها تتحفظ على المادة الثالثة",  # the Arabic
    "competent authorities": "המדינה הצד מצהירה כי היא שומרת על זכותה",
    "information system": "Государство-участник заявляет о своей оговорке",
    "promote and strengthen measures": "缔约国声明对第三条提出保留",
}
LAM_ALEF = "لا تعتبر الدولة نفسها ملزمة بالفقرة الأولى"  # the lam-alef ligature, twice
# fi, ff, ffi, fl, ffl: the shaper draws each as one ligature glyph
LATIN_LIGATURES = "The definition of offences in the official text differs: affirm the flawless baffle draft."


def _copied_text(path: Path) -> str:
    """What pdftotext gives, without the direction marks it adds itself around RTL lines,
    lines joined by single spaces."""
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
    return " ".join(text.translate(dict.fromkeys(map(ord, "\u202a\u202b\u202c"))).split())


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("scripts")
    shutil.copyfile(ROOT / "resources" / "sample-treaty.pdf", folder / "treaty.pdf")
    pdf = open_pdf(folder / "treaty.pdf")
    review = Review.open(folder / "r.sqlite3", Identity("11111111-1111-4111-8111-111111111111", "Ada"))
    for quote, comment in COMMENTS.items():
        review.annotate_quote(pdf, quote, occurrence=1, comment=comment)
    review.annotate_quote(pdf, "Conditions and safeguards", occurrence=1, comment=LAM_ALEF)
    review.annotate_quote(pdf, "Statement of purpose", occurrence=1, comment=LATIN_LIGATURES)
    path = build_report(review, pdf, ReportOptions(folder / "report.pdf"))
    review.close()
    pdf.close()
    return path


def test_a_font_with_arabic_forms_is_found() -> None:
    # .ci/run installs fonts-dejavu-core; without it Arabic falls back to a lossy font
    assert arabic_font_faces(), "DejaVu Sans not found (Debian: apt-get install fonts-dejavu-core)"


@pytest.mark.parametrize("comment", list(COMMENTS.values()), ids=["arabic", "hebrew", "russian", "chinese"])
def test_pdftotext_gives_back_the_exact_comment(report: Path, comment: str) -> None:
    assert comment in _copied_text(report)


def test_no_presentation_forms_in_the_text_layer(report: Path) -> None:
    copied = _copied_text(report)
    assert not re.search("[\ufb50-\ufdff\ufe70-\ufeff]", copied)
    # the lam-alef ligatures come back as typed, in logical order (see ligature_text)
    assert LAM_ALEF in copied
    with pymupdf.open(str(report)) as document:
        layer = " ".join(" ".join(page.get_text().split()) for page in document)
    assert LAM_ALEF in layer
    for comment in COMMENTS.values():
        assert comment in layer


def test_latin_ligatures_come_back_as_their_letters(report: Path) -> None:
    copied = _copied_text(report)
    assert LATIN_LIGATURES in copied
    assert not re.search("[\ufb00-\ufb06]", copied)  # not "deﬁnition", "oﬀences"


def test_arabic_is_set_in_the_embedded_font(report: Path) -> None:
    fonts = subprocess.run(["pdffonts", str(report)], capture_output=True, text=True, check=True).stdout
    assert "DejaVu Sans" in fonts
    assert "Noto Naskh Arabic" not in fonts  # MuPDF's built-in Arabic font, whose forms have no Unicode


def test_cmap_rewrite_maps_forms_to_letters() -> None:
    cmap = (
        "begincmap\n1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n"
        "2 beginbfchar\n<0010> <FE97>\n<0011> <FEFB>\nendbfchar\n"
        "1 beginbfrange\n<0020> <0022> <0041>\nendbfrange\nendcmap\n"
    )
    fixed = typed_letters_cmap(cmap)
    assert fixed is not None
    assert "<0010> <062A>" in fixed and "<0011> <06440627>" in fixed and "<0022> <0043>" in fixed
    assert typed_letters_cmap(cmap.replace("<FE97>", "<0041>").replace("<FEFB>", "<0042>")) is None
    assert unicodedata.normalize("NFKC", "\ufefb") == "\u0644\u0627"
