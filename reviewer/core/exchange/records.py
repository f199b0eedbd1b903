"""Database rows as exchange versions and back: the one translation between the store's rows and
what review files, XFDF and merges carry.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from reviewer.core.errors import ReviewerError
from reviewer.core.exchange.versions import (
    ANNOTATION,
    ASSIGNMENT,
    CONCORDANCE,
    FIELDS,
    LINK_TARGETS,
    MARK,
    REPLY,
    DocumentIdentity,
    ItemState,
    ReviewData,
    TagDefinition,
    Version,
    version_hash,
)
from reviewer.core.model import Tag
from reviewer.core.pdf import (
    PdfDocument,
)
from reviewer.core.review import Filters, Review
from reviewer.core.store import Row, dumps

# Where an annotation sits, in the text and on its pages (as _anchor_from_quads finds it): what
# an import keeps of the database's version when a markup comes back with the same quads.
POSITION_FIELDS = (
    "page",
    "pages",
    "quote",
    "prefix",
    "suffix",
    "text_start",
    "text_end",
    "quads",
    "geometry",
)


def _float_list(values: Iterable[Any]) -> list[float]:
    return [float(v) for v in values]


def _geometry(text: str) -> dict[str, Any]:
    return {
        str(k): {
            "mediabox": _float_list(g["mediabox"]),
            "cropbox": _float_list(g["cropbox"]),
            "rotation": int(g["rotation"]),
        }
        for k, g in json.loads(text).items()
    }


def _quads(text: str) -> list[dict[str, Any]]:
    return [{"page": int(q["page"]), "points": _float_list(q["points"])} for q in json.loads(text)]


def link_target_version(row: Row) -> Version:
    """One end of a link after its own, as versions carry it (``document``: its sha256)."""
    return {
        "document": row["document_id"],
        "relation": row["relation"],
        "page": int(row["page"]),
        "pages": [int(p) for p in json.loads(row["pages"])],
        "quote": row["quote"],
        "prefix": row["prefix"],
        "suffix": row["suffix"],
        "text_start": row["text_start"],
        "text_end": row["text_end"],
        "quads": _quads(row["quads"]),
        "geometry": _geometry(row["geometry"]),
        "article": row["article"],
        "paragraph": row["paragraph"],
        "subparagraph": row["subparagraph"],
        "item": row["item"],
        "citation": row["citation"],
    }


def link_target_rows(v: Version) -> tuple[Row, ...]:
    """The ``link_targets`` rows of a link's version."""
    return tuple(
        {
            **{k: t[k] for k in t if k not in ("document", "pages", "quads", "geometry")},
            "document_id": t["document"],
            "position": i,
            "pages": dumps(t["pages"]),
            "quads": dumps(t["quads"]),
            "geometry": dumps(t["geometry"]),
        }
        for i, t in enumerate(v.get(LINK_TARGETS) or (), start=1)
    )


def annotation_version(row: Row, tag_names: Sequence[str]) -> Version:
    """The exchange view of an annotation row (JSON columns decoded, numbers normalized)."""
    version = _annotation_version(row, tag_names)
    if row["kind"] == "link":
        version[LINK_TARGETS] = [link_target_version(t) for t in row.get("link_targets") or ()]
    return version


