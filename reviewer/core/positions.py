"""Article by article: a reviewer's position on an article, the mark that they have finished
reviewing it, and who is assigned to it.

A position is an annotation of kind ``position`` whose target is the article's text: it undoes,
exports, merges and conflicts like every other annotation. Its id is derived from the document,
the reviewer and the article, so a reviewer holds one position per article: a new one is a new
revision of it (the version it replaces is kept in ``position_history``), and the same reviewer
changing it on two machines is a conflict when the two files meet. Marks and assignments are
rows of their own, also known by derived ids, that travel in review files (``rv:coverage``).
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Sequence
from dataclasses import dataclass

from reviewer.core import operations as ops
from reviewer.core.errors import ReviewerError
from reviewer.core.model import STANCES
from reviewer.core.pdf import PdfDocument
from reviewer.core.plain_text import clean_text
from reviewer.core.review import Review, anchor_fields, new_annotation_row
from reviewer.core.store import Row, Snapshot, SnapshotKeys, Store, dumps
from reviewer.core.timeutil import utc_now

_NAMESPACE = uuid.UUID("6f0b5c1e-8a2d-4f3b-9c7e-1d2a3b4c5d6e")
MAX_PROPOSAL = 20_000


@dataclass(frozen=True)
class ArticleRef:
    """An article (or a bill's section) as positions, marks and assignments name it."""

    number: int
    label: str
    citation: str
    title: str
    start: int
    end: int
    page: int  # 0-based


def articles_of(pdf: PdfDocument) -> list[ArticleRef]:
    """The document's articles in reading order, one per number (annexes left out)."""
    from reviewer.core.structure import structure_of

    out: dict[int, ArticleRef] = {}
    for unit in structure_of(pdf).articles:
        if unit.kind == "annex" or unit.number in out:
            continue
        out[unit.number] = ArticleRef(
            unit.number, unit.label, unit.citation, unit.title, unit.start, unit.end, unit.page
        )
    return list(out.values())


def article(pdf: PdfDocument, number: int) -> ArticleRef:
    found = {a.number: a for a in articles_of(pdf)}
    if number not in found:
        raise ReviewerError(f"article {number} is not in the document ({_span(found)})", path=pdf.path)
    return found[number]


def _span(found: dict[int, ArticleRef]) -> str:
    if not found:
        return "no articles were found in it"
    return f"its articles are {min(found)}-{max(found)}"


def parse_article_ranges(spec: str, known: Sequence[int], path: str | None = None) -> list[int]:
    """``"1-20,24"`` as article numbers, each of which must be in the document."""
    numbers: list[int] = []
    for part in spec.split(","):
        part = part.strip()
        match = re.fullmatch(r"(\d{1,6})(?:\s*-\s*(\d{1,6}))?", part)
        if not match:
            raise ReviewerError(f"--articles: {part!r} is not a number or a range like 1-20", path=path)
        first = int(match.group(1))
        last = int(match.group(2) or first)
        if last < first:
            raise ReviewerError(f"--articles: the range {part!r} runs backwards", path=path)
        numbers.extend(range(first, last + 1))
    missing = sorted(set(numbers) - set(known))
    if missing:
        shown = ", ".join(map(str, missing[:5])) + (" ..." if len(missing) > 5 else "")
        raise ReviewerError(f"--articles: article {shown} is not in the document", path=path)
    return list(dict.fromkeys(numbers))


def position_id(document_id: str, author_id: str, number: int) -> str:
    return str(uuid.uuid5(_NAMESPACE, f"position/{document_id}/{author_id}/{number}"))


def mark_id(document_id: str, number: int, reviewer_id: str) -> str:
    return str(uuid.uuid5(_NAMESPACE, f"mark/{document_id}/{number}/{reviewer_id}"))


def assignment_id(document_id: str, number: int) -> str:
    return str(uuid.uuid5(_NAMESPACE, f"assignment/{document_id}/{number}"))


_EDITOR = ("modified_by_id", "modified_by_name")  # who changed a row does not change it alone


# --- operations -------------------------------------------------------------------------------
@dataclass
class SetPosition:
    """Create a reviewer's position on an article, or supersede it (the old version to history)."""

    row: Row  # the whole row as it is when first made (revision 1)
    label: str = "Set position"

    def _history_id(self, store: Store) -> str | None:
        held = store.annotation_row(self.row["id"])
        return None if held is None else f"{self.row['id']}#{held['revision']}"

    def keys(self, store: Store) -> SnapshotKeys:
        history = self._history_id(store)
        return SnapshotKeys(annotations=(self.row["id"],), position_history=(history,) if history else ())

    def compute(self, before: Snapshot) -> Snapshot:
        annotation_id = self.row["id"]
        old = before.annotations[annotation_id]
        if old is None:
            return Snapshot(annotations={annotation_id: dict(self.row)}, annotation_tags={annotation_id: ()})
        changed = {k: self.row[k] for k in ("stance", "comment", "proposal")}
        if not old["deleted"] and all(old[k] == v for k, v in changed.items()):
            return before
        now = utc_now()
        new = dict(old, **changed, deleted=0)
        new["revision"] = int(old["revision"]) + 1
        new["modified"] = now
        after = Snapshot(
            annotations={annotation_id: new},
            annotation_tags={annotation_id: before.annotation_tags[annotation_id]},
        )
        if not old["deleted"]:
            history_id = f"{annotation_id}#{old['revision']}"
            after.position_history[history_id] = {
                "id": history_id,
                "annotation_id": annotation_id,
                "revision": int(old["revision"]),
                "stance": old["stance"],
                "rationale": old["comment"],
                "proposal": old["proposal"],
                "modified": old["modified"],
                "superseded": now,
            }
        return after


@dataclass
class PutCoverageRows:
    """Marks or assignments (``table``: the Snapshot field): each real change a new revision."""

    table: str
    rows: Sequence[Row]
    label: str

    def keys(self, store: Store) -> SnapshotKeys:
        return SnapshotKeys(**{self.table: tuple(r["id"] for r in self.rows)})

    def compute(self, before: Snapshot) -> Snapshot:
        held: dict[str, Row | None] = getattr(before, self.table)
        now = utc_now()
        changed: dict[str, Row | None] = {}
        for row in self.rows:
            old = held[row["id"]]
            content = {k: v for k, v in row.items() if k not in ("revision", "modified")}
            if old is not None and all(old.get(k) == v for k, v in content.items() if k not in _EDITOR):
                continue
            changed[row["id"]] = dict(
                content, revision=1 if old is None else int(old["revision"]) + 1, modified=now
            )
        after = Snapshot()
        setattr(after, self.table, changed)
        return after


# --- what the CLI and the window call ---------------------------------------------------------
def set_position(
    review: Review,
    pdf: PdfDocument,
    number: int,
    stance: str,
    rationale: str = "",
    proposal: str | None = None,
) -> ops.Change:
    """The reviewer's position on article ``number`` (their earlier one is superseded)."""
    if stance not in STANCES:
        raise ReviewerError(f"unknown stance {stance!r} (use {', '.join(STANCES)})", path=pdf.path)
    unit = article(pdf, number)
    rationale = clean_text(rationale).strip()
    wording = clean_text(proposal).strip() if proposal is not None else ""
    if len(rationale) > 100_000 or len(wording) > MAX_PROPOSAL:
        raise ReviewerError(f"a rationale or proposal is too long (at most {MAX_PROPOSAL})", path=pdf.path)
    with review.store.transaction():
        document = review.register(pdf)
        anchor = anchor_fields(pdf, "highlight", unit.start, unit.end)
        # The whole article is the target; painting it would cover the page, so no quads.
        anchor.update(quads=dumps([]), article=unit.number, citation=unit.citation)
        anchor.update(paragraph=None, subparagraph=None, item=None)
        # The reviewer's position on the article, wherever it came from (a carry from an
        # earlier version gives it another id), else the one its id names.
        held = [
            r["id"]
            for r in review.store.position_rows(document["id"])
            if r["author_id"] == review.identity.id and r["article"] == unit.number
        ]
        row = new_annotation_row(
            {"kind": "position", **anchor},
            annotation_id=held[0] if held else position_id(document["id"], review.identity.id, unit.number),
            document_id=document["id"],
            author_id=review.identity.id,
            author_name=review.identity.name,
            created=utc_now(),
            comment=rationale,
            status="open",
        )
        row.update(stance=stance, proposal=wording or None)
        return review.apply(SetPosition(row))


def mark_reviewed(review: Review, pdf: PdfDocument, numbers: Sequence[int], reviewed: bool) -> ops.Change:
    for number in numbers:
        article(pdf, number)
    with review.store.transaction():
        document_id = review.register(pdf)["id"]
        rows = [
            {
                "id": mark_id(document_id, n, review.identity.id),
                "document_id": document_id,
                "article": n,
                "reviewer_id": review.identity.id,
                "reviewer_name": review.identity.name,
                "reviewed": int(reviewed),
            }
            for n in numbers
        ]
        label = "Mark reviewed" if reviewed else "Mark not reviewed"
        return review.apply(PutCoverageRows("marks", rows, label))


def assign(review: Review, pdf: PdfDocument, spec: str, assignee: str | None) -> ops.Change:
    """Assign the articles of ``spec`` ("1-20,24") to ``assignee``, or unassign them (None)."""
    numbers = parse_article_ranges(spec, [a.number for a in articles_of(pdf)], pdf.path)
    name = None if assignee is None else clean_text(assignee, one_line=True).strip()
    if name is not None and not name:
        raise ReviewerError("--to needs a name", path=pdf.path)
    with review.store.transaction():
        document_id = review.register(pdf)["id"]
        rows = [
            {
                "id": assignment_id(document_id, n),
                "document_id": document_id,
                "article": n,
                "assignee": name,
                "modified_by_id": review.identity.id,
                "modified_by_name": review.identity.name,
            }
            for n in numbers
        ]
        return review.apply(PutCoverageRows("assignments", rows, "Assign" if name else "Unassign"))


def position_history(review: Review, annotation_id: str) -> list[Row]:
    """The versions a reviewer's later positions on the article superseded, oldest first."""
    return review.store.position_history(annotation_id)
