"""Re-anchoring one annotation: position, exact quote with context, fuzzy, orphan."""

from __future__ import annotations

from hypothesis import assume, given, settings
from hypothesis import strategies as st

from reviewer.core.anchoring import EXACT, FUZZY, ORPHAN, TextAnchor, anchor_all, anchor_annotation
from reviewer.core.geometry import PageGeometry
from reviewer.core.textflow import PageText, TextFlow, TextLine, build_flow

A4 = PageGeometry((0, 0, 595, 842), (0, 0, 595, 842), 0)


def flow_of(text: str, width: int = 80) -> TextFlow:
    """A one-page flow holding ``text`` wrapped at ``width`` characters."""
    lines: list[TextLine] = []
    words = text.split()
    current = ""
    for word in words:
        if current and len(current) + 1 + len(word) > width:
            lines.append(current)
            current = word
        else:
            current = f"{current} {word}" if current else word
    if current:
        lines.append(current)
    text_lines = []
    for i, chars in enumerate(lines):
        y = 80 + i * 14
        boxes = [(72 + j * 5.0, y, 77 + j * 5.0, y + 12) for j in range(len(chars))]
        text_lines.append(TextLine(chars, boxes, (72, y, 72 + 5.0 * len(chars), y + 12)))
    flow = build_flow([PageText(0, A4, text_lines)], drop_furniture=False)
    assert flow.text == " ".join(words)
    return flow


OLD = (
    "Article 6 Illegal access 1. Each State Party shall adopt such legislative and other measures "
    "as may be necessary to establish as a criminal offence the access to an information system "
    "without right. 2. A State Party may require that the offence be committed by infringing "
    "security measures. Article 7 Illegal interception Each State Party shall establish as a "
    "criminal offence the interception without right of non-public transmissions of data."
)


def anchor_in(text: str, quote: str, occurrence: int = 0) -> TextAnchor:
    start = -1
    for _ in range(occurrence + 1):
        start = text.index(quote, start + 1)
    end = start + len(quote)
    return TextAnchor(quote, text[max(0, start - 32) : start], text[end : end + 32], start, end)


def test_position_first_when_the_text_is_unchanged() -> None:
    anchor = anchor_in(OLD, "the access to an information system")
    result = anchor_annotation(flow_of(OLD), anchor)
    assert (result.status, result.method, result.score) == (EXACT, "position", 1.0)
    assert OLD[result.start : result.end] == "the access to an information system"


def test_moved_text_is_found_by_quote_and_context() -> None:
    new = "Article 5 Definitions For the purposes of this Convention terms mean what they say. " + OLD
    anchor = anchor_in(OLD, "infringing security measures")
    result = anchor_annotation(flow_of(new), anchor)
    assert (result.status, result.method) == (EXACT, "quote")
    assert new[result.start : result.end] == "infringing security measures"


def test_context_chooses_among_several_occurrences() -> None:
    # The quote occurs twice in v1 and three times in v2: the stored context decides.
    quote = "establish as a criminal offence the"
    new = (
        "Preliminary: each State Party shall establish as a criminal offence the hindering "
        "of a system. " + OLD
    )
    anchor = anchor_in(OLD, quote, occurrence=1)  # the one in Article 7
    result = anchor_annotation(flow_of(new), anchor)
    assert result.status == EXACT
    assert result.start == new.index(
        "Each State Party shall establish as a criminal offence the interception"
    ) + len("Each State Party shall ")
    assert new[result.start : result.end] == quote


def test_expected_position_breaks_ties_between_identical_repeats() -> None:
    new = OLD + " " + OLD + " " + OLD
    anchor = anchor_in(OLD, "may require that the offence")
    second = new.index("may require that the offence", len(OLD))
    result = anchor_annotation(flow_of(new), anchor, expected=second + 3)
    assert result.status == EXACT and result.start == second


def test_a_light_redraft_anchors_fuzzy_on_the_new_words() -> None:
    new = OLD.replace(
        "Each State Party shall adopt such legislative",
        "Each State Party must adopt such legislative",
    )
    anchor = anchor_in(OLD, "Each State Party shall adopt such legislative and other measures")
    result = anchor_annotation(flow_of(new), anchor)
    assert result.status == FUZZY
    assert 0.75 <= result.score < 1.0
    assert new[result.start : result.end] == "Each State Party must adopt such legislative and other measures"


