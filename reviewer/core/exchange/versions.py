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
import operator
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from reviewer.core.jsontext import compact_encoder
from reviewer.core.store import (
    ANNOTATION_COLUMNS,
    ASSIGNMENT_COLUMNS,
    CONCORDANCE_COLUMNS,
    MARK_COLUMNS,
    REPLY_COLUMNS,
)

Version = dict[str, Any]

ANNOTATION = "annotation"
REPLY = "reply"
CONCORDANCE = "concordance"  # a confirmed pair of articles of two documents
# A link's ends after its own (reviewer.core.links): in its versions only, so that every other
# annotation's name stays what files written before links existed say.
LINK_TARGETS = "link_targets"
MARK = "mark"  # a reviewer has finished (or unfinished) an article
ASSIGNMENT = "assignment"  # who reviews an article

# A version holds what its database row holds, but the row's identity (``id``, and an
# annotation's ``document_id``: an item is known by its id alone, a file is of one document).
# An annotation's version also holds its tag names (rows of a table of their own), after
# ``deleted``. Which fields there are decides every version's hash: the list is pinned by
# tests/exchange/test_versions_fields.py, so that a new column changes it knowingly.
_ANNOTATION_ROW_FIELDS = [c for c in ANNOTATION_COLUMNS if c not in ("id", "document_id")]
_TAGS_AT = _ANNOTATION_ROW_FIELDS.index("deleted") + 1
ANNOTATION_FIELDS = [*_ANNOTATION_ROW_FIELDS[:_TAGS_AT], "tags", *_ANNOTATION_ROW_FIELDS[_TAGS_AT:]]
REPLY_FIELDS = [c for c in REPLY_COLUMNS if c != "id"]
CONCORDANCE_FIELDS = [c for c in CONCORDANCE_COLUMNS if c != "id"]
MARK_FIELDS = [c for c in MARK_COLUMNS if c not in ("id", "document_id")]
ASSIGNMENT_FIELDS = [c for c in ASSIGNMENT_COLUMNS if c not in ("id", "document_id")]
FIELDS = {
    ANNOTATION: ANNOTATION_FIELDS,
    REPLY: REPLY_FIELDS,
    CONCORDANCE: CONCORDANCE_FIELDS,
    MARK: MARK_FIELDS,
    ASSIGNMENT: ASSIGNMENT_FIELDS,
}
# Who and when do not name a version: two people making the same edit agree on it. ``item``
# (the roman level of a citation) came later and is read from the citation: files written
# before it name the same versions.
HASH_EXCLUDED = frozenset({"modified", "modified_by_id", "modified_by_name", "item"})
# A position's stance and proposed wording came later still: unset (every other kind of
# annotation) they leave the name a version had before them.
_NAMED_ONLY_WHEN_SET = {"annotation": ("stance", "proposal")}


# check_circular=False: versions come from JSON or database rows, never circular; the
# per-container bookkeeping it saves is a tenth of hashing a version.
canonical_json = compact_encoder(sort_keys=True)


_HASHED = {kind: tuple(k for k in fields if k not in HASH_EXCLUDED) for kind, fields in FIELDS.items()}
_HASHED_VALUES = {kind: operator.itemgetter(*keys) for kind, keys in _HASHED.items()}


def version_hash(kind: str, version: Mapping[str, Any]) -> str:
    """The name of a version: its content and revision, not its ``modified`` time."""
    keys = _HASHED[kind]
    try:  # every field present (what reading a file makes): one C call for the values
        content = dict(zip(keys, _HASHED_VALUES[kind](version), strict=True))
    except KeyError:
        content = {k: version.get(k) for k in keys}
    for optional in _NAMED_ONLY_WHEN_SET.get(kind, ()):
        if content.get(optional) is None:
            content.pop(optional, None)
    content["@kind"] = kind
    targets = version.get(LINK_TARGETS) if kind == ANNOTATION else None
    if targets:
        content[LINK_TARGETS] = targets
    return hashlib.sha256(canonical_json(content).encode("utf-8")).hexdigest()[:32]


def winner_key(kind: str, version: Mapping[str, Any]) -> tuple[int, str, str]:
    return (int(version["revision"]), str(version["modified"]), version_hash(kind, version))


