"""The fast path of reading a review file gives exactly what the detailed checker gives.

Every item is read twice: as shipped (fast path first, checker on doubt) and with the fast path
switched off. Accepted items must give the same versions (same values and same types, so
``repr`` is compared: 1 vs 1.0, 0.0 vs -0.0, False vs 0), refused ones the same message.
"""

from __future__ import annotations

import copy
import json
from typing import Any

import pytest

from reviewer.core.exchange import review_file, review_file_fast_read, review_file_reader
from reviewer.core.exchange.versions import ANNOTATION, REPLY, DocumentIdentity, ItemState, ReviewData

SHA = "ab" * 32
ITEM = "11111111-1111-4111-8111-111111111111"
REPLY_ID = "22222222-2222-4222-8222-222222222222"


def _annotation() -> dict[str, Any]:
    return {
        "kind": "highlight",
        "author_id": "33333333-3333-4333-8333-333333333333",
        "author_name": "Ada Tester",
        "created": "2026-01-02T03:04:05.678Z",
        "modified": "2026-01-03T03:04:05.678Z",
        "revision": 2,
        "page": 3,
        "pages": [3],
        "quote": "the quoted passage",
        "prefix": "before ",
        "suffix": " after",
        "text_start": 120,
        "text_end": 138,
        "quads": [{"page": 3, "points": [60.5, 92.0, 260.5, 92.0, 60.5, 80.0, 260.5, 80.0]}],
        "geometry": {
            "3": {"mediabox": [0.0, 0.0, 595.0, 842.0], "cropbox": [0.0, 0.0, 595.0, 842.0], "rotation": 0}
        },
        "comment": "a comment",
        "status": "open",
        "deleted": False,
        "tags": ["safeguard", "Data protection"],
        "origin_id": None,
        "anchor": "exact",
        "anchor_score": 0.75,
        "article": 5,
        "paragraph": None,
        "subparagraph": "a",
        "citation": "Art. 5",
        "modified_by_id": "44444444-4444-4444-8444-444444444444",
        "modified_by_name": "Ben Editor",
    }


def _reply() -> dict[str, Any]:
    return {
        "annotation_id": ITEM,
        "author_id": "33333333-3333-4333-8333-333333333333",
        "author_name": "Ada Tester",
        "created": "2026-01-04T03:04:05Z",
        "modified": "2026-01-04T03:04:05Z",
        "revision": 1,
        "comment": "a reply",
        "deleted": False,
        "modified_by_id": "44444444-4444-4444-8444-444444444444",
        "modified_by_name": "Ben Editor",
    }


def _doc() -> dict[str, Any]:
    data = ReviewData(DocumentIdentity(SHA, None, "Treaty", 10))
    data.annotations[ITEM] = ItemState.of(ANNOTATION, ITEM, [_annotation()])
    data.replies[REPLY_ID] = ItemState.of(REPLY, REPLY_ID, [_reply()])
    doc: dict[str, Any] = json.loads(review_file.dumps(data))
    return doc


def _read(doc: dict[str, Any], monkeypatch: pytest.MonkeyPatch, fast: bool) -> str:
    """repr of every version read (values and types), or the refusal's message."""
    with monkeypatch.context() as m:
        if not fast:
            m.setattr(review_file_reader, "_fast_annotation", lambda raw, source: None)
            m.setattr(review_file_reader, "_fast_reply", lambda raw: None)
        try:
            data = review_file.from_json(copy.deepcopy(doc), "f.review.json")
        except review_file.ReviewFileError as exc:
            return f"refused: {exc}"
    states = {**data.annotations, **data.replies}
    return repr(sorted((i, sorted(s.versions.items()), sorted(s.history)) for i, s in states.items()))


NUMBERS: list[Any] = [
    0,
    1,
    -1,
    1.0,
    0.0,
    -0.0,
    1e7,
    -1e7,
    1e7 + 1,
    2**53,
    2**53 + 1,
    True,
    False,
    None,
    "1",
    [],
    {},
]
TEXTS: list[Any] = ["", "x", "é", "\ud800", "٣", "x" * 2001, "x" * 100_001, 5, None, ["x"], {"a": 1}]


