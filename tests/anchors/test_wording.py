"""What counts as a material change between two wordings, and the word diffs (issue 14)."""

from __future__ import annotations

import pytest

from reviewer.core.alignment import align
from reviewer.core.wording import defined_terms, materiality, word_diff

CASES = [
    ("within 228 days", "within 287 days", ("number",)),
    ("within thirty days", "within sixty days", ("number",)),
    ("before 1 January 2027", "before 1 July 2027", ("date",)),
    ("within two weeks", "within two months", ("duration",)),
    ("shall not disclose", "shall disclose", ("negation",)),
    ("with the consent", "without the consent", ("negation",)),
    ("shall never apply", "shall apply", ("negation",)),
    ("No Party shall", "Each Party shall", ("negation",)),
    ("Each Party shall adopt", "Each Party may adopt", ("modal",)),
    ("it should inform", "it must inform", ("modal",)),
    ("investigations and prosecutions", "investigations or prosecutions", ("and/or",)),
    ("the widest measure of", "the widest possible measure of", ()),
    ("shall endeavour to settle", "shall seek to settle", ()),
    ("Article 13 Production order", "Article 14 Production order", ()),  # renumbered heading
    ("3. A State Party that", "2. A State Party that", ()),  # renumbered paragraph
    ("in accordance with paragraph 1", "in accordance with paragraph 2", ("number",)),  # a reference
]


@pytest.mark.parametrize(("old", "new", "kinds"), CASES)
def test_material_kinds(old: str, new: str, kinds: tuple[str, ...]) -> None:
    assert materiality(old, new, word_diff(old, new)).kinds == kinds


def test_defined_terms_found_and_a_changed_term_is_material() -> None:
    text = (
        'For the purposes of this Convention, "competent authority" means any authority; '
        "the Board (hereinafter \u201cthe Board\u201d) shall meet."
    )
    terms = defined_terms(text)
    assert terms == {"competent authority", "the board"}
    old, new = "by the competent authority of", "by the central authority of"
    assert materiality(old, new, word_diff(old, new), terms).kinds == ("defined term",)
    cut_old, cut_new = "made in writing by the competent", "made in writing by the central"
    assert materiality(cut_old, cut_new, word_diff(cut_old, cut_new), terms).kinds == ("defined term",)


def test_word_diff_runs_rebuild_both_wordings() -> None:
    old, new = "Each Party shall adopt within 228 days", "Each Party may adopt within 287 days"
    diff = word_diff(old, new)
    assert diff == [
        ("=", "Each Party "),
        ("-", "shall"),
        ("+", "may"),
        ("=", " adopt within "),
        ("-", "228"),
        ("+", "287"),
        ("=", " days"),
    ]
    assert "".join(t for op, t in diff if op != "+") == old
    assert "".join(t for op, t in diff if op != "-") == new


def test_alignment_keeps_the_surviving_twin_whole() -> None:
    """A deleted paragraph beside a near-identical one that survives: the survivor's words
    map to the survivor, the deleted one's to nothing."""
    deleted = (
        "Each Party shall adopt, with respect to safeguards and within 228 days, appropriate procedures."
    )
    kept = "Each Party shall adopt, with respect to safeguards and within 287 days, such measures."
    old = f"Article 5 Safeguards 1. {deleted} 2. {kept} Article 6 Costs The costs shall be borne."
    new = f"Article 5 Safeguards {kept} Article 6 Costs The costs shall be borne."
    a = align(old, new)
    start = old.index(deleted)
    i, j = a.old.covering(start, start + len(deleted))
    assert a.surviving(i, j) == []
    start = old.index(kept)
    i, j = a.old.covering(start, start + len(kept))
    survived = a.surviving(i, j)
    assert len(survived) == j - i
    assert new[a.new.starts[survived[0]] : a.new.ends[survived[-1]]] == kept
