"""Comparing two treaties in a review: the suggested concordance with the team's confirmed
pairs over it, links between passages of the two, and the operations that change them.

A confirmed pair is stored once for the two documents, in document id order, whichever was
named first: its id comes from the two ends, so two teammates confirming the same pair make
one item, merged like an annotation. Its relation reads from the first document's article;
seen from the other side, "broader" and "narrower" swap.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Sequence
from typing import TYPE_CHECKING

from reviewer.core import operations as ops
from reviewer.core.concordance import (
    INVERSE_RELATION,
    RELATIONS,
    ArticleText,
    Comparison,
    ConfirmedPair,
    article_texts,
    compare_texts,
)
from reviewer.core.errors import ReviewerError
from reviewer.core.model import STATUSES, Annotation
from reviewer.core.review import _clean_comment, anchor_fields, new_annotation_row
from reviewer.core.structure import structure_of
from reviewer.core.timeutil import utc_now

if TYPE_CHECKING:
    from reviewer.core.pdf import PdfDocument
    from reviewer.core.review import Review

_PAIR_NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "urn:reviewer:concordance")
_CITATION_RE = re.compile(r"^\s*(?:Article|ARTICLE|Art\.?|ART\.?|Section|Sec\.?|SEC\.?|\u00a7)?\s*(\w+)\s*$")


def articles_of(pdf: PdfDocument) -> list[ArticleText]:
    return article_texts(pdf.flow().text, structure_of(pdf).articles)


def comparison_of(review: Review, pdf_a: PdfDocument, pdf_b: PdfDocument) -> Comparison:
    """The suggested concordance of A and B, with what the team confirmed or removed."""
    with review.store.transaction():
        a_id = review.register(pdf_a)["id"]
        b_id = review.register(pdf_b)["id"]
    return compare_texts(
        (a_id, pdf_a.info().title, articles_of(pdf_a)),
        (b_id, pdf_b.info().title, articles_of(pdf_b)),
        confirmed_pairs(review, a_id, b_id),
    )


def check_relation(relation: str | None) -> None:
    if relation is not None and relation not in RELATIONS:
        raise ReviewerError(f"unknown relation {relation!r} (use {', '.join(RELATIONS)})")


def _flip(relation: str | None) -> str | None:
    return INVERSE_RELATION.get(relation, relation) if relation else relation


def confirmed_pairs(
    review: Review, a_id: str, b_id: str, include_deleted: bool = True
) -> list[ConfirmedPair]:
    """The confirmed concordance as seen from A's side (removed pairs with ``deleted``)."""
    out = []
    for row in review.store.concordance_rows(a_id, b_id, include_deleted):
        if row["a_document_id"] == a_id:
            out.append(
                ConfirmedPair(row["a_citation"], row["b_citation"], row["relation"], bool(row["deleted"]))
            )
        else:
            out.append(
                ConfirmedPair(
                    row["b_citation"], row["a_citation"], _flip(row["relation"]), bool(row["deleted"])
                )
            )
    return out


def pair_id(first_id: str, first_citation: str, second_id: str, second_citation: str) -> str:
    ends = sorted([(first_id, first_citation), (second_id, second_citation)])
    return str(uuid.uuid5(_PAIR_NAMESPACE, "\x1f".join(f"{d}\x1e{c}" for d, c in ends)))


def citation_in(pdf: PdfDocument, text: str) -> str:
    """The citation of the article ``text`` names ("Art. 15", "Article 15", "15")."""
    match = _CITATION_RE.match(text)
    citations = [a.citation for a in structure_of(pdf).articles]
    if match:
        label = match.group(1).lower()
        for citation in citations:
            if citation.split(" ", 1)[-1].lower() == label or citation.lower() == text.strip().lower():
                return citation
    shown = text if len(text) <= 40 else text[:37] + "..."
    raise ReviewerError(f"no article {shown!r} in this document", path=pdf.path)


def parse_pair(text: str) -> tuple[str, str]:
    """ "Art. 15=Art. 24" -> ("Art. 15", "Art. 24")."""
    left, sep, right = text.partition("=")
    if not sep or not left.strip() or not right.strip():
        raise ReviewerError(f"a pair reads 'Art. 15=Art. 24', not {text!r}")
    return left.strip(), right.strip()


