"""Import into the database: every format (review file, XFDF, annotated PDF) goes through one
path that merges versions and applies the result as one undoable change.
"""

from __future__ import annotations

import json
import os
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from reviewer.core import operations as ops
from reviewer.core.errors import ReviewerError
from reviewer.core.exchange import review_file
from reviewer.core.exchange.foreign_import import _foreign_data, _markup_of_record
from reviewer.core.exchange.records import (
    COVERAGE_TABLES,
    _conflict_version,
    _tag_names,
    annotation_row,
    annotation_version,
    concordance_row,
    concordance_version,
    coverage_row,
    coverage_version,
    link_target_rows,
    reply_row,
    reply_version,
)
from reviewer.core.exchange.versions import (
    ANNOTATION,
    CONCORDANCE,
    REPLY,
    ItemState,
    ReviewData,
    Version,
    version_hash,
)
from reviewer.core.exchange.xfdf import (
    read_xfdf,
)
from reviewer.core.gcpause import collector_paused
from reviewer.core.pdf import (
    PdfDocument,
    open_pdf,
    read_annotations,
)
from reviewer.core.review import Review
from reviewer.core.store import Row, Snapshot, SnapshotKeys
from reviewer.core.timeutil import utc_now


@dataclass
class ImportResult:
    path: str
    format: str
    document_id: str
    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    conflicts: list[str] = field(default_factory=list)
    skipped: int = 0  # other tools' annotations Reviewer does not import (ink, links, ...)
    change: ops.Change | None = None
    exchange_before: dict[str, tuple[set[str], list[Row]]] = field(default_factory=dict)
    exchange_after: dict[str, tuple[list[str], list[Row]]] = field(default_factory=dict)

    def summary(self) -> dict[str, Any]:
        return {
            "file": self.path,
            "format": self.format,
            "document": self.document_id,
            "added": len(self.added),
            "updated": len(self.updated),
            "unchanged": len(self.unchanged),
            "conflicts": len(self.conflicts),
            "conflict_ids": self.conflicts,
            "skipped": self.skipped,
        }


def sniff_format(path: str) -> str:
    try:
        with open(path, "rb") as handle:
            head = handle.read(1024)
    except OSError as exc:
        raise ReviewerError(f"cannot be read ({exc.strerror})", path=path) from None
    if os.path.isdir(path):
        raise ReviewerError("is a folder", path=path)
    # The name decides when it is clear, so that XML in a .json file is refused as bad JSON.
    name = path.lower()
    if name.endswith(".json"):
        return "review"
    if name.endswith((".xfdf", ".xml")):
        return "xfdf"
    if name.endswith(".pdf"):
        return "pdf"
    if b"%PDF" in head:
        return "pdf"
    stripped = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    if stripped.startswith(b"<"):
        return "xfdf"
    return "review"


def _match_document(
    review: Review,
    path: str,
    sha256: str | None,
    pdf_ids: Sequence[str],
    pdf_path: str | None,
    password: str | None,
) -> tuple[str, PdfDocument | None]:
    """The document a file belongs to: by hash, then PDF /ID, then ``--pdf``."""
    if sha256 and review.store.document(sha256):
        return sha256, None
    for pdf_id in pdf_ids:
        found = review.store.documents_with_pdf_id(pdf_id)
        if found:
            return str(found[0]["id"]), None
    if pdf_path:
        pdf = open_pdf(pdf_path, password)
        info = pdf.info()
        if sha256 and info.sha256 != sha256 and info.pdf_id not in pdf_ids:
            raise ReviewerError(
                f"is a review of another document (sha256 {sha256[:12]}…), not of {pdf_path}",
                path=path,
            )
        return info.sha256, pdf
    if sha256:
        raise ReviewerError(
            f"is a review of a document that is not in the database (sha256 {sha256[:12]}…): "
            "open that PDF once (reviewer info PDF) or give --pdf PDF",
            path=path,
        )
    raise ReviewerError("names no document Reviewer knows: give the PDF with --pdf PDF", path=path)


def import_file(
    review: Review, path: str, *, pdf_path: str | None = None, password: str | None = None
) -> ImportResult:
    """Import one review file, XFDF or annotated PDF; all or nothing."""
    with collector_paused():
        return _import_file(review, path, pdf_path=pdf_path, password=password)


