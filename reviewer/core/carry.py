"""Carrying a review to a new version of a document, and re-attaching orphans.

The draft a team annotated for months is replaced by the adopted text: an article inserted,
numbers shifted, wording tightened. ``carry_annotations`` copies every live annotation of the
old document onto the new one as a *new* annotation (new id, ``origin_id`` = the old id), found
again by ``anchoring`` and placed with new page, quads, offsets, quote and citation. The old
review stays as it was. Nothing is ever dropped: a passage that cannot be found becomes an
orphan on the new document (``anchor='orphan'``, no quads, its old quote kept) that the
reviewer can re-attach to a new selection with ``reattach_annotation``.

Everything is one ``ReplaceRows`` change: one transaction, one undo step. Carrying again skips
the annotations already carried (found by ``origin_id``), so it never duplicates.
"""

from __future__ import annotations

import uuid
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from reviewer.core import operations as ops
from reviewer.core.anchoring import EXACT, FUZZY, ORPHAN, AnchorResult, anchor_all
from reviewer.core.errors import ReviewerError
from reviewer.core.pdf import PdfDocument
from reviewer.core.review import Review, anchor_fields
from reviewer.core.store import Row, Snapshot, dumps
from reviewer.core.structure import structure_of
from reviewer.core.timeutil import utc_now

ALREADY = "already-carried"
CHECKED = "checked"  # same document: anchors verified, nothing copied


@dataclass(frozen=True)
class CarryOutcome:
    """What became of one annotation of the old document."""

    old_id: str
    new_id: str | None
    status: str  # exact | fuzzy | orphan | already-carried
    score: float | None
    old_citation: str | None
    new_citation: str | None
    old_page: int  # 0-based
    new_page: int | None
    quote: str

    def to_json(self) -> dict[str, Any]:
        return {
            "old_id": self.old_id,
            "new_id": self.new_id,
            "status": self.status,
            "score": self.score,
            "old_citation": self.old_citation,
            "new_citation": self.new_citation,
            "old_page": self.old_page + 1,
            "new_page": self.new_page + 1 if self.new_page is not None else None,
            "quote": self.quote,
        }


@dataclass
class CarryReport:
    old_document_id: str
    new_document_id: str
    outcomes: list[CarryOutcome] = field(default_factory=list)
    change: ops.Change | None = None
    same_document: bool = False

    @property
    def counts(self) -> dict[str, int]:
        counted = Counter(o.status for o in self.outcomes)
        return {status: counted.get(status, 0) for status in (EXACT, FUZZY, ORPHAN, ALREADY)}

    def to_json(self) -> dict[str, Any]:
        return {
            "old_document": self.old_document_id,
            "new_document": self.new_document_id,
            "same_document": self.same_document,
            "counts": self.counts,
            "annotations": [o.to_json() for o in self.outcomes],
        }


def _strip(row: Row) -> Row:
    return {k: v for k, v in row.items() if k not in ("tag_ids", "replies")}


def carry_annotations(review: Review, old_document_id: str, new_pdf: PdfDocument) -> CarryReport:
    """Copy the live annotations of ``old_document_id`` onto ``new_pdf`` (one undo step)."""
    new_document = review.register(new_pdf)
    new_id_doc = str(new_document["id"])
    report = CarryReport(old_document_id, new_id_doc)
    old_rows = [r for r in review.store.query_annotations(old_document_id) if not r["deleted"]]
    flow = new_pdf.flow()
    structure = structure_of(new_pdf)
    if old_document_id == new_id_doc:
        # The same bytes: check every anchor in place and copy nothing.
        report.same_document = True
        for row, checked in zip(old_rows, anchor_all(flow, old_rows), strict=True):
            place = structure.place_at(checked.start).citation if checked.start is not None else None
            report.outcomes.append(
                CarryOutcome(
                    row["id"],
                    row["id"],
                    checked.status,
                    checked.score,
                    row["citation"],
                    place,
                    row["page"],
                    flow.page_of_offset(checked.start) if checked.start is not None else None,
                    row["quote"],
                )
            )
        return report

    carried_before = {
        r["origin_id"]: r
        for r in review.store.query_annotations(new_id_doc, include_deleted=True)
        if r["origin_id"]
    }
    to_carry = [r for r in old_rows if r["id"] not in carried_before]
    for row in old_rows:
        if row["id"] in carried_before:
            done = carried_before[row["id"]]
            report.outcomes.append(
                CarryOutcome(
                    row["id"],
                    done["id"],
                    ALREADY,
                    done["anchor_score"],
                    row["citation"],
                    done["citation"],
                    row["page"],
                    done["page"],
                    row["quote"],
                )
            )
    text_rows = [r for r in to_carry if r["quote"]]
    results = dict(zip((r["id"] for r in text_rows), anchor_all(flow, text_rows), strict=True))

    now = utc_now()
    target = Snapshot()
    shift = 0
    for row in sorted(to_carry, key=lambda r: (r["text_start"] is None, r["text_start"] or 0, r["page"])):
        new_row = _strip(row)
        new_id = str(uuid.uuid4())
        new_row.update(id=new_id, document_id=new_id_doc, modified=now, revision=1, origin_id=row["id"])
        result: AnchorResult | None = results.get(row["id"])
        if result is not None and result.start is not None and result.end is not None:
            new_row.update(anchor_fields(new_pdf, row["kind"], result.start, result.end))
            new_row.update(anchor=result.status, anchor_score=result.score)
            if row["text_start"] is not None and result.status == EXACT:
                shift = result.start - int(row["text_start"])
        elif result is None and row["kind"] in ("note", "area") and row["page"] < new_pdf.page_count:
            # A page note or a figure box has no text to find: same page and spot, flagged.
            new_row.update(anchor=FUZZY, anchor_score=0.0)
            new_row.update(_place_fields_near(structure, flow, None, row["page"]))
            result = AnchorResult(FUZZY, None, None, 0.0)
        else:
            new_row.update(_orphan_fields(new_pdf, row, shift))
            result = result or AnchorResult(ORPHAN, None, None, 0.0)
        target.annotations[new_id] = new_row
        target.annotation_tags[new_id] = tuple(row["tag_ids"])
        for reply in row["replies"]:
            reply_id = str(uuid.uuid4())
            target.replies[reply_id] = dict(reply, id=reply_id, annotation_id=new_id)
        report.outcomes.append(
            CarryOutcome(
                row["id"],
                new_id,
                result.status,
                result.score,
                row["citation"],
                new_row["citation"],
                row["page"],
                new_row["page"] if result.status != ORPHAN else None,
                row["quote"],
            )
        )

    if target.annotations:

        def nothing_there(before: Snapshot) -> None:
            if any(r is not None for r in before.annotations.values()):
                raise ReviewerError("an annotation id collided during the carry; nothing was changed")

        count = len(target.annotations)
        report.change = review.apply(
            ops.ReplaceRows(
                f"Carry {count} annotation{'s' if count != 1 else ''} to a new version",
                target,
                check=nothing_there,
            )
        )
    order = {o.old_id: i for i, o in enumerate(report.outcomes)}
    reading = {r["id"]: i for i, r in enumerate(old_rows)}
    report.outcomes.sort(key=lambda o: reading.get(o.old_id, order[o.old_id]))
    return report


