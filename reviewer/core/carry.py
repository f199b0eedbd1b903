"""Carrying a review to a new version of a document, and re-attaching orphans.

The draft a team annotated for months is replaced by the adopted text: an article inserted,
numbers shifted, wording tightened, a paragraph deleted. ``carry_annotations`` copies every
live annotation of the old document onto the new one as a *new* annotation (new id,
``origin_id`` = the old id) with new page, quads, offsets, quote and citation. The old review
stays as it was. Nothing is ever dropped.

Where an annotation goes is read off a word-level alignment of the two whole texts
(``alignment``): its words either survive (the new passage is where they went) or were
deleted, and then it is an **orphan** even when a similar sentence survives beside it. Only
text the alignment left unclaimed (an article moved to another chapter, a paragraph rewritten
from scratch) is searched by quote and context as a fallback; a region that is the successor
of another old passage is never a candidate. Each carried passage is then compared with its old
wording (``wording``): the same words are ``exact``; a light redraft is ``fuzzy``; a difference
in a number, date, duration, negation, modal verb, "and"/"or" or defined term, or a heavy
rewording, is ``changed``. The outcome, its word diff and the old wording are kept beside the
annotation (``carry_outcomes``) for the reviewer to walk through and confirm.

Everything is one ``ReplaceRows`` change: one transaction, one undo step. Carrying again skips
the annotations already carried (found by ``origin_id``), so it never duplicates.
"""

from __future__ import annotations

import uuid
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, cast

from reviewer.core import operations as ops
from reviewer.core import progress
from reviewer.core.alignment import Alignment, align
from reviewer.core.anchoring import (
    EXACT,
    FUZZY,
    ORPHAN,
    WORD_RE,
    AnchorResult,
    TextAnchor,
    anchor_all,
    anchor_annotation,
)
from reviewer.core.errors import ReviewerError
from reviewer.core.pdf import PdfDocument, open_pdf
from reviewer.core.review import Review, anchor_fields
from reviewer.core.store import Row, Snapshot, SnapshotKeys, Store, dumps
from reviewer.core.structure import structure_of
from reviewer.core.textflow import TextFlow, match_key, normalize_quote
from reviewer.core.timeutil import utc_now
from reviewer.core.wording import DiffSegment, defined_terms, materiality, similarity, word_diff

CHANGED = "changed"
OUTCOMES = (EXACT, FUZZY, CHANGED, ORPHAN)
ALREADY = "already-carried"
CHECKED = "checked"  # same document: anchors verified, nothing copied
SURVIVAL = 0.5  # share of a passage's words that must survive for it to be carried along
FREE_PAIRS = 0.5  # share of a quote's word pairs the unclaimed text must have to be searched
FREE_SHARE = 0.8  # share of a fallback match's words that must be text no old passage claimed
LIGHT_REDRAFT = 0.75  # similarity below which a rewording is reported as changed


@dataclass(frozen=True)
class CarryOutcome:
    """What became of one annotation of the old document."""

    old_id: str
    new_id: str | None
    status: str  # exact | fuzzy | changed | orphan | already-carried
    score: float | None
    old_citation: str | None
    new_citation: str | None
    old_page: int  # 0-based
    new_page: int | None
    quote: str
    new_quote: str | None = None
    diff: tuple[DiffSegment, ...] = ()
    kinds: tuple[str, ...] = ()  # material kinds of a ``changed`` outcome

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "old_id": self.old_id,
            "new_id": self.new_id,
            "outcome": self.status,
            "status": self.status,
            "score": self.score,
            "old_citation": self.old_citation,
            "new_citation": self.new_citation,
            "old_page": self.old_page + 1,
            "new_page": self.new_page + 1 if self.new_page is not None else None,
            "quote": self.quote,
        }
        if self.status in (FUZZY, CHANGED):
            data["new_quote"] = self.new_quote
            data["diff"] = [list(segment) for segment in self.diff]
        if self.status == CHANGED:
            data["material"] = list(self.kinds)
        return data


