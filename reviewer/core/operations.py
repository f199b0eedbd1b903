"""The one gate for mutations: invertible operations applied in one transaction each.

An operation names the rows it touches and computes, from their current state, what they
become. ``apply`` records both sides in a ``Change``; undo writes the ``before`` side back and
redo the ``after`` side, after checking nothing else changed those rows in between. The GUI
wraps each ``Change`` in a ``QUndoCommand``; an import or a merge is one ``Change``.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from reviewer.core.errors import ReviewerError, UndoConflict
from reviewer.core.model import STATUSES
from reviewer.core.store import (
    ANNOTATION_COLUMNS,
    LOCAL_ANNOTATION_DEFAULTS,
    Row,
    Snapshot,
    SnapshotKeys,
    Store,
)
from reviewer.core.timeutil import utc_now


@dataclass(frozen=True)
class Change:
    label: str
    before: Snapshot
    after: Snapshot

    @property
    def annotation_ids(self) -> list[str]:
        return list(self.after.annotations)


class Operation(Protocol):
    label: str

    def keys(self, store: Store) -> SnapshotKeys: ...

    def compute(self, before: Snapshot) -> Snapshot: ...


def apply(store: Store, operation: Operation, editor: tuple[str, str] | None = None) -> Change:
    """``editor`` (id, name): who makes the change; every annotation or reply row it changes
    records them as ``modified_by`` (a batch computed elsewhere, ``ReplaceRows``, keeps what
    its rows say: an import carries the editors of its versions)."""
    with store.transaction():
        before = store.snapshot(operation.keys(store))
        # compute may edit what it is given; one that only reads it is given ``before`` itself
        # (the copy was a tenth of an import of 10,000 annotations).
        given = before if getattr(operation, "only_reads_before", False) else copy.deepcopy(before)
        after = operation.compute(given)
        if editor is not None and getattr(operation, "stamps_editor", True):
            _stamp_editor(before, after, editor)
        _keep_local_columns(before, after)
        for row in after.annotations.values():
            if row is not None:  # a column the operation did not name is written as NULL
                for column in ANNOTATION_COLUMNS:
                    row.setdefault(column, None)
        store.write(after)
    return Change(operation.label, before, after)


def _keep_local_columns(before: Snapshot, after: Snapshot) -> None:
    """Rows computed from a version (an import) or built new do not say what only this
    database knows (``private``): they keep the row's value, else the column's default, so that
    ``after`` is what the table then holds (undo compares them)."""
    for key, row in after.annotations.items():
        if row is None:
            continue
        old = before.annotations.get(key) or {}
        for column, default in LOCAL_ANNOTATION_DEFAULTS.items():
            if column not in row:
                row[column] = old.get(column, default)


def _stamp_editor(before: Snapshot, after: Snapshot, editor: tuple[str, str]) -> None:
    for rows, old_rows in (
        (after.annotations, before.annotations),
        (after.replies, before.replies),
        (after.concordance, before.concordance),
    ):
        for key, row in rows.items():
            if row is not None and (row != old_rows.get(key) or key not in old_rows):
                row["modified_by_id"], row["modified_by_name"] = editor


def undo(store: Store, change: Change) -> None:
    _swap(store, expected=change.after, target=change.before, label=change.label)


def redo(store: Store, change: Change) -> None:
    _swap(store, expected=change.before, target=change.after, label=change.label)


def _swap(store: Store, *, expected: Snapshot, target: Snapshot, label: str) -> None:
    with store.transaction():
        current = store.snapshot(expected.keys())
        if current != expected:
            raise UndoConflict(f"cannot undo or redo {label!r}: those annotations changed since")
        store.write(target)


def _bump(row: Row, now: str) -> None:
    row["revision"] = int(row["revision"]) + 1
    row["modified"] = now


@dataclass
class CreateAnnotation:
    """``link_targets``: a link's ends after its own row (in other documents)."""

    row: Row
    tag_ids: Sequence[str] = ()
    label: str = "Create annotation"
    link_targets: Sequence[Row] = ()

    def keys(self, store: Store) -> SnapshotKeys:
        links = (self.row["id"],) if self.link_targets else ()
        return SnapshotKeys(annotations=(self.row["id"],), link_targets=links)

    def compute(self, before: Snapshot) -> Snapshot:
        if before.annotations[self.row["id"]] is not None:
            raise ReviewerError(f"annotation {self.row['id']} exists already")
        after = Snapshot(
            annotations={self.row["id"]: dict(self.row)},
            annotation_tags={self.row["id"]: tuple(dict.fromkeys(self.tag_ids))},
        )
        if self.link_targets:
            after.link_targets[self.row["id"]] = tuple(
                dict(t, annotation_id=self.row["id"], position=i) for i, t in enumerate(self.link_targets, 1)
            )
        return after


