"""The domain as the rest of the program sees it: plain, immutable records."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from reviewer.core.geometry import PageGeometry, Quad
from reviewer.core.links import LinkEnd

STATUSES = ("open", "accepted", "rejected", "resolved")
KINDS = ("highlight", "note", "area", "position")
# A link: one annotation with an end in each of two documents (reviewer.core.links).
LINK = "link"
STANCES = ("support", "declaration", "reservation", "oppose", "undecided")


@dataclass(frozen=True)
class Tag:
    id: str
    name: str
    color: str
    definition: str
    position: int
    retired: bool

    @classmethod
    def from_row(cls, row: dict[str, Any]) -> Tag:
        return cls(
            row["id"], row["name"], row["color"], row["definition"], row["position"], bool(row["retired"])
        )


@dataclass(frozen=True)
class Reply:
    id: str
    annotation_id: str
    author_id: str
    author_name: str
    created: str
    modified: str
    revision: int
    comment: str
    deleted: bool
    modified_by_id: str | None = None  # who made this version; None: the author
    modified_by_name: str | None = None

    @property
    def editor_name(self) -> str:
        return self.modified_by_name or self.author_name

    @property
    def editor_id(self) -> str:
        return self.modified_by_id or self.author_id

    @classmethod
    def from_row(cls, row: dict[str, Any]) -> Reply:
        return cls(
            row["id"],
            row["annotation_id"],
            row["author_id"],
            row["author_name"],
            row["created"],
            row["modified"],
            row["revision"],
            row["comment"],
            bool(row["deleted"]),
            row.get("modified_by_id"),
            row.get("modified_by_name"),
        )

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "author": self.author_name,
            "author_id": self.author_id,
            "modified_by": {"id": self.editor_id, "name": self.editor_name},
            "created": self.created,
            "modified": self.modified,
            "revision": self.revision,
            "comment": self.comment,
            "deleted": self.deleted,
        }


@dataclass(frozen=True)
class Annotation:
    id: str
    document_id: str
    kind: str
    author_id: str
    author_name: str
    created: str
    modified: str
    revision: int
    page: int  # 0-based
    pages: tuple[int, ...]
    quote: str
    prefix: str
    suffix: str
    text_start: int | None
    text_end: int | None
    quads: tuple[Quad, ...]
    geometry: dict[int, PageGeometry]
    comment: str
    status: str
    deleted: bool
    tags: tuple[Tag, ...] = ()
    replies: tuple[Reply, ...] = ()
    origin_id: str | None = None
    anchor: str = "exact"
    anchor_score: float | None = None
    article: int | None = None
    paragraph: int | None = None
    subparagraph: str | None = None
    item: str | None = None
    citation: str | None = None
    modified_by_id: str | None = None  # who made this version; None: the author
    modified_by_name: str | None = None
    private: bool = False  # never leaves this database (team folder, exports)
    extra: dict[str, Any] = field(default_factory=dict)
    links: tuple[LinkEnd, ...] = ()  # a link's other ends, seen from this document
    stance: str | None = None  # a position's: one of STANCES (its rationale is the comment)
    proposal: str | None = None  # a position's draft wording of a reservation or declaration

    @property
    def tag_names(self) -> list[str]:
        return [t.name for t in self.tags]

    @property
    def editor_name(self) -> str:
        return self.modified_by_name or self.author_name

    @property
    def editor_id(self) -> str:
        return self.modified_by_id or self.author_id

    @classmethod
    def from_row(cls, row: dict[str, Any], tags_by_id: dict[str, Tag]) -> Annotation:
        geometry = {int(k): PageGeometry.from_json(v) for k, v in json.loads(row["geometry"]).items()}
        return cls(
            id=row["id"],
            document_id=row["document_id"],
            kind=row["kind"],
            author_id=row["author_id"],
            author_name=row["author_name"],
            created=row["created"],
            modified=row["modified"],
            revision=row["revision"],
            page=row["page"],
            pages=tuple(json.loads(row["pages"])),
            quote=row["quote"],
            prefix=row["prefix"],
            suffix=row["suffix"],
            text_start=row["text_start"],
            text_end=row["text_end"],
            quads=tuple(Quad.from_json(q) for q in json.loads(row["quads"])),
            geometry=geometry,
            comment=row["comment"],
            status=row["status"],
            deleted=bool(row["deleted"]),
            tags=tuple(tags_by_id[t] for t in row.get("tag_ids", ()) if t in tags_by_id),
            replies=tuple(Reply.from_row(r) for r in row.get("replies", ())),
            origin_id=row["origin_id"],
            anchor=row["anchor"],
            anchor_score=row["anchor_score"],
            article=row["article"],
            paragraph=row["paragraph"],
            subparagraph=row["subparagraph"],
            item=row.get("item"),
            citation=row["citation"],
            modified_by_id=row.get("modified_by_id"),
            modified_by_name=row.get("modified_by_name"),
            links=tuple(LinkEnd.from_row(e) for e in row.get("link_ends", ())),
            private=bool(row.get("private")),
            stance=row.get("stance"),
            proposal=row.get("proposal"),
        )

    def to_json(self) -> dict[str, Any]:
        """The record ``reviewer list --json`` prints (pages 1-based there)."""
        record = {
            "id": self.id,
            "document": self.document_id,
            "kind": self.kind,
            "page": self.page + 1,
            "pages": [p + 1 for p in self.pages],
            "quote": self.quote,
            "prefix": self.prefix,
            "suffix": self.suffix,
            "text_start": self.text_start,
            "text_end": self.text_end,
            "tags": self.tag_names,
            "comment": self.comment,
            "author": self.author_name,
            "author_id": self.author_id,
            "modified_by": {"id": self.editor_id, "name": self.editor_name},
            "status": self.status,
            "created": self.created,
            "modified": self.modified,
            "revision": self.revision,
            "deleted": self.deleted,
            "private": self.private,
            "replies": [r.to_json() for r in self.replies],
            "article": self.article,
            "paragraph": self.paragraph,
            "subparagraph": self.subparagraph,
            "item": self.item,
            "citation": self.citation,
            "anchor": self.anchor,
            "origin": self.origin_id,
            "quads": [q.to_json() for q in self.quads],
            "geometry": {str(k): g.to_json() for k, g in sorted(self.geometry.items())},
        }
        if self.kind == LINK:
            record["links"] = [end.to_json(self.id) for end in self.links]
        if self.kind == "position":
            record.update(stance=self.stance, rationale=self.comment, proposal=self.proposal)
        return record


# --- annotating ---
class AnnotationEntry(NamedTuple):
    """An annotation as a list shows it: no quads, geometry or reply texts.

    The annotation panel holds one per annotation of the document; building 10,000 full
    ``Annotation`` records (JSON quads and geometry) took ~0.4 s. A named tuple, because a
    frozen dataclass spends most of its construction time in ``object.__setattr__``.
    """

    id: str
    kind: str
    page: int
    quote: str
    comment: str
    status: str
    author_id: str
    author_name: str
    created: str
    modified: str
    revision: int
    citation: str | None
    article: int | None
    anchor: str
    text_start: int | None
    anchor_score: float | None  # shown as "fuzzy 0.94" in the panel
    modified_by_name: str | None  # who made this version (None: the author)
    tags: tuple[Tag, ...]
    reply_count: int

    @property
    def tag_names(self) -> list[str]:
        return [t.name for t in self.tags]

    @property
    def editor_name(self) -> str:
        return self.modified_by_name or self.author_name
