"""The review file (``.review.json``): a W3C Web Annotation ``AnnotationCollection``.

Written deterministically (same content, same bytes), so that merges can be compared byte for
byte and kept in git. Read defensively: size, nesting, string length and item count are
limited and every field is checked before anything is returned; a refusal is one
``ReviewerError`` naming the file and the problem. See docs/format.md.
"""

from __future__ import annotations

import functools
import json
import math
import os
import re
import uuid
from collections.abc import Iterator, Mapping
from typing import Any, TypeGuard
from urllib.parse import quote, unquote

from reviewer import __version__
from reviewer.core.atomic import atomic_write
from reviewer.core.errors import ReviewerError
from reviewer.core.exchange.versions import (
    ANNOTATION,
    REPLY,
    DocumentIdentity,
    ItemState,
    ReviewData,
    TagDefinition,
    Version,
    version_hash,
)
from reviewer.core.model import KINDS, STATUSES
from reviewer.core.plain_text import clean_text
from reviewer.core.taxonomy import clean_tag_name

FORMAT_VERSION = 1
NAMESPACE = "https://reviewer-app.org/ns/review/1#"
ANNO_CONTEXT = "http://www.w3.org/ns/anno.jsonld"
RFC3778 = "http://tools.ietf.org/rfc/rfc3778"
REVIEWER_NAMESPACE_UUID = uuid.UUID("5d1c0f7e-2f83-4c55-9d5b-3b1e3c7a9e10")

MAX_FILE_BYTES = 256 * 1024 * 1024
MAX_ITEMS = 500_000
MAX_TEXT = 100_000  # comment, quote, reply
MAX_SHORT = 2_000  # names, ids, dates, citations
MAX_QUADS = 10_000
MAX_CONFLICTS = 1_000
MAX_HISTORY = 100_000
MAX_UNKNOWN_NODES = 10_000  # values under properties Reviewer does not know, per property

_ITEM_KEYS = [
    "@context",
    "id",
    "type",
    "motivation",
    "creator",
    "created",
    "modified",
    "body",
    "target",
    "rv:kind",
    "rv:revision",
    "rv:status",
    "rv:deleted",
    "rv:pages",
    "rv:quads",
    "rv:geometry",
    "rv:prefix",
    "rv:suffix",
    "rv:anchor",
    "rv:anchorScore",
    "rv:origin",
    "rv:article",
    "rv:paragraph",
    "rv:subparagraph",
    "rv:item",
    "rv:citation",
    "rv:modifiedBy",
    "rv:history",
    "rv:conflicts",
]
KNOWN = {
    "top": frozenset(
        [
            "@context",
            "id",
            "type",
            "label",
            "total",
            "rv:formatVersion",
            "rv:generator",
            "rv:document",
            "rv:tags",
            "first",
        ]
    ),
    "document": frozenset(["sha256", "pdfId", "title", "pageCount"]),
    "tag": frozenset(["name", "color", "definition"]),
    "page": frozenset(["type", "items", "id", "partOf", "startIndex", "next"]),
    "item": frozenset(_ITEM_KEYS),
    "creator": frozenset(["id", "type", "name", "nickname", "email", "email_sha1", "homepage"]),
    "body": frozenset(["type", "purpose", "value", "format", "language", "id"]),
    "target": frozenset(["source", "selector", "type", "id"]),
    "selector": frozenset(["type", "conformsTo", "value", "refinedBy"]),
    "refined": frozenset(["type", "exact", "prefix", "suffix", "start", "end"]),
    "quad": frozenset(["page", "points"]),
    "geometry": frozenset(["mediabox", "cropbox", "rotation"]),
}

DATE_TIME = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)")
HEX_HASH = re.compile(r"[0-9a-f]{32}")
SHA256 = re.compile(r"[0-9a-f]{64}")
CANONICAL_URN_UUID = re.compile(r"urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")


class ReviewFileError(ReviewerError):
    pass


# writing ------------------------------------------------------------------------------------


@functools.lru_cache(maxsize=4096)
def author_iri(author_id: str) -> str:
    try:
        return f"urn:uuid:{uuid.UUID(author_id)}"
    except ValueError:
        return "urn:reviewer:author:" + quote(author_id, safe="")


def author_id_of(iri: str) -> str:
    if iri.startswith("urn:uuid:"):
        return iri[len("urn:uuid:") :]
    if iri.startswith("urn:reviewer:author:"):
        return unquote(iri[len("urn:reviewer:author:") :])
    return iri


def collection_id(sha256: str) -> str:
    return f"urn:uuid:{uuid.uuid5(REVIEWER_NAMESPACE_UUID, sha256)}"


def _creator(version: Mapping[str, Any]) -> dict[str, Any]:
    return {
        "id": author_iri(version["author_id"]),
        "type": "Person",
        "name": version["author_name"],
    }


def _modified_by(version: Mapping[str, Any]) -> dict[str, Any] | None:
    """Who made this version (``rv:modifiedBy``, a creator-like Person); None when not known
    (versions written before Reviewer recorded it)."""
    editor = version.get("modified_by_id")
    if editor is None:
        return None
    return {"id": author_iri(editor), "type": "Person", "name": version.get("modified_by_name") or ""}


def annotation_json(item_id: str, v: Mapping[str, Any], source: str) -> dict[str, Any]:
    body: list[dict[str, Any]] = []
    if v["comment"]:
        body.append(
            {
                "type": "TextualBody",
                "purpose": "commenting",
                "value": v["comment"],
                "format": "text/plain",
            }
        )
    for name in v["tags"]:
        body.append({"type": "TextualBody", "purpose": "tagging", "value": name})
    fragment = {"type": "FragmentSelector", "conformsTo": RFC3778, "value": f"page={v['page'] + 1}"}
    selectors: list[dict[str, Any]] = []
    if v["quote"]:
        selectors.append(
            dict(
                fragment,
                refinedBy={
                    "type": "TextQuoteSelector",
                    "exact": v["quote"],
                    "prefix": v["prefix"],
                    "suffix": v["suffix"],
                },
            )
        )
    if v["text_start"] is not None and v["text_end"] is not None:
        selectors.append(
            dict(
                fragment,
                refinedBy={
                    "type": "TextPositionSelector",
                    "start": v["text_start"],
                    "end": v["text_end"],
                },
            )
        )
    if not selectors:
        selectors.append(fragment)
    out: dict[str, Any] = {
        "id": f"urn:uuid:{item_id}",
        "type": "Annotation",
        "motivation": "highlighting" if v["kind"] == "highlight" else "commenting",
        "creator": _creator(v),
        "created": v["created"],
        "modified": v["modified"],
    }
    if body:
        out["body"] = body
    out["target"] = {
        "source": source,
        "selector": selectors[0] if len(selectors) == 1 else selectors,
    }
    out.update(
        {
            "rv:kind": v["kind"],
            "rv:revision": v["revision"],
            "rv:status": v["status"],
            "rv:deleted": v["deleted"],
            "rv:pages": v["pages"],
            "rv:quads": v["quads"],
            "rv:geometry": v["geometry"],
            "rv:prefix": v["prefix"],
            "rv:suffix": v["suffix"],
            "rv:anchor": v["anchor"],
            "rv:anchorScore": v["anchor_score"],
            "rv:origin": v["origin_id"],
            "rv:article": v["article"],
            "rv:paragraph": v["paragraph"],
            "rv:subparagraph": v["subparagraph"],
            "rv:item": v.get("item"),
            "rv:citation": v["citation"],
        }
    )
    editor = _modified_by(v)
    if editor is not None:
        out["rv:modifiedBy"] = editor
    return out