@dataclass
class PutConcordancePair:
    """Confirm a pair of articles (with a relation), change its relation, or unset it
    (``deleted``: a tombstone, so that the removal reaches teammates)."""

    row: Row  # id, the two ends, relation, deleted; author fields for a new pair
    label: str = "Confirm concordance pair"

    def keys(self, store: Store) -> SnapshotKeys:
        return SnapshotKeys(concordance=(self.row["id"],))

    def compute(self, before: Snapshot) -> Snapshot:
        old = before.concordance[self.row["id"]]
        now = utc_now()
        if old is None:
            if self.row.get("deleted"):
                raise ReviewerError("that pair is not in the confirmed concordance")
            new = dict(self.row, created=now, modified=now, revision=1)
            return Snapshot(concordance={self.row["id"]: new})
        deleted = bool(self.row.get("deleted"))
        relation = old["relation"] if deleted else self.row.get("relation")
        new = dict(old, relation=relation, deleted=int(deleted))
        if new == old:
            return before
        _bump(new, now)
        return Snapshot(concordance={self.row["id"]: new})


@dataclass
class UpdateAnnotation:
    """Comment, status and tags of one annotation; each real change is one new revision."""

    annotation_id: str
    comment: str | None = None
    status: str | None = None
    add_tag_ids: Sequence[str] = ()
    remove_tag_ids: Sequence[str] = ()
    set_tag_ids: Sequence[str] | None = None
    fields: dict[str, Any] | None = None  # anchor fields when an annotation is re-attached
    new_revision: bool = True  # False while the same comment is still being typed
    label: str = "Edit annotation"

    def keys(self, store: Store) -> SnapshotKeys:
        return SnapshotKeys(annotations=(self.annotation_id,))

    def compute(self, before: Snapshot) -> Snapshot:
        row = before.annotations[self.annotation_id]
        if row is None:
            raise ReviewerError(f"no annotation {self.annotation_id}")
        tags = list(before.annotation_tags[self.annotation_id])
        new = dict(row)
        if self.comment is not None:
            new["comment"] = self.comment
        if self.status is not None:
            if self.status not in STATUSES:
                raise ReviewerError(f"unknown status {self.status!r} (use {', '.join(STATUSES)})")
            new["status"] = self.status
        if self.fields:
            new.update(self.fields)
        if self.set_tag_ids is not None:
            tags = list(dict.fromkeys(self.set_tag_ids))
        for tag_id in self.add_tag_ids:
            if tag_id not in tags:
                tags.append(tag_id)
        tags = [t for t in tags if t not in set(self.remove_tag_ids)]
        if new == row and tuple(tags) == before.annotation_tags[self.annotation_id]:
            return before
        if self.new_revision:
            _bump(new, utc_now())
        else:
            new["modified"] = utc_now()
        return Snapshot(
            annotations={self.annotation_id: new}, annotation_tags={self.annotation_id: tuple(tags)}
        )


@dataclass
class DeleteAnnotation:
    """Deletion keeps a tombstone so that it can travel to teammates."""

    annotation_id: str
    label: str = "Delete annotation"

    def keys(self, store: Store) -> SnapshotKeys:
        return SnapshotKeys(annotations=(self.annotation_id,))

    def compute(self, before: Snapshot) -> Snapshot:
        row = before.annotations[self.annotation_id]
        if row is None:
            raise ReviewerError(f"no annotation {self.annotation_id}")
        if row["deleted"]:
            return before
        new = dict(row, deleted=1)
        _bump(new, utc_now())
        return Snapshot(
            annotations={self.annotation_id: new},
            annotation_tags={self.annotation_id: before.annotation_tags[self.annotation_id]},
        )


