"""Export, import, merge and conflict resolution: what the CLI and the GUI call.

An import is checked completely (format, limits, types, document match, reply parents) before
anything is written, and then written as one ``ReplaceRows`` change (one undo step) together
with the merge bookkeeping, in one transaction: a refused file leaves the database unchanged.
"""

from __future__ import annotations

import csv
import io
import json
import os
import uuid
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from reviewer.core import operations as ops
from reviewer.core.atomic import refuse_to_overwrite, write_bytes_atomic, write_text_atomic
from reviewer.core.errors import ReviewerError
from reviewer.core.exchange import review_file
from reviewer.core.exchange.pdfdates import format_pdf_date, parse_pdf_date
from reviewer.core.exchange.versions import (
    ANNOTATION,
    ANNOTATION_FIELDS,
    REPLY,
    DifferentDocuments,
    DocumentIdentity,
    ItemState,
    ReviewData,
    TagDefinition,
    Version,
    merge_all,
    version_hash,
)
from reviewer.core.exchange.xfdf import (
    MARKUP_ELEMENTS,
    STATUS_OF_STATE,
    ForeignMarkup,
    part_name,
    private_data,
    read_xfdf,
    xfdf_bytes,
)
from reviewer.core.gcpause import collector_paused
from reviewer.core.geometry import Quad
from reviewer.core.model import KINDS, STATUSES, Tag
from reviewer.core.pdf import (
    PdfDocument,
    PdfMarkup,
    open_pdf,
    read_annotations,
    write_annotated_copy,
)
from reviewer.core.review import Filters, Review
from reviewer.core.store import Row, Snapshot, dumps
from reviewer.core.textflow import context_around
from reviewer.core.timeutil import utc_now

FORMATS = ("review", "xfdf", "pdf", "csv")
FOREIGN_NAMESPACE = uuid.UUID("0b4f3f0e-9a55-4c1b-8d0a-6f1e2b7c9d31")
POSITION_TOLERANCE = 0.5  # points: a re-imported quad this close is the same quad
DEFAULT_HIGHLIGHT = "#FFEB3B"
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


# rows <-> versions --------------------------------------------------------------------------


def _float_list(values: Iterable[Any]) -> list[float]:
    return [float(v) for v in values]


def annotation_version(row: Row, tag_names: Sequence[str]) -> Version:
    """The exchange view of an annotation row (JSON columns decoded, numbers normalized)."""
    geometry = {
        str(k): {
            "mediabox": _float_list(g["mediabox"]),
            "cropbox": _float_list(g["cropbox"]),
            "rotation": int(g["rotation"]),
        }
        for k, g in json.loads(row["geometry"]).items()
    }
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
        "quads": [
            {"page": int(q["page"]), "points": _float_list(q["points"])} for q in json.loads(row["quads"])
        ],
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
        "citation": row["citation"],
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
    }


def annotation_row(item_id: str, document_id: str, v: Version) -> Row:
    return {
        "id": item_id,
        "document_id": document_id,
        **{k: v[k] for k in v if k not in ("tags", "pages", "quads", "geometry", "deleted")},
        "pages": dumps(v["pages"]),
        "quads": dumps(v["quads"]),
        "geometry": dumps(v["geometry"]),
        "deleted": int(v["deleted"]),
    }


def reply_row(item_id: str, v: Version) -> Row:
    return {"id": item_id, **{k: v[k] for k in v if k != "deleted"}, "deleted": int(v["deleted"])}


# reading the database -----------------------------------------------------------------------


def _document_identity(review: Review, document_id: str) -> DocumentIdentity:
    row = review.store.document(document_id)
    if row is None:
        raise ReviewerError(f"document {document_id[:12]}… is not in the database")
    return DocumentIdentity(row["id"], row["pdf_id"], row["title"], int(row["page_count"]))


def _conflict_version(row: Row) -> Version:
    value: Version = json.loads(row["data"])
    return value


def document_data(review: Review, document_id: str, filters: Filters | None = None) -> ReviewData:
    """Everything the database holds on a document, tombstones and conflicts included."""
    f = filters or Filters()
    rows = review.store.query_annotations(
        document_id, tags=f.tags, authors=f.authors, statuses=f.statuses, include_deleted=True
    )
    return _data_from_rows(review, _document_identity(review, document_id), rows)


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
    return data