def test_a_reworded_clause_still_anchors() -> None:
    new = OLD.replace(
        "as may be necessary to establish as a criminal offence the access",
        "as are needed to make a criminal offence of the access",
    )
    quote = (
        "such legislative and other measures as may be necessary to establish as a criminal "
        "offence the access to an information system"
    )
    result = anchor_annotation(flow_of(new), anchor_in(OLD, quote))
    assert result.status == FUZZY
    found = new[result.start : result.end]
    assert found.startswith("such legislative and other measures as are needed")
    assert found.endswith("the access to an information system")


def test_deleted_passage_is_an_orphan_even_if_its_words_occur_elsewhere() -> None:
    new = OLD.replace(
        "2. A State Party may require that the offence be committed by infringing security measures. ",
        "",
    )
    for quote in (
        "A State Party may require that the offence be committed by infringing security measures.",
        "be committed by infringing",
    ):
        result = anchor_annotation(flow_of(new), anchor_in(OLD, quote))
        assert result.status == ORPHAN, quote
        assert result.start is None and result.end is None


def test_a_short_quote_whose_context_is_gone_is_not_trusted() -> None:
    # "without right" still occurs, but not where the annotation was.
    new = OLD.replace("the access to an information system without right.", "unauthorised access.")
    anchor = anchor_in(OLD, "without right", occurrence=0)
    result = anchor_annotation(flow_of(new), anchor)
    # Either flagged for a look, or an orphan: never an unflagged "exact" elsewhere.
    assert result.status in (FUZZY, ORPHAN)
    assert result.status != EXACT


def test_empty_quote_is_an_orphan_and_rows_are_accepted() -> None:
    flow = flow_of(OLD)
    assert anchor_annotation(flow, TextAnchor("")).status == ORPHAN
    row = {
        "quote": "Illegal interception",
        "prefix": "",
        "suffix": "",
        "text_start": None,
        "text_end": None,
    }
    result = anchor_annotation(flow, row)
    assert result.status == EXACT and OLD[result.start : result.end] == "Illegal interception"


def test_anchor_all_follows_the_shift_of_an_insertion() -> None:
    unit = "Each State Party shall take the measures needed. "
    old = "".join(f"Article {i} {unit}" for i in range(1, 30))
    inserted = "Article 3 bis A new article that pushes the rest down by a good many characters. "
    cut = old.index("Article 3 ")
    new = old[:cut] + inserted + old[cut:]
    anchors = []
    for i in (5, 12, 20, 27):
        start = old.index(f"Article {i} ") + len(f"Article {i} ")
        anchors.append(
            TextAnchor(
                "Each State Party",
                old[start - 32 : start],
                old[start + 16 : start + 48],
                start,
                start + 16,
            )
        )
    results = anchor_all(flow_of(new), anchors)
    for i, result in zip((5, 12, 20, 27), results, strict=True):
        assert result.status == EXACT
        assert new[result.start - len(f"Article {i} ") : result.start] == f"Article {i} "


_SAMPLE_FLOW: list[TextFlow] = []


def _sample_flow() -> TextFlow:
    if not _SAMPLE_FLOW:
        from pathlib import Path

        from reviewer.core.pdf import open_pdf

        path = Path(__file__).resolve().parents[2] / "resources" / "sample-treaty.pdf"
        _SAMPLE_FLOW.append(open_pdf(path).flow())
    return _SAMPLE_FLOW[0]


@settings(max_examples=150, deadline=None)
@given(st.integers(min_value=0, max_value=10_000), st.integers(min_value=1, max_value=300))
def test_on_its_own_document_every_selection_anchors_exactly_where_it_was(offset: int, length: int) -> None:
    flow = _sample_flow()
    text = flow.text
    start = offset % (len(text) - 1)
    end = min(len(text), start + length)
    while start < end and text[start] == " ":
        start += 1
    while end > start and text[end - 1] == " ":
        end -= 1
    assume(start < end)
    anchor = TextAnchor(text[start:end], text[max(0, start - 32) : start], text[end : end + 32], start, end)
    result = anchor_annotation(flow, anchor)
    assert (result.status, result.start, result.end) == (EXACT, start, end)
    # Without its offsets (an imported annotation), the quote and context find it too.
    moved = TextAnchor(anchor.quote, anchor.prefix, anchor.suffix)
    found = anchor_annotation(flow, moved)
    assert found.status == EXACT
    assert text[found.start : found.end] == anchor.quote
    if len(anchor.prefix) == 32 and len(anchor.suffix) == 32:
        # The treaty repeats whole clauses: any place with the same quote and the same context
        # is as right as the original one.
        assert text[found.start - 32 : found.start] == anchor.prefix
        assert text[found.end : found.end + 32] == anchor.suffix
