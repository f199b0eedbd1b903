"""Packed glyph boxes (the memory fix the benchmarks led to) read back exactly like tuples."""

from __future__ import annotations

import pickle
from pathlib import Path

import pymupdf
import pytest

from reviewer.core.pdf import TEXT_FLAGS, open_pdf
from reviewer.core.textflow import GlyphBoxes


def test_page_text_boxes_are_mupdfs_boxes_exactly(sample_pdf: Path) -> None:
    with open_pdf(sample_pdf) as pdf:
        lines = pdf.page_text(1).lines
    raw = pymupdf.open(sample_pdf)[1].get_text("rawdict", flags=TEXT_FLAGS)
    expected = [
        [tuple(ch["bbox"]) for span in line["spans"] for ch in span["chars"]]
        for block in raw["blocks"]
        for line in block.get("lines", ())
        if any(span["chars"] for span in line["spans"])
    ]
    assert len(lines) == len(expected) > 10
    for line, boxes in zip(lines, expected, strict=True):
        assert isinstance(line.boxes, GlyphBoxes)
        assert len(line.boxes) == len(line.chars) == len(boxes)
        assert list(line.boxes) == boxes
        assert line.boxes[-1] == boxes[-1]


def test_sequence_behaviour_and_pickling() -> None:
    boxes = GlyphBoxes.of([(1.5, 2.0, 3.25, 4.0), (5.0, 6.0, 7.0, 8.125)])
    assert len(boxes) == 2
    assert boxes[1] == (5.0, 6.0, 7.0, 8.125)
    assert boxes[-2] == (1.5, 2.0, 3.25, 4.0)
    assert boxes[0:1] == [(1.5, 2.0, 3.25, 4.0)]
    assert [i for i, _ in enumerate(boxes)] == [0, 1]
    assert boxes == [(1.5, 2.0, 3.25, 4.0), (5.0, 6.0, 7.0, 8.125)]
    with pytest.raises(IndexError):
        boxes[2]
    again = pickle.loads(pickle.dumps(boxes))  # page texts travel from the text worker by pickle
    assert again == boxes and list(again) == list(boxes)