def _state(
    kind: str,
    item_id: str,
    version: Version,
    recorded: dict[str, set[str]],
    conflicts: dict[str, list[Version]],
) -> ItemState:
    own = version_hash(kind, version)
    history = recorded.get(item_id, set()) - {own}
    return ItemState.of(kind, item_id, [version, *conflicts.get(item_id, [])], history)


# export -------------------------------------------------------------------------------------


def document_id_for_pdf(review: Review, pdf: PdfDocument) -> str:
    return str(review.register(pdf)["id"])


def export_review_file(
    review: Review, document_id: str, out: str | os.PathLike[str], filters: Filters | None = None
) -> ReviewData:
    """Write the ``.review.json``; records the exported versions so later edits supersede them."""
    data = document_data(review, document_id, filters)
    text = review_file.dumps(data)
    _record_exported(review, data)
    write_text_atomic(out, text)
    return data


def _record_exported(review: Review, data: ReviewData) -> None:
    """Versions that left this database: a later local edit replaces them (see versions.py)."""
    pairs = [(s.id, s.winner_hash) for s in (*data.annotations.values(), *data.replies.values())]
    review.store.exchange_add_versions(pairs)


def _hex_color(tag_colors: Sequence[str]) -> str:
    return tag_colors[0] if tag_colors else DEFAULT_HIGHLIGHT


def export_records(review: Review, document_id: str, filters: Filters | None = None) -> list[dict[str, Any]]:
    """Live annotations as flat records for XFDF, the annotated PDF and CSV."""
    found = review.annotations(document_id, filters)
    records = []
    for a in found:
        if not a.quads:
            continue
        private = {
            "kind": a.kind,
            "author_id": a.author_id,
            "created": a.created,
            "modified": a.modified,
            "revision": a.revision,
            "status": a.status,
            "tags": a.tag_names,
            "origin_id": a.origin_id,
            "anchor": a.anchor,
            "anchor_score": a.anchor_score,
            "article": a.article,
            "paragraph": a.paragraph,
            "subparagraph": a.subparagraph,
            "citation": a.citation,
        }
        records.append(
            {
                "id": a.id,
                "page": a.page,
                "quads": [q.to_json() for q in a.quads],
                "color": _hex_color([t.color for t in a.tags]),
                "author": a.author_name,
                "tags": a.tag_names,
                "comment": a.comment,
                "status": a.status,
                "status_name": str(uuid.uuid5(FOREIGN_NAMESPACE, f"status|{a.id}|{a.revision}")),
                "created": a.created,
                "modified": a.modified,
                "quote": a.quote,
                "citation": a.citation,
                "private": private,
                "replies": [
                    {
                        "id": r.id,
                        "author": r.author_name,
                        "comment": r.comment,
                        "created": r.created,
                        "modified": r.modified,
                        "private": {
                            "author_id": r.author_id,
                            "created": r.created,
                            "modified": r.modified,
                            "revision": r.revision,
                        },
                    }
                    for r in a.replies
                    if not r.deleted
                ],
            }
        )
    return records


def export_document(
    review: Review,
    pdf: PdfDocument,
    fmt: str,
    out: str | os.PathLike[str],
    filters: Filters | None = None,
) -> int:
    """Export a document's annotations; returns how many annotations were written."""
    if fmt not in FORMATS:
        raise ReviewerError(f"unknown format {fmt!r} (use {', '.join(FORMATS)})")
    refuse_to_overwrite(out, pdf.path)
    document_id = document_id_for_pdf(review, pdf)
    if fmt == "review":
        return len(export_review_file(review, document_id, out, filters).annotations)
    records = export_records(review, document_id, filters)
    if fmt in ("xfdf", "pdf"):  # they round-trip exactly, so their versions are shared too
        _record_exported(review, document_data(review, document_id, filters))
    if fmt == "xfdf":
        info = pdf.info()
        document = {"filename": Path(info.path).name, "pdf_id": info.pdf_id}
        write_bytes_atomic(out, xfdf_bytes(document, records))
    elif fmt == "pdf":
        write_annotated_copy(pdf.path, out, _pdf_markups(records))
    else:
        write_text_atomic(out, csv_text(records, pdf))
    return len(records)