@dataclass
class CarryReport:
    old_document_id: str
    new_document_id: str
    outcomes: list[CarryOutcome] = field(default_factory=list)
    change: ops.Change | None = None
    same_document: bool = False
    aligned: bool = False  # the old text was at hand and both versions were aligned

    @property
    def counts(self) -> dict[str, int]:
        counted = Counter(o.status for o in self.outcomes)
        return {status: counted.get(status, 0) for status in (*OUTCOMES, ALREADY)}

    def summary(self) -> str:
        counts = self.counts
        return "  ".join(f"{name}: {counts[name]}" for name in OUTCOMES)

    def to_json(self) -> dict[str, Any]:
        return {
            "old_document": self.old_document_id,
            "new_document": self.new_document_id,
            "same_document": self.same_document,
            "aligned": self.aligned,
            "counts": self.counts,
            "annotations": [o.to_json() for o in self.outcomes],
        }


@dataclass(frozen=True)
class Placement:
    """Where an old passage went in the new text, and how its wording compares."""

    status: str
    start: int | None
    end: int | None
    score: float
    diff: tuple[DiffSegment, ...] = ()
    kinds: tuple[str, ...] = ()
    near: int | None = None  # an orphan: where its words stood, in the new text's offsets


def _strip(row: Row) -> Row:
    return {k: v for k, v in row.items() if k not in ("tag_ids", "replies", "link_targets")}


def old_version_pdf(review: Review, old_document_id: str) -> PdfDocument | None:
    """The old version's PDF, opened from where it was last seen, if it is still that file."""
    document = review.store.document(old_document_id)
    path = document and document.get("last_path")
    if not path or not Path(str(path)).is_file():
        return None
    try:
        pdf = open_pdf(str(path))
    except (ReviewerError, OSError):
        return None
    if pdf.info().sha256 != old_document_id:
        pdf.close()
        return None
    return pdf


class VersionMap:
    """The two versions aligned, with what carrying one passage needs."""

    def __init__(self, old_flow: TextFlow, new_flow: TextFlow) -> None:
        self.old_flow = old_flow
        self.new_flow = new_flow
        self.alignment: Alignment = align(old_flow.key, new_flow.key)
        self.terms = defined_terms(old_flow.key) | defined_terms(new_flow.key)
        self._free: _FreeText | None = None

    def old_range(self, row: Row) -> tuple[int, int] | None:
        """The passage's offsets in the old text: the stored ones when they still hold it."""
        start, end = row["text_start"], row["text_end"]
        text = self.old_flow.text
        if (
            start is not None
            and end is not None
            and 0 <= start < end <= len(text)
            and match_key(text[start:end]) == match_key(normalize_quote(row["quote"]))
        ):
            return int(start), int(end)
        found = anchor_annotation(self.old_flow, row)
        if found.status == EXACT and found.start is not None and found.end is not None:
            return found.start, found.end
        return None

    def place(self, row: Row) -> Placement:
        old_range = self.old_range(row)
        if old_range is None:
            # The old text does not hold the quote (another extraction): search it as before.
            return classify_found(
                row["quote"], self.new_flow, anchor_annotation(self.new_flow, row), self.terms
            )
        start, end = old_range
        old_key = self.old_flow.key[start:end]
        found = self._through_alignment(start, end)
        if found is None:
            found = self._in_free_text(row, start)
        if found is None:
            return Placement(ORPHAN, None, None, 0.0, near=self._near(start))
        return classify(old_key, self.new_flow, found[0], found[1], self.terms)

    def _near(self, old_start: int) -> int | None:
        """Where the deleted words stood: just after the last surviving word before them."""
        a = self.alignment
        i, _ = a.old.covering(old_start, old_start + 1)
        before = a.nearest_before(i, limit=len(a.old))
        return int(a.new.ends[before]) if 0 <= before < len(a.new) else None

    def _through_alignment(self, start: int, end: int) -> tuple[int, int] | None:
        a = self.alignment
        old, new = a.old, a.new
        i, j = old.covering(start, end)
        if i >= j:
            return None
        word_tokens = [k for k in range(i, j) if old.words[k][0].isalnum() or old.words[k][0] == "_"]
        counted = word_tokens or list(range(i, j))
        surviving = sum(1 for k in counted if a.old_to_new[k] >= 0)
        if surviving / len(counted) < SURVIVAL:
            return None
        mapped = a.surviving(i, j)
        first, last = mapped[0], mapped[-1]
        # Head: the passage's first words survive (keep a cut inside a word), or they were
        # replaced, and the new words in their place belong to the passage.
        if a.old_to_new[i] >= 0:
            new_start = new.starts[first] + max(0, start - old.starts[i])
            new_start = min(new_start, new.ends[first] - 1)
        else:
            head = next(k for k in range(i, j) if a.old_to_new[k] >= 0) - i
            before = a.nearest_before(i)
            k = max(before + 1, first - (2 * head + 2))
            new_start = new.starts[k] if k < first else new.starts[first]
        if a.old_to_new[j - 1] >= 0:
            cut = max(0, old.ends[j - 1] - end)
            new_end = max(new.starts[last] + 1, new.ends[last] - cut)
        else:
            tail = j - 1 - next(k for k in range(j - 1, i - 1, -1) if a.old_to_new[k] >= 0)
            after = a.nearest_after(j)
            k = min(after - 1, last + (2 * tail + 2))
            new_end = new.ends[k] if k > last else new.ends[last]
        return _trimmed(self.new_flow.text, new_start, new_end)

    def _in_free_text(self, row: Row, old_start: int) -> tuple[int, int] | None:
        """Moved or rewritten text: search the quote only where no old passage survives."""
        if self._free is None:
            self._free = _FreeText(self.new_flow, self.alignment)
        if not self._free.may_hold(row["quote"]):
            return None
        a = self.alignment
        i, _ = a.old.covering(old_start, old_start + 1)
        before = a.nearest_before(i)
        expected = a.new.ends[before] + 1 if 0 <= before < len(a.new) else None
        anchor = TextAnchor(row["quote"], row["prefix"] or "", row["suffix"] or "", None, None)
        result = anchor_annotation(cast(TextFlow, self._free), anchor, expected=expected)
        if not result.placed or result.start is None or result.end is None:
            return None
        if self._free.claimed_share(result.start, result.end) > 1 - FREE_SHARE:
            return None
        return result.start, result.end