def _annotation_version(row: Row, tag_names: Sequence[str]) -> Version:
    geometry = _geometry(row["geometry"])
    return {
        "kind": row["kind"],
        "author_id": row["author_id"],
        "author_name": row["author_name"],
        "created": row["created"],
        "modified": row["modified"],
        "revision": int(row["revision"]),
        "page": int(row["page"]),
        "pages": [int(p) for p in json.loads(row["pages"])],
        "quote": row["quote"],
        "prefix": row["prefix"],
        "suffix": row["suffix"],
        "text_start": row["text_start"],
        "text_end": row["text_end"],
        "quads": _quads(row["quads"]),
        "geometry": geometry,
        "comment": row["comment"],
        "status": row["status"],
        "deleted": bool(row["deleted"]),
        "tags": list(tag_names),
        "origin_id": row["origin_id"],
        "anchor": row["anchor"],
        "anchor_score": None if row["anchor_score"] is None else float(row["anchor_score"]),
        "article": row["article"],
        "paragraph": row["paragraph"],
        "subparagraph": row["subparagraph"],
        "item": row.get("item"),
        "citation": row["citation"],
        "modified_by_id": row.get("modified_by_id"),
        "modified_by_name": row.get("modified_by_name"),
        "stance": row.get("stance"),
        "proposal": row.get("proposal"),
    }


def _tag_names(row: Row, tags: Mapping[str, Tag]) -> list[str]:
    """The names of an annotation row's tags (``tags``: ``Review.tags_by_id()``), in its order."""
    return [tags[t].name for t in row["tag_ids"] if t in tags]


def reply_version(row: Row) -> Version:
    return {
        "annotation_id": row["annotation_id"],
        "author_id": row["author_id"],
        "author_name": row["author_name"],
        "created": row["created"],
        "modified": row["modified"],
        "revision": int(row["revision"]),
        "comment": row["comment"],
        "deleted": bool(row["deleted"]),
        "modified_by_id": row.get("modified_by_id"),
        "modified_by_name": row.get("modified_by_name"),
    }


def coverage_version(kind: str, row: Row) -> Version:
    """A reviewed mark's or an assignment's row as a version (``reviewed`` a boolean)."""
    version = {k: row[k] for k in FIELDS[kind]}
    if kind == MARK:
        version["reviewed"] = bool(row["reviewed"])
    return version


def coverage_row(kind: str, item_id: str, document_id: str, v: Version) -> Row:
    row = {"id": item_id, "document_id": document_id, **{k: v[k] for k in FIELDS[kind]}}
    if kind == MARK:
        row["reviewed"] = int(v["reviewed"])
    return row


COVERAGE_TABLES = {MARK: "marks", ASSIGNMENT: "assignments"}  # the Snapshot fields


def annotation_row(item_id: str, document_id: str, v: Version) -> Row:
    return {
        "id": item_id,
        "document_id": document_id,
        **{k: v[k] for k in v if k not in ("tags", "pages", "quads", "geometry", "deleted", LINK_TARGETS)},
        "pages": dumps(v["pages"]),
        "quads": dumps(v["quads"]),
        "geometry": dumps(v["geometry"]),
        "deleted": int(v["deleted"]),
    }


def reply_row(item_id: str, v: Version) -> Row:
    return {"id": item_id, **{k: v[k] for k in v if k != "deleted"}, "deleted": int(v["deleted"])}


def concordance_version(row: Row) -> Version:
    return {
        "a_document_id": row["a_document_id"],
        "a_citation": row["a_citation"],
        "b_document_id": row["b_document_id"],
        "b_citation": row["b_citation"],
        "relation": row["relation"],
        "author_id": row["author_id"],
        "author_name": row["author_name"],
        "created": row["created"],
        "modified": row["modified"],
        "revision": int(row["revision"]),
        "deleted": bool(row["deleted"]),
        "modified_by_id": row.get("modified_by_id"),
        "modified_by_name": row.get("modified_by_name"),
    }


def concordance_row(item_id: str, v: Version) -> Row:
    return {"id": item_id, **{k: v[k] for k in v if k != "deleted"}, "deleted": int(v["deleted"])}


def concordance_states(review: Review, document_id: str) -> dict[str, ItemState]:
    """The confirmed pairs with an article of the document, with their history and conflicts."""
    rows = review.store.concordance_of_document(document_id)
    ids = [r["id"] for r in rows]
    recorded = review.store.exchange_versions(ids)
    conflicts: dict[str, list[Version]] = {}
    for c in review.store.concordance_conflict_rows(ids):
        conflicts.setdefault(c["item_id"], []).append(_conflict_version(c))
    return {r["id"]: _state(CONCORDANCE, r["id"], concordance_version(r), recorded, conflicts) for r in rows}


