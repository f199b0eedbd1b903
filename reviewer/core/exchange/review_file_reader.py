"""Reading review files defensively: a fast path for well-formed files and the detailed checker
that names the first problem (tests/exchange/test_fast_read.py keeps them equivalent).
"""

from __future__ import annotations

import json
import math
import os
import re
import uuid
from collections.abc import Callable
from typing import Any

from reviewer.core.concordance import RELATIONS
from reviewer.core.errors import ReviewerError
from reviewer.core.exchange.coverage_items import read_coverage
from reviewer.core.exchange.review_file_fast_read import _fast_annotation, _fast_reply
from reviewer.core.exchange.review_file_format import (
    ANNO_CONTEXT,
    CANONICAL_URN_UUID,
    DATE_TIME,
    FORMAT_VERSION,
    HEX_HASH,
    KNOWN,
    MAX_CONCORDANCE,
    MAX_CONFLICTS,
    MAX_FILE_BYTES,
    MAX_HISTORY,
    MAX_ITEMS,
    MAX_LINK_ENDS,
    MAX_QUADS,
    MAX_SHORT,
    MAX_TEXT,
    MAX_UNKNOWN_NODES,
    NAMESPACE,
    SHA256,
    SHA256_URN,
    ReviewFileError,
    _as_list,
    _type_name,
    clean_version_text,
)
from reviewer.core.exchange.review_file_writer import author_id_of
from reviewer.core.exchange.versions import (
    ANNOTATION,
    CONCORDANCE,
    LINK_TARGETS,
    REPLY,
    DocumentIdentity,
    ItemState,
    ReviewData,
    TagDefinition,
    Version,
)
from reviewer.core.model import KINDS, STANCES, STATUSES
from reviewer.core.plain_text import clean_text
from reviewer.core.taxonomy import clean_tag_name


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
    raw_target = raw.get("target")
    other_targets: list[Any] = []
    target_at = f"{where}.target"
    if raw.get("rv:kind") == "link":  # one target per document: its own first
        ends = c.lst(raw_target, f"{where}.target", MAX_LINK_ENDS)
        if len(ends) < 2:
            raise c.fail(f"{where}.target", "a link needs a target in each of two documents")
        raw_target, other_targets, target_at = ends[0], ends[1:], f"{where}.target[0]"
    target = c.obj(raw_target, target_at, KNOWN["target"])
    if target.get("source") != source:
        raise c.fail(f"{target_at}.source", f"names another document ({str(target.get('source'))[:80]!r})")
    page, quote_text, text_start, text_end = _selected(c, target, target_at)
    pages = [
        c.integer(p, f"{where}.rv:pages") for p in c.lst(raw.get("rv:pages"), f"{where}.rv:pages", 100_000)
    ]
    quads = _quads(c, raw.get("rv:quads"), f"{where}.rv:quads")
    geometry = _geometry(c, raw.get("rv:geometry"), f"{where}.rv:geometry")
    version: Version = {
        "kind": c.choice(raw.get("rv:kind"), f"{where}.rv:kind", (*KINDS, "link")),
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
        "stance": None
        if raw.get("rv:stance") is None
        else c.choice(raw.get("rv:stance"), f"{where}.rv:stance", STANCES),
        "proposal": c.text(raw.get("rv:proposal"), f"{where}.rv:proposal", MAX_TEXT, optional=True),
    }
    if version["kind"] == "link":
        version[LINK_TARGETS] = [
            _link_target(c, t, f"{where}.target[{i}]", source) for i, t in enumerate(other_targets, start=1)
        ]
    return item_id, version