class _FreeText:
    """The new text with every word that an old word survives as blanked out (same offsets),
    so that the quote search can only find text no old passage claims."""

    def __init__(self, flow: TextFlow, alignment: Alignment) -> None:
        key = flow.key
        new = alignment.new
        claimed = alignment.new_to_old
        pieces: list[str] = []
        done = 0  # characters of ``key`` copied or blanked so far
        k, count = 0, len(new)
        while k < count:
            if claimed[k] < 0:
                k += 1
                continue
            run_end = k
            while run_end + 1 < count and claimed[run_end + 1] >= 0:
                run_end += 1
            start, end = new.starts[k], new.ends[run_end]
            pieces.append(key[done:start])
            pieces.append("\x00" * (end - start))
            done = end
            k = run_end + 1
        pieces.append(key[done:])
        chars = pieces
        self.key = "".join(chars)
        self.key_folded = self.key.lower() if len(self.key.lower()) == len(self.key) else self.key
        self.text = self.key
        self._alignment = alignment
        # Word pairs of the unclaimed text (runs of words no old word survives as).
        self._pairs: set[tuple[str, str]] = set()
        self._words: set[str] = set()
        previous = ""
        for k in range(len(new)):
            word = new.words[k]
            if claimed[k] >= 0 or not (word[0].isalnum() or word[0] == "_"):
                previous = "" if claimed[k] >= 0 else previous
                continue
            word = word.lower()
            self._words.add(word)
            if previous:
                self._pairs.add((previous, word))
            previous = word

    def may_hold(self, quote: str) -> bool:
        """Whether the unclaimed text has most of the quote's word pairs: a moved passage has
        them all; without them the (costly) fuzzy search cannot reach its threshold anyway."""
        words = [w.lower() for w in WORD_RE.findall(match_key(normalize_quote(quote)))]
        pairs = set(zip(words, words[1:], strict=False))
        if not pairs:
            return bool(words) and words[0] in self._words
        return sum(1 for p in pairs if p in self._pairs) >= FREE_PAIRS * len(pairs)

    def claimed_share(self, start: int, end: int) -> float:
        new = self._alignment.new
        i, j = new.covering(start, end)
        if i >= j:
            return 1.0
        return sum(1 for k in range(i, j) if self._alignment.new_to_old[k] >= 0) / (j - i)