def _document_identity(review: Review, document_id: str) -> DocumentIdentity:
    row = review.store.document(document_id)
    if row is None:
        raise ReviewerError(f"document {document_id[:12]}… is not in the database")
    return DocumentIdentity(row["id"], row["pdf_id"], row["title"], int(row["page_count"]))


def _conflict_version(row: Row) -> Version:
    value: Version = json.loads(row["data"])
    return value


def document_data(
    review: Review, document_id: str, filters: Filters | None = None, *, shared_only: bool = False
) -> ReviewData:
    """Everything the database holds on a document, tombstones and conflicts included;
    ``shared_only``: without private notes (what goes to teammates)."""
    f = filters or Filters()
    rows = review.store.query_annotations(
        document_id,
        tags=f.tags,
        authors=f.authors,
        statuses=f.statuses,
        include_deleted=True,
        include_private=not shared_only,
    )
    # A link travels in the file of its first end's document (its row's).
    rows = [r for r in rows if r["document_id"] == document_id]
    data = _data_from_rows(review, _document_identity(review, document_id), rows)
    data.concordance = concordance_states(review, document_id)
    return data


def _data_from_rows(review: Review, identity: DocumentIdentity, rows: list[Row]) -> ReviewData:
    tags = review.tags_by_id()
    data = ReviewData(identity)
    ids = [r["id"] for r in rows] + [reply["id"] for r in rows for reply in r["replies"]]
    recorded = review.store.exchange_versions(ids)
    conflicts: dict[str, list[Version]] = {}
    for c in review.store.exchange_conflict_rows(item_ids=ids):
        conflicts.setdefault(c["item_id"], []).append(_conflict_version(c))
    # The taxonomy travels with the file (live tags, and retired ones still in use), so that a
    # team shares its tags' colours and definitions; an import adds only the tags it uses.
    for tag in tags.values():
        if not tag.retired:
            data.tags[tag.name.casefold()] = TagDefinition(tag.name, tag.color, tag.definition)
    for r in rows:
        names = _tag_names(r, tags)
        for t in r["tag_ids"]:
            if t in tags:
                tag = tags[t]
                data.tags[tag.name.casefold()] = TagDefinition(tag.name, tag.color, tag.definition)
        version = annotation_version(r, names)
        data.annotations[r["id"]] = _state(ANNOTATION, r["id"], version, recorded, conflicts)
        for reply in r["replies"]:
            data.replies[reply["id"]] = _state(REPLY, reply["id"], reply_version(reply), recorded, conflicts)
    _add_coverage(review, data)
    return data


def _add_coverage(review: Review, data: ReviewData) -> None:
    """The document's reviewed marks and assignments, each with the versions it replaced."""
    store = review.store
    rows = [(MARK, r) for r in store.article_marks(data.document.sha256)]
    rows += [(ASSIGNMENT, r) for r in store.article_assignments(data.document.sha256)]
    recorded = store.exchange_versions([r["id"] for _, r in rows])
    for kind, row in rows:
        data.coverage[row["id"]] = _state(kind, row["id"], coverage_version(kind, row), recorded, {})


def _state(
    kind: str,
    item_id: str,
    version: Version,
    recorded: dict[str, set[str]],
    conflicts: dict[str, list[Version]],
) -> ItemState:
    own = version_hash(kind, version)
    history = recorded.get(item_id, set()) - {own}
    others = conflicts.get(item_id)
    if not others:  # named already: its hash is not computed a second time
        return ItemState(kind, item_id, {own: version}, history)
    return ItemState.of(kind, item_id, [version, *others], history)


def document_id_for_pdf(review: Review, pdf: PdfDocument) -> str:
    return str(review.register(pdf)["id"])