def _rgb(hex_color: str) -> tuple[float, float, float]:
    value = hex_color.lstrip("#")
    return (int(value[0:2], 16) / 255, int(value[2:4], 16) / 255, int(value[4:6], 16) / 255)


def _pdf_markups(records: list[dict[str, Any]]) -> list[PdfMarkup]:
    from reviewer.core.exchange.xfdf import STATE_OF_STATUS

    markups: list[PdfMarkup] = []
    for a in records:
        by_page: dict[int, list[tuple[float, ...]]] = {}
        for q in a["quads"]:
            by_page.setdefault(int(q["page"]), []).append(tuple(q["points"]))
        first = min(by_page)
        private = json.dumps(a["private"], ensure_ascii=False, sort_keys=True)
        # A PDF annotation lives on one page: an annotation across a page break is its first
        # page's /Highlight (with the comment) and, on each further page, a /Highlight grouped
        # with it (/IRT + /RT /Group), as Acrobat groups the parts of one markup.
        markups.append(
            PdfMarkup(
                name=a["id"],
                page=first,
                quads=tuple(by_page[first]),
                color=_rgb(a["color"]),
                author=a["author"],
                contents=a["comment"],
                subject="; ".join(a["tags"]),
                created=format_pdf_date(a["created"]),
                modified=format_pdf_date(a["modified"]),
                private=private,
            )
        )
        for page in sorted(by_page)[1:]:
            markups.append(
                PdfMarkup(
                    name=part_name(a["id"], page),
                    page=page,
                    quads=tuple(by_page[page]),
                    color=_rgb(a["color"]),
                    author=a["author"],
                    contents="",
                    subject="; ".join(a["tags"]),
                    created=format_pdf_date(a["created"]),
                    modified=format_pdf_date(a["modified"]),
                    reply_to=a["id"],
                    group=True,
                )
            )
        if a["status"] != "open":
            markups.append(
                PdfMarkup(
                    name=a["status_name"],
                    page=first,
                    quads=tuple(by_page[first][:1]),
                    color=(1.0, 1.0, 0.0),
                    author=a["author"],
                    contents="",
                    subject="Status",
                    created=format_pdf_date(a["modified"]),
                    modified=format_pdf_date(a["modified"]),
                    reply_to=a["id"],
                    state=STATE_OF_STATUS[a["status"]],
                )
            )
        for r in a["replies"]:
            markups.append(
                PdfMarkup(
                    name=r["id"],
                    page=first,
                    quads=tuple(by_page[first][:1]),
                    color=(1.0, 1.0, 0.0),
                    author=r["author"],
                    contents=r["comment"],
                    subject="Reply",
                    created=format_pdf_date(r["created"]),
                    modified=format_pdf_date(r["modified"]),
                    private=json.dumps(r["private"], ensure_ascii=False, sort_keys=True),
                    reply_to=a["id"],
                )
            )
    return markups


CSV_COLUMNS = [
    "id",
    "page",
    "citation",
    "quote",
    "tags",
    "comment",
    "author",
    "status",
    "created",
    "modified",
    "replies",
]


def _cell(value: str) -> str:
    """Spreadsheets run cells that start with = + - @ as formulas: defuse them."""
    if value and value[0] in "=+-@\t\r":
        return "'" + value
    return value


def csv_text(records: list[dict[str, Any]], pdf: PdfDocument | None = None) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for a in records:
        page = pdf.page_label(a["page"]) if pdf else str(a["page"] + 1)
        writer.writerow(
            [
                a["id"],
                page,
                _cell(a["citation"] or ""),
                _cell(a["quote"]),
                _cell("; ".join(a["tags"])),
                _cell(a["comment"]),
                _cell(a["author"]),
                a["status"],
                a["created"],
                a["modified"],
                str(len(a["replies"])),
            ]
        )
    return "\ufeff" + buffer.getvalue()


# merge (no database) ------------------------------------------------------------------------


def merge_files(paths: Sequence[str], out: str | os.PathLike[str] | None = None) -> ReviewData:
    """Combine review files of one document; the result does not depend on their order."""
    with collector_paused():
        return _merge_files(paths, out)


