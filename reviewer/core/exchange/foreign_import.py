"""Markups made by other tools (XFDF from Acrobat, Foxit, PDF-XChange; highlights inside PDFs)
turned into Reviewer's versions: their quads are matched to the document's text.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from typing import Any

from reviewer.core import progress
from reviewer.core.errors import ReviewerError
from reviewer.core.exchange import review_file
from reviewer.core.exchange.pdfdates import parse_pdf_date
from reviewer.core.exchange.records import (
    POSITION_FIELDS,
    _float_list,
    _tag_names,
    annotation_version,
    reply_version,
)
from reviewer.core.exchange.versions import (
    ANNOTATION,
    ANNOTATION_FIELDS,
    REPLY,
    DocumentIdentity,
    ItemState,
    ReviewData,
    TagDefinition,
    Version,
)
from reviewer.core.exchange.xfdf import (
    MARKUP_ELEMENTS,
    STATUS_OF_STATE,
    ForeignMarkup,
    private_data,
)
from reviewer.core.geometry import Quad
from reviewer.core.model import KINDS, STATUSES
from reviewer.core.pdf import (
    PdfDocument,
)
from reviewer.core.review import Review
from reviewer.core.textflow import context_around
from reviewer.core.timeutil import utc_now

FOREIGN_NAMESPACE = uuid.UUID("0b4f3f0e-9a55-4c1b-8d0a-6f1e2b7c9d31")


POSITION_TOLERANCE = 0.5  # points: a re-imported quad this close is the same quad


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
        if m.reply_to is None
        and (m.element in MARKUP_ELEMENTS and m.quads or m.element == "text")
        and m.private.get("kind") != "link"  # a link's ends travel in review files, not here
    ]
    # Keyed by identity: ``m in annotations`` compared dataclasses field by field, 50 million
    # times for 10,000 markups.
    item_ids = {id(m): _foreign_id(document_id, m) for m in annotations}
    for m in annotations:
        if m.ref:
            by_key[m.ref] = item_ids[id(m)]
    # PDF replies refer to xrefs; XFDF replies to names.
    wanted = list(item_ids.values())
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
    for at, m in enumerate(markups):
        if at % 100 == 99 or at == len(markups) - 1:
            progress.report("anchoring the markups", at + 1, len(markups))
        if id(m) not in item_ids:
            if m.reply_to is None:
                skipped += 1
            continue
        item_id = item_ids[id(m)]
        local = existing.get(item_id)
        local_version = annotation_version(local, _tag_names(local, tags)) if local else None
        version = _foreign_annotation(review, m, pdf, local_version, statuses.get(m.ref or "", ("", None))[1])
        # cleaned like a review file's text (see review_file.clean_version_text)
        clean = review_file.clean_version_text(version)
        data.annotations[item_id] = ItemState.of(ANNOTATION, item_id, [clean])
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
            **_foreign_editor(p, m.author),
        }
        if local_reply is not None and not p:
            base = reply_version(local_reply)
            if base["comment"] == version["comment"]:
                version = base
            else:
                version["revision"] = base["revision"]
        data.replies[item_id] = ItemState.of(REPLY, item_id, [review_file.clean_version_text(version)])
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


def _foreign_editor(private: Mapping[str, Any], author: str) -> dict[str, Any]:
    """Who made a markup's version: Reviewer's own data when it wrote the file; else the
    markup's author (another tool records one name, of whoever saved it last)."""
    editor_id, name = _str(private.get("modified_by_id")), _str(private.get("modified_by_name"))
    if editor_id and name:
        return {"modified_by_id": editor_id, "modified_by_name": name}
    if author and not private:
        return {"modified_by_id": _author_id(author), "modified_by_name": author}
    return {"modified_by_id": None, "modified_by_name": None}


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
        **_foreign_editor(p, m.author),
        "stance": base.get("stance"),
        "proposal": base.get("proposal"),
    }
    for key in ("article", "paragraph"):
        version[key] = (
            p.get(key) if key in p and (p[key] is None or _int(p[key])) else base.get(key, anchor.get(key))
        )
    for key in ("subparagraph", "item", "citation"):
        version[key] = (
            p.get(key)
            if key in p and (p[key] is None or isinstance(p[key], str))
            else base.get(key, anchor.get(key))
        )
    for key in ("article", "paragraph", "subparagraph", "item", "citation"):
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
        "item": None,
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
