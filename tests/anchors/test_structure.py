"""Structure detection: the sample treaty exactly, heading variants, layouts, real reports."""

from __future__ import annotations

from pathlib import Path

from reviewer.core.geometry import PageGeometry
from reviewer.core.pdf import open_pdf
from reviewer.core.sample_treaty import SAMPLE_TREATY
from reviewer.core.structure import detect_structure, roman_to_int, structure_of
from reviewer.core.textflow import PageText, TextLine, build_flow

A4 = PageGeometry((0, 0, 595, 842), (0, 0, 595, 842), 0)
CHAR_WIDTH = 5.0


def line(text: str, x: float, y: float, width: float | None = None) -> TextLine:
    """A line of text; ``width`` spreads it (justified) from x to x + width."""
    step = width / len(text) if width else CHAR_WIDTH
    boxes = [(x + i * step, y, x + (i + 1) * step, y + 12) for i in range(len(text))]
    return TextLine(text, boxes, (x, y, x + len(text) * step, y + 12))


def centred(text: str, y: float, left: float = 72, right: float = 523) -> TextLine:
    width = len(text) * CHAR_WIDTH
    return line(text, (left + right - width) / 2, y)


def page(number: int, lines: list[TextLine]) -> PageText:
    return PageText(number, A4, lines)


def test_sample_treaty_structure_is_detected_exactly(sample_pdf: Path) -> None:
    with open_pdf(sample_pdf) as pdf:
        found = structure_of(pdf)
        assert found.preamble is not None
        preamble_text = pdf.flow().text[found.preamble[0] : found.preamble[1]]
    assert preamble_text.startswith("Preamble The States Parties to this Convention,")
    assert preamble_text.rstrip().endswith("Have agreed as follows:")
    assert [(d.kind, d.label, d.number, d.title) for d in found.divisions] == [
        ("chapter", "I", 1, "General provisions"),
        ("chapter", "II", 2, "Criminalization"),
        ("chapter", "III", 3, "Procedural measures"),
        ("chapter", "IV", 4, "International cooperation"),
        ("chapter", "V", 5, "Final provisions"),
    ]
    assert [(a.number, a.title) for a in found.articles] == [
        (1, "Statement of purpose"),
        (2, "Use of terms"),
        (3, "Scope of application"),
        (4, "Protection of sovereignty"),
        (5, "Respect for human rights"),
        (6, "Illegal access"),
        (7, "Illegal interception"),
        (8, "Interference with electronic data"),
        (9, "Misuse of devices"),
        (10, "Liability of legal persons"),
        (11, "Scope of procedural measures"),
        (12, "Conditions and safeguards"),
        (13, "Expedited preservation of stored electronic data"),
        (14, "Production order"),
        (15, "Search and seizure of stored electronic data"),
        (16, "Real-time collection of traffic data"),
        (17, "Interception of content data"),
        (18, "General principles of international cooperation"),
        (19, "Protection of personal data"),
        (20, "Mutual legal assistance"),
        (21, "Spontaneous information"),
        (22, "24/7 network"),
        (23, "Implementation and review"),
        (24, "Settlement of disputes"),
        (25, "Signature, ratification and entry into force"),
        (26, "Denunciation"),
    ]
    # Chapters hold the right articles; paragraphs and subparagraphs as the treaty has them.
    expected_chapters = [ci for ci, c in enumerate(SAMPLE_TREATY.chapters) for _ in c.articles]
    assert [a.division for a in found.articles] == expected_chapters
    for (number, article), detected in zip(SAMPLE_TREATY.articles(), found.articles, strict=True):
        single = len(article.paragraphs) == 1
        expected = [
            (None if single else i, [chr(ord("a") + s) for s in range(len(p.subparagraphs))])
            for i, p in enumerate(article.paragraphs, start=1)
        ]
        got = [(p.number, [s.letter for s in p.subparagraphs]) for p in detected.paragraphs]
        assert got == expected, f"Art. {number}"


def test_citation_labels_of_offsets(sample_pdf: Path) -> None:
    with open_pdf(sample_pdf) as pdf:
        flow = pdf.flow()
        found = structure_of(pdf)

        def cite(quote: str) -> str | None:
            return found.place_at(flow.text.index(quote)).citation

        assert cite("Recognizing that information") == "Preamble"
        assert cite("Convention on Cross-Border Cooperation") is None
        assert cite("to ensure that such cooperation respects") == "Art. 1(c)"
        assert cite("Each State Party shall establish as a criminal offence the interception") == "Art. 7"
        assert cite("the right to an effective remedy") == "Art. 12(2)(b)"
        assert cite("limitation of the scope and the duration") == "Art. 12(2)(d)"
        assert cite("To the extent that it is consistent with the public interest") == "Art. 12(3)"
        assert cite("Article 12") == "Art. 12"
        place = found.place_at(flow.text.index("the right to an effective remedy"))
        assert (place.article, place.paragraph, place.subparagraph) == (12, 2, "b")