def import_review_data(review: Review, data: ReviewData, path: str, document_id: str) -> ImportResult:
    """Import a review file already read (the team folder reads each file once, to know its
    document before importing it); the document must be in the database. All or nothing."""
    with collector_paused():
        return _import_data(review, data, document_id, None, ImportResult(path, "review", document_id))


def _import_file(
    review: Review, path: str, *, pdf_path: str | None = None, password: str | None = None
) -> ImportResult:
    fmt = sniff_format(path)
    if fmt == "review":
        data = review_file.read(path)
        document_id, pdf = _match_document(
            review,
            path,
            data.document.sha256,
            [data.document.pdf_id] if data.document.pdf_id else [],
            pdf_path,
            password,
        )
        result = ImportResult(path, fmt, document_id)
        if pdf is not None and document_id != data.document.sha256:
            pass  # matched by /ID: the file's versions are kept as they are
        return _import_data(review, data, document_id, pdf, result)
    if fmt == "xfdf":
        parsed = read_xfdf(path)
        document_id, pdf = _match_document(review, path, None, parsed.pdf_ids, pdf_path, password)
        markups = parsed.markups
    else:
        source = open_pdf(path, password)
        info = source.info()
        markups = [_markup_of_record(r) for r in read_annotations(source)]
        if review.store.document(info.sha256):
            document_id, pdf = info.sha256, None
        else:
            try:
                document_id, pdf = _match_document(
                    review, path, None, [info.pdf_id] if info.pdf_id else [], pdf_path, password
                )
            except ReviewerError:
                document_id, pdf = info.sha256, source  # another tool's PDF becomes the document
        # The annotated file holds the same pages and text as the document it annotates.
        result = ImportResult(path, fmt, document_id)
        data, result.skipped = _foreign_data(review, markups, source, document_id, path)
        return _import_data(review, data, document_id, pdf, result)
    text_pdf = pdf or _open_known(review, document_id, path, password)
    result = ImportResult(path, fmt, document_id)
    data, skipped = _foreign_data(review, markups, text_pdf, document_id, path)
    result.skipped = skipped
    return _import_data(review, data, document_id, pdf, result)


def _open_known(review: Review, document_id: str, path: str, password: str | None) -> PdfDocument:
    row = review.store.document(document_id)
    last = row["last_path"] if row else None
    if last and os.path.exists(last):
        pdf = open_pdf(last, password)
        if pdf.info().sha256 == document_id:
            return pdf
    raise ReviewerError(
        "the PDF it annotates is needed to read the quoted text: give it with --pdf PDF", path=path
    )