@dataclass
class AddReply:
    row: Row
    label: str = "Reply"

    def keys(self, store: Store) -> SnapshotKeys:
        return SnapshotKeys(replies=(self.row["id"],))

    def compute(self, before: Snapshot) -> Snapshot:
        return Snapshot(replies={self.row["id"]: dict(self.row)})


@dataclass
class UpdateReply:
    reply_id: str
    comment: str | None = None
    delete: bool = False
    label: str = "Edit reply"

    def keys(self, store: Store) -> SnapshotKeys:
        return SnapshotKeys(replies=(self.reply_id,))

    def compute(self, before: Snapshot) -> Snapshot:
        row = before.replies[self.reply_id]
        if row is None:
            raise ReviewerError(f"no reply {self.reply_id}")
        new = dict(row)
        if self.comment is not None:
            new["comment"] = self.comment
        if self.delete:
            new["deleted"] = 1
        if new == row:
            return before
        _bump(new, utc_now())
        return Snapshot(replies={self.reply_id: new})


@dataclass
class PutTag:
    """Add a tag or change its name, colour, definition, position or retirement."""

    row: Row
    label: str = "Change tag"

    def keys(self, store: Store) -> SnapshotKeys:
        return SnapshotKeys(tags=(self.row["id"],))

    def compute(self, before: Snapshot) -> Snapshot:
        old = before.tags[self.row["id"]]
        new = dict(old or {}, **self.row)
        new["modified"] = utc_now()
        new.setdefault("created", new["modified"])
        return Snapshot(tags={self.row["id"]: new})


@dataclass
class MergeTags:
    """Every annotation tagged ``source`` gets ``target`` instead; ``source`` is retired."""

    source_id: str
    target_id: str
    label: str = "Merge tags"

    def keys(self, store: Store) -> SnapshotKeys:
        return SnapshotKeys(
            annotations=tuple(store.annotation_ids_with_tag(self.source_id)), tags=(self.source_id,)
        )

    def compute(self, before: Snapshot) -> Snapshot:
        now = utc_now()
        after = Snapshot()
        for annotation_id, row in before.annotations.items():
            assert row is not None
            tags = [
                self.target_id if t == self.source_id else t for t in before.annotation_tags[annotation_id]
            ]
            new = dict(row)
            _bump(new, now)
            after.annotations[annotation_id] = new
            after.annotation_tags[annotation_id] = tuple(dict.fromkeys(tags))
        source = before.tags[self.source_id]
        if source is None:
            raise ReviewerError("no such tag")
        after.tags[self.source_id] = dict(source, retired=1, modified=now)
        return after


@dataclass
class SetPrivate:
    """Mark an annotation private (it never leaves this database: not in the team folder, not
    in any export) or shared again. The flag is this database's alone: no new revision, no
    editor stamp, so the versions teammates hold are untouched."""

    annotation_id: str
    private: bool
    label: str = "Make private"
    stamps_editor = False

    def keys(self, store: Store) -> SnapshotKeys:
        return SnapshotKeys(annotations=(self.annotation_id,))

    def compute(self, before: Snapshot) -> Snapshot:
        row = before.annotations[self.annotation_id]
        if row is None:
            raise ReviewerError(f"no annotation {self.annotation_id}")
        if bool(row.get("private")) == self.private:
            return before
        return Snapshot(
            annotations={self.annotation_id: dict(row, private=int(self.private))},
            annotation_tags={self.annotation_id: before.annotation_tags[self.annotation_id]},
        )


@dataclass
class ReplaceRows:
    """A batch computed elsewhere (an import, a carry): one transaction, one undo step.
    Its rows keep the editors they say (an import carries the editors of its versions)."""

    label: str
    target: Snapshot
    check: Callable[[Snapshot], None] | None = None
    stamps_editor = False
    only_reads_before = True  # compute returns ``target``, built elsewhere; tags are tuples

    def keys(self, store: Store) -> SnapshotKeys:
        return self.target.keys()

    def compute(self, before: Snapshot) -> Snapshot:
        if self.check:
            self.check(before)
        for annotation_id in self.target.annotations:
            self.target.annotation_tags.setdefault(
                annotation_id, before.annotation_tags.get(annotation_id, ())
            )
        return self.target
