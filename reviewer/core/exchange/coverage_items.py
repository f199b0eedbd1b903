"""Reviewed marks and assignments in a review file: the ``rv:coverage`` list of its header.

Each entry is one item (a mark or an assignment, known by its id) with its head versions and
the hashes of the versions they replaced, merged by ``versions.ItemState`` like annotations.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from reviewer.core.exchange.review_file_format import (
    CANONICAL_URN_UUID,
    DATE_TIME,
    HEX_HASH,
    MAX_CONFLICTS,
    MAX_HISTORY,
    MAX_ITEMS,
    MAX_SHORT,
    _int_ok,
    _text_ok,
)
from reviewer.core.exchange.versions import ASSIGNMENT, FIELDS, MARK, ItemState, ReviewData, Version
from reviewer.core.plain_text import clean_text

TYPES = {MARK: "rv:ArticleMark", ASSIGNMENT: "rv:ArticleAssignment"}
KINDS_OF_TYPE = {v: k for k, v in TYPES.items()}
ENTRY_KEYS = frozenset(["id", "type", "rv:versions", "rv:history"])


def coverage_json(data: ReviewData) -> list[dict[str, Any]]:
    """The entries in a stable order: kind, article, id."""
    states = sorted(data.coverage.values(), key=lambda s: (s.kind, int(s.winner["article"]), s.id))
    return [
        {
            "id": f"urn:uuid:{s.id}",
            "type": TYPES[s.kind],
            "rv:versions": [{k: v.get(k) for k in FIELDS[s.kind]} for v in [s.winner, *s.conflicts]],
            "rv:history": sorted(s.history),
        }
        for s in states
    ]


Fail = Callable[[str, str], Exception]


def read_coverage(raw: Any, fail: Fail) -> dict[str, ItemState]:
    """Checked items of an ``rv:coverage`` value (absent: none)."""
    if raw is None:
        return {}
    if type(raw) is not list or len(raw) > MAX_ITEMS:
        raise fail("rv:coverage", f"must be a list of at most {MAX_ITEMS} entries")
    out: dict[str, ItemState] = {}
    for i, entry in enumerate(raw):
        where = f"rv:coverage[{i}]"
        if type(entry) is not dict or not set(entry) <= ENTRY_KEYS:
            raise fail(where, f"must be an object with only {', '.join(sorted(ENTRY_KEYS))}")
        kind = KINDS_OF_TYPE.get(entry.get("type"))  # type: ignore[arg-type]
        if kind is None:
            raise fail(f"{where}.type", f"must be {' or '.join(TYPES.values())}")
        item = entry.get("id")
        if type(item) is not str or not CANONICAL_URN_UUID.fullmatch(item):
            raise fail(f"{where}.id", "must be a urn:uuid")
        versions = entry.get("rv:versions")
        if type(versions) is not list or not 1 <= len(versions) <= MAX_CONFLICTS:
            raise fail(f"{where}.rv:versions", f"must list 1 to {MAX_CONFLICTS} versions")
        history = entry.get("rv:history", [])
        if (
            type(history) is not list
            or len(history) > MAX_HISTORY
            or not all(type(h) is str and HEX_HASH.fullmatch(h) for h in history)
        ):
            raise fail(f"{where}.rv:history", "must be a list of version hashes")
        item_id = item[9:]
        if item_id in out:
            raise fail(f"{where}.id", f"{item} appears twice")
        checked = [_version(kind, v, f"{where}.rv:versions[{j}]", fail) for j, v in enumerate(versions)]
        out[item_id] = ItemState.of(kind, item_id, checked, history)
    return out


def _version(kind: str, raw: Any, where: str, fail: Fail) -> Version:
    fields = FIELDS[kind]
    if type(raw) is not dict or set(raw) != set(fields):
        raise fail(where, f"must hold exactly {', '.join(fields)}")
    if not _int_ok(raw["article"]) or not _int_ok(raw["revision"], 1):
        raise fail(where, "article and revision must be whole numbers (revision from 1)")
    if not (_text_ok(raw["modified"], MAX_SHORT) and DATE_TIME.fullmatch(raw["modified"])):
        raise fail(f"{where}.modified", "must be a date and time")
    texts = (
        ("reviewer_id", "reviewer_name")
        if kind == MARK
        else ("assignee", "modified_by_id", "modified_by_name")
    )
    version = dict(raw)
    for key in texts:
        value = raw[key]
        if value is None and kind == ASSIGNMENT:
            continue
        if not _text_ok(value, MAX_SHORT):
            raise fail(f"{where}.{key}", "must be a string" + ("" if kind == MARK else " or null"))
        version[key] = clean_text(value, one_line=True)
    if kind == MARK and type(raw["reviewed"]) is not bool:
        raise fail(f"{where}.reviewed", "must be true or false")
    return version