def _place_fields_near(structure: Any, flow: Any, offset: int | None, page: int) -> Row:
    if offset is None:
        offset = flow.page_start[page] if page < len(flow.page_start) else 0
    return dict(structure.place_at(offset).fields())


def _orphan_fields(pdf: PdfDocument, row: Row, shift: int) -> Row:
    """An orphan keeps its old quote and context, no quads, on the page where it probably was."""
    flow = pdf.flow()
    if row["text_start"] is not None and flow.text:
        guess = max(0, min(len(flow.text) - 1, int(row["text_start"]) + shift))
        page = flow.page_of_offset(guess)
    else:
        page = min(int(row["page"]), pdf.page_count - 1)
    return {
        "page": page,
        "pages": dumps([page]),
        "quads": "[]",
        "geometry": dumps({str(page): pdf.geometry(page).to_json()}),
        "text_start": None,
        "text_end": None,
        "anchor": ORPHAN,
        "anchor_score": None,
        "article": None,
        "paragraph": None,
        "subparagraph": None,
        "item": None,
        "citation": None,
    }


def reattach_annotation(
    review: Review, pdf: PdfDocument, annotation_id: str, start: int, end: int
) -> ops.Change:
    """Put an annotation (usually an orphan) on ``flow.text[start:end]`` of ``pdf``: one undo step.

    The annotation must belong to ``pdf``'s document. Comment, tags, status and replies stay.
    """
    row = review.store.annotation_row(annotation_id)
    if row is None:
        raise ReviewerError(f"no annotation with id {annotation_id}")
    document = review.register(pdf)
    if row["document_id"] != document["id"]:
        raise ReviewerError(
            "that annotation belongs to another document; carry it to this one first", path=pdf.path
        )
    flow = pdf.flow()
    if not 0 <= start < end <= len(flow.text):
        raise ReviewerError(f"the range {start}-{end} is outside the document's text", path=pdf.path)
    fields = anchor_fields(pdf, row["kind"] if row["kind"] != "note" else "highlight", start, end)
    if row["kind"] == "note":
        fields["kind"] = "highlight"
    fields.update(anchor=EXACT, anchor_score=1.0)
    return review.apply(ops.UpdateAnnotation(annotation_id, fields=fields, label="Re-attach annotation"))


def earlier_versions(review: Review, pdf: PdfDocument) -> list[Row]:
    """Documents of this review that look like earlier versions of ``pdf`` and have live
    annotations: the same PDF /ID[0] (the file was re-saved or revised by its authors) or the
    same title. Newest first. The GUI offers to carry from these when ``pdf`` is opened."""
    info = pdf.info()
    title = " ".join(info.title.lower().split())
    found: list[Row] = []
    for document in review.store.documents():
        if document["id"] == info.sha256:
            continue
        same_id = info.pdf_id is not None and document["pdf_id"] == info.pdf_id
        same_title = " ".join(str(document["title"]).lower().split()) == title
        if (same_id or same_title) and review.store.query_annotations(document["id"]):
            found.append(document)
    return found
