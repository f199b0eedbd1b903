"""A review of the sample treaty with 210 annotations by three reviewers, and its reports in
every format, built once per test module (the reports are what the tests read)."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))

from report_testkit import ROOT  # noqa: E402
from treaty_review import ARTICLE_TITLES, REVIEWERS, populate  # noqa: E402


@pytest.fixture(scope="module")
def treaty(tmp_path_factory: pytest.TempPathFactory):
    """(db path, opened PDF, annotation ids) for a populated review of the sample treaty."""
    from reviewer.core.pdf import open_pdf

    folder = tmp_path_factory.mktemp("treaty")
    pdf_path = folder / "treaty.pdf"
    shutil.copyfile(ROOT / "resources" / "sample-treaty.pdf", pdf_path)
    db = folder / "review.sqlite3"
    pdf = open_pdf(pdf_path)
    ids = populate(db, pdf)
    yield db, pdf, ids
    pdf.close()


@pytest.fixture(scope="module")
def make_report(treaty, tmp_path_factory: pytest.TempPathFactory):
    """make_report(name, **options) -> path of a report of the populated review."""
    from reviewer.core.report import ReportOptions, build_report
    from reviewer.core.review import Review

    db, pdf, _ids = treaty
    folder = tmp_path_factory.mktemp("reports")
    review = Review.open(db, REVIEWERS[0])
    cache: dict[tuple, Path] = {}

    def make(name: str, **options) -> Path:
        key = (
            name,
            tuple(sorted((k, tuple(v) if isinstance(v, list) else v) for k, v in options.items())),
        )
        if key not in cache:
            options.setdefault("article_titles", ARTICLE_TITLES)
            options.setdefault("generated", "2026-11-28")
            cache[key] = build_report(review, pdf, ReportOptions(output=folder / name, **options))
        return cache[key]

    yield make
    review.close()


@pytest.fixture(scope="module")
def expected(treaty):
    """The annotations as the report must list them: article order."""
    from reviewer.core.report.content import document_order_key
    from reviewer.core.review import Review

    db, pdf, _ids = treaty
    review = Review.open(db, REVIEWERS[0])
    try:
        document = review.register(pdf)
        found = sorted(review.annotations(document["id"]), key=document_order_key)
    finally:
        review.close()
    return found