def reply_json(item_id: str, v: Mapping[str, Any]) -> dict[str, Any]:
    out = {
        "id": f"urn:uuid:{item_id}",
        "type": "Annotation",
        "motivation": "replying",
        "creator": _creator(v),
        "created": v["created"],
        "modified": v["modified"],
        "body": {
            "type": "TextualBody",
            "purpose": "replying",
            "value": v["comment"],
            "format": "text/plain",
        },
        "target": f"urn:uuid:{v['annotation_id']}",
        "rv:revision": v["revision"],
        "rv:deleted": v["deleted"],
    }
    editor = _modified_by(v)
    if editor is not None:
        out["rv:modifiedBy"] = editor
    return out


def _item_json(state: ItemState, source: str) -> dict[str, Any]:
    def one(version: Version) -> dict[str, Any]:
        if state.kind == ANNOTATION:
            return annotation_json(state.id, version, source)
        return reply_json(state.id, version)

    out = {"@context": ANNO_CONTEXT, **one(state.winner)}
    out["rv:history"] = sorted(state.history)
    conflicts = [one(v) for v in state.conflicts]
    if conflicts:
        out["rv:conflicts"] = conflicts
    return out


def _annotation_order(state: ItemState) -> tuple[int, int, str, str]:
    w = state.winner
    start = w["text_start"] if w["text_start"] is not None else -1
    return (int(w["page"]), int(start), str(w["created"]), state.id)


def _ordered(data: ReviewData) -> list[ItemState]:
    """Items in file order: annotations by page and position, each followed by its replies;
    replies whose annotation is not in the data last."""
    replies_of: dict[str, list[ItemState]] = {}
    for reply in data.replies.values():
        replies_of.setdefault(str(reply.winner["annotation_id"]), []).append(reply)
    out: list[ItemState] = []
    placed: set[str] = set()
    for state in sorted(data.annotations.values(), key=_annotation_order):
        out.append(state)
        for reply in sorted(replies_of.get(state.id, ()), key=lambda r: (str(r.winner["created"]), r.id)):
            out.append(reply)
            placed.add(reply.id)
    for reply in sorted(data.replies.values(), key=lambda r: (str(r.winner["created"]), r.id)):
        if reply.id not in placed:
            out.append(reply)
    return out


def _header(data: ReviewData, items: list[dict[str, Any]], total: int) -> dict[str, Any]:
    d = data.document
    return {
        "@context": [ANNO_CONTEXT, {"rv": NAMESPACE}],
        "id": collection_id(d.sha256),
        "type": "AnnotationCollection",
        "label": f"Review of {d.title}",
        "total": total,
        "rv:formatVersion": FORMAT_VERSION,
        "rv:generator": f"Reviewer {__version__}",
        "rv:document": {
            "sha256": d.sha256,
            "pdfId": d.pdf_id,
            "title": d.title,
            "pageCount": d.page_count,
        },
        "rv:tags": [
            {"name": t.name, "color": t.color, "definition": t.definition}
            for _, t in sorted(data.tags.items())
        ],
        "first": {"type": "AnnotationPage", "items": items},
    }


def to_json(data: ReviewData) -> dict[str, Any]:
    """The review file as JSON values (``dumps`` writes the same, faster)."""
    source = f"urn:sha256:{data.document.sha256}"
    items = [_item_json(state, source) for state in _ordered(data)]
    return _header(data, items, len(items))


# allow_nan=False: NaN and Infinity are not JSON (RFC 8259); a file holding one is never written.
_COMPACT = json.JSONEncoder(
    ensure_ascii=False, separators=(",", ":"), check_circular=False, allow_nan=False
)  # acyclic


# Writing an item's line directly: the same text as _COMPACT.encode(_item_json(...)) (a test
# compares them), without building the item's dicts first, which took most of a merge's
# writing time. Values of any unusual type are left to the encoder itself.

_encode_text = json.encoder.encode_basestring  # what _COMPACT uses for strings
_INF = float("inf")
_c_make_encoder = getattr(json.encoder, "c_make_encoder", None)
# _COMPACT.encode makes a new C encoder at every call; with check_circular=False it holds no
# state, so one serves every call (same arguments as JSONEncoder.iterencode passes it).
_C_COMPACT = (
    _c_make_encoder(None, _COMPACT.default, _encode_text, None, ":", ",", False, False, False)
    if _c_make_encoder is not None
    else None
)


def _encode_any(value: Any) -> str:
    """_COMPACT.encode(value)."""
    if _C_COMPACT is None:
        return _COMPACT.encode(value)
    return "".join(_C_COMPACT(value, 0))


def _j(value: Any) -> str:
    """One value as _COMPACT writes it."""
    kind = type(value)
    if kind is str:
        return _encode_text(value)
    if value is None:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if kind is int:
        return int.__repr__(value)
    if kind is float and -_INF < value < _INF:
        return float.__repr__(value)
    return _encode_any(value)


_CONTEXT_MEMBER = f'"@context":{_j(ANNO_CONTEXT)},'
_CONFORMS = _j(RFC3778)


def _annotation_members(item_id: str, v: Mapping[str, Any], source: str) -> str:
    """annotation_json's members, without the braces."""
    try:  # the fields that are always strings in a checked version, written without a detour
        return _annotation_members_with(item_id, v, source, _encode_text)
    except TypeError:  # one of them is not a string: every value by its type
        return _annotation_members_with(item_id, v, source, _j)


