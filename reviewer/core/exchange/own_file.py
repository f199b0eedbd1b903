"""A reviewer's own file in the team folder, rebuilt from what changed since it was written.

Writing the whole review (every annotation made into a version, named, and written) costs
seconds at 10,000 annotations; after one edit, one line of the file differs. Triggers mark
each item whose line may have changed (``sync_dirty``, see store m0009); the file's order comes
from a cheap query; every other line is taken from the file as it was written. The result is
byte for byte what ``review_file.dumps`` writes (tests/team_folder/test_own_file.py holds the
two against each other); when anything is unusual it is simply that.
"""

from __future__ import annotations

import json
import re

from reviewer.core.exchange import review_file
from reviewer.core.exchange.records import (
    _conflict_version,
    _document_identity,
    _state,
    _tag_names,
    annotation_version,
    document_data,
    reply_version,
)
from reviewer.core.exchange.review_file_writer import _annotation_order, _header, _item_line, _j
from reviewer.core.exchange.versions import ANNOTATION, REPLY, ItemState, ReviewData, TagDefinition, Version
from reviewer.core.review import Review

_ITEMS_OPEN = b'"items": [\n'
_ITEMS_CLOSE = b"\n ]"
_LINE_ID = re.compile(rb'\s*\{"@context":"[^"]*","id":"urn:uuid:([0-9a-f-]{36})"')
# Rebuilding more than this share of the items: the whole file is as quick.
_WHOLE_ABOVE = 0.5

Pairs = list[tuple[str, str]]


def own_file_bytes(
    review: Review, document_id: str, previous: bytes | None = None, since: int | None = None
) -> tuple[bytes, Pairs]:
    """The own file's bytes (no private notes) and the versions it carries that may be new.
    ``previous``: the file as written when ``change_counter`` was ``since``."""
    if previous is not None and since is not None:
        rebuilt = _rebuilt(review, document_id, previous, since)
        if rebuilt is not None:
            return rebuilt
    data = document_data(review, document_id, shared_only=True)
    pairs = [(s.id, s.winner_hash) for s in (*data.annotations.values(), *data.replies.values())]
    return review_file.dumps(data).encode("utf-8"), pairs


def _old_lines(previous: bytes) -> dict[str, bytes] | None:
    start = previous.find(_ITEMS_OPEN)
    end = previous.rfind(_ITEMS_CLOSE)
    if start < 0 or end < start:
        return None
    out: dict[str, bytes] = {}
    for piece in previous[start + len(_ITEMS_OPEN) : end].split(b",\n"):
        found = _LINE_ID.match(piece)
        if found is None or not piece.startswith(b"  {"):
            return None
        out[found.group(1).decode("ascii")] = piece[2:]
    return out


def _rebuilt(review: Review, document_id: str, previous: bytes, since: int) -> tuple[bytes, Pairs] | None:
    store = review.store
    dirty = store.dirty_since(since)
    if "*" in dirty:
        return None
    old = _old_lines(previous)
    if old is None:
        return None
    annotations, replies = store.file_order(document_id)
    special = dirty | store.items_with_conflicts(document_id)
    need_annotations = [a[0] for a in annotations if a[0] in special or a[0] not in old]
    need_replies = [r[0] for r in replies if r[0] in special or r[0] not in old]
    total = len(annotations) + len(replies)
    if len(need_annotations) + len(need_replies) > total * _WHOLE_ABOVE:
        return None
    states = _states(review, need_annotations, need_replies)
    if states is None:
        return None
    source = _j(f"urn:sha256:{document_id}")

    def line(item_id: str) -> bytes:
        state = states.get(item_id)
        return _item_line(state, source).encode("utf-8") if state is not None else old[item_id]

    order: list[tuple[tuple[int, int, str, str], str]] = []
    for item_id, page, start, created in annotations:
        state = states.get(item_id)
        key = (
            _annotation_order(state)
            if state is not None
            else (page, -1 if start is None else start, created, item_id)
        )
        order.append((key, item_id))
    replies_of: dict[str, list[tuple[str, str]]] = {}
    for item_id, annotation_id, created in replies:
        state = states.get(item_id)
        if state is not None:
            annotation_id, created = str(state.winner["annotation_id"]), str(state.winner["created"])
        replies_of.setdefault(annotation_id, []).append((created, item_id))
    lines: list[bytes] = []
    for _, item_id in sorted(order):
        lines.append(line(item_id))
        lines.extend(line(reply_id) for _, reply_id in sorted(replies_of.pop(item_id, ())))
    if replies_of:  # a reply whose annotation is not in the file: the whole file decides
        return None
    head = _head(review, document_id, total)
    before, _, after = head.partition('"items": []')
    text = before.encode("utf-8") + b'"items": [\n  ' + b",\n  ".join(lines) + b"\n ]" + after.encode("utf-8")
    pairs = [(s.id, s.winner_hash) for s in states.values()]
    return (text + b"\n" if total else head.encode("utf-8") + b"\n"), pairs


def _states(review: Review, annotation_ids: list[str], reply_ids: list[str]) -> dict[str, ItemState] | None:
    """The items to write anew, as ``document_data`` makes them."""
    store = review.store
    tags = review.tags_by_id()
    rows = []
    for at in range(0, len(annotation_ids), 500):
        rows.extend(store.query_annotations(None, ids=annotation_ids[at : at + 500], include_deleted=True))
    reply_rows = []
    for reply_id in reply_ids:
        row = store.reply_row(reply_id)
        if row is None:
            return None
        reply_rows.append(row)
    ids = [r["id"] for r in rows] + reply_ids
    recorded = store.exchange_versions(ids)
    conflicts: dict[str, list[Version]] = {}
    for c in store.exchange_conflict_rows(item_ids=ids):
        conflicts.setdefault(c["item_id"], []).append(_conflict_version(c))
    states: dict[str, ItemState] = {}
    for r in rows:
        version = annotation_version(r, _tag_names(r, tags))
        states[r["id"]] = _state(ANNOTATION, r["id"], version, recorded, conflicts)
    for r in reply_rows:
        states[r["id"]] = _state(REPLY, r["id"], reply_version(r), recorded, conflicts)
    return states


def _head(review: Review, document_id: str, total: int) -> str:
    """The header as ``review_file.dumps`` writes it: the taxonomy's live tags and the retired
    ones the file's annotations use."""
    tags = review.tags_by_id()
    data = ReviewData(_document_identity(review, document_id))
    for tag in tags.values():
        if not tag.retired:
            data.tags[tag.name.casefold()] = TagDefinition(tag.name, tag.color, tag.definition)
    for tag_id in review.store.tag_ids_in_use(document_id):
        used = tags.get(tag_id)
        if used is not None:
            data.tags[used.name.casefold()] = TagDefinition(used.name, used.color, used.definition)
    return json.dumps(_header(data, [], total), ensure_ascii=False, indent=1, allow_nan=False)
