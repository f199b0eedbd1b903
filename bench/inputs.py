"""Benchmark inputs, generated here and cached under ``bench/out/inputs`` between runs.

Treaty-like PDFs come from the sample treaty with its chapters repeated; reviews are SQLite
databases written through the store in one ``ReplaceRows`` change (one transaction), from a
few thousand real anchors on the document reused with different comments, tags and authors.
"""

from __future__ import annotations

import hashlib
import math
import random
import shutil
import sys
import uuid
from pathlib import Path

import pymupdf

from reviewer.core import operations as ops
from reviewer.core.pdf import PdfDocument, open_pdf
from reviewer.core.review import Review, new_annotation_row
from reviewer.core.sample_treaty import (
    SAMPLE_TREATY,
    Article,
    P,
    Treaty,
    build_treaty_pdf,
    reworded,
    with_article_inserted,
)
from reviewer.core.settings import Identity
from reviewer.core.store import Row, Snapshot
from reviewer.core.timeutil import utc_now

OUT = Path(__file__).resolve().parent / "out"
CACHE = OUT / "inputs"
INPUTS_VERSION = 1  # bump when the generators change, so stale caches are not reused

BENCH_IDENTITY = Identity("00000000-0000-4000-8000-00000000be0c", "Bench Reviewer")
AUTHORS = [
    ("Ada Lovelace", "11111111-1111-4111-8111-000000000001"),
    ("Hugo Grotius", "11111111-1111-4111-8111-000000000002"),
    ("Emer de Vattel", "11111111-1111-4111-8111-000000000003"),
    ("Hersch Lauterpacht", "11111111-1111-4111-8111-000000000004"),
    ("Rosalyn Higgins", "11111111-1111-4111-8111-000000000005"),
    ("Antonio Cassese", "11111111-1111-4111-8111-000000000006"),
    ("Georges Abi-Saab", "11111111-1111-4111-8111-000000000007"),
    ("Christine Chinkin", "11111111-1111-4111-8111-000000000008"),
]
COMMENT_WORDS = tuple(
    [
        "consistent",
        "inconsistent",
        "obligation",
        "reservation",
        "derogation",
        "ambiguity",
        "wording",
        "scope",
        "ratification",
        "entry",
        "force",
        "depositary",
        "jurisdiction",
        "dispute",
        "settlement",
        "arbitration",
        "notify",
        "amendment",
        "protocol",
        "annex",
        "definition",
        "party",
        "parties",
        "state",
        "territory",
        "measure",
        "compliance",
        "review",
        "clarify",
        "delete",
        "retain",
        "bracket",
        "consider",
        "propose",
        "alternative",
        "text",
        "drafting",
        "committee",
        "secretariat",
        "report",
        "implementation",
        "transition",
        "period",
        "exception",
        "safeguard",
    ]
)
RARE_WORDS = ["zanzibar", "quixotic", "yodel", "xylograph", "jubilee"]


def _cache(name: str) -> Path:
    CACHE.mkdir(parents=True, exist_ok=True)
    return CACHE / f"v{INPUTS_VERSION}-{name}"


def _build_exact(treaty: Treaty, pages: int, path: Path) -> None:
    """A treaty PDF of exactly ``pages`` pages (chapters repeated, the surplus cut off)."""
    sample = pymupdf.open("pdf", build_treaty_pdf(treaty, repeat_body=4))
    per_repeat = max(1.0, (sample.page_count - 2) / 4)
    sample.close()
    repeat = max(1, math.ceil(pages / per_repeat) + 1)
    data = build_treaty_pdf(treaty, repeat_body=repeat)
    doc = pymupdf.open("pdf", data)
    if doc.page_count < pages:  # pragma: no cover - the estimate above leaves a margin
        raise RuntimeError(f"generated {doc.page_count} pages, wanted {pages}")
    doc.select(list(range(pages)))
    tmp = path.with_suffix(".tmp")
    doc.save(tmp, garbage=3, deflate=True)
    doc.close()
    tmp.replace(path)


LAYOUT_LIMIT = 1000  # MuPDF's Story lays out one long HTML in more than linear time


def treaty_pdf(pages: int) -> Path:
    """The cached treaty-like PDF of ``pages`` pages.

    Beyond ``LAYOUT_LIMIT`` pages the document is the 1,000-page one repeated (its footers
    then say "of 1000"), which takes seconds instead of many minutes of layout.
    """
    path = _cache(f"treaty-{pages}p.pdf")
    if not path.exists():
        if pages <= LAYOUT_LIMIT:
            _build_exact(SAMPLE_TREATY, pages, path)
        else:
            part = pymupdf.open(treaty_pdf(LAYOUT_LIMIT))
            doc = pymupdf.open()
            while doc.page_count < pages:
                doc.insert_pdf(part, to_page=min(part.page_count, pages - doc.page_count) - 1)
            tmp = path.with_suffix(".tmp")
            doc.save(tmp, garbage=3, deflate=True)
            doc.close()
            tmp.replace(path)
    return path