def _trimmed(text: str, start: int, end: int) -> tuple[int, int] | None:
    while start < end and text[start] == " ":
        start += 1
    while end > start and text[end - 1] == " ":
        end -= 1
    return (start, end) if start < end else None


def classify(old_key: str, new_flow: TextFlow, start: int, end: int, terms: set[str]) -> Placement:
    """Compare the old wording with the new words it was carried to."""
    new_key = new_flow.key[start:end]
    if new_key == old_key:
        return Placement(EXACT, start, end, 1.0)
    diff = word_diff(old_key, new_key)
    kinds = materiality(old_key, new_key, diff, terms).kinds
    score = round(similarity(old_key, new_key), 4)
    if kinds or score < LIGHT_REDRAFT:
        return Placement(CHANGED, start, end, score, tuple(diff), kinds or ("reworded",))
    return Placement(FUZZY, start, end, score, tuple(diff))


def classify_found(quote: str, new_flow: TextFlow, result: AnchorResult, terms: set[str]) -> Placement:
    """A quote search's result, with its wording compared (no alignment at hand)."""
    if not result.placed or result.start is None or result.end is None:
        return Placement(ORPHAN, None, None, result.score)
    placement = classify(match_key(normalize_quote(quote)), new_flow, result.start, result.end, terms)
    if placement.status == EXACT and result.status != EXACT:
        # The same words in other surroundings: right words, perhaps the wrong place.
        return Placement(FUZZY, result.start, result.end, result.score, (("=", quote),))
    return placement