def _annotation_members_with(item_id: str, v: Mapping[str, Any], source: str, s: Any) -> str:
    bodies = []
    if v["comment"]:
        bodies.append(
            f'{{"type":"TextualBody","purpose":"commenting","value":{s(v["comment"])},"format":"text/plain"}}'
        )
    for name in v["tags"]:
        bodies.append(f'{{"type":"TextualBody","purpose":"tagging","value":{s(name)}}}')
    page = _j(f"page={v['page'] + 1}")
    fragment = f'"type":"FragmentSelector","conformsTo":{_CONFORMS},"value":{page}'
    selectors = []
    if v["quote"]:
        selectors.append(
            f'{{{fragment},"refinedBy":{{"type":"TextQuoteSelector","exact":{s(v["quote"])},'
            f'"prefix":{s(v["prefix"])},"suffix":{s(v["suffix"])}}}}}'
        )
    if v["text_start"] is not None and v["text_end"] is not None:
        selectors.append(
            f'{{{fragment},"refinedBy":{{"type":"TextPositionSelector",'
            f'"start":{_j(v["text_start"])},"end":{_j(v["text_end"])}}}}}'
        )
    if not selectors:
        selector = f"{{{fragment}}}"
    elif len(selectors) == 1:
        selector = selectors[0]
    else:
        selector = f"[{','.join(selectors)}]"
    body = f',"body":[{",".join(bodies)}]' if bodies else ""
    motivation = '"highlighting"' if v["kind"] == "highlight" else '"commenting"'
    return (
        f'"id":{_j(f"urn:uuid:{item_id}")},"type":"Annotation","motivation":{motivation},'
        f'"creator":{{"id":{s(author_iri(v["author_id"]))},"type":"Person","name":{s(v["author_name"])}}},'
        f'"created":{s(v["created"])},"modified":{s(v["modified"])}{body},'
        f'"target":{{"source":{source},"selector":{selector}}},'
        f'"rv:kind":{s(v["kind"])},"rv:revision":{_j(v["revision"])},"rv:status":{s(v["status"])},'
        f'"rv:deleted":{_j(v["deleted"])},"rv:pages":{_encode_any(v["pages"])},'
        f'"rv:quads":{_encode_any(v["quads"])},"rv:geometry":{_encode_any(v["geometry"])},'
        f'"rv:prefix":{s(v["prefix"])},"rv:suffix":{s(v["suffix"])},"rv:anchor":{s(v["anchor"])},'
        f'"rv:anchorScore":{_j(v["anchor_score"])},"rv:origin":{_j(v["origin_id"])},'
        f'"rv:article":{_j(v["article"])},"rv:paragraph":{_j(v["paragraph"])},'
        f'"rv:subparagraph":{_j(v["subparagraph"])},"rv:item":{_j(v.get("item"))},'
        f'"rv:citation":{_j(v["citation"])}'
        f"{_modified_by_member(v)}"
    )


def _modified_by_member(v: Mapping[str, Any]) -> str:
    """``,"rv:modifiedBy":{...}`` as _COMPACT writes _modified_by(v), or nothing."""
    editor = v.get("modified_by_id")
    if editor is None:
        return ""
    return (
        f',"rv:modifiedBy":{{"id":{_j(author_iri(editor))},"type":"Person",'
        f'"name":{_j(v.get("modified_by_name") or "")}}}'
    )


def _reply_members(item_id: str, v: Mapping[str, Any]) -> str:
    """reply_json's members, without the braces."""
    try:  # as in _annotation_members
        return _reply_members_with(item_id, v, _encode_text)
    except TypeError:
        return _reply_members_with(item_id, v, _j)


def _reply_members_with(item_id: str, v: Mapping[str, Any], s: Any) -> str:
    target = _j(f"urn:uuid:{v['annotation_id']}")
    return (
        f'"id":{_j(f"urn:uuid:{item_id}")},"type":"Annotation","motivation":"replying",'
        f'"creator":{{"id":{s(author_iri(v["author_id"]))},"type":"Person","name":{s(v["author_name"])}}},'
        f'"created":{s(v["created"])},"modified":{s(v["modified"])},'
        f'"body":{{"type":"TextualBody","purpose":"replying","value":{s(v["comment"])},"format":"text/plain"}},'
        f'"target":{target},'
        f'"rv:revision":{_j(v["revision"])},"rv:deleted":{_j(v["deleted"])}'
        f"{_modified_by_member(v)}"
    )


def _item_line(state: ItemState, source: str) -> str:
    """_COMPACT.encode(_item_json(state, ...)); ``source`` is already JSON text."""
    if state.kind == ANNOTATION:
        members = _annotation_members(state.id, state.winner, source)
        conflicts = [_annotation_members(state.id, v, source) for v in state.conflicts]
    else:
        members = _reply_members(state.id, state.winner)
        conflicts = [_reply_members(state.id, v) for v in state.conflicts]
    history = _encode_any(sorted(state.history)) if state.history else "[]"
    if conflicts:
        others = ",".join(f"{{{c}}}" for c in conflicts)
        return f'{{{_CONTEXT_MEMBER}{members},"rv:history":{history},"rv:conflicts":[{others}]}}'
    return f'{{{_CONTEXT_MEMBER}{members},"rv:history":{history}}}'


_ITEMS_PER_CHUNK = 1000


def _chunks(data: ReviewData) -> Iterator[str]:
    """The file's text in pieces of about a thousand items (see ``dumps``)."""
    states = _ordered(data)
    head = json.dumps(_header(data, [], len(states)), ensure_ascii=False, indent=1, allow_nan=False)
    if not states:
        yield head + "\n"
        return
    before, _, after = head.partition('"items": []')
    source = _j(f"urn:sha256:{data.document.sha256}")
    yield f'{before}"items": [\n  '
    for start in range(0, len(states), _ITEMS_PER_CHUNK):
        part = states[start : start + _ITEMS_PER_CHUNK]
        lines = ",\n  ".join([_item_line(state, source) for state in part])
        yield lines if start == 0 else f",\n  {lines}"
    yield f"\n ]{after}\n"


def dumps(data: ReviewData) -> str:
    """Deterministic text: the header indented, then one line per annotation or reply, which
    keeps files readable and their git diffs small."""
    return "".join(_chunks(data))


def write(data: ReviewData, path: str | os.PathLike[str]) -> None:
    """Write ``dumps(data)`` to ``path`` atomically, a piece at a time: a merged file of 90 MB
    is never held whole as text and again as bytes."""
    with atomic_write(path) as handle:
        for chunk in _chunks(data):
            handle.write(chunk.encode("utf-8"))


# reading ------------------------------------------------------------------------------------


