"""Arabic ligatures (lam-alef and its hamza and madda forms) read back letter for letter by
poppler and MuPDF, with the page drawn as before."""

from __future__ import annotations

import io
import subprocess
from pathlib import Path

import pymupdf
import pytest

from reviewer.core.report.fonts import arabic_font_faces, font_face_css, wrap_arabic
from reviewer.core.report.ligature_text import one_letter_per_glyph
from reviewer.core.report.pdf_layout import _text_layer_as_typed

TEXTS = [
    "لا تعتبر الدولة نفسها ملزمة بالفقرة الأولى",
    "الإعلان لأغراض لإنفاذ القانون لآخر",  # lam with alef-hamza above, below, madda
    "لا لا لا",
    "تطبيق الاتفاقية على الأشخاص الاعتباريين لا يخل بالمسؤولية الجنائية للأشخاص الطبيعيين "
    "الذين ارتكبوا الجرائم وتكفل كل دولة طرف إخضاع الأشخاص الاعتباريين لجزاءات فعالة",
]
pytestmark = pytest.mark.skipif(not arabic_font_faces(), reason="DejaVu Sans is not installed")


def _story_pdf(text: str, size: float) -> pymupdf.Document:
    """What the report's layout makes of an Arabic comment: a Story in DejaVu Sans, fonts
    subset, presentation forms mapped back to letters."""
    faces = arabic_font_faces()
    archive = pymupdf.Archive()
    for face in faces:
        archive.add(face.path.read_bytes(), face.name)
    html = f'<p style="font-size:{size}pt">{wrap_arabic(text)}</p>'
    story = pymupdf.Story(html=html, user_css=font_face_css(faces), archive=archive)
    buffer = io.BytesIO()
    writer = pymupdf.DocumentWriter(buffer)
    page_rect = pymupdf.paper_rect("a4")
    more = 1
    while more:
        device = writer.begin_page(page_rect)
        more, _ = story.place(page_rect + (56, 56, -56, -56))
        story.draw(device)
        writer.end_page()
    writer.close()
    doc = pymupdf.open("pdf", buffer.getvalue())
    doc.subset_fonts()
    _text_layer_as_typed(doc)
    return doc


def _poppler_text(path: Path) -> str:
    out = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
    return " ".join(out.translate(dict.fromkeys(map(ord, "\u202a\u202b\u202c"))).split())


def _poppler_png(path: Path) -> bytes:
    return subprocess.run(
        ["pdftoppm", "-png", "-r", "110", "-f", "1", "-l", "1", str(path)], capture_output=True, check=True
    ).stdout


@pytest.mark.parametrize("size", [8, 11, 14])
@pytest.mark.parametrize("text", TEXTS, ids=["lam-alef", "hamza-madda", "repeated", "wrapped"])
def test_every_reader_gets_the_letters_as_typed(tmp_path: Path, text: str, size: float) -> None:
    before = tmp_path / "before.pdf"
    after = tmp_path / "after.pdf"
    doc = _story_pdf(text, size)
    doc.save(before)
    assert _poppler_text(before) != text  # poppler transposes lam-alef without the fix
    assert one_letter_per_glyph(doc) >= 1
    doc.save(after)
    assert _poppler_text(after) == " ".join(text.split())
    with pymupdf.open(after) as reread:
        assert " ".join(" ".join(p.get_text() for p in reread).split()) == " ".join(text.split())
    # the invisible letters draw nothing: poppler paints the same pixels
    assert _poppler_png(after) == _poppler_png(before)


def test_a_report_without_ligatures_is_left_as_it_is(tmp_path: Path) -> None:
    doc = _story_pdf("Государство-участник заявляет 缔约国声明 המדינה הצד", 11)
    streams = [doc.xref_stream(x) for p in doc for x in p.get_contents()]
    assert one_letter_per_glyph(doc) == 0
    assert [doc.xref_stream(x) for p in doc for x in p.get_contents()] == streams


def test_the_redline_pdf_shares_the_report_text_layer(tmp_path: Path) -> None:
    """``reviewer diff -o red.pdf`` lays its HTML out with the report's fonts and fixes."""
    from reviewer.core.redline import REDLINE_CSS
    from reviewer.core.report.pdf_layout import html_to_pdf

    text = TEXTS[0]
    path = tmp_path / "red.pdf"
    path.write_bytes(html_to_pdf(f"<p><del>{text}</del></p>", REDLINE_CSS, footer="Redline"))
    assert text in _poppler_text(path)
    fonts = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout
    assert "DejaVu" in fonts