def carry_annotations(
    review: Review,
    old_document_id: str,
    new_pdf: PdfDocument,
    old_pdf: PdfDocument | None = None,
    *,
    versions: VersionMap | None = None,
) -> CarryReport:
    """Copy the live annotations of ``old_document_id`` onto ``new_pdf`` (one undo step).

    ``old_pdf`` is the old version (opened from its last path when not given); without it the
    passages are searched by quote and context alone. ``versions``: the two texts already
    aligned (the window aligns them in a worker thread before it carries).
    """
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
    placements: dict[str, Placement] = {}
    opened_here = False
    if versions is not None and versions.new_flow is not flow:
        versions = None  # aligned with another reading of the new text
    if text_rows and old_pdf is None and versions is None:
        old_pdf = old_version_pdf(review, old_document_id)
        opened_here = old_pdf is not None
    try:
        if text_rows and versions is None and old_pdf is not None:
            versions = VersionMap(old_pdf.flow(), flow)
        if text_rows and versions is not None:
            report.aligned = True
            for at, r in enumerate(text_rows):
                if at % 100 == 0:  # a Cancel is heard here; nothing is written before the end
                    progress.report("placing the annotations", at, len(text_rows))
                placements[r["id"]] = versions.place(r)
        elif text_rows:
            terms = defined_terms(flow.key)
            found = anchor_all(flow, text_rows)
            placements = {
                r["id"]: classify_found(r["quote"], flow, f, terms)
                for r, f in zip(text_rows, found, strict=True)
            }
    finally:
        if opened_here and old_pdf is not None:
            old_pdf.close()

    now = utc_now()
    target = Snapshot()
    for at, row in enumerate(to_carry):
        if at % 100 == 0:
            progress.report("copying the annotations", at, len(to_carry))
        new_row = _strip(row)
        new_id = str(uuid.uuid4())
        new_row.update(id=new_id, document_id=new_id_doc, modified=now, revision=1, origin_id=row["id"])
        placement = placements.get(row["id"])
        if placement is not None and placement.start is not None and placement.end is not None:
            new_row.update(anchor_fields(new_pdf, row["kind"], placement.start, placement.end))
            new_row.update(anchor=placement.status, anchor_score=placement.score)
        elif placement is None and row["kind"] in ("note", "area") and row["page"] < new_pdf.page_count:
            # A page note or a figure box has no text to find: same page and spot, flagged.
            new_row.update(anchor=FUZZY, anchor_score=0.0)
            new_row.update(_place_fields_near(structure, flow, None, row["page"]))
            placement = Placement(FUZZY, None, None, 0.0)
        else:
            near = placement.near if placement is not None else None
            new_row.update(_orphan_fields(new_pdf, row, near))
            placement = Placement(ORPHAN, None, None, placement.score if placement else 0.0)
        if row["kind"] == "position":
            new_row["quads"] = "[]"  # a position's target is its whole article: never painted
        target.annotations[new_id] = new_row
        target.annotation_tags[new_id] = tuple(row["tag_ids"])
        target.carry_outcomes[new_id] = {
            "annotation_id": new_id,
            "outcome": placement.status,
            "score": placement.score,
            "kinds": dumps(list(placement.kinds)),
            "diff": dumps([list(s) for s in placement.diff]),
            "old_quote": row["quote"] or "",
            "old_citation": row["citation"],
            "confirmed": 0,
        }
        for reply in row["replies"]:
            reply_id = str(uuid.uuid4())
            target.replies[reply_id] = dict(reply, id=reply_id, annotation_id=new_id)
        placed = placement.status != ORPHAN
        report.outcomes.append(
            CarryOutcome(
                row["id"],
                new_id,
                placement.status,
                placement.score,
                row["citation"],
                new_row["citation"],
                row["page"],
                new_row["page"] if placed else None,
                row["quote"],
                new_row["quote"] if placed else None,
                placement.diff,
                placement.kinds,
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
    reading = {r["id"]: i for i, r in enumerate(old_rows)}
    report.outcomes.sort(key=lambda o: reading.get(o.old_id, 0))
    return report


def _place_fields_near(structure: Any, flow: Any, offset: int | None, page: int) -> Row:
    if offset is None:
        offset = flow.page_start[page] if page < len(flow.page_start) else 0
    return dict(structure.place_at(offset).fields())


def _orphan_fields(pdf: PdfDocument, row: Row, near: int | None = None) -> Row:
    """An orphan keeps its old quote and context, no quads, on the page where its words stood
    (``near``, from the alignment) or else on its old page number."""
    flow = pdf.flow()
    if near is not None and flow.text:
        page = flow.page_of_offset(min(near, len(flow.text) - 1))
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


@dataclass
class SettleCarried:
    """Settle a carried annotation: its anchor fields (new words, or the same ones confirmed)
    and its carry outcome marked confirmed, together, as one undo step."""

    annotation_id: str
    fields: dict[str, Any]
    label: str

    def keys(self, store: Store) -> SnapshotKeys:
        return SnapshotKeys(annotations=(self.annotation_id,), carry_outcomes=(self.annotation_id,))

    def compute(self, before: Snapshot) -> Snapshot:
        row = before.annotations[self.annotation_id]
        if row is None:
            raise ReviewerError(f"no annotation {self.annotation_id}")
        new = dict(row, **self.fields)
        new["revision"] = int(row["revision"]) + 1
        new["modified"] = utc_now()
        after = Snapshot(
            annotations={self.annotation_id: new},
            annotation_tags={self.annotation_id: before.annotation_tags[self.annotation_id]},
        )
        outcome = before.carry_outcomes.get(self.annotation_id)
        if outcome is not None:
            after.carry_outcomes[self.annotation_id] = dict(outcome, confirmed=1)
        return after


def confirm_carried(review: Review, annotation_id: str) -> ops.Change:
    """The reviewer has read the new wording: the annotation stays on these words, ``exact``."""
    row = review.store.annotation_row(annotation_id)
    if row is None:
        raise ReviewerError(f"no annotation with id {annotation_id}")
    if row["anchor"] == ORPHAN or row["text_start"] is None:
        raise ReviewerError("an orphan has no words to confirm; re-attach it to a selection")
    return review.apply(
        SettleCarried(annotation_id, {"anchor": EXACT, "anchor_score": 1.0}, "Confirm carried annotation")
    )


def carry_outcomes(review: Review, document_id: str, *, pending_only: bool = True) -> list[Row]:
    """The fuzzy, changed and orphan outcomes of a carry onto ``document_id``, in reading
    order, with their diffs decoded: what the reviewer walks through after a carry."""
    import json

    rows = []
    for row in review.store.carry_outcomes(document_id):
        if row["outcome"] == EXACT or (pending_only and row["confirmed"]):
            continue
        rows.append(dict(row, kinds=json.loads(row["kinds"]), diff=json.loads(row["diff"])))
    return rows


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
    return review.apply(SettleCarried(annotation_id, fields, "Re-attach annotation"))


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