class _Check:
    """Type checks that name where in the file a value went wrong."""

    def __init__(self, path: str) -> None:
        self.path = path

    def fail(self, where: str, problem: str) -> ReviewFileError:
        return ReviewFileError(f"{where}: {problem}", path=self.path)

    def obj(self, value: Any, where: str, known: frozenset[str] | None = None) -> dict[str, Any]:
        if not isinstance(value, dict):
            raise self.fail(where, f"must be an object, not {_type_name(value)}")
        if known is not None and not known.issuperset(value):
            for key in value:
                if key not in known:
                    self.unknown(value[key], f"{where}.{str(key)[:40]}")
        return value

    def unknown(self, value: Any, where: str) -> None:
        """Properties Reviewer does not read are kept out of the database, but still limited."""
        stack = [value]
        seen = 0
        while stack:
            item = stack.pop()
            seen += 1
            if seen > MAX_UNKNOWN_NODES:
                raise self.fail(where, f"holds more than {MAX_UNKNOWN_NODES} values")
            if isinstance(item, str):
                if len(item) > MAX_TEXT:
                    raise self.fail(where, f"holds a string longer than the limit of {MAX_TEXT}")
            elif isinstance(item, dict):
                for key, child in item.items():
                    if len(key) > MAX_SHORT:
                        raise self.fail(where, f"holds a key longer than the limit of {MAX_SHORT}")
                    stack.append(child)
            elif isinstance(item, list):
                stack.extend(item)

    def lst(self, value: Any, where: str, limit: int) -> list[Any]:
        if not isinstance(value, list):
            raise self.fail(where, f"must be a list, not {_type_name(value)}")
        if len(value) > limit:
            raise self.fail(where, f"has {len(value)} entries, more than the limit of {limit}")
        return value

    def text(self, value: Any, where: str, limit: int = MAX_SHORT, *, optional: bool = False) -> Any:
        if value is None and optional:
            return None
        if not isinstance(value, str):
            raise self.fail(where, f"must be a string, not {_type_name(value)}")
        if len(value) > limit:
            raise self.fail(where, f"is {len(value)} characters long, more than the limit of {limit}")
        if not value.isascii():
            try:
                value.encode("utf-8")
            except UnicodeEncodeError:
                raise self.fail(where, "holds an unpaired surrogate (not valid Unicode text)") from None
        return value

    def integer(self, value: Any, where: str, *, optional: bool = False, minimum: int = 0) -> Any:
        if value is None and optional:
            return None
        if isinstance(value, bool) or not isinstance(value, int):
            raise self.fail(where, f"must be an integer, not {_type_name(value)}")
        if value < minimum or value > 2**53:
            raise self.fail(where, f"is out of range ({value})")
        return value

    def number(self, value: Any, where: str, *, optional: bool = False) -> Any:
        if value is None and optional:
            return None
        if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
            raise self.fail(where, f"must be a finite number, not {_type_name(value)}")
        if abs(value) > 1e7:
            raise self.fail(where, f"is out of range ({value})")
        return float(value)

    def boolean(self, value: Any, where: str) -> bool:
        if not isinstance(value, bool):
            raise self.fail(where, f"must be true or false, not {_type_name(value)}")
        return value

    def date(self, value: Any, where: str) -> str:
        text = self.text(value, where)
        if not DATE_TIME.fullmatch(text):
            raise self.fail(where, f"must be an ISO 8601 date-time with a time zone, not {text[:40]!r}")
        return str(text)

    def urn_uuid(self, value: Any, where: str) -> str:
        if isinstance(value, str) and CANONICAL_URN_UUID.fullmatch(value):
            return value[9:]
        text = self.text(value, where)
        raw = text.removeprefix("urn:uuid:")
        try:
            return str(uuid.UUID(raw))
        except ValueError:
            raise self.fail(where, f"must be a urn:uuid: identifier, not {text[:60]!r}") from None

    def choice(self, value: Any, where: str, allowed: tuple[str, ...]) -> str:
        text = self.text(value, where)
        if text not in allowed:
            raise self.fail(where, f"must be one of {', '.join(allowed)}, not {text[:40]!r}")
        return str(text)


def _type_name(value: Any) -> str:
    return {
        dict: "an object",
        list: "a list",
        str: "a string",
        bool: "a boolean",
        type(None): "null",
    }.get(type(value), "a number")


def _as_list(value: Any) -> list[Any]:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


# The fast path: the same checks as _parse_annotation/_parse_reply for the common, well-formed
# item, without building a location string for every field. It answers None at the first
# doubt (anything unusual, not only errors), and the detailed checker then reads the item again
# and accepts it or names the problem: results and messages are the checker's.

_MAX_INT = 2**53
_PAGE_VALUE = re.compile(r"page=(\d{1,7})")


def _text_ok(value: Any, limit: int) -> TypeGuard[str]:
    if type(value) is not str or len(value) > limit:
        return False
    if value.isascii():
        return True
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _int_ok(value: Any, minimum: int = 0) -> bool:
    return type(value) is int and minimum <= value <= _MAX_INT


def _floats_ok(values: Any, count: int) -> TypeGuard[list[float]]:
    return (
        type(values) is list
        and len(values) == count
        and all(type(x) is float and -1e7 < x < 1e7 for x in values)
    )


_CREATOR_KEYS = KNOWN["creator"]
_BODY_KEYS = KNOWN["body"]
_TARGET_KEYS = KNOWN["target"]
_SELECTOR_KEYS = KNOWN["selector"]
_REFINED_KEYS = KNOWN["refined"]
_QUAD_KEYS = KNOWN["quad"]
_GEOMETRY_KEYS = KNOWN["geometry"]


@functools.lru_cache(maxsize=4096)
def _clean_short_tag_name(value: str) -> str:
    """A team uses a few dozen tags on thousands of items; only short names are remembered."""
    return clean_tag_name(value)


def _fast_annotation(raw: dict[str, Any], source: str) -> tuple[str, Version] | None:
    try:
        return _fast_annotation_unchecked(raw, source)
    except Exception:  # whatever it is, the detailed checker decides
        return None


