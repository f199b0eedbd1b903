"""The word-at-a-time flow builder gives exactly what the per-character builder gave.

``reference_build_flow`` is ``build_flow`` as it was before lines without ligatures or soft
hyphens were copied a word at a time (and before the glyph maps got their smallest array type).
"""

from __future__ import annotations

import unicodedata
from array import array
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from reviewer.core.geometry import PageGeometry
from reviewer.core.pdf import open_pdf
from reviewer.core.textflow import (
    HYPHENS,
    LIGATURES,
    GlyphBoxes,
    PageText,
    TextFlow,
    TextLine,
    _next_line_start,
    build_flow,
    detect_furniture,
)
from tests.conftest import corpus_file


def reference_build_flow(pages: list[PageText], *, drop_furniture: bool = True) -> TextFlow:
    furniture = detect_furniture(pages) if drop_furniture else set()
    out: list[str] = []
    glyph_of = array("i")
    glyph_page = array("i")
    glyph_line = array("i")
    glyph_char = array("i")
    page_start: list[int] = []
    glyph_id = 0
    pending_space = False
    join_hyphen = False  # previous line ended in a hyphen we dropped

    def emit(ch: str, glyph: int) -> None:
        nonlocal pending_space
        if pending_space and out:
            out.append(" ")
            glyph_of.append(-1)
        pending_space = False
        out.append(ch)
        glyph_of.append(glyph)

    for page in pages:
        page_start.append(len(out))
        for li, line in enumerate(page.lines):
            n = len(line.chars)
            base = glyph_id
            for ci in range(n):
                glyph_page.append(page.number)
                glyph_line.append(li)
                glyph_char.append(ci)
            glyph_id += n
            if (page.number, li) in furniture:
                continue
            chars = line.chars
            # Where does the visible text of the line end, and is it a hyphen to join?
            end = n
            while end > 0 and chars[end - 1].isspace():
                end -= 1
            hyphen_at = -1
            if end >= 2 and chars[end - 1] in HYPHENS and chars[end - 2].isalpha():
                nxt = _next_line_start(pages, page.number, li, furniture)
                if nxt and nxt.islower():
                    hyphen_at = end - 1
            if join_hyphen:
                pending_space = False
            for ci in range(n):
                if ci == hyphen_at:
                    break
                ch = chars[ci]
                if ch.isspace() or ch == "\u00a0":
                    pending_space = True
                    continue
                if ch == "\u00ad":
                    continue
                expanded = LIGATURES.get(ch, ch)
                for part in expanded:
                    emit(part, base + ci)
            join_hyphen = hyphen_at >= 0
            if not join_hyphen:
                pending_space = True
    text = "".join(out)
    text = unicodedata.normalize("NFC", text) if not text.isascii() else text
    if len(text) != len(glyph_of):  # NFC changed the length: keep the unnormalized text
        text = "".join(out)
    return TextFlow(
        text=text,
        glyph_of=glyph_of,
        pages=pages,
        glyph_page=glyph_page,
        glyph_line=glyph_line,
        glyph_char=glyph_char,
        page_start=page_start,
        furniture=furniture,
    )


def assert_same_flow(pages: list[PageText]) -> None:
    got, want = build_flow(pages), reference_build_flow(pages)
    assert got.text == want.text
    assert got.glyph_of == want.glyph_of
    assert list(got.glyph_page) == list(want.glyph_page)
    assert list(got.glyph_line) == list(want.glyph_line)
    assert list(got.glyph_char) == list(want.glyph_char)
    assert got.page_start == want.page_start
    assert got.furniture == want.furniture


# Characters the builder treats specially, mixed with plain ones.
ALPHABET = st.sampled_from(
    list("abcXYZ019.,;")
    + list(LIGATURES)
    + sorted(HYPHENS)
    + [
        " ",
        "  ",
        "\t",
        "\u00a0",
        "\u2003",
        "\u00ad",
        "e\u0301",
        "\u0301",
        "\u201c",
        "\u2019",
        "\u00e9",
        "\u3000",
        "\x1c",
        "\x85",
    ]
)
LINE = st.lists(ALPHABET, max_size=12).map("".join)
GEOMETRY = PageGeometry((0.0, 0.0, 600.0, 800.0), (0.0, 0.0, 600.0, 800.0), 0)


def make_pages(texts: list[list[tuple[str, float]]]) -> list[PageText]:
    pages = []
    for number, lines in enumerate(texts):
        made = []
        for chars, top in lines:
            boxes = GlyphBoxes.of([(10.0 * i, top, 10.0 * i + 9, top + 10) for i in range(len(chars))])
            made.append(TextLine(chars, boxes, (0.0, top, 10.0 * len(chars), top + 10)))
        pages.append(PageText(number, GEOMETRY, made))
    return pages


@settings(max_examples=400, deadline=None)
@given(st.lists(st.lists(st.tuples(LINE, st.sampled_from([20.0, 300.0, 790.0])), max_size=6), max_size=4))
def test_same_flow_as_the_per_character_builder(texts: list[list[tuple[str, float]]]) -> None:
    assert_same_flow(make_pages(texts))


def test_same_flow_on_the_sample_treaty_and_corpus(sample_pdf: Path) -> None:
    for path in (
        sample_pdf,
        corpus_file("pdfbox-ligatures-physics-paper.pdf"),
        corpus_file("sf-arabic-rotated-pages.pdf"),
        corpus_file("us-crpt-118hrpt728.pdf"),
    ):
        with open_pdf(path) as pdf:
            assert_same_flow([pdf.page_text(i) for i in range(pdf.page_count)])


def test_glyph_maps_take_the_smallest_array_type() -> None:
    flow = build_flow(make_pages([[("word " * 60, 300.0)]] * 3))
    assert (flow.glyph_page.typecode, flow.glyph_line.typecode, flow.glyph_char.typecode) == ("B", "B", "H")
    assert flow.glyph_char[-1] == 299 and flow.glyph_page[-1] == 2
