"""Many annotations at once, for the panel benchmark and tests of a large review.

Rows are built from real passages of the document (so their quads and quotes are genuine)
and written as one ``ReplaceRows`` change, as an import would.
"""

from __future__ import annotations

import random
import uuid

from reviewer.core import operations as ops
from reviewer.core.pdf import PdfDocument
from reviewer.core.review import Review, new_annotation_row
from reviewer.core.store import Row, Snapshot
from reviewer.core.timeutil import utc_now

WORDS = [
    "judicial",
    "authorisation",
    "proportionality",
    "oversight",
    "remedy",
    "retention",
    "interception",
    "disclosure",
    "cooperation",
    "jurisdiction",
    "safeguard",
    "vague",
    "broad",
    "necessary",
]


def add_many_annotations(review: Review, pdf: PdfDocument, count: int, seed: int = 7) -> None:
    rng = random.Random(seed)
    document = review.register(pdf)
    flow = pdf.flow()
    tags = [t.id for t in review.tags(include_retired=False)]
    anchors: list[Row] = []
    text = flow.text
    attempts = 0
    while len(anchors) < min(count, 400) and attempts < 4000:
        attempts += 1
        start = rng.randrange(0, max(1, len(text) - 200))
        end = start + rng.randrange(20, 160)
        try:
            anchors.append(review.annotation_row_for_range(pdf, start, end))
        except Exception:
            continue
    authors = [(str(uuid.uuid4()), name) for name in ("Ada Tester", "Bruno Lima", "Chen Wei")]
    now = utc_now()
    target = Snapshot()
    for n in range(count):
        anchor = anchors[n % len(anchors)]
        author_id, author_name = authors[n % len(authors)]
        annotation_id = str(uuid.uuid4())
        comment = " ".join(rng.choice(WORDS) for _ in range(rng.randrange(3, 14)))
        target.annotations[annotation_id] = new_annotation_row(
            anchor,
            annotation_id=annotation_id,
            document_id=document["id"],
            author_id=author_id,
            author_name=author_name,
            created=now,
            comment=f"{comment} #{n}",
            status=("open", "open", "accepted", "rejected", "resolved")[n % 5],
        )
        picked = rng.sample(tags, rng.randrange(0, 3)) if tags else []
        target.annotation_tags[annotation_id] = tuple(picked)
    review.apply(ops.ReplaceRows(f"Add {count} annotations", target))