class ItemState:
    """What is known of one item: its head versions (by hash) and the hashes they replaced.

    An item that has one version (nearly every item of a file, and every item only one file
    holds) keeps it *unnamed* until its hash is asked for: naming costs a canonical encoding and
    a SHA-256, and a merge needs names only where versions differ. One version is never dropped
    by the history (see ``_prune``), so leaving it unnamed changes nothing but the time.
    """

    __slots__ = ("kind", "id", "_versions", "_lone", "_dropped", "history")

    def __init__(
        self,
        kind: str,
        id: str,  # noqa: A002 - the item's id, as the field has always been called
        versions: dict[str, Version] | None = None,
        history: set[str] | None = None,
    ) -> None:
        self.kind = kind
        self.id = id
        self._versions: dict[str, Version] = {} if versions is None else versions
        self._lone: Version | None = None
        # Versions the history dropped, with their names: the same objects may come again from
        # other files of a merge (the same text is read once), and need not be named again.
        self._dropped: tuple[tuple[str, Version], ...] = ()
        self.history: set[str] = set() if history is None else history

    def __repr__(self) -> str:
        return f"ItemState({self.kind!r}, {self.id!r}, {self.versions!r}, {self.history!r})"

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, ItemState):
            return NotImplemented
        return (self.kind, self.id, self.versions, self.history) == (
            other.kind,
            other.id,
            other.versions,
            other.history,
        )

    __hash__ = None  # type: ignore[assignment]  # mutable, like the dataclass it was

    @classmethod
    def of(
        cls, kind: str, item_id: str, versions: Iterable[Version], history: Iterable[str] = ()
    ) -> ItemState:
        state = cls(kind, item_id, history=set(history))
        listed = list(versions)
        if len(listed) == 1:
            state._lone = listed[0]
            return state
        for version in listed:
            state._add(version)
        state._prune()
        return state

    @property
    def versions(self) -> dict[str, Version]:
        """The head versions by hash (names an unnamed version first)."""
        lone = self._lone
        if lone is not None:
            self._versions = {version_hash(self.kind, lone): lone}
            self._lone = None
        return self._versions

    def heads(self) -> list[Version]:
        """The head versions, without naming an unnamed one."""
        if self._lone is not None:
            return [self._lone]
        return list(self._versions.values())

    @property
    def head_count(self) -> int:
        return 1 if self._lone is not None else len(self._versions)

    def _add(self, version: Version, name: str | None = None) -> None:
        name = name or version_hash(self.kind, version)
        held = self._versions.get(name)
        # The same edit made twice differs only in ``modified`` (the hash covers everything
        # else): keep the later one, so that every merge order keeps the same.
        if held is None or _made(version) > _made(held):
            self._versions[name] = version

    def _prune(self) -> None:
        versions = self._versions
        dropped = list(self._dropped)
        doomed = [n for n in versions if n in self.history]
        if len(doomed) == len(versions) and doomed:
            # Only hostile files make every version a predecessor of another: keep the newest.
            doomed.remove(
                max(
                    doomed,
                    key=lambda n: (int(versions[n]["revision"]), str(versions[n]["modified"]), n),
                )
            )
        for name in doomed:
            dropped.append((name, versions.pop(name)))
        self._dropped = tuple(dropped)

    def _named(self, other: ItemState) -> dict[str, Version]:
        """This state's versions by hash; an unnamed version that ``other`` holds or dropped
        (the very same object, read from the same text) takes its name from there."""
        lone = self._lone
        if lone is not None:
            for name, version in (*other._versions.items(), *other._dropped):
                if version is lone:
                    return {name: lone}
        return self.versions

    def join(self, other: ItemState) -> ItemState:
        if other.kind != self.kind or other.id != self.id:
            raise ValueError("cannot join different items")
        if self._lone is not None and self._lone is other._lone:
            # The same version object on both sides (one line of text read once, see
            # review_file.read): the union is that version; one version is never pruned.
            if other.history <= self.history:
                return self
            if self.history <= other.history:
                return other
            joined = ItemState(self.kind, self.id, history=self.history | other.history)
            joined._lone = self._lone
            return joined
        mine = self._named(other)
        theirs = other._named(self)
        joined = ItemState(self.kind, self.id, dict(mine), self.history | other.history)
        joined._dropped = self._dropped + other._dropped
        for name, version in theirs.items():
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
        if self._lone is not None:
            return self._lone
        return self.versions[self.winner_hash]

    @property
    def conflict_hashes(self) -> list[str]:
        """The heads that lost, sorted by hash so that output does not depend on merge order."""
        if self._lone is not None:
            return []
        win = self.winner_hash
        return sorted(n for n in self._versions if n != win)

    @property
    def conflicts(self) -> list[Version]:
        if self._lone is not None:
            return []
        return [self._versions[n] for n in self.conflict_hashes]

    def resolved(self, chosen: Version, now: str) -> ItemState:
        """A new revision with ``chosen``'s content that supersedes every head."""
        versions = self.versions
        new = dict(chosen)
        new["revision"] = max(int(v["revision"]) for v in versions.values()) + 1
        new["modified"] = now
        return ItemState.of(self.kind, self.id, [new], self.history | set(versions))


def _made(version: Version) -> tuple[str, str, str]:
    """When and by whom: the same edit made twice keeps the later one, then the one whose
    editor sorts last, whatever the merge order."""
    return (
        str(version["modified"]),
        str(version.get("modified_by_id") or ""),
        str(version.get("modified_by_name") or ""),
    )


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
    concordance: dict[str, ItemState] = field(default_factory=dict)  # pairs naming this document
    # Reviewed marks and assignments (kinds MARK, ASSIGNMENT): merged like annotations; the
    # winner of concurrent versions is taken (an import records the others as replaced).
    coverage: dict[str, ItemState] = field(default_factory=dict)

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
            _join_items(self.concordance, other.concordance),
            _join_items(self.coverage, other.coverage),
        )

    def conflict_count(self) -> int:
        return sum(
            s.head_count - 1
            for s in (*self.annotations.values(), *self.replies.values(), *self.concordance.values())
        )


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
