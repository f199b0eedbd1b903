"""The fields of a version, pinned: they decide every version's hash (and so which versions of
teammates' files are the same), and they are derived from the store's column lists, so a new
column must change them knowingly, never by the way."""

from reviewer.core.exchange.versions import ANNOTATION, FIELDS, REPLY, version_hash


def test_annotation_fields_are_the_exchanged_ones_in_order() -> None:
    assert FIELDS[ANNOTATION] == [
        "kind",
        "author_id",
        "author_name",
        "created",
        "modified",
        "revision",
        "page",
        "pages",
        "quote",
        "prefix",
        "suffix",
        "text_start",
        "text_end",
        "quads",
        "geometry",
        "comment",
        "status",
        "deleted",
        "tags",
        "origin_id",
        "anchor",
        "anchor_score",
        "article",
        "paragraph",
        "subparagraph",
        "item",
        "citation",
        "modified_by_id",
        "modified_by_name",
        "stance",
        "proposal",
    ]


def test_reply_fields_are_the_exchanged_ones_in_order() -> None:
    assert FIELDS[REPLY] == [
        "annotation_id",
        "author_id",
        "author_name",
        "created",
        "modified",
        "revision",
        "comment",
        "deleted",
        "modified_by_id",
        "modified_by_name",
    ]


def test_reply_hash_is_unchanged() -> None:
    """A known reply's name, as files written before already carry it."""
    reply = {
        "annotation_id": "00000000-0000-4000-8000-000000000001",
        "author_id": "ada",
        "author_name": "Ada",
        "created": "2026-01-01T00:00:00Z",
        "modified": "2026-01-02T00:00:00Z",
        "revision": 2,
        "comment": "Agreed.",
        "deleted": False,
    }
    assert version_hash(REPLY, reply) == EXPECTED_REPLY_HASH
    # Who made a version does not name it (like ``modified``): files written before the
    # editor was recorded keep their names, and two people making one edit agree.
    edited = dict(reply, modified_by_id="ben", modified_by_name="Ben")
    assert version_hash(REPLY, edited) == EXPECTED_REPLY_HASH


EXPECTED_REPLY_HASH = "0c8d1c1fcd3c658c11837aeabbe08375"  # computed before the lists were derived


def test_position_fields_are_what_an_anchor_from_quads_finds(review, sample_pdf) -> None:  # type: ignore[no-untyped-def]
    """An import keeps the database's POSITION_FIELDS or finds them again from the quads: both
    ways must fill the same fields of the version."""
    from reviewer.core.exchange.foreign_import import _anchor_from_quads
    from reviewer.core.exchange.records import POSITION_FIELDS
    from reviewer.core.pdf import open_pdf

    pdf = open_pdf(sample_pdf)
    a = review.annotate_quote(pdf, "reliable safeguards", comment="c")
    quads = [q.to_json() for q in a.quads]
    found = _anchor_from_quads(review, pdf, a.page, quads, note=False)
    assert found["quote"] == "reliable safeguards"
    assert set(found) == {*POSITION_FIELDS, "article", "paragraph", "subparagraph", "item", "citation"}
    assert set(POSITION_FIELDS) <= set(FIELDS[ANNOTATION])
