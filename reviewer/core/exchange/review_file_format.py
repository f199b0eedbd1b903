"""What the review file's writer and readers share: the format's names, limits and identifiers,
and the value checks both read paths use.
"""

from __future__ import annotations

import re
import uuid
from typing import Any, TypeGuard

from reviewer.core.errors import ReviewerError
from reviewer.core.exchange.versions import (
    Version,
)
from reviewer.core.plain_text import clean_text

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


MAX_LINK_ENDS = 20  # targets of one link (two documents today)
MAX_CONCORDANCE = 100_000  # confirmed pairs in one file
SHA256_URN = re.compile(r"urn:sha256:[0-9a-f]{64}")
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
    "rv:stance",
    "rv:proposal",
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
            "rv:concordance",
            "rv:coverage",
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
    "link_target": frozenset(
        [
            "source",
            "selector",
            "type",
            "id",
            "rv:relation",
            "rv:pages",
            "rv:quads",
            "rv:geometry",
            "rv:prefix",
            "rv:suffix",
            "rv:article",
            "rv:paragraph",
            "rv:subparagraph",
            "rv:item",
            "rv:citation",
        ]
    ),
    "concordance": frozenset(
        [
            "id",
            "a",
            "b",
            "relation",
            "creator",
            "created",
            "modified",
            "rv:revision",
            "rv:deleted",
            "rv:modifiedBy",
            "rv:history",
            "rv:conflicts",
        ]
    ),
    "concordance_end": frozenset(["source", "citation"]),
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


# Free text a person wrote, cleaned as every input is (see plain_text.clean_text): after
# reading, so that both readers give the same version and its hash is that of the clean text.
# Only a string holding a control or bidi character (tab and newline included, which one-line
# fields turn into spaces) is cleaned; one C-level search rules out the rest.
_TEXT_FIELDS = (
    ("comment", False),
    ("author_name", True),
    ("modified_by_name", True),
    ("citation", True),
    ("proposal", False),
)


_MAY_NEED_CLEANING = re.compile("[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]").search


def clean_version_text(version: Version) -> Version:
    """``version`` with its comment, names and citation cleaned, in place."""
    for key, one_line in _TEXT_FIELDS:
        value = version.get(key)
        if type(value) is str and _MAY_NEED_CLEANING(value):
            version[key] = clean_text(value, one_line=one_line)
    return version