def _merge_files(paths: Sequence[str], out: str | os.PathLike[str] | None) -> ReviewData:
    if not paths:
        raise ReviewerError("give at least one review file to merge")
    read_before: dict[str, Any] = {}  # equal item lines in several files are read once
    loaded = [(p, review_file.read(p, read_before)) for p in paths]
    first_path, first = loaded[0]
    for path, data in loaded[1:]:
        if data.document.sha256 != first.document.sha256:
            raise ReviewerError(
                f"is a review of another document ({data.document.title!r}) than {first_path} "
                f"({first.document.title!r})",
                path=path,
            )
    merged = merge_all(d for _, d in loaded)
    if out is not None:
        review_file.write(merged, out)
    return merged


def merge_driver(base: str, ours: str, theirs: str) -> ReviewData:
    """git merge driver: the merge of all three is written into ``ours``."""
    paths = [p for p in (base, ours, theirs) if os.path.getsize(p) > 0]
    return merge_files(paths or [ours], ours)


# import -------------------------------------------------------------------------------------


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


def _markup_of_record(r: Any) -> ForeignMarkup:
    return ForeignMarkup(
        element=str(r.subtype).lower(),
        page=r.page,
        name=r.name,
        quads=[tuple(q) for q in r.quads],
        rect=r.rect,
        author=r.author,
        contents=r.contents,
        subject=r.subject,
        created=parse_pdf_date(r.created),
        modified=parse_pdf_date(r.modified),
        reply_to=str(r.reply_to_xref) if r.reply_to_xref else None,
        state=r.state,
        state_model=r.state_model,
        private=private_data(r.private),
        ref=str(r.xref) if r.xref > 0 else None,
        group=(r.reply_type or "").lower() == "group",
    )


def _fold_groups(markups: list[ForeignMarkup]) -> list[ForeignMarkup]:
    """Another page's part of an annotation (a markup grouped with it) becomes more quads of
    that annotation; a part whose annotation is missing stands as an annotation of its own."""
    parents = {m.ref: m for m in markups if m.ref and m.reply_to is None}
    kept: list[ForeignMarkup] = []
    for m in markups:
        if m.group and m.reply_to is not None and m.element in MARKUP_ELEMENTS and m.quads:
            parent = parents.get(m.reply_to)
            if parent is not None and parent is not m:
                parent.more_quads.extend((m.page, q) for q in m.quads)
                continue
            m.reply_to, m.group = None, False
        kept.append(m)
    return kept


def _foreign_id(document_id: str, m: ForeignMarkup) -> str:
    if m.name:
        try:
            return str(uuid.UUID(m.name.strip().removeprefix("urn:uuid:")))
        except ValueError:
            pass
    # Normalized corner order, whole points: XFDF and the PDF itself write the same quads with
    # different precision and corner order, and must name the same annotation.
    quads = [Quad.from_points(m.page, list(q)).points for q in m.quads if len(q) == 8]
    shape = [round(v) for q in quads for v in q] or [round(v) for v in (m.rect or ())]
    key = f"{document_id}|{m.page}|{m.element}|{m.name or ''}|{shape}|{m.created or ''}"
    return str(uuid.uuid5(FOREIGN_NAMESPACE, key))


def _close(a: list[dict[str, Any]], b: list[dict[str, Any]]) -> bool:
    if len(a) != len(b):
        return False
    return all(
        qa["page"] == qb["page"]
        and all(abs(x - y) <= POSITION_TOLERANCE for x, y in zip(qa["points"], qb["points"], strict=True))
        for qa, qb in zip(a, b, strict=True)
    )


