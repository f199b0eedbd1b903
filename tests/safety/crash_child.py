"""Child process of the SIGKILL tests: works on a database (or an export file) and reports each
change on stdout only after the call that commits it has returned. The parent kills it at a
random moment and checks that every reported change is there.

    crash_child.py db DB PDF SEED      create, edit, reply, delete, import (ReplaceRows), back up
    crash_child.py export TARGET SEED  rewrite a big file with atomic_write, again and again
"""

from __future__ import annotations

import copy
import hashlib
import random
import sys
import uuid
from pathlib import Path


def report(line: str) -> None:
    sys.stdout.write(line + "\n")
    sys.stdout.flush()


def work_on_database(db: str, pdf_path: str, seed: int) -> None:
    from reviewer.core import operations as ops
    from reviewer.core.backup import backup_before
    from reviewer.core.pdf import open_pdf
    from reviewer.core.review import Review
    from reviewer.core.settings import Identity
    from reviewer.core.store import Snapshot

    rng = random.Random(seed)
    review = Review.open(db, Identity("22222222-2222-4222-8222-222222222222", "Crash Tester"))
    document = open_pdf(pdf_path)
    flow = document.flow()
    live = [r["id"] for r in review.store.query_annotations(None)]
    report("ready")
    step = 0
    while True:
        step += 1
        action = rng.choice(["create"] * 4 + ["edit"] * 4 + ["reply"] * 2 + ["delete", "import", "backup"])
        if action != "create" and not live:
            action = "create"
        if action == "create":
            start = rng.randrange(0, len(flow.text) - 200)
            try:
                note = review.annotate_range(
                    document, start, start + rng.randrange(5, 120), comment=f"s{seed}"
                )
            except Exception as exc:  # noqa: BLE001 - a selection of spaces: pick another
                if "no text" in str(exc):
                    continue
                raise
            live.append(note.id)
            report(f"C {note.id}")
        elif action == "edit":
            target = rng.choice(live)
            review.edit(target, comment=f"edit {seed} {step}")
            report(f"E {target} {seed} {step}")
        elif action == "reply":
            target = rng.choice(live)
            change = review.reply(target, f"reply {seed} {step}")
            report(f"R {next(iter(change.after.replies))} {target}")
        elif action == "delete":
            target = live.pop(rng.randrange(len(live)))
            review.delete(target)
            report(f"D {target}")
        elif action == "import":
            backup_before(review.store, "import")
            template = review.store.annotation_row(rng.choice(live))
            assert template is not None
            batch = Snapshot()
            for _ in range(rng.randrange(5, 40)):
                row = copy.deepcopy(template)
                row.update(id=str(uuid.uuid4()), comment=f"imported {seed} {step}", revision=1)
                batch.annotations[row["id"]] = row
            review.apply(ops.ReplaceRows("Import", batch))
            live.extend(batch.annotations)
            report("I " + ",".join(batch.annotations))
        else:
            path = backup_before(review.store, "manual")
            report(f"B {path}")


def big_content(version: int, size: int) -> bytes:
    """A file whose last line proves it is complete: the SHA-256 of everything before it."""
    body = (f"version {version}\n".encode() + bytes([65 + version % 26]) * size) + b"\n"
    return body + hashlib.sha256(body).hexdigest().encode() + b"\n"


def check_content(data: bytes) -> int:
    """The version of a complete file; raises ValueError for a partial or mixed one."""
    body, _, tail = data.rstrip(b"\n").rpartition(b"\n")
    body += b"\n"
    if hashlib.sha256(body).hexdigest().encode() != tail:
        raise ValueError("incomplete or mixed file")
    return int(body.split(b"\n", 1)[0].split()[1])


def export_again_and_again(target: str, seed: int) -> None:
    from reviewer.core.atomic import write_bytes_atomic

    rng = random.Random(seed)
    path = Path(target)
    version = check_content(path.read_bytes()) if path.exists() else 0
    report("ready")
    while True:
        version += 1
        write_bytes_atomic(path, big_content(version, rng.randrange(1_000_000, 3_000_000)))
        report(f"W {version}")


if __name__ == "__main__":
    if sys.argv[1] == "db":
        work_on_database(sys.argv[2], sys.argv[3], int(sys.argv[4]))
    else:
        export_again_and_again(sys.argv[2], int(sys.argv[3]))
