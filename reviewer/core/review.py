"""The review service: what the CLI and the GUI call. Every mutation goes through ``operations``."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from reviewer.core import operations as ops
from reviewer.core.errors import AmbiguousQuote, QuoteNotFound, ReviewerError
from reviewer.core.geometry import Quad, Rect
from reviewer.core.links import seen_from
from reviewer.core.model import STATUSES, Annotation, AnnotationEntry, Tag
from reviewer.core.opening import open_store
from reviewer.core.pdf import PdfDocument
from reviewer.core.plain_text import clean_text
from reviewer.core.settings import Identity
from reviewer.core.store import Row, Store, dumps
from reviewer.core.taxonomy import clean_tag_name, parse_color
from reviewer.core.textflow import context_around, find_all
from reviewer.core.timeutil import utc_now

MAX_COMMENT = 100_000


@dataclass(frozen=True)
class Filters:
    tags: Sequence[str] = ()
    authors: Sequence[str] = ()
    statuses: Sequence[str] = ()
    search: str | None = None
    include_deleted: bool = False
    include_private: bool = True  # False: what may leave the database (exports)


class Review:
    """A reviewer's view of the store: identity plus the operations they may apply."""

    def __init__(self, store: Store, identity: Identity) -> None:
        self.store = store
        self.identity = identity
        self._tags_cache: dict[str, Tag] | None = None
        store.upsert_reviewer(identity.id, identity.name)

    @classmethod
    def open(cls, db_path: str | Path, identity: Identity) -> Review:
        return cls(open_store(db_path), identity)

    def close(self) -> None:
        self.store.close()

    # documents -------------------------------------------------------------------------
    def register(self, pdf: PdfDocument) -> Row:
        """Record the document (by the hash of its bytes) and where it was seen last."""
        info = pdf.info()
        now = utc_now()
        self.store.upsert_document(
            {
                "id": info.sha256,
                "pdf_id": info.pdf_id,
                "title": info.title,
                "page_count": info.page_count,
                "page_labels": dumps(info.page_labels) if info.page_labels else None,
                "last_path": info.path,
                "first_seen": now,
                "last_seen": now,
            }
        )
        row = self.store.document(info.sha256)
        assert row is not None
        return row

    # applying changes ------------------------------------------------------------------
    def apply(self, operation: ops.Operation) -> ops.Change:
        change = ops.apply(self.store, operation, (self.identity.id, self.identity.name))
        if change.after.tags:
            self._tags_cache = None
        return change

    def undo(self, change: ops.Change) -> None:
        ops.undo(self.store, change)
        self._tags_cache = None

    def redo(self, change: ops.Change) -> None:
        ops.redo(self.store, change)
        self._tags_cache = None

    # creating --------------------------------------------------------------------------
    def locate_quote(
        self, pdf: PdfDocument, quote: str, *, page: int | None = None, occurrence: int | None = None
    ) -> tuple[int, int]:
        """Text offsets of a quote; ``page`` is 1-based, ``occurrence`` 1-based."""
        flow = pdf.flow()
        hits = find_all(flow, quote)
        shown = quote if len(quote) <= 60 else quote[:57] + "..."
        if not hits:
            raise QuoteNotFound(
                f"quote not found: {shown!r} (line breaks, hyphenation and ligatures are ignored; "
                "check the wording)",
                path=pdf.path,
            )
        if page is not None:
            if not 1 <= page <= pdf.page_count:
                raise ReviewerError(f"page {page} is outside 1-{pdf.page_count}", path=pdf.path)
            on_page = [h for h in hits if flow.page_of_offset(h.start) == page - 1]
            if not on_page:
                pages = sorted({flow.page_of_offset(h.start) + 1 for h in hits})
                raise QuoteNotFound(
                    f"quote {shown!r} is not on page {page} (found on page {', '.join(map(str, pages))})",
                    path=pdf.path,
                )
            hits = on_page
        if occurrence is not None:
            if not 1 <= occurrence <= len(hits):
                raise ReviewerError(
                    f"--occurrence {occurrence} is out of range: the quote occurs {len(hits)} "
                    f"time{'s' if len(hits) != 1 else ''}",
                    path=pdf.path,
                )
            hits = [hits[occurrence - 1]]
        if len(hits) > 1:
            where = ", ".join(str(p) for p in dict.fromkeys(flow.page_of_offset(h.start) + 1 for h in hits))
            raise AmbiguousQuote(
                f"quote {shown!r} occurs {len(hits)} times (pages {where}); "
                f"add --page N or --occurrence K (1-{len(hits)}) to choose one",
                path=pdf.path,
            )
        return hits[0].start, hits[0].end

    def annotate_quote(
        self,
        pdf: PdfDocument,
        quote: str,
        *,
        page: int | None = None,
        occurrence: int | None = None,
        tags: Sequence[str] = (),
        comment: str = "",
        status: str = "open",
        private: bool = False,
    ) -> Annotation:
        start, end = self.locate_quote(pdf, quote, page=page, occurrence=occurrence)
        return self.annotate_range(
            pdf, start, end, tags=tags, comment=comment, status=status, private=private
        )

    def annotation_row_for_range(self, pdf: PdfDocument, start: int, end: int) -> Row:
        """The anchor part of a highlight row for ``flow.text[start:end]``."""
        return {"kind": "highlight", **anchor_fields(pdf, "highlight", start, end)}

    def place_of(self, pdf: PdfDocument, offset: int) -> dict[str, Any]:
        """Article, paragraph and citation of a text offset (filled by structure detection)."""
        return _place_fields(pdf, offset)

    def annotate_range(
        self,
        pdf: PdfDocument,
        start: int,
        end: int,
        *,
        tags: Sequence[str] = (),
        comment: str = "",
        status: str = "open",
        private: bool = False,
    ) -> Annotation:
        anchor = self.annotation_row_for_range(pdf, start, end)
        return self._create(pdf, anchor, tags=tags, comment=comment, status=status, private=private)

    def annotate_region(
        self,
        pdf: PdfDocument,
        page: int,
        unrotated_rect: Rect,
        *,
        kind: str = "area",
        tags: Sequence[str] = (),
        comment: str = "",
        status: str = "open",
    ) -> Annotation:
        """An area (a rectangle for a table or figure) or a page note (a small square at a point)."""
        if kind not in ("area", "note"):
            raise ReviewerError(f"unknown region kind {kind!r}")
        if not 0 <= page < pdf.page_count:
            raise ReviewerError(f"page {page + 1} is outside 1-{pdf.page_count}", path=pdf.path)
        geometry = pdf.geometry(page)
        quad = Quad.from_unrotated_rect(page, geometry, unrotated_rect)
        flow = pdf.flow()
        inside = flow.offsets_in_rects(page, [unrotated_rect]) if kind == "area" else []
        quote = ""
        start = end = None
        if inside:
            start, end = inside[0], inside[-1] + 1
            quote = flow.text[start:end]
        anchor_offset = (
            start if start is not None else (flow.page_start[page] if page < len(flow.page_start) else 0)
        )
        prefix, suffix = (
            context_around(flow, start, end) if start is not None and end is not None else ("", "")
        )
        anchor = {
            "kind": kind,
            "page": page,
            "pages": dumps([page]),
            "quote": quote,
            "prefix": prefix,
            "suffix": suffix,
            "text_start": start,
            "text_end": end,
            "quads": dumps([quad.to_json()]),
            "geometry": dumps({str(page): geometry.to_json()}),
            **self.place_of(pdf, anchor_offset),
        }
        return self._create(pdf, anchor, tags=tags, comment=comment, status=status)

    def _create(
        self,
        pdf: PdfDocument,
        anchor: Row,
        *,
        tags: Sequence[str],
        comment: str,
        status: str,
        private: bool = False,
    ) -> Annotation:
        # Registering the document and creating the row share one commit: each durable
        # commit costs an fsync (measured by bench "create": two commits were 2x the floor).
        with self.store.transaction():
            document = self.register(pdf)
            tag_ids = [self.tag(name).id for name in tags]
            if status not in STATUSES:
                raise ReviewerError(f"unknown status {status!r} (use {', '.join(STATUSES)})")
            row = new_annotation_row(
                anchor,
                annotation_id=str(uuid.uuid4()),
                document_id=document["id"],
                author_id=self.identity.id,
                author_name=self.identity.name,
                created=utc_now(),
                comment=_clean_comment(comment),
                status=status,
            )
            if private:
                row["private"] = 1
            change = self.apply(ops.CreateAnnotation(row, tag_ids))
        self.last_change = change
        return self.annotation(row["id"])

    # editing ---------------------------------------------------------------------------
    def edit(
        self,
        annotation_id: str,
        *,
        comment: str | None = None,
        status: str | None = None,
        add_tags: Sequence[str] = (),
        remove_tags: Sequence[str] = (),
        set_tags: Sequence[str] | None = None,
        continuing: bool = False,
    ) -> ops.Change:
        """``continuing``: the same reviewer is still typing the same comment, so the edit
        keeps the revision that the first keystroke of this burst made (one revision per
        burst of typing, not one per keystroke)."""
        self._require_annotation(annotation_id)
        return self.apply(
            ops.UpdateAnnotation(
                annotation_id,
                comment=_clean_comment(comment) if comment is not None else None,
                status=status,
                add_tag_ids=[self.tag(n).id for n in add_tags],
                remove_tag_ids=[self.tag(n).id for n in remove_tags],
                set_tag_ids=[self.tag(n).id for n in set_tags] if set_tags is not None else None,
                new_revision=not continuing,
            )
        )

    def set_private(self, annotation_id: str, private: bool) -> ops.Change:
        """A private note stays in this database; shared again, it travels from the next sync."""
        self._require_annotation(annotation_id)
        label = "Make private" if private else "Share annotation"
        return self.apply(ops.SetPrivate(annotation_id, private, label))

    def reply(self, annotation_id: str, comment: str) -> ops.Change:
        self._require_annotation(annotation_id)
        text = _clean_comment(comment)
        if not text.strip():
            raise ReviewerError("a reply needs a comment")
        now = utc_now()
        return self.apply(
            ops.AddReply(
                {
                    "id": str(uuid.uuid4()),
                    "annotation_id": annotation_id,
                    "author_id": self.identity.id,
                    "author_name": self.identity.name,
                    "created": now,
                    "modified": now,
                    "revision": 1,
                    "comment": text,
                    "deleted": 0,
                }
            )
        )

    def delete(self, annotation_id: str) -> ops.Change:
        self._require_annotation(annotation_id)
        return self.apply(ops.DeleteAnnotation(annotation_id))

    def _require_annotation(self, annotation_id: str) -> Row:
        row = self.store.annotation_row(annotation_id)
        if row is None:
            raise ReviewerError(f"no annotation with id {annotation_id}")
        return row

    def resolve_id(self, text: str) -> str:
        """A full id, or a unique prefix of at least 4 characters (as ``reviewer list`` shows)."""
        candidate = text.strip().removeprefix("urn:uuid:")
        if self.store.annotation_row(candidate):
            return candidate
        if len(candidate) >= 4:
            found = self.store.annotation_ids_with_prefix(candidate)
            if len(found) == 1:
                return found[0]
            if len(found) > 1:
                raise ReviewerError(f"id prefix {candidate!r} is ambiguous: give more characters")
        raise ReviewerError(f"no annotation with id {candidate!r}")

    # reading ---------------------------------------------------------------------------
    def forget_cached_tags(self) -> None:
        """Another connection (the team folder's sync) may have added tags."""
        self._tags_cache = None

    def tags_by_id(self) -> dict[str, Tag]:
        if self._tags_cache is None:
            self._tags_cache = {r["id"]: Tag.from_row(r) for r in self.store.tags()}
        return self._tags_cache

    def annotations(self, document_id: str | None, filters: Filters | None = None) -> list[Annotation]:
        f = filters or Filters()
        for status in f.statuses:
            if status not in STATUSES:
                raise ReviewerError(f"unknown status {status!r} (use {', '.join(STATUSES)})")
        rows = self.store.query_annotations(
            document_id,
            tags=f.tags,
            authors=f.authors,
            statuses=f.statuses,
            search=f.search,
            include_deleted=f.include_deleted,
            with_links_here=True,
            include_private=f.include_private,
        )
        tags = self.tags_by_id()
        if any(r["kind"] == "link" for r in rows):  # each link as this document's end shows it
            rows = [seen_from(r, document_id) for r in rows]
            rows.sort(key=_reading_order)
        return [Annotation.from_row(r, tags) for r in rows]

    def annotation(self, annotation_id: str) -> Annotation:
        rows = self.store.query_annotations(None, ids=[annotation_id], include_deleted=True)
        if not rows:
            raise ReviewerError(f"no annotation with id {annotation_id}")
        return Annotation.from_row(rows[0], self.tags_by_id())

    # tags ------------------------------------------------------------------------------
    def tags(self, include_retired: bool = True) -> list[Tag]:
        return [Tag.from_row(r) for r in self.store.tags(include_retired)]

    def tag(self, name: str) -> Tag:
        row = self.store.tag_by_name(name.strip())
        if row is None:
            raise ReviewerError(
                f"unknown tag {name!r} (see 'reviewer tags'; add it with 'reviewer tags add')"
            )
        return Tag.from_row(row)

    def add_tag(self, name: str, color: str, definition: str = "") -> ops.Change:
        clean = clean_tag_name(name)
        if self.store.tag_by_name(clean):
            raise ReviewerError(f"tag {clean!r} exists already")
        position = max((t.position for t in self.tags()), default=-1) + 1
        now = utc_now()
        return self.apply(
            ops.PutTag(
                {
                    "id": str(uuid.uuid4()),
                    "name": clean,
                    "color": parse_color(color),
                    "definition": clean_text(definition).strip(),
                    "position": position,
                    "retired": 0,
                    "created": now,
                    "modified": now,
                },
                label="Add tag",
            )
        )

    def rename_tag(self, old: str, new: str) -> ops.Change:
        tag = self.tag(old)
        clean = clean_tag_name(new)
        clash = self.store.tag_by_name(clean)
        if clash and clash["id"] != tag.id:
            raise ReviewerError(f"tag {clean!r} exists already (merge the two tags instead)")
        return self.apply(ops.PutTag({"id": tag.id, "name": clean}, label="Rename tag"))

    def recolor_tag(self, name: str, color: str) -> ops.Change:
        tag = self.tag(name)
        return self.apply(ops.PutTag({"id": tag.id, "color": parse_color(color)}, label="Recolour tag"))

    def describe_tag(self, name: str, definition: str) -> ops.Change:
        tag = self.tag(name)
        clean = clean_text(definition).strip()
        return self.apply(ops.PutTag({"id": tag.id, "definition": clean}, label="Describe tag"))

    def retire_tag(self, name: str, retired: bool = True) -> ops.Change:
        tag = self.tag(name)
        return self.apply(ops.PutTag({"id": tag.id, "retired": int(retired)}, label="Retire tag"))

    def merge_tags(self, source: str, target: str) -> ops.Change:
        src, dst = self.tag(source), self.tag(target)
        if src.id == dst.id:
            raise ReviewerError("cannot merge a tag into itself")
        return self.apply(ops.MergeTags(src.id, dst.id))

    def tag_usage(self, document_id: str | None = None) -> dict[str, int]:
        return self.store.tag_usage(document_id)

    # --- annotating ---
    def annotation_ids(self, document_id: str, filters: Filters | None = None) -> list[str]:
        """Ids of the live annotations matching ``filters``, in reading order (for the panel)."""
        f = filters or Filters()
        for status in f.statuses:
            if status not in STATUSES:
                raise ReviewerError(f"unknown status {status!r} (use {', '.join(STATUSES)})")
        return self.store.annotation_ids(
            document_id, tags=f.tags, authors=f.authors, statuses=f.statuses, search=f.search
        )

    def annotation_entries(self, document_id: str, ids: Sequence[str] | None = None) -> list[AnnotationEntry]:
        """Light records for listing many annotations (no quads, geometry or reply texts)."""
        rows, tag_ids, replies = self.store.annotation_entries(document_id, ids)
        tags = self.tags_by_id()
        no_tags: tuple[Tag, ...] = ()
        make = AnnotationEntry._make
        entries = []
        for row in rows:
            found = tag_ids.get(row[0])
            entries.append(
                make(
                    (
                        *row,
                        tuple(tags[t] for t in found if t in tags) if found else no_tags,
                        replies.get(row[0], 0),
                    )
                )
            )
        return entries