def _mutations() -> list[tuple[str, Any]]:
    """(path into the annotation item, new value); '-' removes the key."""
    paths_numbers = [
        "rv:revision",
        "rv:article",
        "rv:paragraph",
        "rv:anchorScore",
        "rv:quads.0.page",
        "rv:quads.0.points.0",
        "rv:quads.0.points.7",
        "rv:geometry.3.mediabox.0",
        "rv:geometry.3.cropbox.3",
        "rv:geometry.3.rotation",
        "rv:pages.0",
        "target.selector.1.refinedBy.start",
        "target.selector.1.refinedBy.end",
        "rv:deleted",
    ]
    paths_texts = [
        "id",
        "created",
        "modified",
        "rv:kind",
        "rv:status",
        "rv:prefix",
        "rv:suffix",
        "rv:origin",
        "rv:anchor",
        "rv:subparagraph",
        "rv:citation",
        "creator.id",
        "creator.name",
        "rv:modifiedBy.id",
        "rv:modifiedBy.name",
        "body.0.value",
        "body.0.purpose",
        "body.1.value",
        "target.source",
        "target.selector.0.value",
        "target.selector.0.type",
        "target.selector.0.refinedBy.exact",
        "target.selector.0.refinedBy.type",
    ]
    out: list[tuple[str, Any]] = [(p, v) for p in paths_numbers for v in NUMBERS]
    out += [(p, v) for p in paths_texts for v in TEXTS]
    out += [
        ("id", "urn:uuid:11111111-1111-4111-8111-11111111111A"),
        ("id", "11111111-1111-4111-8111-111111111111"),
        ("created", "2026-01-02T03:04:05"),
        ("created", "２026-01-02T03:04:05Z"),
        ("target.selector.0.value", "page=٣"),
        ("target.selector.0.value", "page=0"),
        ("target.selector.0.value", "page=12345678"),
        ("body.1.value", "  safe\u200bguard  "),
        ("body.1.value", "\x00"),
        ("body.1.value", "x" * 81),
        ("body", None),
        ("body", {"type": "TextualBody", "purpose": "commenting", "value": "alone"}),
        ("body.0.extra", "unknown property"),
        ("creator.extra", {"nested": ["values"]}),
        ("target.extra", 1),
        ("target.selector", {"type": "FragmentSelector", "value": "page=2"}),
        ("target.selector", []),
        ("target.selector.0.refinedBy", None),
        ("target.selector.0.refinedBy", "text"),
        ("target.selector.0.refinedBy.extra", 1),
        ("rv:quads", []),
        ("rv:quads.0.points", [1, 2, 3, 4, 5, 6, 7, 8]),
        ("rv:quads.0.points", [1.0] * 7),
        ("rv:quads.0.extra", 1),
        ("rv:geometry", {}),
        ("rv:geometry", []),
        ("rv:geometry.03", {"mediabox": [0.0] * 4, "cropbox": [0.0] * 4, "rotation": 90}),
        ("rv:geometry.x", {"mediabox": [0.0] * 4, "cropbox": [0.0] * 4, "rotation": 90}),
        ("rv:geometry.3.mediabox", [0, 0, 595, 842]),
        ("rv:geometry.3.extra", 1),
        ("rv:pages", []),
        ("rv:pages", None),
        ("rv:prefix", "-"),
        ("rv:anchor", "-"),
        ("rv:origin", "-"),
        ("rv:anchorScore", "-"),
        ("rv:quads", "-"),
        ("rv:geometry", "-"),
        ("creator", "-"),
        ("target", "-"),
        ("rv:modifiedBy", "-"),
        ("rv:modifiedBy", None),
        ("rv:modifiedBy", "Ben"),
        ("rv:modifiedBy.extra", 1),
        ("rv:modifiedBy.id", "ben"),
    ]
    return out


def _set(item: dict[str, Any], path: str, value: Any) -> None:
    *parents, last = path.split(".")
    node: Any = item
    for key in parents:
        node = node[int(key)] if isinstance(node, list) else node[key]
    if isinstance(node, list):
        node[int(last)] = value
    elif value == "-" and last not in ("value", "exact"):
        node.pop(last, None)
    else:
        node[last] = value


def test_fast_path_is_taken_for_a_well_formed_file(monkeypatch: pytest.MonkeyPatch) -> None:
    doc = _doc()
    assert review_file_fast_read._fast_annotation(doc["first"]["items"][0], f"urn:sha256:{SHA}") is not None
    assert review_file_fast_read._fast_reply(doc["first"]["items"][1]) is not None
    assert _read(doc, monkeypatch, fast=True) == _read(doc, monkeypatch, fast=False)
    assert not _read(doc, monkeypatch, fast=True).startswith("refused")


@pytest.mark.parametrize("path,value", _mutations(), ids=lambda x: repr(x)[:40])
def test_annotation_read_the_same_with_or_without_fast_path(
    path: str, value: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    doc = _doc()
    _set(doc["first"]["items"][0], path, value)
    assert _read(doc, monkeypatch, fast=True) == _read(doc, monkeypatch, fast=False)


@pytest.mark.parametrize(
    "path,value",
    [
        (p, v)
        for p in (
            "id", "target", "created", "modified", "creator.id", "creator.name", "body.value",
            "rv:modifiedBy.id", "rv:modifiedBy.name",
        )
        for v in TEXTS
    ]
    + [(p, v) for p in ("rv:revision", "rv:deleted") for v in NUMBERS]
    + [("body", "-"), ("body", "text"), ("body.extra", 1), ("creator.extra", 1), ("target", ITEM)],
    ids=lambda x: repr(x)[:40],
)
def test_reply_read_the_same_with_or_without_fast_path(
    path: str, value: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    doc = _doc()
    _set(doc["first"]["items"][1], path, value)
    assert _read(doc, monkeypatch, fast=True) == _read(doc, monkeypatch, fast=False)
