"""Versions of annotations and replies, and the merge of what teammates hold.

Every annotation or reply is an *item* known by its id. One state of an item is a *version*
(a plain dict of its fields); a version is named by a hash of its content and revision (not of
its ``modified`` time, so that two people making the same edit agree). Alongside its versions an
item carries a *history*: the hashes of versions that some newer version replaced.

The merge of two states is a set union followed by dropping every version named in the history:
commutative, associative and idempotent by construction. What is left are the *heads*. One head
wins (highest revision, then latest ``modified``, then highest hash); the other heads are
conflicts, kept until a person resolves them (resolution writes a new revision whose history
names every head).
"""

from __future__ import annotations

import hashlib
import json
import operator
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

Version = dict[str, Any]

ANNOTATION = "annotation"
REPLY = "reply"

ANNOTATION_FIELDS = [
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
    "citation",
]
REPLY_FIELDS = [
    "annotation_id",
    "author_id",
    "author_name",
    "created",
    "modified",
    "revision",
    "comment",
    "deleted",
]
FIELDS = {ANNOTATION: ANNOTATION_FIELDS, REPLY: REPLY_FIELDS}
HASH_EXCLUDED = frozenset({"modified"})


# check_circular=False: versions come from JSON or database rows, never circular; the
# per-container bookkeeping it saves is a tenth of hashing a version.
_CANONICAL = json.JSONEncoder(ensure_ascii=False, sort_keys=True, separators=(",", ":"), check_circular=False)


def canonical_json(value: Any) -> str:
    return _CANONICAL.encode(value)


_HASHED = {kind: tuple(k for k in fields if k not in HASH_EXCLUDED) for kind, fields in FIELDS.items()}
_HASHED_VALUES = {kind: operator.itemgetter(*keys) for kind, keys in _HASHED.items()}


def version_hash(kind: str, version: Mapping[str, Any]) -> str:
    """The name of a version: its content and revision, not its ``modified`` time."""
    keys = _HASHED[kind]
    try:  # every field present (what reading a file makes): one C call for the values
        content = dict(zip(keys, _HASHED_VALUES[kind](version), strict=True))
    except KeyError:
        content = {k: version.get(k) for k in keys}
    content["@kind"] = kind
    return hashlib.sha256(canonical_json(content).encode("utf-8")).hexdigest()[:32]


def winner_key(kind: str, version: Mapping[str, Any]) -> tuple[int, str, str]:
    return (int(version["revision"]), str(version["modified"]), version_hash(kind, version))


@dataclass
class ItemState:
    """What is known of one item: its head versions (by hash) and the hashes they replaced."""

    kind: str
    id: str
    versions: dict[str, Version] = field(default_factory=dict)
    history: set[str] = field(default_factory=set)

    @classmethod
    def of(
        cls, kind: str, item_id: str, versions: Iterable[Version], history: Iterable[str] = ()
    ) -> ItemState:
        state = cls(kind, item_id, history=set(history))
        for version in versions:
            state._add(version)
        state._prune()
        return state

    def _add(self, version: Version, name: str | None = None) -> None:
        name = name or version_hash(self.kind, version)
        held = self.versions.get(name)
        # The same edit made twice differs only in ``modified`` (the hash covers everything
        # else): keep the later one, so that every merge order keeps the same.
        if held is None or str(version["modified"]) > str(held["modified"]):
            self.versions[name] = version

    def _prune(self) -> None:
        doomed = [n for n in self.versions if n in self.history]
        if len(doomed) == len(self.versions) and doomed:
            # Only hostile files make every version a predecessor of another: keep the newest.
            doomed.remove(
                max(
                    doomed,
                    key=lambda n: (
                        int(self.versions[n]["revision"]),
                        str(self.versions[n]["modified"]),
                        n,
                    ),
                )
            )
        for name in doomed:
            del self.versions[name]

    def join(self, other: ItemState) -> ItemState:
        if other.kind != self.kind or other.id != self.id:
            raise ValueError("cannot join different items")
        joined = ItemState(self.kind, self.id, dict(self.versions), self.history | other.history)
        for name, version in other.versions.items():
            joined._add(version, name)
        joined._prune()
        return joined

    @property
    def winner_hash(self) -> str:
        versions = self.versions
        if len(versions) == 1:
            return next(iter(versions))
        return max(versions, key=lambda n: (int(versions[n]["revision"]), str(versions[n]["modified"]), n))

    @property
    def winner(self) -> Version:
        return self.versions[self.winner_hash]

    @property
    def conflict_hashes(self) -> list[str]:
        """The heads that lost, sorted by hash so that output does not depend on merge order."""
        win = self.winner_hash
        return sorted(n for n in self.versions if n != win)

    @property
    def conflicts(self) -> list[Version]:
        return [self.versions[n] for n in self.conflict_hashes]

    def resolved(self, chosen: Version, now: str) -> ItemState:
        """A new revision with ``chosen``'s content that supersedes every head."""
        new = dict(chosen)
        new["revision"] = max(int(v["revision"]) for v in self.versions.values()) + 1
        new["modified"] = now
        return ItemState.of(self.kind, self.id, [new], self.history | set(self.versions))


@dataclass
class TagDefinition:
    name: str
    color: str
    definition: str

    def key(self) -> tuple[str, str, str]:
        return (self.name, self.color, self.definition)


@dataclass
class DocumentIdentity:
    sha256: str
    pdf_id: str | None
    title: str
    page_count: int


class DifferentDocuments(ValueError):
    pass


@dataclass
class ReviewData:
    """Everything a review file holds, independent of how it is written."""

    document: DocumentIdentity
    tags: dict[str, TagDefinition] = field(default_factory=dict)  # key: casefolded name
    annotations: dict[str, ItemState] = field(default_factory=dict)
    replies: dict[str, ItemState] = field(default_factory=dict)

    def join(self, other: ReviewData) -> ReviewData:
        if other.document.sha256 != self.document.sha256:
            raise DifferentDocuments(
                f"is a review of another document ({other.document.title!r}, "
                f"sha256 {other.document.sha256[:12]}…, not {self.document.sha256[:12]}…)"
            )
        a, b = self.document, other.document
        document = DocumentIdentity(
            a.sha256,
            max((x for x in (a.pdf_id, b.pdf_id) if x), default=None),
            max(a.title, b.title),
            max(a.page_count, b.page_count),
        )
        tags = dict(self.tags)
        for key, tag in other.tags.items():
            if key not in tags or tag.key() > tags[key].key():
                tags[key] = tag
        return ReviewData(
            document,
            tags,
            _join_items(self.annotations, other.annotations),
            _join_items(self.replies, other.replies),
        )

    def conflict_count(self) -> int:
        return sum(len(s.versions) - 1 for s in (*self.annotations.values(), *self.replies.values()))


def _join_items(left: dict[str, ItemState], right: dict[str, ItemState]) -> dict[str, ItemState]:
    out = dict(left)
    for item_id, state in right.items():
        held = out.get(item_id)
        out[item_id] = state if held is None else held.join(state)
    return out


def merge_all(items: Iterable[ReviewData]) -> ReviewData:
    result: ReviewData | None = None
    for data in items:
        result = data if result is None else result.join(data)
    if result is None:
        raise ValueError("nothing to merge")
    return result