def _foreign_data(
    review: Review, markups: list[ForeignMarkup], pdf: PdfDocument, document_id: str, path: str
) -> tuple[ReviewData, int]:
    """Turn other tools' annotations into versions, reusing the database's where they agree."""
    identity = _document_identity_or_pdf(review, document_id, pdf)
    data = ReviewData(identity)
    skipped = 0
    markups = _fold_groups(markups)
    by_key: dict[str, str] = {}  # XFDF name / PDF xref -> item id
    for m in markups:
        if m.page >= pdf.page_count:
            raise ReviewerError(
                f"has an annotation on page {m.page + 1}, but the PDF has {pdf.page_count} pages",
                path=path,
            )
    annotations = [
        m
        for m in markups
        if m.reply_to is None and (m.element in MARKUP_ELEMENTS and m.quads or m.element == "text")
    ]
    for m in annotations:
        item_id = _foreign_id(document_id, m)
        if m.ref:
            by_key[m.ref] = item_id
    # PDF replies refer to xrefs; XFDF replies to names.
    wanted = [_foreign_id(document_id, m) for m in annotations]
    existing = (
        {r["id"]: r for r in review.store.query_annotations(None, ids=wanted, include_deleted=True)}
        if wanted
        else {}
    )
    tags = review.tags_by_id()
    statuses: dict[str, tuple[str, str]] = {}
    replies: list[ForeignMarkup] = []
    for m in markups:
        if m.reply_to is None:
            continue
        if (m.state_model or "").lower() == "review" and m.state:
            parent = m.reply_to
            when = m.modified or m.created or ""
            status = STATUS_OF_STATE.get(m.state.lower())
            if status and (parent not in statuses or when >= statuses[parent][0]):
                statuses[parent] = (when, status)
        else:
            replies.append(m)
    for m in markups:
        if m not in annotations:
            if m.reply_to is None:
                skipped += 1
            continue
        item_id = _foreign_id(document_id, m)
        local = existing.get(item_id)
        local_version = annotation_version(local, _tag_names(local, tags)) if local else None
        version = _foreign_annotation(review, m, pdf, local_version, statuses.get(m.ref or "", ("", None))[1])
        data.annotations[item_id] = ItemState.of(ANNOTATION, item_id, [version])
    reply_ids: dict[str, str] = {}
    for m in replies:
        parent_id = by_key.get(m.reply_to or "")
        if parent_id is None:
            skipped += 1
            continue
        item_id = _foreign_id(document_id, m)
        reply_ids[m.name or ""] = item_id
        p = m.private
        now = utc_now()
        local_reply = review.store.reply_row(item_id)
        created = _str(p.get("created")) or _same_second(
            m.created, local_reply["created"] if local_reply else None
        )
        created = created or m.modified or now
        version = {
            "annotation_id": parent_id,
            "author_id": _str(p.get("author_id")) or _author_id(m.author),
            "author_name": m.author or "Unknown",
            "created": created,
            "modified": _str(p.get("modified")) or m.modified or created,
            "revision": _int(p.get("revision")) or 1,
            "comment": m.contents,
            "deleted": False,
        }
        if local_reply is not None and not p:
            base = reply_version(local_reply)
            if base["comment"] == version["comment"]:
                version = base
            else:
                version["revision"] = base["revision"]
        data.replies[item_id] = ItemState.of(REPLY, item_id, [version])
    for state in data.annotations.values():
        for name in state.winner["tags"]:
            tag = review.store.tag_by_name(name)
            if tag is not None:
                data.tags[name.casefold()] = TagDefinition(tag["name"], tag["color"], tag["definition"])
    return data, skipped


def _document_identity_or_pdf(review: Review, document_id: str, pdf: PdfDocument) -> DocumentIdentity:
    row = review.store.document(document_id)
    if row is not None:
        return DocumentIdentity(row["id"], row["pdf_id"], row["title"], int(row["page_count"]))
    info = pdf.info()
    return DocumentIdentity(document_id, info.pdf_id, info.title, info.page_count)


def _str(value: Any) -> str | None:
    return value if isinstance(value, str) and value else None


def _int(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) and value > 0 else None


def _same_second(foreign: str | None, local: str | None) -> str | None:
    """PDF dates have whole seconds: a foreign date in the local one's second is the local one."""
    if foreign and local and foreign[:19] == local[:19]:
        return local
    return foreign


def _author_id(name: str) -> str:
    return str(uuid.uuid5(FOREIGN_NAMESPACE, f"author|{name.strip().casefold()}"))


