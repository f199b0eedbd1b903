"""Conflicts left by merges: listing them and resolving one (one undoable change)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from reviewer.core import operations as ops
from reviewer.core.errors import ReviewerError
from reviewer.core.exchange.records import (
    _conflict_version,
    _tag_names,
    annotation_row,
    annotation_version,
    concordance_row,
    concordance_version,
    link_target_rows,
    reply_row,
    reply_version,
)
from reviewer.core.exchange.versions import (
    ANNOTATION,
    CONCORDANCE,
    ItemState,
    Version,
    version_hash,
)
from reviewer.core.review import Review
from reviewer.core.store import Snapshot
from reviewer.core.timeutil import utc_now


@dataclass(frozen=True)
class Conflict:
    item_id: str
    kind: str
    annotation_id: str
    version: str  # hash of the losing version (a prefix of it names it on the command line)
    revision: int
    modified: str
    author: str  # who made this version (its editor), not the annotation's first author
    comment: str
    winner_revision: int
    winner_modified: str
    winner_author: str  # who made the current version
    winner_comment: str
    author_id: str = ""
    winner_author_id: str = ""
    original_author: str = ""  # the annotation's (or reply's) author

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.item_id,
            "kind": self.kind,
            "annotation": self.annotation_id,
            "version": self.version,
            "revision": self.revision,
            "modified": self.modified,
            "author": self.author,
            "modified_by": {"id": self.author_id, "name": self.author},
            "original_author": self.original_author,
            "comment": self.comment,
            "current": {
                "revision": self.winner_revision,
                "modified": self.winner_modified,
                "author": self.winner_author,
                "modified_by": {"id": self.winner_author_id, "name": self.winner_author},
                "comment": self.winner_comment,
            },
        }


def conflicts(review: Review, document_id: str | None = None) -> list[Conflict]:
    """Versions that lost a merge and wait for a person (``reviewer resolve``)."""
    out = []
    for c in review.store.exchange_conflict_rows(document_id=document_id):
        version = _conflict_version(c)
        if c["item_kind"] == ANNOTATION:
            current = review.store.annotation_row(c["item_id"])
        else:
            current = review.store.reply_row(c["item_id"])
        out.append(
            Conflict(
                item_id=c["item_id"],
                kind=c["item_kind"],
                annotation_id=c["annotation_id"],
                version=c["version_hash"],
                revision=int(c["revision"]),
                modified=c["modified"],
                author=str(version.get("modified_by_name") or c["author_name"]),
                comment=str(version.get("comment", "")),
                winner_revision=int(current["revision"]) if current else 0,
                winner_modified=current["modified"] if current else "",
                winner_author=(current.get("modified_by_name") or current["author_name"]) if current else "",
                winner_comment=current["comment"] if current else "",
                author_id=str(version.get("modified_by_id") or version.get("author_id") or ""),
                winner_author_id=(current.get("modified_by_id") or current["author_id"]) if current else "",
                original_author=str(version.get("author_name") or c["author_name"]),
            )
        )
    return out + _pair_conflicts(review, document_id)


def _pair_words(version: dict[str, Any]) -> str:
    """A concordance pair's version as the conflict list shows it."""
    relation = version.get("relation") or "relation not stated"
    state = " (removed)" if version.get("deleted") else ""
    return f"{version['a_citation']} = {version['b_citation']}: {relation}{state}"


def _pair_conflicts(review: Review, document_id: str | None) -> list[Conflict]:
    """Confirmed concordance pairs whose concurrent versions lost a merge."""
    store = review.store
    if document_id is None:
        return []
    pairs = {r["id"]: r for r in store.concordance_of_document(document_id)}
    out = []
    for c in store.concordance_conflict_rows(list(pairs)):
        version = _conflict_version(c)
        current = pairs[c["item_id"]]
        out.append(
            Conflict(
                item_id=c["item_id"],
                kind=CONCORDANCE,
                annotation_id=c["item_id"],
                version=c["version_hash"],
                revision=int(version["revision"]),
                modified=str(version["modified"]),
                author=str(version.get("modified_by_name") or version["author_name"]),
                comment=_pair_words(version),
                winner_revision=int(current["revision"]),
                winner_modified=current["modified"],
                winner_author=current.get("modified_by_name") or current["author_name"],
                winner_comment=_pair_words(concordance_version(current)),
                author_id=str(version.get("modified_by_id") or version.get("author_id") or ""),
                winner_author_id=current.get("modified_by_id") or current["author_id"],
                original_author=str(version["author_name"]),
            )
        )
    return out