def _fast_annotation_unchecked(raw: dict[str, Any], source: str) -> tuple[str, Version] | None:
    get = raw.get
    raw_id = get("id")
    if type(raw_id) is not str or not CANONICAL_URN_UUID.fullmatch(raw_id):
        return None
    creator = get("creator")
    if type(creator) is not dict or not _CREATOR_KEYS.issuperset(creator):
        return None
    comment = ""
    tags: list[str] = []
    bodies = get("body")
    if bodies is not None:
        if type(bodies) is not list:
            bodies = [bodies]
        if len(bodies) > 1000:
            return None
        for body in bodies:
            if type(body) is not dict or not _BODY_KEYS.issuperset(body):
                return None
            value = body.get("value")
            if not _text_ok(value, MAX_TEXT):
                return None
            purpose = body.get("purpose")
            if purpose == "commenting":
                comment = value
            elif purpose == "tagging":
                try:
                    tags.append(_clean_short_tag_name(value) if len(value) <= 200 else clean_tag_name(value))
                except ReviewerError:
                    return None
            else:
                return None
    target = get("target")
    if type(target) is not dict or not _TARGET_KEYS.issuperset(target) or target.get("source") != source:
        return None
    page: int | None = None
    quote_text = ""
    text_start = text_end = None
    selectors = target.get("selector")
    if selectors is None:
        return None
    if type(selectors) is not list:
        selectors = [selectors]
    if len(selectors) > 10:
        return None
    for sel in selectors:
        if type(sel) is not dict or not _SELECTOR_KEYS.issuperset(sel):
            return None
        value = sel.get("value")
        if not _text_ok(value, MAX_SHORT):
            return None
        match = _PAGE_VALUE.fullmatch(value)
        if sel.get("type") != "FragmentSelector" or not match or int(match.group(1)) < 1:
            return None
        page = int(match.group(1)) - 1
        refined = sel.get("refinedBy")
        if refined is None:
            continue
        if type(refined) is not dict or not _REFINED_KEYS.issuperset(refined):
            return None
        refined_type = refined.get("type")
        if refined_type == "TextQuoteSelector":
            exact = refined.get("exact")
            if not _text_ok(exact, MAX_TEXT):
                return None
            quote_text = exact
        elif refined_type == "TextPositionSelector":
            text_start = refined.get("start")
            text_end = refined.get("end")
            if not _int_ok(text_start) or not _int_ok(text_end):
                return None
    if page is None:
        return None
    raw_pages = get("rv:pages")
    if type(raw_pages) is not list or len(raw_pages) > 100_000:
        return None
    for p in raw_pages:
        if not _int_ok(p):
            return None
    raw_quads = get("rv:quads")
    if type(raw_quads) is not list or len(raw_quads) > MAX_QUADS:
        return None
    quads = []
    for q in raw_quads:
        if type(q) is not dict or not _QUAD_KEYS.issuperset(q):
            return None
        points = q.get("points")
        quad_page = q.get("page")
        if not _floats_ok(points, 8) or not _int_ok(quad_page):
            return None
        quads.append({"page": quad_page, "points": list(points)})
    raw_geometry = get("rv:geometry")
    if type(raw_geometry) is not dict:
        return None
    geometry: dict[str, Any] = {}
    for key, g in raw_geometry.items():
        if type(key) is not str or not key.isdigit() or len(key) > 7:
            return None
        if type(g) is not dict or not _GEOMETRY_KEYS.issuperset(g):
            return None
        mediabox = g.get("mediabox")
        cropbox = g.get("cropbox")
        rotation = g.get("rotation")
        if not _floats_ok(mediabox, 4) or not _floats_ok(cropbox, 4):
            return None
        if not _int_ok(rotation) or rotation not in (0, 90, 180, 270):
            return None
        geometry[key] = {"mediabox": list(mediabox), "cropbox": list(cropbox), "rotation": rotation}
    kind = get("rv:kind")
    author = creator.get("id")
    author_name = creator.get("name")
    created = get("created")
    modified = get("modified")
    revision = get("rv:revision")
    prefix = get("rv:prefix", "")
    suffix = get("rv:suffix", "")
    status = get("rv:status")
    deleted = get("rv:deleted")
    origin = get("rv:origin")
    anchor = get("rv:anchor", "exact")
    anchor_score = get("rv:anchorScore")
    article = get("rv:article")
    paragraph = get("rv:paragraph")
    subparagraph = get("rv:subparagraph")
    item = get("rv:item")
    citation = get("rv:citation")
    editor = _fast_modified_by(get("rv:modifiedBy"))
    if not (
        editor is not None
        and
        type(kind) is str
        and kind in KINDS
        and _text_ok(author, MAX_SHORT)
        and _text_ok(author_name, MAX_SHORT)
        and _text_ok(created, MAX_SHORT)
        and DATE_TIME.fullmatch(created)
        and _text_ok(modified, MAX_SHORT)
        and DATE_TIME.fullmatch(modified)
        and _int_ok(revision, 1)
        and _text_ok(prefix, MAX_TEXT)
        and _text_ok(suffix, MAX_TEXT)
        and type(status) is str
        and status in STATUSES
        and type(deleted) is bool
        and (origin is None or _text_ok(origin, MAX_SHORT))
        and _text_ok(anchor, MAX_SHORT)
        and (anchor_score is None or (type(anchor_score) is float and -1e7 <= anchor_score <= 1e7))
        and (article is None or _int_ok(article))
        and (paragraph is None or _int_ok(paragraph))
        and (subparagraph is None or _text_ok(subparagraph, MAX_SHORT))
        and (item is None or _text_ok(item, MAX_SHORT))
        and (citation is None or _text_ok(citation, MAX_SHORT))
    ):
        return None
    version: Version = {
        "kind": kind,
        "author_id": author_id_of(author),
        "author_name": author_name,
        "created": created,
        "modified": modified,
        "revision": revision,
        "page": page,
        "pages": list(raw_pages),
        "quote": quote_text,
        "prefix": prefix,
        "suffix": suffix,
        "text_start": text_start,
        "text_end": text_end,
        "quads": quads,
        "geometry": geometry,
        "comment": comment,
        "status": status,
        "deleted": deleted,
        "tags": tags,
        "origin_id": origin,
        "anchor": anchor,
        "anchor_score": anchor_score,
        "article": article,
        "paragraph": paragraph,
        "subparagraph": subparagraph,
        "item": item,
        "citation": citation,
        "modified_by_id": editor[0],
        "modified_by_name": editor[1],
    }
    return raw_id[9:], version


_NOBODY: tuple[str | None, str | None] = (None, None)


def _fast_modified_by(raw: Any) -> tuple[str | None, str | None] | None:
    """(id, name) of ``rv:modifiedBy``; (None, None) when absent; None at any doubt."""
    if raw is None:
        return _NOBODY
    if type(raw) is not dict or not _CREATOR_KEYS.issuperset(raw):
        return None
    editor, name = raw.get("id"), raw.get("name")
    if not _text_ok(editor, MAX_SHORT) or not _text_ok(name, MAX_SHORT):
        return None
    return author_id_of(editor), name


def _fast_reply(raw: dict[str, Any]) -> tuple[str, Version] | None:
    get = raw.get
    raw_id = get("id")
    target = get("target")
    creator = get("creator")
    body = get("body")
    if not (
        type(raw_id) is str
        and CANONICAL_URN_UUID.fullmatch(raw_id)
        and type(target) is str
        and CANONICAL_URN_UUID.fullmatch(target)
        and type(creator) is dict
        and _CREATOR_KEYS.issuperset(creator)
        and type(body) is dict
        and _BODY_KEYS.issuperset(body)
    ):
        return None
    author = creator.get("id")
    author_name = creator.get("name")
    created = get("created")
    modified = get("modified")
    revision = get("rv:revision")
    comment = body.get("value")
    deleted = get("rv:deleted")
    editor = _fast_modified_by(get("rv:modifiedBy"))
    if not (
        editor is not None
        and _text_ok(author, MAX_SHORT)
        and _text_ok(author_name, MAX_SHORT)
        and _text_ok(created, MAX_SHORT)
        and DATE_TIME.fullmatch(created)
        and _text_ok(modified, MAX_SHORT)
        and DATE_TIME.fullmatch(modified)
        and _int_ok(revision, 1)
        and _text_ok(comment, MAX_TEXT)
        and type(deleted) is bool
    ):
        return None
    version: Version = {
        "annotation_id": target[9:],
        "author_id": author_id_of(author),
        "author_name": author_name,
        "created": created,
        "modified": modified,
        "revision": revision,
        "comment": comment,
        "deleted": deleted,
        "modified_by_id": editor[0],
        "modified_by_name": editor[1],
    }
    return raw_id[9:], version