def _link_target(c: _Check, raw: Any, where: str, source: str) -> Version:
    """Another end of a link: a SpecificResource of another document with Reviewer's members."""
    target = c.obj(raw, where, KNOWN["link_target"])
    document = c.text(target.get("source"), f"{where}.source")
    if not SHA256_URN.fullmatch(document) or document == source:
        raise c.fail(f"{where}.source", "must name another document as urn:sha256:<64 hex digits>")
    page, quote_text, text_start, text_end = _selected(c, target, where)
    relation = target.get("rv:relation")
    return clean_version_text(
        {
            "document": document.removeprefix("urn:sha256:"),
            "relation": None if relation is None else c.choice(relation, f"{where}.rv:relation", RELATIONS),
            "page": page,
            "pages": [
                c.integer(p, f"{where}.rv:pages")
                for p in c.lst(target.get("rv:pages"), f"{where}.rv:pages", 10_000)
            ],
            "quote": quote_text,
            "prefix": c.text(target.get("rv:prefix", ""), f"{where}.rv:prefix", MAX_TEXT),
            "suffix": c.text(target.get("rv:suffix", ""), f"{where}.rv:suffix", MAX_TEXT),
            "text_start": text_start,
            "text_end": text_end,
            "quads": _quads(c, target.get("rv:quads"), f"{where}.rv:quads"),
            "geometry": _geometry(c, target.get("rv:geometry"), f"{where}.rv:geometry"),
            "article": c.integer(target.get("rv:article"), f"{where}.rv:article", optional=True),
            "paragraph": c.integer(target.get("rv:paragraph"), f"{where}.rv:paragraph", optional=True),
            "subparagraph": c.text(target.get("rv:subparagraph"), f"{where}.rv:subparagraph", optional=True),
            "item": c.text(target.get("rv:item"), f"{where}.rv:item", optional=True),
            "citation": c.text(target.get("rv:citation"), f"{where}.rv:citation", optional=True),
        }
    )


def _selected(c: _Check, target: dict[str, Any], where: str) -> tuple[int, str, int | None, int | None]:
    """Page (0-based), quote and text offsets of a target's selectors."""
    page: int | None = None
    quote_text = ""
    text_start = text_end = None
    for i, sel in enumerate(c.lst(_as_list(target.get("selector")), f"{where}.selector", 10)):
        sel = c.obj(sel, f"{where}.selector[{i}]", KNOWN["selector"])
        value = c.text(sel.get("value"), f"{where}.selector[{i}].value")
        match = re.fullmatch(r"page=(\d{1,7})", value)
        if sel.get("type") != "FragmentSelector" or not match or int(match.group(1)) < 1:
            raise c.fail(f"{where}.selector[{i}]", "must be a FragmentSelector page=N")
        page = int(match.group(1)) - 1
        refined = sel.get("refinedBy")
        if refined is None:
            continue
        refined = c.obj(refined, f"{where}.selector[{i}].refinedBy", KNOWN["refined"])
        if refined.get("type") == "TextQuoteSelector":
            quote_text = c.text(refined.get("exact"), f"{where}.selector[{i}].refinedBy.exact", MAX_TEXT)
        elif refined.get("type") == "TextPositionSelector":
            text_start = c.integer(refined.get("start"), f"{where}.selector[{i}].refinedBy.start")
            text_end = c.integer(refined.get("end"), f"{where}.selector[{i}].refinedBy.end")
    if page is None:
        raise c.fail(f"{where}.selector", "names no page")
    return page, quote_text, text_start, text_end


def _quads(c: _Check, value: Any, where: str) -> list[dict[str, Any]]:
    quads = []
    for i, q in enumerate(c.lst(value, where, MAX_QUADS)):
        q = c.obj(q, f"{where}[{i}]", KNOWN["quad"])
        points = c.lst(q.get("points"), f"{where}[{i}].points", 8)
        if len(points) != 8:
            raise c.fail(f"{where}[{i}].points", "must hold 8 numbers")
        if all(type(p) is float and -1e7 < p < 1e7 for p in points):  # the common case, fast
            values = list(points)
        else:
            values = [c.number(p, f"{where}[{i}].points") for p in points]
        quads.append({"page": c.integer(q.get("page"), f"{where}[{i}].page"), "points": values})
    return quads


def _geometry(c: _Check, value: Any, where: str) -> dict[str, Any]:
    geometry: dict[str, Any] = {}
    for key, g in c.obj(value, where).items():
        if not key.isdigit() or len(key) > 7:
            raise c.fail(f"{where}", f"has a key that is not a page number ({key[:20]!r})")
        g = c.obj(g, f"{where}.{key}", KNOWN["geometry"])
        boxes = {}
        for box in ("mediabox", "cropbox"):
            values = c.lst(g.get(box), f"{where}.{key}.{box}", 4)
            if len(values) != 4:
                raise c.fail(f"{where}.{key}.{box}", "must hold 4 numbers")
            if all(type(x) is float and -1e7 < x < 1e7 for x in values):
                boxes[box] = list(values)
            else:
                boxes[box] = [c.number(x, f"{where}.{key}.{box}") for x in values]
        rotation = c.integer(g.get("rotation"), f"{where}.{key}.rotation")
        if rotation not in (0, 90, 180, 270):
            raise c.fail(f"{where}.{key}.rotation", "must be 0, 90, 180 or 270")
        geometry[key] = {
            "mediabox": boxes["mediabox"],
            "cropbox": boxes["cropbox"],
            "rotation": rotation,
        }
    return geometry


