"""Comparing two treaties in a review: the suggested concordance with the team's confirmed
pairs over it, links between passages of the two, and the operations that change them."""

from __future__ import annotations

from typing import TYPE_CHECKING

from reviewer.core.concordance import ArticleText, Comparison, ConfirmedPair, article_texts, compare_texts
from reviewer.core.structure import structure_of

if TYPE_CHECKING:
    from reviewer.core.pdf import PdfDocument
    from reviewer.core.review import Review


def articles_of(pdf: PdfDocument) -> list[ArticleText]:
    return article_texts(pdf.flow().text, structure_of(pdf).articles)


def comparison_of(review: Review, pdf_a: PdfDocument, pdf_b: PdfDocument) -> Comparison:
    """The suggested concordance of A and B, with what the team confirmed or removed."""
    a_id = review.register(pdf_a)["id"]
    b_id = review.register(pdf_b)["id"]
    confirmed = confirmed_pairs(review, a_id, b_id)
    return compare_texts(
        (a_id, pdf_a.info().title, articles_of(pdf_a)),
        (b_id, pdf_b.info().title, articles_of(pdf_b)),
        confirmed,
    )


def confirmed_pairs(review: Review, a_id: str, b_id: str) -> list[ConfirmedPair]:
    return []