def _import_data(
    review: Review,
    data: ReviewData,
    document_id: str,
    pdf: PdfDocument | None,
    result: ImportResult,
) -> ImportResult:
    store = review.store
    annotation_ids = list(data.annotations)
    local_rows: dict[str, Row] = {}
    for start in range(0, len(annotation_ids), 500):
        chunk = annotation_ids[start : start + 500]
        for row in store.query_annotations(None, ids=chunk, include_deleted=True):
            local_rows[row["id"]] = row
    for item_id, row in local_rows.items():
        if row["document_id"] != document_id:
            raise ReviewerError(
                f"annotation urn:uuid:{item_id} belongs to another document in the database",
                path=result.path,
            )
    doc_row = store.document(document_id)
    page_count = (
        int(doc_row["page_count"]) if doc_row else (pdf.page_count if pdf else data.document.page_count)
    )
    for state in data.annotations.values():
        for version in state.versions.values():
            pages = [version["page"], *version["pages"], *(q["page"] for q in version["quads"])]
            if max(pages) >= page_count:
                raise ReviewerError(
                    f"annotation urn:uuid:{state.id} is on page {max(pages) + 1}, "
                    f"but the document has {page_count} pages",
                    path=result.path,
                )
    local_replies = {r["id"]: r for row in local_rows.values() for r in row["replies"]}
    reply_ids = list(data.replies)
    for reply_id in reply_ids:
        if reply_id not in local_replies:
            found = store.reply_row(reply_id)
            if found is not None:
                local_replies[reply_id] = found
    for state in data.replies.values():
        for version in state.versions.values():
            parent = version["annotation_id"]
            if (
                parent not in data.annotations
                and parent not in local_rows
                and store.annotation_row(parent) is None
            ):
                raise ReviewerError(
                    f"reply urn:uuid:{state.id} answers an unknown annotation", path=result.path
                )
    pair_ids = list(data.concordance)
    all_ids = annotation_ids + reply_ids + pair_ids
    recorded = store.exchange_versions(all_ids)
    conflict_rows: dict[str, list[Row]] = {}
    for c in store.exchange_conflict_rows(item_ids=all_ids):
        conflict_rows.setdefault(c["item_id"], []).append(c)
    for c in store.concordance_conflict_rows(pair_ids):
        conflict_rows.setdefault(c["item_id"], []).append(dict(c, item_kind=CONCORDANCE))
    conflicts = {k: [_conflict_version(c) for c in v] for k, v in conflict_rows.items()}
    tags = review.tags_by_id()

    # Tags: names map to this database's tags; unknown names become new tags.
    tag_id_of: dict[str, str] = {}
    new_tags: dict[str, Row] = {}
    now = utc_now()
    position = max((t.position for t in tags.values()), default=-1) + 1

    def tag_id(name: str) -> str:
        nonlocal position
        key = name.casefold()
        if key in tag_id_of:
            return tag_id_of[key]
        row = store.tag_by_name(name)
        if row is None:
            from reviewer.core.taxonomy import clean_tag_name

            definition = data.tags.get(key)
            new_id = str(uuid.uuid4())
            new_tags[new_id] = {
                "id": new_id,
                "name": clean_tag_name(name),
                "color": definition.color if definition else "#78909C",
                "definition": definition.definition if definition else "",
                "position": position,
                "retired": 0,
                "created": now,
                "modified": now,
            }
            position += 1
            tag_id_of[key] = new_id
        else:
            tag_id_of[key] = row["id"]
        return tag_id_of[key]

    target = Snapshot()
    exchange_writes: dict[str, tuple[list[str], list[Row]]] = {}

    def merge_item(
        kind: str, item_id: str, incoming: ItemState, local_version: Version | None, parent_of: str
    ) -> Version | None:
        local_hash = version_hash(kind, local_version) if local_version is not None else None
        local_conflicts = conflicts.get(item_id, [])
        held = recorded.get(item_id, set())
        if local_version is not None:
            local_state = ItemState.of(
                kind, item_id, [local_version, *local_conflicts], held - {local_hash or ""}
            )
            joined = local_state.join(incoming)
        else:
            joined = incoming
        winner_hash = joined.winner_hash
        winner = joined.winner
        old_conflicts = {version_hash(kind, v) for v in local_conflicts}
        new_conflicts = set(joined.conflict_hashes)
        new_recorded = set(joined.history) | {winner_hash}
        if local_version is None:
            result.added.append(item_id)
        elif winner_hash != local_hash:
            result.updated.append(item_id)
        elif new_conflicts == old_conflicts:
            result.unchanged.append(item_id)
        if new_conflicts - old_conflicts:
            result.conflicts.append(item_id)
        if new_conflicts != old_conflicts or new_recorded != held:
            rows = []
            for name in joined.conflict_hashes:
                v = joined.versions[name]
                rows.append(
                    {
                        "item_id": item_id,
                        "version_hash": name,
                        "item_kind": kind,
                        "document_id": document_id,
                        "annotation_id": parent_of if kind == REPLY else item_id,
                        "revision": int(v["revision"]),
                        "modified": str(v["modified"]),
                        "author_name": str(v["author_name"]),
                        "data": json.dumps(v, ensure_ascii=False, sort_keys=True),
                    }
                )
            exchange_writes[item_id] = (sorted(new_recorded), rows)
            result.exchange_before[item_id] = (held, conflict_rows.get(item_id, []))
        if local_version is None or winner_hash != local_hash:
            return winner
        return None

    for item_id, incoming in data.annotations.items():
        local_row = local_rows.get(item_id)
        local_annotation = annotation_version(local_row, _tag_names(local_row, tags)) if local_row else None
        winner = merge_item(ANNOTATION, item_id, incoming, local_annotation, item_id)
        if winner is not None:
            target.annotations[item_id] = annotation_row(item_id, document_id, winner)
            target.annotation_tags[item_id] = tuple(dict.fromkeys(tag_id(n) for n in winner["tags"]))
            if winner["kind"] == "link":
                target.link_targets[item_id] = link_target_rows(winner)
    for item_id, incoming in data.replies.items():
        local = local_replies.get(item_id)
        local_version = reply_version(local) if local else None
        parent = str(incoming.winner["annotation_id"])
        winner = merge_item(REPLY, item_id, incoming, local_version, parent)
        if winner is not None:
            target.replies[item_id] = reply_row(item_id, winner)
    local_pairs = store.concordance_rows_by_id(pair_ids)
    for item_id, incoming in data.concordance.items():
        local_pair = local_pairs.get(item_id)
        winner = merge_item(
            CONCORDANCE, item_id, incoming, concordance_version(local_pair) if local_pair else None, item_id
        )
        if winner is not None:
            target.concordance[item_id] = concordance_row(item_id, winner)
    for tag_row_id, tag_row in new_tags.items():
        target.tags[tag_row_id] = tag_row
    _merge_coverage(review, data, document_id, target, exchange_writes, result)
    # Everything is checked: now write, all in one transaction.
    if not (
        target.annotations
        or target.replies
        or target.concordance
        or target.marks
        or target.assignments
        or exchange_writes
    ):
        return result
    with store.transaction():
        if pdf is not None:
            review.register(pdf)
        if store.document(document_id) is None:
            raise ReviewerError("the document is not in the database: give --pdf PDF", path=result.path)
        if (
            target.annotations
            or target.replies
            or target.tags
            or target.concordance
            or target.marks
            or target.assignments
        ):
            label = f"Import {Path(result.path).name}"
            result.change = review.apply(ops.ReplaceRows(label, target))
        store.exchange_replace_many(exchange_writes)
    result.exchange_after = exchange_writes
    return result