def resolve(review: Review, item_id: str, keep: str) -> ops.Change:
    """Settle an item's conflict: ``keep`` is ``mine`` (the current version), ``theirs`` (the one
    other version) or a version hash prefix. Writes a new revision that supersedes every version."""
    store = review.store
    rows = store.exchange_conflict_rows(item_ids=[item_id])
    if not rows:
        pair_rows = store.concordance_conflict_rows([item_id.removeprefix("urn:uuid:")])
        if pair_rows or _pair_prefix(review, item_id):
            return _resolve_pair(review, _pair_prefix(review, item_id) or pair_rows[0]["item_id"], keep)
    if not rows:
        matches = [
            c
            for c in store.exchange_conflict_rows()
            if c["item_id"].startswith(item_id.removeprefix("urn:uuid:"))
        ]
        ids = sorted({c["item_id"] for c in matches})
        if len(ids) > 1:
            raise ReviewerError(f"id prefix {item_id!r} is ambiguous: give more characters")
        if not ids:
            raise ReviewerError(f"{item_id} has no conflict to resolve (see 'reviewer list PDF --conflicts')")
        item_id = ids[0]
        rows = store.exchange_conflict_rows(item_ids=[item_id])
    kind = rows[0]["item_kind"]
    tags = review.tags_by_id()
    if kind == ANNOTATION:
        found = store.query_annotations(None, ids=[item_id], include_deleted=True)
        current = annotation_version(found[0], _tag_names(found[0], tags))
        document_id = found[0]["document_id"]
    else:
        reply = store.reply_row(item_id)
        assert reply is not None
        current = reply_version(reply)
        document_id = rows[0]["document_id"]
    others = {c["version_hash"]: _conflict_version(c) for c in rows}
    if keep == "mine":
        chosen = current
    elif keep == "theirs":
        if len(others) != 1:
            names = ", ".join(h[:8] for h in sorted(others))
            raise ReviewerError(f"{item_id} has {len(others)} other versions: name one ({names})")
        chosen = next(iter(others.values()))
    else:
        picked = [h for h in others if h.startswith(keep)]
        if len(picked) != 1:
            names = ", ".join(h[:8] for h in sorted(others))
            raise ReviewerError(f"no single version {keep!r} of {item_id} ({names}; mine; theirs)")
        chosen = others[picked[0]]
    recorded = store.exchange_versions([item_id]).get(item_id, set())
    own = version_hash(kind, current)
    heads = {version_hash(kind, v): v for v in (current, *others.values())}
    state = ItemState(kind, item_id, heads, recorded - set(heads) - {own})
    new_state = state.resolved(chosen, utc_now())
    winner = new_state.winner
    winner["modified_by_id"], winner["modified_by_name"] = review.identity.id, review.identity.name
    target = Snapshot()
    if kind == ANNOTATION:
        target.annotations[item_id] = annotation_row(item_id, document_id, winner)
        ids = []
        for name in winner["tags"]:
            tag = store.tag_by_name(name)
            if tag is None:
                raise ReviewerError(f"tag {name!r} of the chosen version no longer exists; add it first")
            ids.append(tag["id"])
        target.annotation_tags[item_id] = tuple(dict.fromkeys(ids))
        if winner["kind"] == "link":
            target.link_targets[item_id] = link_target_rows(winner)
    else:
        target.replies[item_id] = reply_row(item_id, winner)
    with store.transaction():
        change = review.apply(ops.ReplaceRows("Resolve conflict", target))
        store.exchange_replace(item_id, sorted(new_state.history | {new_state.winner_hash}), [])
    return change


def _pair_prefix(review: Review, text: str) -> str | None:
    """The concordance pair with a conflict whose id starts with ``text`` (None: no such pair)."""
    prefix = text.removeprefix("urn:uuid:")
    if len(prefix) < 4:
        return None
    ids = review.store.concordance_conflict_ids_with_prefix(prefix)
    if len(ids) > 1:
        raise ReviewerError(f"id prefix {text!r} is ambiguous: give more characters")
    return ids[0] if ids else None


def _chosen(item_id: str, keep: str, current: Version, others: dict[str, Version]) -> Version:
    if keep == "mine":
        return current
    if keep == "theirs":
        if len(others) != 1:
            names = ", ".join(h[:8] for h in sorted(others))
            raise ReviewerError(f"{item_id} has {len(others)} other versions: name one ({names})")
        return next(iter(others.values()))
    picked = [h for h in others if h.startswith(keep)]
    if len(picked) != 1:
        names = ", ".join(h[:8] for h in sorted(others))
        raise ReviewerError(f"no single version {keep!r} of {item_id} ({names}; mine; theirs)")
    return others[picked[0]]


def _resolve_pair(review: Review, item_id: str, keep: str) -> ops.Change:
    """Settle a confirmed pair's conflict, as ``resolve`` does an annotation's."""
    store = review.store
    row = store.concordance_row(item_id)
    if row is None:
        raise ReviewerError(f"{item_id} has no conflict to resolve")
    current = concordance_version(row)
    others = {c["version_hash"]: _conflict_version(c) for c in store.concordance_conflict_rows([item_id])}
    chosen = _chosen(item_id, keep, current, others)
    recorded = store.exchange_versions([item_id]).get(item_id, set())
    own = version_hash(CONCORDANCE, current)
    heads = {version_hash(CONCORDANCE, v): v for v in (current, *others.values())}
    state = ItemState(CONCORDANCE, item_id, heads, recorded - set(heads) - {own})
    new_state = state.resolved(chosen, utc_now())
    winner = new_state.winner
    winner["modified_by_id"], winner["modified_by_name"] = review.identity.id, review.identity.name
    target = Snapshot(concordance={item_id: concordance_row(item_id, winner)})
    with store.transaction():
        change = review.apply(ops.ReplaceRows("Resolve conflict", target))
        store.exchange_replace(item_id, sorted(new_state.history | {new_state.winner_hash}), [])
    return change
