"""More than 1,000 malformed and hostile review files and XFDF files through ``reviewer import``:
each is refused with one clear line naming the file, without hanging, and leaves the database
as it was. Runs once the exchange branch (``reviewer.cli.exchange``) is merged."""

from __future__ import annotations

import os
import subprocess
import time
from collections import Counter
from pathlib import Path

import pytest

pytest.importorskip("reviewer.cli.exchange")

from cli_batch import run_batch  # noqa: E402
from fuzz_inputs import SECRET_MARKER, all_cases, write_cases, xfdf_bases  # noqa: E402
from safety_helpers import PY, child_env, content_digest, integrity, populate  # noqa: E402

from reviewer.core.store import dump_database  # noqa: E402

# Not a budget (those live in bench/): a file that takes this long is a hang in the making (a
# quadratic parse, an entity bomb). 2 s failed under load on files that take 0.3 s idle.
LIMIT_S = float(os.environ.get("REVIEWER_FUZZ_LIMIT_S", "10"))


def _export(db: Path, pdf: Path, target: Path) -> bytes | None:
    """A real export to mutate (None when this build cannot write that format)."""
    done = subprocess.run(
        [PY, "-m", "reviewer", "export", str(pdf), "-o", str(target)],
        capture_output=True,
        text=True,
        timeout=60,
        env=child_env(db),
        check=False,
    )
    return target.read_bytes() if done.returncode == 0 and target.exists() else None


def test_malformed_and_hostile_imports_are_refused_and_change_nothing(
    tmp_path: Path, sample_pdf: Path
) -> None:
    db = tmp_path / "review.sqlite3"
    populate(db, sample_pdf, count=3)
    json_base = _export(db, sample_pdf, tmp_path / "base.json")
    xfdf_base = _export(db, sample_pdf, tmp_path / "base.xfdf")
    cases = all_cases(json_base, ([xfdf_base] if xfdf_base else []) + xfdf_bases())
    written = write_cases(tmp_path / "fuzz", cases)
    assert len(written) >= 1000
    by_path = dict(written)
    digest_before = content_digest(db)

    started = time.monotonic()
    paths = [p for p, _ in written]
    # One runner: imports into one database must not race each other's before/after digests.
    answers = run_batch(
        ["import", "--pdf", str(sample_pdf)],
        paths,
        child_env(db, REVIEWER_BATCH_DIGEST="1"),
        limit_s=20,
    )
    elapsed = time.monotonic() - started

    problems: list[str] = []
    outcomes: Counter[str] = Counter()
    slowest = 0.0
    for path, answer in answers.items():
        case = by_path[path]
        code = answer["code"]
        seconds = float(answer.get("seconds", 0))
        slowest = max(slowest, seconds)
        stderr = str(answer.get("stderr", ""))
        if code in ("hang", "crash"):
            problems.append(f"{case.name}: {code}")
            continue
        if seconds > LIMIT_S:
            problems.append(f"{case.name}: took {seconds:.2f} s")
        if code == 1:
            lines = stderr.strip().splitlines()
            if (
                len(lines) != 1
                or not lines[0].startswith("reviewer: error: ")
                or "internal error" in lines[0]
            ):
                problems.append(f"{case.name}: unclear refusal {stderr!r}"[:300])
            elif path.name not in lines[0]:
                problems.append(f"{case.name}: the message does not name the file: {lines[0]!r}"[:300])
            if not answer.get("unchanged"):
                problems.append(f"{case.name}: refused, but the database changed")
            outcomes["refused"] += 1
        elif code == 0:
            if case.must_refuse:
                problems.append(f"{case.name}: accepted, but no correct reader may accept it")
            outcomes["accepted (a mutation that stayed valid)"] += 1
        else:
            problems.append(f"{case.name}: exit {code} {stderr!r}"[:300])
        if "Traceback" in stderr or SECRET_MARKER in str(answer.get("stdout", "")) + stderr:
            problems.append(f"{case.name}: traceback or leaked file content")
    assert integrity(db) == "ok"
    assert SECRET_MARKER not in dump_database(db)
    print(
        f"\nimport fuzz: {len(answers)} files ({Counter(c.kind for c in cases)}): "
        f"{dict(outcomes)}; slowest {slowest:.2f} s; {elapsed:.1f} s in one runner; database "
        + ("unchanged" if content_digest(db) == digest_before else "changed by accepted files only")
    )
    assert not problems, f"{len(problems)} problems:\n" + "\n".join(problems[:60])