def _union_quads(quads: list[Quad]) -> list[Quad]:
    """One rectangle per page around the given quads (an area stays one box)."""
    by_page: dict[int, list[float]] = {}
    for quad in quads:
        x0, y0, x1, y1 = quad.pdf_rect()
        box = by_page.get(quad.page)
        if box is None:
            by_page[quad.page] = [x0, y0, x1, y1]
        else:
            box[0], box[1] = min(box[0], x0), min(box[1], y0)
            box[2], box[3] = max(box[2], x1), max(box[3], y1)
    return [Quad(page, (b[0], b[3], b[2], b[3], b[0], b[1], b[2], b[1])) for page, b in by_page.items()]


def anchor_fields(pdf: PdfDocument, kind: str, start: int, end: int) -> Row:
    """Page, quads, geometry, offsets, quote, context and place of ``flow.text[start:end]``.

    What ``Review.annotation_row_for_range`` and a carry (which places a thousand of them) give a
    passage; the page boxes are taken from the flow (already read), not asked of the PDF again.
    """
    flow = pdf.flow()
    text = flow.text
    while start < end and text[start] == " ":
        start += 1
    while end > start and text[end - 1] == " ":
        end -= 1
    if start >= end:
        raise ReviewerError("the selection holds no text", path=pdf.path)
    quads = flow.quads(start, end)
    if kind == "area":
        quads = _union_quads(quads)
    pages = sorted({q.page for q in quads}) or [flow.page_of_offset(start)]
    prefix, suffix = context_around(flow, start, end)
    return {
        "page": pages[0],
        "pages": dumps(pages),
        "quote": text[start:end],
        "prefix": prefix,
        "suffix": suffix,
        "text_start": start,
        "text_end": end,
        "quads": dumps([q.to_json() for q in quads]),
        "geometry": dumps({str(p): flow.pages[p].geometry.to_json() for p in pages}),
        **_place_fields(pdf, start),
    }


