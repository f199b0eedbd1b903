"""Hostile and broken PDFs: every one ends, from the CLI, in success or one clear line (never a
traceback, never a hang), and the app's probe contains crashes and hangs in a worker process."""

from __future__ import annotations

import os
import shutil
import subprocess
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from cli_batch import run_batch
from pdf_mutations import BROKEN_AND_ENCRYPTED, CORPUS, available_sources, mutated_pdfs
from safety_helpers import PY, child_env

from reviewer.core.pdf_guard import probe_pdf

MUTATED = int(os.environ.get("REVIEWER_MUTATED_PDFS", "300"))
LIMIT_S = 20


def _info(db: Path, pdf: Path) -> tuple[Path, subprocess.CompletedProcess[str] | None, float]:
    started = time.monotonic()
    try:
        done = subprocess.run(
            [PY, "-m", "reviewer", "info", str(pdf)],
            capture_output=True,
            text=True,
            timeout=LIMIT_S,
            env=child_env(db),
            check=False,
        )
    except subprocess.TimeoutExpired:
        return pdf, None, time.monotonic() - started
    return pdf, done, time.monotonic() - started


def _judge(pdf: Path, done: subprocess.CompletedProcess[str] | None) -> str:
    assert done is not None, f"{pdf}: did not finish within {LIMIT_S} s"
    assert "Traceback" not in done.stderr + done.stdout, f"{pdf}: {done.stderr}"
    assert done.returncode in (0, 1), f"{pdf}: exit {done.returncode} {done.stderr}"
    if done.returncode == 0:
        assert "pages:" in done.stdout, done.stdout
        return "opened (repaired)" if "repaired" in done.stdout else "opened"
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1, f"{pdf}: {done.stderr}"
    assert lines[0].startswith(f"reviewer: error: {pdf}: "), lines[0]
    assert "internal error" not in lines[0], lines[0]
    return "refused"


def _judge_answer(pdf: Path, answer: dict[str, object]) -> str:
    code = answer["code"]
    assert code not in ("hang", "crash"), f"{pdf}: {code} {answer}"
    done = subprocess.CompletedProcess([], code, str(answer["stdout"]), str(answer["stderr"]))
    return _judge(pdf, done)  # type: ignore[arg-type]


def test_mutated_and_broken_pdfs_from_the_cli(tmp_path: Path) -> None:
    """Every mutated file through ``reviewer info`` (reviewer.cli.main, in batch runners that a
    hang or crash cannot hide from: see cli_batch.py), then the broken and encrypted corpus
    files and a sample of the mutated ones as separate ``python -m reviewer`` processes."""
    if not available_sources():
        pytest.skip("corpus not available")
    folder = tmp_path / "pdfs"
    folder.mkdir()
    mutated = [p for p, _ in mutated_pdfs(folder, MUTATED)]
    corpus = []
    for name in BROKEN_AND_ENCRYPTED:
        if (CORPUS / name).exists():
            shutil.copyfile(CORPUS / name, folder / name)
            corpus.append(folder / name)
    db = tmp_path / "review.sqlite3"
    started = time.monotonic()
    halves = [mutated[0::2], mutated[1::2]]
    with ThreadPoolExecutor(max_workers=2) as pool:
        batches = list(pool.map(lambda files: run_batch(["info"], files, child_env(db), LIMIT_S), halves))
    answers = {pdf: answer for batch in batches for pdf, answer in batch.items()}
    assert set(answers) == set(mutated)
    outcomes = Counter(_judge_answer(pdf, answer) for pdf, answer in answers.items())
    slowest = max(float(a.get("seconds", 0)) for a in answers.values())  # type: ignore[arg-type]
    batch_total = time.monotonic() - started

    started = time.monotonic()
    separate = corpus + mutated[:: max(1, len(mutated) // 20)]
    with ThreadPoolExecutor(max_workers=2) as pool:
        results = list(pool.map(lambda p: _info(db, p), separate))
    separate_outcomes = Counter(_judge(pdf, done) for pdf, done, _ in results)
    encrypted = [done for pdf, done, _ in results if "encrypted" in pdf.name]
    assert encrypted and all(
        d is not None and "is encrypted: give its password" in d.stderr for d in encrypted
    )
    print(
        f"\n{len(mutated)} mutated PDFs through reviewer info: {dict(outcomes)}; "
        f"slowest {slowest:.2f} s; "
        f"{batch_total:.1f} s on 2 runners. {len(separate)} as separate processes "
        f"({len(corpus)} broken/encrypted corpus files): {dict(separate_outcomes)}; "
        f"slowest {max(s for _, _, s in results):.2f} s; {time.monotonic() - started:.1f} s"
    )
    assert outcomes["refused"] > 0 and outcomes["opened"] + outcomes["opened (repaired)"] > 0


def test_the_probe_reads_broken_files_in_a_worker(tmp_path: Path) -> None:
    if not available_sources():
        pytest.skip("corpus not available")
    outcomes: Counter[str] = Counter()
    files = [p for p, _ in mutated_pdfs(tmp_path, 24, seed=99)]
    files += [CORPUS / n for n in BROKEN_AND_ENCRYPTED if (CORPUS / n).exists()]
    for pdf in files:
        result = probe_pdf(pdf, timeout=LIMIT_S)
        assert result.outcome in ("ok", "refused"), result
        if result.outcome == "refused":
            assert result.message.startswith(f"{pdf}: ") and "\n" not in result.message
        else:
            assert result.page_count > 0
        outcomes[result.outcome + (" repaired" if result.repaired else "")] += 1
    truncated = probe_pdf(CORPUS / "derived-truncated-55pct-crpt-118hrpt728.pdf")
    assert truncated.ok and truncated.repaired and "repaired" in truncated.message
    unlocked = probe_pdf(CORPUS / "encrypted-aes256-r6.pdf", password="usersecret")
    assert unlocked.ok and unlocked.text_chars > 0
    print(f"\nprobe: {dict(outcomes)}")


def test_a_crash_or_hang_in_the_reader_is_contained(
    sample_pdf: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("REVIEWER_PROBE_FAULT", "crash")
    crashed = probe_pdf(sample_pdf)
    assert crashed.outcome == "crashed"
    assert crashed.message.startswith(f"{sample_pdf}: the PDF reader crashed")
    monkeypatch.setenv("REVIEWER_PROBE_FAULT", "hang")
    started = time.monotonic()
    hung = probe_pdf(sample_pdf, timeout=2)
    assert hung.outcome == "timeout" and "did not finish within 2 s" in hung.message
    assert time.monotonic() - started < 10
    monkeypatch.delenv("REVIEWER_PROBE_FAULT")
    fine = probe_pdf(sample_pdf)
    assert fine.ok and fine.page_count > 0 and fine.text_chars > 1000


def test_a_long_read_that_makes_progress_is_not_a_hang(
    sample_pdf: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The time limit is for a read that stops moving: a 1,000-page document on a busy laptop
    takes longer than it in all (here 7 pages at 1 s each against a 5 s limit)."""
    monkeypatch.setenv("REVIEWER_PROBE_FAULT", "slow")
    started = time.monotonic()
    slow = probe_pdf(sample_pdf, timeout=5)
    assert time.monotonic() - started > 5  # longer than the limit in all
    assert slow.ok and slow.page_count == 7, slow.message
