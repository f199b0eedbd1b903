"""A link between passages of two documents, seen from either of them.

A link is one annotation (kind ``link``): its own row is its first end, ``link_targets`` rows
are the others. Listed on the document of another end, the link is *seen from* that end: its
anchor (page, quads, quote, citation) is that end's, so the page view paints it where it is,
and its ``link_ends`` are the rest (the first end among them). Comment, tags, status and
replies are the one annotation's, whichever end shows them.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from reviewer.core.concordance import RELATIONS
from reviewer.core.store import ANCHOR_COLUMNS

ANCHOR_FIELDS = ANCHOR_COLUMNS  # a link's end: the columns a passage's place takes

__all__ = ["ANCHOR_FIELDS", "RELATIONS", "LinkEnd", "seen_from", "own_end"]


@dataclass(frozen=True)
class LinkEnd:
    """One end of a link as another end sees it."""

    position: int  # 0: the link's first end (its own row); 1, 2 ...: its targets
    document_id: str
    relation: str | None  # the first end's passage relative to the second's
    page: int  # 0-based
    quote: str
    citation: str | None
    text_start: int | None
    text_end: int | None
    quads: str  # JSON, as stored
    geometry: str

    @classmethod
    def from_row(cls, row: dict[str, Any]) -> LinkEnd:
        return cls(
            int(row.get("position", 0)),
            row["document_id"],
            row.get("relation"),
            int(row["page"]),
            row["quote"],
            row.get("citation"),
            row.get("text_start"),
            row.get("text_end"),
            row["quads"],
            row["geometry"],
        )

    def to_json(self, link_id: str) -> dict[str, Any]:
        return {
            "id": link_id,
            "relation": self.relation,
            "document": self.document_id,
            "citation": self.citation,
            "quote": self.quote,
            "page": self.page + 1,
            "end": self.position,
        }

    @property
    def pages(self) -> list[int]:
        return sorted({int(q["page"]) for q in json.loads(self.quads)}) or [self.page]


def own_end(row: dict[str, Any]) -> dict[str, Any]:
    """The first end of a link (its annotation row's anchor) as a target-shaped row."""
    return {"position": 0, "document_id": row["document_id"], "relation": None} | {
        k: row.get(k) for k in ANCHOR_FIELDS
    }


def seen_from(row: dict[str, Any], document_id: str | None) -> dict[str, Any]:
    """The annotation row as the list of ``document_id`` shows it, with its ``link_ends``.

    Not a link, or its own document: the row itself, its targets as ends. Another end's
    document: that end's anchor in place of the row's, the first end (with the relation the
    two share) and the remaining targets as its ends.
    """
    targets = list(row.get("link_targets") or ())
    if row.get("kind") != "link":
        return row
    here = next((t for t in targets if t["document_id"] == document_id), None)
    if here is None or row["document_id"] == document_id:
        return dict(row, link_ends=targets)
    first = dict(own_end(row), relation=here.get("relation"))
    others = [t for t in targets if t is not here]
    view = dict(row, document_id=here["document_id"], link_ends=[first, *others])
    view.update({k: here.get(k) for k in ANCHOR_FIELDS})
    view["seen_from_end"] = int(here["position"])
    return view