def _read_pair(c: _Check, raw: Any, where: str, sha: str) -> tuple[str, list[Version], list[str]]:
    """A confirmed concordance pair with its conflicts and history; one end is this document."""
    raw = c.obj(raw, where, KNOWN["concordance"])

    def one(entry: dict[str, Any], at: str) -> tuple[str, Version]:
        creator = c.obj(entry.get("creator"), f"{at}.creator", KNOWN["creator"])
        ends = []
        for side in ("a", "b"):
            end = c.obj(entry.get(side), f"{at}.{side}", KNOWN["concordance_end"])
            source = c.text(end.get("source"), f"{at}.{side}.source")
            if not SHA256_URN.fullmatch(source):
                raise c.fail(f"{at}.{side}.source", "must be urn:sha256:<64 hex digits>")
            ends.append(
                (source.removeprefix("urn:sha256:"), c.text(end.get("citation"), f"{at}.{side}.citation"))
            )
        if not ends[0][0] < ends[1][0] or sha not in (ends[0][0], ends[1][0]):
            raise c.fail(at, "must pair this document with another, in document order")
        relation = entry.get("relation")
        version: Version = {
            "a_document_id": ends[0][0],
            "a_citation": ends[0][1],
            "b_document_id": ends[1][0],
            "b_citation": ends[1][1],
            "relation": None if relation is None else c.choice(relation, f"{at}.relation", RELATIONS),
            "author_id": author_id_of(c.text(creator.get("id"), f"{at}.creator.id")),
            "author_name": c.text(creator.get("name"), f"{at}.creator.name"),
            "created": c.date(entry.get("created"), f"{at}.created"),
            "modified": c.date(entry.get("modified"), f"{at}.modified"),
            "revision": c.integer(entry.get("rv:revision"), f"{at}.rv:revision", minimum=1),
            "deleted": c.boolean(entry.get("rv:deleted"), f"{at}.rv:deleted"),
            **_checked_modified_by(c, entry, at),
        }
        return c.urn_uuid(entry.get("id"), f"{at}.id"), clean_version_text(version)

    pair_id, versions, history = _versions_of(c, raw, where, one, KNOWN["concordance"], "pair")
    return pair_id, list(versions), list(history)


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

    item_id, versions, history = _versions_of(c, raw, where, parse, KNOWN["item"], "item")
    return item_id, reply, versions, history


def _versions_of(
    c: _Check,
    raw: dict[str, Any],
    where: str,
    parse: Callable[[dict[str, Any], str], tuple[str, Version]],
    known: Any,
    noun: str,
) -> tuple[str, tuple[Version, ...], tuple[str, ...]]:
    """An item's (or a concordance pair's) id, its versions with the winner first (the entry
    itself, then ``rv:conflicts``) and the version hashes it replaced (``rv:history``)."""
    item_id, winner = parse(raw, where)
    versions = [winner]
    for j, other in enumerate(c.lst(raw.get("rv:conflicts", []), f"{where}.rv:conflicts", MAX_CONFLICTS)):
        at = f"{where}.rv:conflicts[{j}]"
        other_id, version = parse(c.obj(other, at, known), at)
        if other_id != item_id:
            raise c.fail(f"{where}.rv:conflicts[{j}].id", f"differs from the {noun}'s id")
        versions.append(version)
    history = []
    for h in c.lst(raw.get("rv:history", []), f"{where}.rv:history", MAX_HISTORY):
        if not isinstance(h, str) or not HEX_HASH.fullmatch(h):
            raise c.fail(f"{where}.rv:history", "must hold 32-hex-digit version hashes")
        history.append(h)
    return item_id, tuple(versions), tuple(history)


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
    for i, raw_pair in enumerate(c.lst(top.get("rv:concordance", []), "rv:concordance", MAX_CONCORDANCE)):
        pair_id, pair_versions, pair_history = _read_pair(c, raw_pair, f"rv:concordance[{i}]", sha)
        if pair_id in data.concordance:
            raise c.fail(f"rv:concordance[{i}].id", f"urn:uuid:{pair_id} appears twice")
        data.concordance[pair_id] = ItemState.of(CONCORDANCE, pair_id, pair_versions, pair_history)
    if top.get("rv:coverage") is not None:
        data.coverage = read_coverage(top["rv:coverage"], c.fail)
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