def set_pair(
    review: Review,
    pdf_a: PdfDocument,
    a_article: str,
    pdf_b: PdfDocument,
    b_article: str,
    relation: str | None = None,
    *,
    unset: bool = False,
) -> ops.Change:
    """Confirm (or with ``unset`` remove) A's article as the counterpart of B's."""
    check_relation(relation)
    a_citation, b_citation = citation_in(pdf_a, a_article), citation_in(pdf_b, b_article)
    with review.store.transaction():
        a_id, b_id = review.register(pdf_a)["id"], review.register(pdf_b)["id"]
        if a_id == b_id:
            raise ReviewerError("a concordance pairs two different documents", path=pdf_b.path)
        key = pair_id(a_id, a_citation, b_id, b_citation)
        if unset and review.store.concordance_row(key) is None:
            raise ReviewerError(f"{a_citation}={b_citation} is not in the confirmed concordance")
        first, second = sorted([(a_id, a_citation), (b_id, b_citation)])
        stored_relation = relation if first[0] == a_id else _flip(relation)
        now = utc_now()
        row = {
            "id": key,
            "a_document_id": first[0],
            "a_citation": first[1],
            "b_document_id": second[0],
            "b_citation": second[1],
            "relation": stored_relation,
            "author_id": review.identity.id,
            "author_name": review.identity.name,
            "created": now,
            "modified": now,
            "revision": 1,
            "deleted": int(unset),
        }
        label = "Remove concordance pair" if unset else "Confirm concordance pair"
        return review.apply(ops.PutConcordancePair(row, label=label))


def link_ranges(
    review: Review,
    pdf_a: PdfDocument,
    a_range: tuple[int, int],
    pdf_b: PdfDocument,
    b_range: tuple[int, int],
    *,
    relation: str | None = None,
    comment: str = "",
    tags: Sequence[str] = (),
    status: str = "open",
) -> Annotation:
    """Link the passage ``a_range`` of A (text offsets) to ``b_range`` of B: one annotation."""
    check_relation(relation)
    if status not in STATUSES:
        raise ReviewerError(f"unknown status {status!r} (use {', '.join(STATUSES)})")
    anchor = {"kind": "link", **anchor_fields(pdf_a, "highlight", *a_range)}
    target = anchor_fields(pdf_b, "highlight", *b_range)
    with review.store.transaction():
        a_id, b_id = review.register(pdf_a)["id"], review.register(pdf_b)["id"]
        if a_id == b_id:
            raise ReviewerError("a link joins passages of two different documents", path=pdf_b.path)
        row = new_annotation_row(
            anchor,
            annotation_id=str(uuid.uuid4()),
            document_id=a_id,
            author_id=review.identity.id,
            author_name=review.identity.name,
            created=utc_now(),
            comment=_clean_comment(comment),
            status=status,
        )
        tag_ids = [review.tag(name).id for name in tags]
        target_row = dict(target, document_id=b_id, relation=relation)
        change = review.apply(
            ops.CreateAnnotation(row, tag_ids, label="Link passages", link_targets=[target_row])
        )
    review.last_change = change
    return review.annotation(row["id"])


def link_quotes(
    review: Review,
    pdf_a: PdfDocument,
    quote: str,
    pdf_b: PdfDocument,
    to_quote: str,
    *,
    page: int | None = None,
    to_page: int | None = None,
    relation: str | None = None,
    comment: str = "",
    tags: Sequence[str] = (),
) -> Annotation:
    a_range = review.locate_quote(pdf_a, quote, page=page)
    b_range = review.locate_quote(pdf_b, to_quote, page=to_page)
    return link_ranges(review, pdf_a, a_range, pdf_b, b_range, relation=relation, comment=comment, tags=tags)


def links_between(review: Review, a_id: str, b_id: str) -> list[Annotation]:
    """Live links with an end in A and one in B, seen from A."""
    from reviewer.core.links import seen_from

    tags = review.tags_by_id()
    return [Annotation.from_row(seen_from(r, a_id), tags) for r in review.store.links_between(a_id, b_id)]