def _foreign_annotation(
    review: Review,
    m: ForeignMarkup,
    pdf: PdfDocument,
    local: Version | None,
    state_status: str | None,
) -> Version:
    p = m.private
    now = utc_now()
    if m.quads:
        quads = [Quad.from_points(m.page, list(q)).to_json() for q in m.quads]
        for page, more in sorted(m.more_quads, key=lambda part: part[0]):  # parts on later pages
            quads.append(Quad.from_points(page, list(more)).to_json())
    else:  # a sticky note: a small square at its rectangle
        x0, y0, x1, y1 = m.rect or (0.0, 0.0, 0.0, 0.0)
        quads = [Quad.from_points(m.page, [x0, y1, x1, y1, x0, y0, x1, y0]).to_json()]
    if local is not None and _close(quads, local["quads"]):
        anchor = {k: local[k] for k in POSITION_FIELDS}
        kind = local["kind"]
    else:
        is_note = not m.quads or p.get("kind") == "note"
        anchor = _anchor_from_quads(review, pdf, m.page, quads, note=is_note)
        kind = "note" if is_note else ("highlight" if anchor["quote"] else "area")
    base = local or {}
    created = _str(p.get("created")) or _same_second(m.created, base.get("created"))
    created = created or m.modified or base.get("created") or now
    tags = p.get("tags")
    status = p.get("status") if p.get("status") in STATUSES else state_status
    version: Version = {
        "kind": p.get("kind") if p.get("kind") in KINDS else base.get("kind", kind),
        "author_id": _str(p.get("author_id")) or base.get("author_id") or _author_id(m.author),
        "author_name": m.author or base.get("author_name") or "Unknown",
        "created": created,
        "modified": _str(p.get("modified")) or m.modified or base.get("modified") or created,
        "revision": _int(p.get("revision")) or base.get("revision") or 1,
        **anchor,
        "comment": m.contents,
        "status": status or base.get("status") or "open",
        "deleted": False,
        "tags": [t for t in tags if isinstance(t, str)] if isinstance(tags, list) else base.get("tags", []),
        "origin_id": p.get("origin_id") if "origin_id" in p else base.get("origin_id"),
        "anchor": _str(p.get("anchor")) or base.get("anchor") or "exact",
        "anchor_score": p.get("anchor_score")
        if isinstance(p.get("anchor_score"), float)
        else base.get("anchor_score"),
    }
    for key in ("article", "paragraph"):
        version[key] = (
            p.get(key) if key in p and (p[key] is None or _int(p[key])) else base.get(key, anchor.get(key))
        )
    for key in ("subparagraph", "citation"):
        version[key] = (
            p.get(key)
            if key in p and (p[key] is None or isinstance(p[key], str))
            else base.get(key, anchor.get(key))
        )
    for key in ("article", "paragraph", "subparagraph", "citation"):
        anchor.pop(key, None)
    version = {k: version[k] for k in ANNOTATION_FIELDS}
    if local is not None and not p:
        # Fields another tool does not carry keep the database's values; a change in what it
        # does carry is a concurrent edit (same revision): it wins or loses visibly.
        same = {k: local[k] for k in version if k not in ("modified",)} == {
            k: version[k] for k in version if k != "modified"
        }
        if same:
            return local
    return version


def _anchor_from_quads(
    review: Review, pdf: PdfDocument, page: int, quads: list[dict[str, Any]], *, note: bool
) -> dict[str, Any]:
    flow = pdf.flow()
    hits: list[int] = []
    if not note:
        for on_page in sorted({int(q["page"]) for q in quads}):  # an annotation may span pages
            geometry = pdf.geometry(on_page)
            rects = [Quad.from_json(q).unrotated_rect(geometry) for q in quads if int(q["page"]) == on_page]
            hits.extend(flow.offsets_in_rects(on_page, rects))
        hits.sort()
    anchor: dict[str, Any] = {
        "page": page,
        "pages": sorted({int(q["page"]) for q in quads}),
        "quote": "",
        "prefix": "",
        "suffix": "",
        "text_start": None,
        "text_end": None,
        "quads": quads,
        "geometry": {str(p): _geometry_json(pdf, p) for p in sorted({int(q["page"]) for q in quads})},
        "article": None,
        "paragraph": None,
        "subparagraph": None,
        "citation": None,
    }
    if hits:
        start, end = hits[0], hits[-1] + 1
        while start < end and flow.text[start] == " ":
            start += 1
        while end > start and flow.text[end - 1] == " ":
            end -= 1
        prefix, suffix = context_around(flow, start, end)
        anchor.update(
            quote=flow.text[start:end], prefix=prefix, suffix=suffix, text_start=start, text_end=end
        )
        anchor.update(review.place_of(pdf, start))
    return anchor