def _parse_annotation(c: _Check, raw: dict[str, Any], where: str, source: str) -> tuple[str, Version]:
    item_id = c.urn_uuid(raw.get("id"), f"{where}.id")
    creator = c.obj(raw.get("creator"), f"{where}.creator", KNOWN["creator"])
    comment = ""
    tags: list[str] = []
    for i, body in enumerate(c.lst(_as_list(raw.get("body")), f"{where}.body", 1000)):
        body = c.obj(body, f"{where}.body[{i}]", KNOWN["body"])
        purpose = body.get("purpose")
        value = c.text(body.get("value"), f"{where}.body[{i}].value", MAX_TEXT)
        if purpose == "commenting":
            comment = value
        elif purpose == "tagging":
            try:
                tags.append(clean_tag_name(value))
            except ReviewerError as exc:
                raise c.fail(f"{where}.body[{i}].value", str(exc)) from None
        else:
            raise c.fail(f"{where}.body[{i}].purpose", "must be commenting or tagging")
    target = c.obj(raw.get("target"), f"{where}.target", KNOWN["target"])
    if target.get("source") != source:
        raise c.fail(f"{where}.target.source", f"names another document ({str(target.get('source'))[:80]!r})")
    page: int | None = None
    quote_text = ""
    text_start = text_end = None
    for i, sel in enumerate(c.lst(_as_list(target.get("selector")), f"{where}.target.selector", 10)):
        sel = c.obj(sel, f"{where}.target.selector[{i}]", KNOWN["selector"])
        value = c.text(sel.get("value"), f"{where}.target.selector[{i}].value")
        match = re.fullmatch(r"page=(\d{1,7})", value)
        if sel.get("type") != "FragmentSelector" or not match or int(match.group(1)) < 1:
            raise c.fail(f"{where}.target.selector[{i}]", "must be a FragmentSelector page=N")
        page = int(match.group(1)) - 1
        refined = sel.get("refinedBy")
        if refined is None:
            continue
        refined = c.obj(refined, f"{where}.target.selector[{i}].refinedBy", KNOWN["refined"])
        if refined.get("type") == "TextQuoteSelector":
            quote_text = c.text(
                refined.get("exact"), f"{where}.target.selector[{i}].refinedBy.exact", MAX_TEXT
            )
        elif refined.get("type") == "TextPositionSelector":
            text_start = c.integer(refined.get("start"), f"{where}.target.selector[{i}].refinedBy.start")
            text_end = c.integer(refined.get("end"), f"{where}.target.selector[{i}].refinedBy.end")
    if page is None:
        raise c.fail(f"{where}.target.selector", "names no page")
    pages = [
        c.integer(p, f"{where}.rv:pages") for p in c.lst(raw.get("rv:pages"), f"{where}.rv:pages", 100_000)
    ]
    quads = []
    for i, q in enumerate(c.lst(raw.get("rv:quads"), f"{where}.rv:quads", MAX_QUADS)):
        q = c.obj(q, f"{where}.rv:quads[{i}]", KNOWN["quad"])
        points = c.lst(q.get("points"), f"{where}.rv:quads[{i}].points", 8)
        if len(points) != 8:
            raise c.fail(f"{where}.rv:quads[{i}].points", "must hold 8 numbers")
        if all(type(p) is float and -1e7 < p < 1e7 for p in points):  # the common case, fast
            values = list(points)
        else:
            values = [c.number(p, f"{where}.rv:quads[{i}].points") for p in points]
        quads.append({"page": c.integer(q.get("page"), f"{where}.rv:quads[{i}].page"), "points": values})
    geometry: dict[str, Any] = {}
    for key, g in c.obj(raw.get("rv:geometry"), f"{where}.rv:geometry").items():
        if not key.isdigit() or len(key) > 7:
            raise c.fail(f"{where}.rv:geometry", f"has a key that is not a page number ({key[:20]!r})")
        g = c.obj(g, f"{where}.rv:geometry.{key}", KNOWN["geometry"])
        boxes = {}
        for box in ("mediabox", "cropbox"):
            values = c.lst(g.get(box), f"{where}.rv:geometry.{key}.{box}", 4)
            if len(values) != 4:
                raise c.fail(f"{where}.rv:geometry.{key}.{box}", "must hold 4 numbers")
            if all(type(x) is float and -1e7 < x < 1e7 for x in values):
                boxes[box] = list(values)
            else:
                boxes[box] = [c.number(x, f"{where}.rv:geometry.{key}.{box}") for x in values]
        rotation = c.integer(g.get("rotation"), f"{where}.rv:geometry.{key}.rotation")
        if rotation not in (0, 90, 180, 270):
            raise c.fail(f"{where}.rv:geometry.{key}.rotation", "must be 0, 90, 180 or 270")
        geometry[key] = {
            "mediabox": boxes["mediabox"],
            "cropbox": boxes["cropbox"],
            "rotation": rotation,
        }
    version: Version = {
        "kind": c.choice(raw.get("rv:kind"), f"{where}.rv:kind", KINDS),
        "author_id": author_id_of(c.text(creator.get("id"), f"{where}.creator.id")),
        "author_name": c.text(creator.get("name"), f"{where}.creator.name"),
        "created": c.date(raw.get("created"), f"{where}.created"),
        "modified": c.date(raw.get("modified"), f"{where}.modified"),
        "revision": c.integer(raw.get("rv:revision"), f"{where}.rv:revision", minimum=1),
        "page": page,
        "pages": pages,
        "quote": quote_text,
        "prefix": c.text(raw.get("rv:prefix", ""), f"{where}.rv:prefix", MAX_TEXT),
        "suffix": c.text(raw.get("rv:suffix", ""), f"{where}.rv:suffix", MAX_TEXT),
        "text_start": text_start,
        "text_end": text_end,
        "quads": quads,
        "geometry": geometry,
        "comment": comment,
        "status": c.choice(raw.get("rv:status"), f"{where}.rv:status", STATUSES),
        "deleted": c.boolean(raw.get("rv:deleted"), f"{where}.rv:deleted"),
        "tags": tags,
        "origin_id": c.text(raw.get("rv:origin"), f"{where}.rv:origin", optional=True),
        "anchor": c.text(raw.get("rv:anchor", "exact"), f"{where}.rv:anchor"),
        "anchor_score": c.number(raw.get("rv:anchorScore"), f"{where}.rv:anchorScore", optional=True),
        "article": c.integer(raw.get("rv:article"), f"{where}.rv:article", optional=True),
        "paragraph": c.integer(raw.get("rv:paragraph"), f"{where}.rv:paragraph", optional=True),
        "subparagraph": c.text(raw.get("rv:subparagraph"), f"{where}.rv:subparagraph", optional=True),
        "item": c.text(raw.get("rv:item"), f"{where}.rv:item", optional=True),
        "citation": c.text(raw.get("rv:citation"), f"{where}.rv:citation", optional=True),
        **_checked_modified_by(c, raw, where),
    }
    return item_id, version


