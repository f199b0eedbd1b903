"""The page boxes read from the page tree (cold start) equal the ones read page by page."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from reviewer.core.errors import ReviewerError
from reviewer.core.pdf import open_pdf, page_geometries, sha256_of_file

CORPUS = Path(__file__).resolve().parents[2].parent / "shared" / "corpus" / "pdfs"
if not CORPUS.is_dir():  # a git worktree one level further down
    CORPUS = Path(__file__).resolve().parents[3].parent / "shared" / "corpus" / "pdfs"
PASSWORDS = {
    "encrypted-aes256-r6.pdf": "usersecret",
    "pdfbox-encrypted-aes256-acrobat.pdf": "user",
    "pdfjs-encrypted-nonascii-password.pdf": "æøå",
    "pdfjs-encrypted-saslprep-r6.pdf": "S\u00aaSL\u00adprep",
    "sf-encrypted-libreoffice.pdf": "openpassword",
}


def corpus_pdfs() -> list[Path]:
    return sorted(CORPUS.glob("*.pdf")) if CORPUS.is_dir() else []


@pytest.mark.parametrize("path", corpus_pdfs(), ids=lambda p: p.name)
def test_page_tree_boxes_equal_page_by_page_boxes(path: Path) -> None:
    try:
        document = open_pdf(path, PASSWORDS.get(path.name))
    except ReviewerError:
        pytest.skip("not openable (broken, or its password is not known here)")
    with document:
        expected = [document.geometry(i) for i in range(document.page_count)]
        assert page_geometries(document) == expected
        middle = document.page_count // 2
        assert page_geometries(document, middle, middle + 3) == expected[middle : middle + 3]
        assert page_geometries(document, 0, 10_000) == expected  # clamped to the page count


def test_rotated_and_offset_boxes_are_read_as_pymupdf_reads_them() -> None:
    path = CORPUS / "qpdf-boxes-rotation-negative-mediabox.pdf"
    if not path.exists():
        pytest.skip("corpus not available")
    with open_pdf(path) as document:
        boxes = page_geometries(document)
        assert {g.rotation for g in boxes} == {0, 90, 180, 270}
        raw = document.raw
        for index, geometry in enumerate(boxes):
            page = raw[index]
            assert geometry.mediabox == tuple(page.mediabox)
            assert geometry.rotation == page.rotation


def test_the_hash_is_computed_again_when_the_file_changes(tmp_path: Path) -> None:
    path = tmp_path / "a.pdf"
    path.write_bytes(b"%PDF-1.7 first")
    first = sha256_of_file(path)
    assert sha256_of_file(path) == first
    path.write_bytes(b"%PDF-1.7 other")  # same size: the modification time tells
    later = time.time() + 5
    os.utime(path, (later, later))
    assert sha256_of_file(path) != first
    path.write_bytes(b"%PDF-1.7 a longer one")
    assert sha256_of_file(path) == __import__("hashlib").sha256(b"%PDF-1.7 a longer one").hexdigest()