def test_roman_numerals() -> None:
    assert [roman_to_int(r) for r in ("I", "IV", "IX", "XII", "XL", "MCMXCIV")] == [
        1,
        4,
        9,
        12,
        40,
        1994,
    ]
    assert roman_to_int("IIII") is None
    assert roman_to_int("ABC") is None


def test_heading_variants_and_a_paragraph_broken_across_pages() -> None:
    pages = [
        page(
            0,
            [
                centred("PREAMBLE", 80),
                line("The Parties, desiring peace, have agreed as follows:", 72, 100),
                centred("PART I", 130),
                centred("ARTICLE XII", 160),
                centred("Definitions", 175),
                line(
                    "1. For the purposes of this Agreement the following terms, which a",
                    72,
                    200,
                    451,
                ),
                line(
                    "reader should know, apply (justified text fills the line), as in paragraph",
                    72,
                    215,
                ),
                line("2. of the annex and nowhere else:", 72, 230),  # a wrap, not paragraph 2
                line("(a) the first term;", 100, 245),
                line("(c) a stray letter out of sequence;", 100, 260),
                line("(b) the second term, which runs on", 100, 275),
            ],
        ),
        page(
            1,
            [
                line("over the page break.", 100, 80),
                line("2. The second paragraph.", 72, 100),
                line("Art. 13 - Scope", 72, 130),
                line("This Agreement applies to everything.", 72, 150),
                line("Article 14 of the annex is not a heading here.", 72, 170),
            ],
        ),
    ]
    flow = build_flow(pages, drop_furniture=False)
    found = detect_structure(flow)
    assert found.preamble is not None
    assert [(d.kind, d.number) for d in found.divisions] == [("part", 1)]
    assert [(a.number, a.label, a.title) for a in found.articles] == [
        (12, "XII", "Definitions"),
        (13, "13", "Scope"),
    ]
    art12 = found.articles[0]
    assert [p.number for p in art12.paragraphs] == [1, 2]
    assert [s.letter for s in art12.paragraphs[0].subparagraphs] == ["a", "b"]
    text = flow.text

    def cite(quote: str) -> str | None:
        return found.place_at(text.index(quote)).citation

    assert cite("over the page break") == "Art. XII(1)(b)"
    assert cite("nowhere else") == "Art. XII(1)"
    assert cite("The second paragraph") == "Art. XII(2)"
    assert cite("This Agreement applies") == "Art. 13"
    assert cite("is not a heading here") == "Art. 13"
    assert cite("desiring peace") == "Preamble"
    place = found.place_at(text.index("over the page break"))
    assert (place.article, place.paragraph, place.subparagraph) == (12, 1, "b")


def test_two_column_page_reads_each_column_in_turn() -> None:
    # Lines of the left column first, then the right column (MuPDF's block order).
    left = [
        centred("Article 1", 80, 72, 290),
        centred("Purpose", 95, 72, 290),
        line("1. The left column begins, justified.", 72, 115, 218),
        line("2. It goes on here.", 72, 130),
    ]
    right = [
        line("(a) still paragraph 2 of Art. 1, justified;", 305, 80, 218),
        centred("Article 2", 110, 305, 523),
        line("This is Article 2 alone.", 310, 130),
    ]
    flow = build_flow([page(0, left + right)], drop_furniture=False)
    found = detect_structure(flow)
    assert [(a.number, a.title) for a in found.articles] == [(1, "Purpose"), (2, "")]
    assert found.place_at(flow.text.index("still paragraph 2")).citation == "Art. 1(2)(a)"
    assert found.place_at(flow.text.index("This is Article 2")).citation == "Art. 2"


def test_us_report_sections(corpus_copy) -> None:  # type: ignore[no-untyped-def]
    path = corpus_copy("us-crpt-118hrpt728.pdf")
    with open_pdf(path) as pdf:
        found = structure_of(pdf)
    sections = [(a.kind, a.label, a.title) for a in found.articles]
    assert sections[:3] == [
        ("section", "1", "SHORT TITLE"),
        ("section", "2", "FINDINGS"),
        ("section", "3", "TECHNOLOGICAL VULNERABILITIES AND PROCUREMENT PRACTICES ASSESSMENT"),
    ]
    assert ("section", "2", "Findings") in sections  # the section-by-section analysis
