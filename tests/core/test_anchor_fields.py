"""A highlight's anchor as ``Review.annotation_row_for_range`` gives it, now that it shares
``anchor_fields`` with the carry: the PDF's own page boxes, the structure's place, the text
trimmed of spaces at both ends, and a selection of only spaces refused."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from reviewer.core.errors import ReviewerError
from reviewer.core.pdf import open_pdf
from reviewer.core.structure import place_fields


def test_highlight_anchor_matches_the_pdf_and_the_structure(review, sample_pdf: Path) -> None:
    pdf = open_pdf(sample_pdf)
    try:
        text = pdf.flow().text
        start = text.index("reliable safeguards")
        end = start + len("reliable safeguards")
        row = review.annotation_row_for_range(pdf, start - 1, end + 1)  # spaces around it
        assert list(row)[:10] == [
            "kind", "page", "pages", "quote", "prefix", "suffix", "text_start", "text_end",
            "quads", "geometry",
        ]  # fmt: skip
        assert row["kind"] == "highlight"
        assert (row["quote"], row["text_start"], row["text_end"]) == ("reliable safeguards", start, end)
        pages = json.loads(row["pages"])
        assert pages == [row["page"]]
        assert json.loads(row["geometry"]) == {str(p): pdf.geometry(p).to_json() for p in pages}
        assert len(json.loads(row["quads"])) >= 1
        for key, value in place_fields(pdf, start).items():
            assert row[key] == value
        with pytest.raises(ReviewerError, match="holds no text"):
            review.annotation_row_for_range(pdf, start - 1, start)
    finally:
        pdf.close()