def _checked_modified_by(c: _Check, raw: dict[str, Any], where: str) -> dict[str, Any]:
    value = raw.get("rv:modifiedBy")
    if value is None:  # files written before Reviewer recorded editors
        return {"modified_by_id": None, "modified_by_name": None}
    editor = c.obj(value, f"{where}.rv:modifiedBy", KNOWN["creator"])
    return {
        "modified_by_id": author_id_of(c.text(editor.get("id"), f"{where}.rv:modifiedBy.id")),
        "modified_by_name": c.text(editor.get("name"), f"{where}.rv:modifiedBy.name"),
    }


def _parse_reply(c: _Check, raw: dict[str, Any], where: str) -> tuple[str, Version]:
    item_id = c.urn_uuid(raw.get("id"), f"{where}.id")
    creator = c.obj(raw.get("creator"), f"{where}.creator", KNOWN["creator"])
    body = c.obj(raw.get("body"), f"{where}.body", KNOWN["body"])
    version: Version = {
        "annotation_id": c.urn_uuid(raw.get("target"), f"{where}.target"),
        "author_id": author_id_of(c.text(creator.get("id"), f"{where}.creator.id")),
        "author_name": c.text(creator.get("name"), f"{where}.creator.name"),
        "created": c.date(raw.get("created"), f"{where}.created"),
        "modified": c.date(raw.get("modified"), f"{where}.modified"),
        "revision": c.integer(raw.get("rv:revision"), f"{where}.rv:revision", minimum=1),
        "comment": c.text(body.get("value"), f"{where}.body.value", MAX_TEXT),
        "deleted": c.boolean(raw.get("rv:deleted"), f"{where}.rv:deleted"),
        **_checked_modified_by(c, raw, where),
    }
    return item_id, version


# One item as read: (id, is a reply, versions with the winner first, history). Reading depends
# only on the item's text and the document, so equal lines of one document read the same.
_ReadItem = tuple[str, bool, tuple[Version, ...], tuple[str, ...]]


# Free text a person wrote, cleaned as every input is (see plain_text.clean_text): after
# reading, so that both readers give the same version and its hash is that of the clean text.
# Only a string holding a control or bidi character (tab and newline included, which one-line
# fields turn into spaces) is cleaned; one C-level search rules out the rest.
_TEXT_FIELDS = (("comment", False), ("author_name", True), ("modified_by_name", True), ("citation", True))
_MAY_NEED_CLEANING = re.compile("[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]").search


def clean_version_text(version: Version) -> Version:
    """``version`` with its comment, names and citation cleaned, in place."""
    for key, one_line in _TEXT_FIELDS:
        value = version.get(key)
        if type(value) is str and _MAY_NEED_CLEANING(value):
            version[key] = clean_text(value, one_line=one_line)
    return version


def _read_item(c: _Check, raw: Any, where: str, source: str) -> _ReadItem:
    raw = c.obj(raw, where, KNOWN["item"])
    item_context = raw.get("@context", ANNO_CONTEXT)
    if item_context != ANNO_CONTEXT and not (isinstance(item_context, list) and ANNO_CONTEXT in item_context):
        raise c.fail(f"{where}.@context", f"must be {ANNO_CONTEXT}")
    if raw.get("type") != "Annotation":
        raise c.fail(f"{where}.type", "must be Annotation")
    reply = raw.get("motivation") == "replying"

    def parse(entry: dict[str, Any], at: str) -> tuple[str, Version]:
        fast = _fast_reply(entry) if reply else _fast_annotation(entry, source)
        if fast is None:
            fast = _parse_reply(c, entry, at) if reply else _parse_annotation(c, entry, at, source)
        clean_version_text(fast[1])
        return fast

    item_id, winner = parse(raw, where)
    versions = [winner]
    for j, other in enumerate(c.lst(raw.get("rv:conflicts", []), f"{where}.rv:conflicts", MAX_CONFLICTS)):
        other_id, version = parse(
            c.obj(other, f"{where}.rv:conflicts[{j}]", KNOWN["item"]), f"{where}.rv:conflicts[{j}]"
        )
        if other_id != item_id:
            raise c.fail(f"{where}.rv:conflicts[{j}].id", "differs from the item's id")
        versions.append(version)
    history = []
    for h in c.lst(raw.get("rv:history", []), f"{where}.rv:history", MAX_HISTORY):
        if not isinstance(h, str) or not HEX_HASH.fullmatch(h):
            raise c.fail(f"{where}.rv:history", "must hold 32-hex-digit version hashes")
        history.append(h)
    return item_id, reply, tuple(versions), tuple(history)


class _NonFiniteNumber(ValueError):
    """``NaN``, ``Infinity`` or ``-Infinity``: Python's json reads them, RFC 8259 has none."""


def _refuse_constant(name: str) -> Any:
    raise _NonFiniteNumber(name)


# Every parse of a review file goes through this decoder (one object: json.loads with an
# argument would build a new decoder at every call).
_strict_loads = json.JSONDecoder(parse_constant=_refuse_constant).decode

# Where a non-JSON constant stands: strings are skipped whole, so "NaN" inside a comment is
# text and not a number.
_STRING_OR_CONSTANT = re.compile(r'"(?:[^"\\]|\\.)*"|(-?Infinity|NaN)')


def _non_finite_error(text: str, path: str, name: str) -> ReviewFileError:
    for match in _STRING_OR_CONSTANT.finditer(text):
        if match.group(1):
            at = match.start(1)
            line = text.count("\n", 0, at) + 1
            column = at - (text.rfind("\n", 0, at) + 1) + 1
            return ReviewFileError(
                f"is not valid JSON (line {line}, column {column}: {match.group(1)} is not a JSON number)",
                path=path,
            )
    return ReviewFileError(f"is not valid JSON ({name} is not a JSON number)", path=path)


class _NotOneValue(Exception):
    """An item's text is not one JSON value by itself: read the file whole instead."""