def _geometry_json(pdf: PdfDocument, page: int) -> dict[str, Any]:
    g = pdf.geometry(page).to_json()
    return {
        "mediabox": _float_list(g["mediabox"]),
        "cropbox": _float_list(g["cropbox"]),
        "rotation": int(g["rotation"]),
    }


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
    all_ids = annotation_ids + reply_ids
    recorded = store.exchange_versions(all_ids)
    conflict_rows: dict[str, list[Row]] = {}
    for c in store.exchange_conflict_rows(item_ids=all_ids):
        conflict_rows.setdefault(c["item_id"], []).append(c)
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
    for item_id, incoming in data.replies.items():
        local = local_replies.get(item_id)
        local_version = reply_version(local) if local else None
        parent = str(incoming.winner["annotation_id"])
        winner = merge_item(REPLY, item_id, incoming, local_version, parent)
        if winner is not None:
            target.replies[item_id] = reply_row(item_id, winner)
    for tag_row_id, tag_row in new_tags.items():
        target.tags[tag_row_id] = tag_row
    # Everything is checked: now write, all in one transaction.
    if not target.annotations and not target.replies and not exchange_writes:
        return result
    with store.transaction():
        if pdf is not None:
            review.register(pdf)
        if store.document(document_id) is None:
            raise ReviewerError("the document is not in the database: give --pdf PDF", path=result.path)
        if target.annotations or target.replies or target.tags:
            label = f"Import {Path(result.path).name}"
            result.change = review.apply(ops.ReplaceRows(label, target))
        for item_id, (versions, rows) in exchange_writes.items():
            store.exchange_replace(item_id, versions, rows)
    result.exchange_after = exchange_writes
    return result


def undo_import(review: Review, result: ImportResult) -> None:
    """Undo an import (one step), including its merge bookkeeping."""
    with review.store.transaction():
        if result.change is not None:
            review.undo(result.change)
        for item_id, (versions, rows) in result.exchange_before.items():
            review.store.exchange_replace(item_id, sorted(versions), rows)


def redo_import(review: Review, result: ImportResult) -> None:
    """Redo an undone import (the GUI's QUndoCommand.redo after the first time)."""
    with review.store.transaction():
        if result.change is not None:
            review.redo(result.change)
        for item_id, (versions, rows) in result.exchange_after.items():
            review.store.exchange_replace(item_id, versions, rows)


def import_files(
    review: Review,
    paths: Sequence[str],
    *,
    pdf_path: str | None = None,
    password: str | None = None,
) -> list[ImportResult]:
    """Import several files, each all or nothing; stops at the first refused file."""
    return [import_file(review, p, pdf_path=pdf_path, password=password) for p in paths]


# conflicts ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Conflict:
    item_id: str
    kind: str
    annotation_id: str
    version: str  # hash of the losing version (a prefix of it names it on the command line)
    revision: int
    modified: str
    author: str
    comment: str
    winner_revision: int
    winner_modified: str
    winner_author: str
    winner_comment: str

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.item_id,
            "kind": self.kind,
            "annotation": self.annotation_id,
            "version": self.version,
            "revision": self.revision,
            "modified": self.modified,
            "author": self.author,
            "comment": self.comment,
            "current": {
                "revision": self.winner_revision,
                "modified": self.winner_modified,
                "author": self.winner_author,
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
                author=c["author_name"],
                comment=str(version.get("comment", "")),
                winner_revision=int(current["revision"]) if current else 0,
                winner_modified=current["modified"] if current else "",
                winner_author=current["author_name"] if current else "",
                winner_comment=current["comment"] if current else "",
            )
        )
    return out


def resolve(review: Review, item_id: str, keep: str) -> ops.Change:
    """Settle an item's conflict: ``keep`` is ``mine`` (the current version), ``theirs`` (the one
    other version) or a version hash prefix. Writes a new revision that supersedes every version."""
    store = review.store
    rows = store.exchange_conflict_rows(item_ids=[item_id])
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
    else:
        target.replies[item_id] = reply_row(item_id, winner)
    with store.transaction():
        change = review.apply(ops.ReplaceRows("Resolve conflict", target))
        store.exchange_replace(item_id, sorted(new_state.history | {new_state.winner_hash}), [])
    return change


__all__ = [
    "FORMATS",
    "Conflict",
    "DifferentDocuments",
    "ImportResult",
    "conflicts",
    "document_data",
    "export_document",
    "export_review_file",
    "import_file",
    "import_files",
    "merge_driver",
    "merge_files",
    "resolve",
    "redo_import",
    "undo_import",
]
