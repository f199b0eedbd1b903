"""The team folder: 5 reviewers × 2,000 annotations each (``report_count`` per reviewer), every
database holding all 10,000 after the first rounds. One reviewer's sync is measured when
nothing changed (budget 2 s) and after a teammate changed one annotation (budget 5 s)."""

from __future__ import annotations

import gc
import json
import os
import shutil
import time
from pathlib import Path
from typing import Any

from bench import inputs
from bench.runner import Budget, Context, Measurement, scenario
from bench.timing import timed_ms

REVIEWERS = 5


def _identity(number: int) -> Any:
    from reviewer.core.settings import Identity

    return Identity(f"00000000-0000-4000-8000-0000000000{number:02d}", f"Reviewer {number}")


def _converged(ctx: Context) -> Path:
    """A team folder and 5 databases after the rounds that bring everyone everything (cached:
    the first rounds import 10,000 annotations 20 times)."""
    from reviewer.core.exchange.team_folder import sync_folder
    from reviewer.core.review import Review

    per = ctx.sizes.report_count
    place = inputs.CACHE / f"v{inputs.INPUTS_VERSION}-team-{REVIEWERS}x{per}-{inputs.schema_tag()}"
    if place.exists():
        return place
    building = place.with_suffix(".building")
    shutil.rmtree(building, ignore_errors=True)
    (building / "team").mkdir(parents=True)
    pdf_path = inputs.treaty_pdf(ctx.sizes.small_pdf)
    reviews = []
    for number in range(REVIEWERS):
        identity = _identity(number)
        source = inputs.review_db(pdf_path, per, seed=100 + number, author=(identity.name, identity.id))
        db = inputs.copy_db(source, building, f"r{number}.sqlite3")
        reviews.append(Review.open(db, identity))
    for _ in range(3):  # the third round only confirms: every file is then the same
        for review in reviews:
            sync_folder(review, building / "team")
    for review in reviews:
        review.store.db.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        review.close()
    building.rename(place)
    return place


def _copy(place: Path, work: Path) -> Path:
    """A private copy; file times kept (the databases remember them)."""
    shutil.rmtree(work, ignore_errors=True)
    shutil.copytree(place, work, copy_function=shutil.copy2)
    return work


def _open(work: Path, number: int) -> Any:
    from reviewer.core.review import Review

    return Review.open(work / f"r{number}.sqlite3", _identity(number))


def _stat_floor(folder: Path) -> None:
    for path in folder.rglob("*"):
        os.stat(path)


@scenario("team_sync_idle", "team folder sync, 5 reviewers × {s.report_count} annotations, nothing changed",
          "ms", Budget("max", 2000), needs=("reviewer.core.exchange.team_folder",))  # fmt: skip
def team_sync_idle(ctx: Context) -> Measurement:
    from reviewer.core.exchange.team_folder import sync_folder

    work = _copy(_converged(ctx), ctx.work / "team-idle")
    folder = work / "team"
    # The copy changed every file's ctime: one sync reads them again (all unchanged), then idle.
    review = _open(work, 0)
    sync_folder(review, folder)
    samples, floor = [], []
    actions: list[str] = []
    for _ in range(max(3, ctx.sizes.repeats)):
        floor.append(timed_ms(lambda: _stat_floor(folder)))
        t0 = time.perf_counter()
        report = sync_folder(review, folder)
        samples.append((time.perf_counter() - t0) * 1000)
        actions = [f.action for f in report.files]
    review.close()
    assert set(actions) <= {"not modified", "own file unchanged"}, actions
    count = sum(1 for _ in folder.rglob("*.review.json"))
    return Measurement(samples, floor, "os.stat of every file in the folder",
                       f"{count} files of {REVIEWERS * ctx.sizes.report_count} annotations each; "
                       "nothing read, nothing written")  # fmt: skip


@scenario("team_sync_change", "team folder sync, 5 reviewers × {s.report_count} annotations, after a "
          "teammate's edit", "ms", Budget("max", 5000),
          needs=("reviewer.core.exchange.team_folder",))  # fmt: skip
def team_sync_change(ctx: Context) -> Measurement:
    from reviewer.core.exchange.team_folder import sync_folder

    work = _copy(_converged(ctx), ctx.work / "team-change")
    folder = work / "team"
    review, teammate = _open(work, 0), _open(work, 1)
    sync_folder(review, folder)
    sync_folder(teammate, folder)
    document_id = str(teammate.store.documents()[0]["id"])
    entries = teammate.annotation_entries(document_id)
    samples, floor = [], []
    files = sorted(folder.rglob("*.review.json"))
    for run in range(max(3, ctx.sizes.repeats // 2)):
        teammate.edit(entries[run].id, comment=f"Edited in run {run}")
        sync_folder(teammate, folder)  # the teammate's file arrives
        changed = next(p for p in files if p.name.startswith(teammate.identity.id))
        floor.append(timed_ms(lambda p=changed: _json_floor(p, files[0])))
        t0 = time.perf_counter()
        report = sync_folder(review, folder)
        samples.append((time.perf_counter() - t0) * 1000)
        updated = sum(f.updated for f in report.files)
        assert updated == 1 and any(f.action == "written" for f in report.files), report.files
    review.close()
    teammate.close()
    return Measurement(samples, floor, "json.loads of the teammate's file + json.dumps of one file "
                       "(collector paused)",
                       "one annotation changed: the teammate's file read and imported, one's own "
                       "rewritten")  # fmt: skip


def _json_floor(changed: Path, own: Path) -> None:
    gc.disable()
    try:
        json.loads(changed.read_bytes())
        json.dumps(json.loads(own.read_bytes()), ensure_ascii=False)
    finally:
        gc.enable()