def _merge_coverage(
    review: Review,
    data: ReviewData,
    document_id: str,
    target: Snapshot,
    exchange_writes: dict[str, tuple[list[str], list[Row]]],
    result: ImportResult,
) -> None:
    """Reviewed marks and assignments: the winner of the merged versions is kept, and every
    other head is recorded as replaced, so that every order of imports and merges agrees."""
    if not data.coverage:
        return
    store = review.store
    by_kind: dict[str, list[str]] = {}
    for state in data.coverage.values():
        by_kind.setdefault(state.kind, []).append(state.id)
    keys = SnapshotKeys(**{COVERAGE_TABLES[k]: tuple(ids) for k, ids in by_kind.items()})
    local = store.snapshot(keys)
    recorded = store.exchange_versions(list(data.coverage))
    for item_id, incoming in data.coverage.items():
        table = COVERAGE_TABLES[incoming.kind]
        row = getattr(local, table)[item_id]
        if row is not None and row["document_id"] != document_id:
            raise ReviewerError(
                f"{incoming.kind} urn:uuid:{item_id} belongs to another document in the database",
                path=result.path,
            )
        held = recorded.get(item_id, set())
        if row is None:
            joined = incoming
            local_hash = None
        else:
            version = coverage_version(incoming.kind, row)
            local_hash = version_hash(incoming.kind, version)
            joined = ItemState.of(incoming.kind, item_id, [version], held - {local_hash}).join(incoming)
        winner_hash = joined.winner_hash
        replaced = set(joined.history) | set(joined.versions)
        if winner_hash != local_hash:
            getattr(target, table)[item_id] = coverage_row(incoming.kind, item_id, document_id, joined.winner)
            (result.added if row is None else result.updated).append(item_id)
        else:
            result.unchanged.append(item_id)
        if replaced != held:
            exchange_writes[item_id] = (sorted(replaced), [])
            result.exchange_before[item_id] = (held, [])


def undo_import(review: Review, result: ImportResult) -> None:
    """Undo an import (one step), including its merge bookkeeping."""
    with review.store.transaction():
        if result.change is not None:
            review.undo(result.change)
        before = result.exchange_before
        review.store.exchange_replace_many(
            {item_id: (sorted(versions), rows) for item_id, (versions, rows) in before.items()}
        )


def redo_import(review: Review, result: ImportResult) -> None:
    """Redo an undone import (the GUI's QUndoCommand.redo after the first time)."""
    with review.store.transaction():
        if result.change is not None:
            review.redo(result.change)
        review.store.exchange_replace_many(result.exchange_after)


def import_files(
    review: Review,
    paths: Sequence[str],
    *,
    pdf_path: str | None = None,
    password: str | None = None,
) -> list[ImportResult]:
    """Import several files, each all or nothing; stops at the first refused file."""
    return [import_file(review, p, pdf_path=pdf_path, password=password) for p in paths]
