"""Random SIGKILLs while working and while exporting: nothing reported as committed is lost, the
database stays sound, and an export target is always a complete file (old or new)."""

from __future__ import annotations

import os
import random
import signal
import sqlite3
import subprocess
import time
from collections import Counter
from pathlib import Path

from safety_helpers import PY, child_env, integrity

from reviewer.core import backup

HERE = Path(__file__).resolve().parent
KILLS = int(os.environ.get("REVIEWER_SIGKILLS", "50"))


def _run_and_kill(args: list[str], log: Path, env: dict[str, str], rng: random.Random) -> list[str]:
    with open(log, "w") as out:
        child = subprocess.Popen([PY, str(HERE / "crash_child.py"), *args], stdout=out, env=env)
    deadline = time.monotonic() + 60
    while "ready" not in log.read_text():
        assert child.poll() is None, f"child ended early: {log.read_text()}"
        assert time.monotonic() < deadline, "child never became ready"
        time.sleep(0.02)
    time.sleep(rng.uniform(0.0, 0.6))
    assert child.poll() is None, f"child died by itself: {log.read_text()}"
    child.send_signal(signal.SIGKILL)
    child.wait()
    # The last line may be cut by the kill: only lines ended by a newline were reported.
    lines = log.read_text().split("\n")[:-1]
    return lines[1:]


def test_sigkill_while_creating_editing_importing_and_backing_up(tmp_path: Path, sample_pdf: Path) -> None:
    db = tmp_path / "review.sqlite3"
    rng = random.Random(20260501)
    reported: Counter[str] = Counter()
    created: set[str] = set()
    replies: dict[str, str] = {}
    deleted: set[str] = set()
    last_edit: dict[str, tuple[int, int]] = {}
    for run in range(KILLS):  # the run number is the child's seed: later runs' edits sort later
        lines = _run_and_kill(
            ["db", str(db), str(sample_pdf), str(run)], tmp_path / "child.log", child_env(db), rng
        )
        for line in lines:
            kind, _, rest = line.partition(" ")
            parts = rest.split()
            if kind == "C" and len(parts) == 1 and len(parts[0]) == 36:
                created.add(parts[0])
            elif kind == "I":
                ids = rest.split(",")
                if all(len(i) == 36 for i in ids):
                    created.update(ids)
            elif kind == "E" and len(parts) == 3:
                last_edit[parts[0]] = (run, int(parts[2]))
            elif kind == "R" and len(parts) == 2:
                replies[parts[0]] = parts[1]
            elif kind == "D" and len(parts) == 1:
                deleted.add(parts[0])
            elif kind == "B":
                pass  # checked below: every backup with a final name verifies
            else:
                continue
            reported[kind] += 1
        assert integrity(db) == "ok", f"after kill {run + 1}"
        conn = sqlite3.connect(db)
        try:
            present = {r[0] for r in conn.execute("SELECT id FROM annotations")}
            assert created <= present, f"after kill {run + 1}: lost {created - present}"
            present_replies = {r[0] for r in conn.execute("SELECT id FROM replies")}
            assert set(replies) <= present_replies, f"after kill {run + 1}: lost replies"
            for annotation_id in deleted:
                assert (
                    conn.execute("SELECT deleted FROM annotations WHERE id = ?", [annotation_id]).fetchone()[
                        0
                    ]
                    == 1
                )
            for annotation_id, (seed, step) in last_edit.items():
                comment = conn.execute(
                    "SELECT comment FROM annotations WHERE id = ?", [annotation_id]
                ).fetchone()[0]
                if comment.startswith("edit "):
                    _, s, st = comment.split()
                    assert (int(s), int(st)) >= (seed, step), (
                        f"after kill {run + 1}: edit lost on {annotation_id}"
                    )
                else:
                    raise AssertionError(f"after kill {run + 1}: edit lost on {annotation_id}: {comment!r}")
        finally:
            conn.close()
        # Only verified copies ever get a backup's final name.
        for made in backup.list_backups(db):
            assert backup.verify_backup(made.path) is None, made.path
    print(
        f"\nSIGKILL drill: {KILLS} kills; reported and verified: {dict(reported)}; "
        f"{len(created)} annotations, {len(replies)} replies, {len(last_edit)} edited, "
        f"{len(deleted)} deleted"
    )
    assert reported["C"] > KILLS // 2 and reported["E"] > 0 and reported["I"] > 0 and reported["B"] > 0


def test_sigkill_during_export_leaves_the_old_or_the_new_complete_file(tmp_path: Path) -> None:
    from crash_child import check_content

    target = tmp_path / "export.json"
    rng = random.Random(7)
    outcomes: Counter[str] = Counter()
    last_reported = 0
    for run in range(KILLS):
        lines = _run_and_kill(
            ["export", str(target), str(run)],
            tmp_path / "child.log",
            child_env(tmp_path / "x.db"),
            rng,
        )
        versions = [
            int(line.split()[1]) for line in lines if line.startswith("W ") and line.split()[1].isdigit()
        ]
        if versions:
            last_reported = versions[-1]
        if not target.exists():
            assert last_reported == 0
            outcomes["none yet"] += 1
            continue
        version = check_content(target.read_bytes())  # raises for a partial or mixed file
        assert version in (last_reported, last_reported + 1), (version, last_reported)
        outcomes["old" if version == last_reported else "new"] += 1
        last_reported = version
    left = list(tmp_path.glob(".export.json.*"))
    from reviewer.core.atomic import remove_stale_temporaries

    removed = remove_stale_temporaries(tmp_path)
    assert set(removed) == set(left)
    assert not list(tmp_path.glob(".export.json.*"))
    print(
        f"\nexport SIGKILL drill: {KILLS} kills; target was {dict(outcomes)}; "
        f"{len(left)} stale temporaries removed"
    )