def _place_fields(pdf: PdfDocument, offset: int) -> dict[str, Any]:
    from reviewer.core.structure import place_fields  # imported when first needed

    return place_fields(pdf, offset)


def new_annotation_row(
    anchor: Row,
    *,
    annotation_id: str,
    document_id: str,
    author_id: str,
    author_name: str,
    created: str,
    comment: str,
    status: str,
) -> Row:
    """The row of an annotation as first made: revision 1, anchored exactly where ``anchor``
    (page, quads, quote, and the place in the structure when known) says.

    The one place that lists a new row's columns, so that rows made in bulk (the benchmarks)
    have every column the program's own have. ``comment`` is taken as given (already cleaned).
    """
    return {
        "id": annotation_id,
        "document_id": document_id,
        "author_id": author_id,
        "author_name": author_name,
        "created": created,
        "modified": created,
        "revision": 1,
        "comment": comment,
        "status": status,
        "deleted": 0,
        "origin_id": None,
        "anchor": "exact",
        "anchor_score": None,
        "article": None,
        "paragraph": None,
        "subparagraph": None,
        "item": None,
        "citation": None,
        "stance": None,
        "proposal": None,
        **anchor,
    }


def _clean_comment(text: str) -> str:
    """Comments are plain text: control characters other than newline and tab are dropped."""
    cleaned = clean_text(text)
    if len(cleaned) > MAX_COMMENT:
        raise ReviewerError(f"a comment is at most {MAX_COMMENT} characters")
    return cleaned


def _reading_order(row: Row) -> tuple[int, int, str, str]:
    start = row["text_start"]
    return (int(row["page"]), -1 if start is None else int(start), row["created"], row["id"])