def from_json(
    doc: Any,
    path: str,
    *,
    as_text: bool = False,
    read_before: dict[str, dict[str, _ReadItem]] | None = None,
) -> ReviewData:
    """Check and convert a parsed review file.

    With ``as_text``, ``first.items`` holds each item's JSON text (see ``loads``), parsed here
    one at a time, and ``read_before`` remembers items by their text, so that an item already
    read from another file of the same merge is neither parsed nor checked again but shares
    the versions read then (reading depends only on the text and the document)."""
    c = _Check(path)
    top = c.obj(doc, "the file", KNOWN["top"])
    if top.get("type") != "AnnotationCollection":
        raise c.fail("the file", "is not a review file (no AnnotationCollection)")
    context = top.get("@context")
    if (
        not isinstance(context, list)
        or ANNO_CONTEXT not in context
        or not any(isinstance(x, dict) and x.get("rv") == NAMESPACE for x in context)
    ):
        raise c.fail("@context", f"must name {ANNO_CONTEXT} and bind rv to {NAMESPACE}")
    fmt = top.get("rv:formatVersion")
    if fmt != FORMAT_VERSION:
        if isinstance(fmt, int) and not isinstance(fmt, bool) and fmt > FORMAT_VERSION:
            raise c.fail(
                "rv:formatVersion",
                f"is {fmt}: the file was written by a newer Reviewer; upgrade to read it",
            )
        raise c.fail("rv:formatVersion", f"must be {FORMAT_VERSION}")
    d = c.obj(top.get("rv:document"), "rv:document", KNOWN["document"])
    sha = c.text(d.get("sha256"), "rv:document.sha256")
    if not SHA256.fullmatch(sha):
        raise c.fail("rv:document.sha256", "must be 64 hex digits")
    document = DocumentIdentity(
        sha,
        c.text(d.get("pdfId"), "rv:document.pdfId", optional=True),
        clean_text(c.text(d.get("title"), "rv:document.title"), one_line=True),
        c.integer(d.get("pageCount"), "rv:document.pageCount", minimum=1),
    )
    data = ReviewData(document)
    for i, t in enumerate(c.lst(top.get("rv:tags", []), "rv:tags", 10_000)):
        t = c.obj(t, f"rv:tags[{i}]", KNOWN["tag"])
        name = c.text(t.get("name"), f"rv:tags[{i}].name", 200).strip()
        color = c.text(t.get("color"), f"rv:tags[{i}].color", 20)
        if not re.fullmatch(r"#[0-9A-Fa-f]{6}", color):
            raise c.fail(f"rv:tags[{i}].color", "must be #RRGGBB")
        definition = clean_text(c.text(t.get("definition", ""), f"rv:tags[{i}].definition"))
        data.tags[name.casefold()] = TagDefinition(name, color.upper(), definition)
    page = c.obj(top.get("first"), "first", KNOWN["page"])
    items = c.lst(page.get("items"), "first.items", MAX_ITEMS)
    if page.get("next") is not None:
        raise c.fail("first.next", "pages other than the first are not supported")
    source = f"urn:sha256:{sha}"
    known: dict[str, _ReadItem] = {}
    if read_before is not None:
        known = read_before.setdefault(source, known)
    annotations, replies = data.annotations, data.replies
    parse = _strict_loads
    for i, raw in enumerate(items):
        if as_text:
            item = known.get(raw)
            if item is None:
                try:
                    value = parse(raw)
                except (ValueError, RecursionError):
                    raise _NotOneValue from None
                item = _read_item(c, value, f"item {i + 1}", source)
                if read_before is not None:
                    known[raw] = item
        else:
            item = _read_item(c, raw, f"item {i + 1}", source)
        item_id, reply, versions, history = item
        if item_id in annotations or item_id in replies:
            raise c.fail(f"item {i + 1}.id", f"urn:uuid:{item_id} appears twice")
        if reply:
            replies[item_id] = ItemState.of(REPLY, item_id, versions, history)
        else:
            annotations[item_id] = ItemState.of(ANNOTATION, item_id, versions, history)
    for state in data.replies.values():
        for version in state.heads():
            if version["annotation_id"] not in data.annotations:
                raise c.fail(
                    f"reply urn:uuid:{state.id}",
                    f"answers urn:uuid:{version['annotation_id']}, which is not in the file",
                )
    return data


_ITEMS_OPEN = '"items": [\n'
_ITEMS_CLOSE = "\n ]"


def _split_items(text: str) -> Any:
    """The header parsed, and each item's text, when the text has the layout ``dumps`` writes
    (one item per line); else None, and the caller parses the text whole.

    Why reading the header and then each item's text alone gives what ``json.loads(text)``
    gives: the header is parsed with a random token (which the text does not contain) in place
    of the item list; when that token comes back as ``first.items``, it stood where a JSON
    value stands, and a JSON value can be swapped for another there without changing how
    anything else parses. The text between ``[`` and ``]`` is that list when every piece
    between the ``,\n`` separators is one JSON value by itself (``from_json`` checks each as
    it parses it, and the whole file is read again if one is not).
    """
    start = text.find(_ITEMS_OPEN)
    if start < 0:
        return None
    body = start + len(_ITEMS_OPEN)
    end = text.find(_ITEMS_CLOSE, body)
    if end < 0:
        return None
    token = uuid.uuid4().hex
    if token in text:
        return None
    try:
        top = _strict_loads(f'{text[: body - 2]}"{token}"{text[end + len(_ITEMS_CLOSE) :]}')
    except (ValueError, RecursionError):
        return None
    first = top.get("first") if type(top) is dict else None
    if type(first) is not dict or first.get("items") != token:
        return None
    first["items"] = text[body:end].split(",\n")
    return top


def loads(raw: bytes, path: str, read_before: dict[str, dict[str, _ReadItem]] | None = None) -> ReviewData:
    """Check and read a review file's bytes; see ``from_json`` for ``read_before``."""
    if len(raw) > MAX_FILE_BYTES:
        raise ReviewFileError(f"is {len(raw)} bytes, more than the limit of {MAX_FILE_BYTES}", path=path)
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ReviewFileError(f"is not UTF-8 text (byte {exc.start})", path=path) from None
    top = _split_items(text)
    if top is not None:
        try:
            return from_json(top, path, as_text=True, read_before=read_before)
        except (_NotOneValue, ReviewFileError):
            pass  # read whole below: the same result, or the refusal json.loads of it gives
    try:
        doc = _strict_loads(text)
    except _NonFiniteNumber as exc:
        raise _non_finite_error(text, path, str(exc)) from None
    except RecursionError:
        raise ReviewFileError("nesting is too deep to be a review file", path=path) from None
    except json.JSONDecodeError as exc:
        raise ReviewFileError(
            f"is not valid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg})", path=path
        ) from None
    except ValueError as exc:  # e.g. an integer with thousands of digits
        raise ReviewFileError(f"holds a value no review file has ({str(exc)[:80]})", path=path) from None
    return from_json(doc, path)


def read(path: str, read_before: dict[str, dict[str, _ReadItem]] | None = None) -> ReviewData:
    """Read and check a review file. A merge passes one ``read_before`` for all its files: an
    item line already read in one of them is not parsed and checked again (see ``from_json``)."""
    try:
        size = os.path.getsize(path)
        if size > MAX_FILE_BYTES:
            raise ReviewFileError(f"is {size} bytes, more than the limit of {MAX_FILE_BYTES}", path=path)
        with open(path, "rb") as handle:
            raw = handle.read(MAX_FILE_BYTES + 1)
    except OSError as exc:
        raise ReviewFileError(f"cannot be read ({exc.strerror})", path=path) from None
    return loads(raw, path, read_before)


def looks_like_review_file(head: bytes) -> bool:
    return head.lstrip(b"\xef\xbb\xbf \t\r\n").startswith((b"{", b"["))


__all__ = ["dumps", "write", "read", "loads", "to_json", "from_json", "ReviewFileError", "version_hash"]
