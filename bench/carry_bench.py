"""Benchmark: carry 1,000 annotations to a ~300-page revised treaty (target: <= 3 s).

    PYTHONPATH=. python bench/carry_bench.py [--repeat 50] [--annotations 1000]

v1 and v2 are the sample treaty with its chapters repeated (``repeat_body``); v2 inserts an
article, deletes a paragraph, rewords clauses and changes the running header, as the
acceptance test's versions do. Prints the time of each stage; "carry" is the operation the
target is about (anchoring, structure places, quads, and the one database transaction), with
the new document's text flow already extracted, as it is once the document is open.
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests" / "anchors"))

from conftest import make_v2  # noqa: E402  (the acceptance test's v2 edits)

from reviewer.core import operations as ops  # noqa: E402
from reviewer.core.carry import carry_annotations  # noqa: E402
from reviewer.core.pdf import open_pdf  # noqa: E402
from reviewer.core.review import Review  # noqa: E402
from reviewer.core.sample_treaty import SAMPLE_TREATY, build_treaty_pdf  # noqa: E402
from reviewer.core.settings import Identity  # noqa: E402
from reviewer.core.store import Snapshot  # noqa: E402
from reviewer.core.structure import structure_of  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=50, help="body repeats (50 gives ~300 pages)")
    parser.add_argument("--annotations", type=int, default=1000)
    parser.add_argument("--folder", type=Path, help="keep (and reuse) the built PDFs here")
    parser.add_argument("--profile", action="store_true", help="print a profile of the carry")
    args = parser.parse_args()
    folder = args.folder or Path(tempfile.mkdtemp(prefix="carry-bench-"))
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "bench.sqlite3").unlink(missing_ok=True)
    if not (folder / "v2.pdf").exists():
        t = time.perf_counter()
        build_treaty_pdf(SAMPLE_TREATY, folder / "v1.pdf", repeat_body=args.repeat)
        build_treaty_pdf(make_v2(SAMPLE_TREATY), folder / "v2.pdf", repeat_body=args.repeat)
        print(f"build two PDFs:            {time.perf_counter() - t:6.2f} s")

    review = Review.open(
        folder / "bench.sqlite3", Identity("33333333-3333-4333-8333-333333333333", "Bench")
    )
    v1, v2 = open_pdf(folder / "v1.pdf"), open_pdf(folder / "v2.pdf")
    print(f"pages: v1 {v1.page_count}, v2 {v2.page_count}")
    t = time.perf_counter()
    flow1 = v1.flow()
    seconds = time.perf_counter() - t
    print(f"text flow v1:              {seconds:6.2f} s  ({len(flow1.text):,} characters)")

    # 1,000 passages of 4-20 words at random places, inserted as one batch (setup, not timed).
    rng = random.Random(7)
    words = [(m_start, m_start + len(w)) for m_start, w in _words(flow1.text)]
    document = review.register(v1)
    target = Snapshot()
    for _ in range(args.annotations):
        first = rng.randrange(0, len(words) - 25)
        last = first + rng.randrange(3, 20)
        start, end = words[first][0], words[last][1]
        row = review.annotation_row_for_range(v1, start, end)
        row.update(_base_row(document["id"], review))
        target.annotations[row["id"]] = row
        target.annotation_tags[row["id"]] = ()
    review.apply(ops.ReplaceRows("bench setup", target))

    t = time.perf_counter()
    flow2 = v2.flow()
    flow_seconds = time.perf_counter() - t
    print(f"text flow v2:              {flow_seconds:6.2f} s  ({len(flow2.text):,} characters)")
    t = time.perf_counter()
    structure_of(v2)
    print(f"structure of v2:           {time.perf_counter() - t:6.2f} s")

    old_id = v1.info().sha256
    v2.info()  # the file's hash is computed when it is opened in the app
    if args.profile:
        import cProfile
        import pstats

        profiler = cProfile.Profile()
        profiler.enable()
    t = time.perf_counter()
    report = carry_annotations(review, old_id, v2, v1)  # both open, their text flows read
    carry_seconds = time.perf_counter() - t
    if args.profile:
        profiler.disable()
        pstats.Stats(profiler).sort_stats("cumulative").print_stats(25)
    print(f"carry {args.annotations} annotations:    {carry_seconds:6.2f} s  {report.counts}")
    print(f"carry incl. v2 text flow:  {carry_seconds + flow_seconds:6.2f} s")
    # Sanity: an exact anchor must hold the same words, in the same repeat of the body.
    old_rows = {r["id"]: r for r in review.store.query_annotations(old_id)}
    new_rows = review.store.query_annotations(report.new_document_id)
    wrong = 0
    for row in new_rows:
        if row["anchor"] != "exact":
            continue
        old = old_rows[row["origin_id"]]
        same_place = (
            abs(row["text_start"] / len(flow2.text) - old["text_start"] / len(flow1.text))
            < 0.5 / args.repeat
        )
        wrong += row["quote"] != old["quote"] or not same_place
    print(f"exact anchors on other words or in another repeat: {wrong}")
    v1.close()
    v2.close()
    review.close()


def _words(text: str) -> list[tuple[int, str]]:
    import re

    return [(m.start(), m.group()) for m in re.finditer(r"\S+", text)]


def _base_row(document_id: str, review: Review) -> dict[str, object]:
    import uuid

    from reviewer.core.timeutil import utc_now

    now = utc_now()
    return {
        "id": str(uuid.uuid4()),
        "document_id": document_id,
        "author_id": review.identity.id,
        "author_name": review.identity.name,
        "created": now,
        "modified": now,
        "revision": 1,
        "comment": "",
        "status": "open",
        "deleted": 0,
        "origin_id": None,
        "anchor": "exact",
        "anchor_score": None,
    }


if __name__ == "__main__":
    main()
