"""Fixtures the exchange tests share."""

from __future__ import annotations

from pathlib import Path

import pytest

from reviewer.core.exchange.service import export_document, import_file
from reviewer.core.pdf import open_pdf

from .helpers import ADA, BEN, open_review


@pytest.fixture
def concurrent(tmp_path: Path, sample_pdf: Path):  # type: ignore[no-untyped-def]
    """Ada and Ben both change the same comment, starting from the same file."""
    pdf = open_pdf(sample_pdf)
    ada = open_review(tmp_path / "ada.db", ADA)
    a = ada.annotate_quote(pdf, "reliable safeguards", comment="Original", tags=["safeguard"])
    base = tmp_path / "base.review.json"
    export_document(ada, pdf, "review", base)
    ben = open_review(tmp_path / "ben.db", BEN)
    import_file(ben, str(base), pdf_path=str(sample_pdf))
    ada.edit(a.id, comment="Ada's reading")
    ben.edit(a.id, comment="Ben's reading", add_tags=["vague definition"])
    ada_file, ben_file = tmp_path / "ada.review.json", tmp_path / "ben.review.json"
    export_document(ada, pdf, "review", ada_file)
    export_document(ben, pdf, "review", ben_file)
    return a.id, ada, ben, ada_file, ben_file