def revised_treaty() -> Treaty:
    """The redraft the carry acceptance test uses (tests/anchors/conftest.py ``make_v2``), else
    one article inserted and a phrase reworded."""
    import importlib.util

    conftest = Path(__file__).resolve().parents[1] / "tests" / "anchors" / "conftest.py"
    if conftest.exists():
        spec = importlib.util.spec_from_file_location("bench_anchors_conftest", conftest)
        if spec and spec.loader:
            module = importlib.util.module_from_spec(spec)
            sys.modules[spec.name] = module  # dataclasses look their module up there
            spec.loader.exec_module(module)
            treaty: Treaty = module.make_v2(SAMPLE_TREATY)
            return treaty
    inserted = Article(
        "Transitional arrangements",
        (
            P(
                "During a transitional period of two years, the Parties shall consult each other on the "
                "measures required to give effect to this Convention."
            ),
        ),
    )
    treaty = with_article_inserted(SAMPLE_TREATY, 0, 1, inserted)
    return reworded(treaty, "shall", "must")


def revised_treaty_pdf(pages: int) -> Path:
    path = _cache(f"treaty-revised-{pages}p.pdf")
    if not path.exists():
        _build_exact(revised_treaty(), pages, path)
    return path


def _anchors(review: Review, pdf: PdfDocument, count: int, rng: random.Random) -> list[Row]:
    """``count`` real highlight anchors spread over the document."""
    flow = pdf.flow()
    text = flow.text
    anchors: list[Row] = []
    attempts = 0
    while len(anchors) < count and attempts < count * 5:
        attempts += 1
        start = rng.randrange(0, max(1, len(text) - 300))
        while start < len(text) and text[start] == " ":
            start += 1
        end = min(len(text), start + rng.randint(12, 180))
        try:
            anchors.append(review.annotation_row_for_range(pdf, start, end))
        except Exception:
            continue
    return anchors


def _comment(rng: random.Random) -> str:
    words = rng.choices(COMMENT_WORDS, k=rng.randint(4, 24))
    if rng.random() < 0.01:
        words.append(rng.choice(RARE_WORDS))
    return " ".join(words).capitalize() + "."


def _fill(review: Review, pdf: PdfDocument, count: int, seed: int, author: tuple[str, str] | None) -> int:
    rng = random.Random(seed)
    document_id = review.register(pdf)["id"]
    tag_ids = [t.id for t in review.tags()]
    anchors = _anchors(review, pdf, min(count, 2000), rng) if count else []
    now = utc_now()
    target = Snapshot()
    for i in range(count):
        name, author_id = author or AUTHORS[i % len(AUTHORS)]
        annotation_id = str(uuid.UUID(int=rng.getrandbits(128), version=4))
        target.annotations[annotation_id] = new_annotation_row(
            anchors[i % len(anchors)],
            annotation_id=annotation_id,
            document_id=document_id,
            author_id=author_id,
            author_name=name,
            created=now,
            comment=_comment(rng),  # before the status: the same random draws as before
            status=rng.choice(("open", "open", "accepted", "rejected", "resolved")),
        )
        target.annotation_tags[annotation_id] = tuple(rng.sample(tag_ids, rng.randint(1, 2)))
    review.apply(ops.ReplaceRows(f"Bench: {count} annotations", target))
    return count


def schema_tag() -> str:
    """Databases are cached per schema: a newer schema's database is refused by an older one."""
    from reviewer.core.store import SCHEMA_STEPS

    return hashlib.sha256(",".join(SCHEMA_STEPS).encode()).hexdigest()[:8]


def review_db(pdf_path: Path, count: int, *, seed: int = 1, author: tuple[str, str] | None = None) -> Path:
    """A cached review database with ``count`` annotations on ``pdf_path``; copy before writing."""
    tag = f"-{author[1][-4:]}" if author else ""
    path = _cache(f"review-{pdf_path.stem}-{count}-s{seed}{tag}-{schema_tag()}.sqlite3")
    if not path.exists():
        tmp = path.with_suffix(".building")
        for leftover in (tmp, tmp.with_name(tmp.name + "-wal"), tmp.with_name(tmp.name + "-shm")):
            leftover.unlink(missing_ok=True)
        review = Review.open(tmp, BENCH_IDENTITY)
        with open_pdf(pdf_path) as pdf:
            _fill(review, pdf, count, seed, author)
        review.store.db.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        review.close()
        tmp.replace(path)
    return path


def copy_db(source: Path, folder: Path, name: str = "review.sqlite3") -> Path:
    """A private copy of a cached database (scenarios write to their copies only)."""
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / name
    shutil.copyfile(source, target)
    return target
