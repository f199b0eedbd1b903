"""Measure merging 10 review files x 10,000 annotations and importing one 10,000-annotation file.

Reported next to the floor: parsing the same JSON with the standard library.
Run: PYTHONPATH=. python bench/exchange_bench.py   (budgets: merge <= 5 s, import <= 3 s)
"""

from __future__ import annotations

import json
import random
import shutil
import sys
import tempfile
import time
import uuid
from pathlib import Path

from reviewer.core.exchange import review_file
from reviewer.core.exchange.service import import_file, merge_files
from reviewer.core.exchange.versions import (
    ANNOTATION,
    DocumentIdentity,
    ItemState,
    ReviewData,
    TagDefinition,
    version_hash,
)
from reviewer.core.pdf import open_pdf
from reviewer.core.resources import sample_treaty_path
from reviewer.core.review import Review
from reviewer.core.settings import Identity

FILES = 10
PER_FILE = 10_000
SHARED = 5_000  # every reviewer starts from the same 5,000 and adds 5,000 of their own


def version(rng: random.Random, author: int, revision: int, comment: str) -> dict:  # type: ignore[type-arg]
    page = rng.randrange(7)
    x, y = rng.uniform(60, 400), rng.uniform(80, 700)
    start = rng.randrange(20_000)
    return {
        "kind": "highlight",
        "author_id": str(uuid.UUID(int=author + 1)),
        "author_name": f"Reviewer {author}",
        "created": "2026-01-02T03:04:05.678Z",
        "modified": f"2026-01-0{2 + revision}T03:04:05.678Z",
        "revision": revision,
        "page": page,
        "pages": [page],
        "quote": "reliable safeguards and the confidence of the public",
        "prefix": "operation requires clear rules, ",
        "suffix": " Have agreed as follows: Chapter",
        "text_start": start,
        "text_end": start + 52,
        "quads": [
            {
                "page": page,
                "points": [round(v, 3) for v in (x, y + 12, x + 200, y + 12, x, y, x + 200, y)],
            }
        ],
        "geometry": {
            str(page): {
                "mediabox": [0.0, 0.0, 595.0, 842.0],
                "cropbox": [0.0, 0.0, 595.0, 842.0],
                "rotation": 0,
            }
        },
        "comment": comment,
        "status": "open",
        "deleted": False,
        "tags": ["safeguard"],
        "origin_id": None,
        "anchor": "exact",
        "anchor_score": None,
        "article": None,
        "paragraph": None,
        "subparagraph": None,
        "citation": None,
    }


def make_files(folder: Path, sha: str, pages: int) -> list[Path]:
    rng = random.Random(7)
    shared_ids = [str(uuid.UUID(int=rng.getrandbits(128), version=4)) for _ in range(SHARED)]
    base = {i: version(rng, 0, 1, "Shared comment") for i in shared_ids}
    paths = []
    for f in range(FILES):
        data = ReviewData(DocumentIdentity(sha, None, "Benchmark treaty", pages))
        data.tags["safeguard"] = TagDefinition("safeguard", "#3FA34D", "")
        for i in shared_ids:
            v = base[i]
            if rng.random() < 0.1:  # this reviewer edited 10 % of the shared ones
                edited = dict(
                    v,
                    revision=2,
                    modified=f"2026-02-{1 + f:02d}T00:00:00.000Z",
                    comment=f"Edited by {f}",
                )
                data.annotations[i] = ItemState.of(
                    ANNOTATION, i, [edited], [version_hash(ANNOTATION, v)]
                )
            else:
                data.annotations[i] = ItemState.of(ANNOTATION, i, [v])
        for _ in range(PER_FILE - SHARED):
            i = str(uuid.UUID(int=rng.getrandbits(128), version=4))
            data.annotations[i] = ItemState.of(ANNOTATION, i, [version(rng, f, 1, f"Own comment {f}")])
        path = folder / f"r{f}.review.json"
        path.write_text(review_file.dumps(data), "utf-8")
        paths.append(path)
    return paths


def _paused(fn):  # type: ignore[no-untyped-def]
    """The floor measured like Reviewer reads: with the cyclic collector paused (gcpause.py)."""
    from reviewer.core.gcpause import collector_paused

    with collector_paused():
        return fn()


def timed(label: str, fn) -> float:  # type: ignore[no-untyped-def]
    start = time.perf_counter()
    fn()
    elapsed = time.perf_counter() - start
    print(f"{label:<58} {elapsed:7.2f} s")
    return elapsed


def main() -> int:
    folder = Path(tempfile.mkdtemp(prefix="exchange-bench-"))
    try:
        pdf_path = folder / "treaty.pdf"
        shutil.copyfile(sample_treaty_path(), pdf_path)
        pdf = open_pdf(pdf_path)
        info = pdf.info()
        paths = make_files(folder, info.sha256, info.page_count)
        size = sum(p.stat().st_size for p in paths)
        print(f"{FILES} files x {PER_FILE} annotations, {size / 1e6:.1f} MB in all")
        timed(
            "json.loads of the 10 files (collector on)", lambda: [json.loads(p.read_bytes()) for p in paths]
        )
        floor_merge = timed(
            "floor: json.loads of the 10 files (collector paused)",
            lambda: _paused(lambda: [json.loads(p.read_bytes()) for p in paths]),
        )
        merge = timed(
            "reviewer merge (read, check, merge, write)",
            lambda: merge_files([str(p) for p in paths], folder / "merged.review.json"),
        )
        merged = review_file.read(str(folder / "merged.review.json"))
        print(f"  merged: {len(merged.annotations)} annotations, {merged.conflict_count()} conflicts")
        floor_import = timed(
            "floor: json.loads of one file (collector paused)",
            lambda: _paused(lambda: json.loads(paths[0].read_bytes())),
        )
        review = Review.open(folder / "bench.db", Identity(str(uuid.uuid4()), "Bench"))
        review.register(pdf)
        result = None

        def run_import() -> None:
            nonlocal result
            result = import_file(review, str(paths[0]))

        imported = timed("reviewer import of one file into an empty database", run_import)
        assert result is not None
        print(f"  added {len(result.added)}")
        again = timed(
            "re-import of the same file (all unchanged)", lambda: import_file(review, str(paths[0]))
        )
        print()
        print(f"merge:  {merge:.2f} s (budget 5 s), {merge / floor_merge:.1f}x the json.loads floor")
        print(f"import: {imported:.2f} s (budget 3 s), {imported / floor_import:.1f}x the json.loads floor")
        print(f"re-import: {again:.2f} s")
        review.close()
        return 0
    finally:
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
