"""Benchmark: ``reviewer diff`` of two ~300-page versions of a treaty (target: <= 5 s).

    PYTHONPATH=. python bench/diff_bench.py [--repeat 50] [--folder DIR]

The same v1 and v2 as bench/carry_bench.py (the sample treaty's chapters repeated; v2 inserts
an article, deletes a paragraph, rewords clauses). Prints each stage: reading the two texts
(``reading_flow``: MuPDF's extraction without glyph boxes, the floor any comparison pays),
their structures, the article by article comparison (which parses the structures again,
then aligns, matches and diffs), the PDF redline, and the whole CLI run end to end in a
fresh process (wall and CPU time).
"""

from __future__ import annotations

import argparse
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests" / "anchors"))

from conftest import make_v2  # noqa: E402  (the acceptance test's v2 edits)

from reviewer.core.pdf import open_pdf  # noqa: E402
from reviewer.core.redline import REDLINE_CSS, compare_versions, redline_body  # noqa: E402
from reviewer.core.report.pdf_layout import html_to_pdf  # noqa: E402
from reviewer.core.sample_treaty import SAMPLE_TREATY, build_treaty_pdf  # noqa: E402
from reviewer.core.structure import detect_structure  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=50, help="body repeats (50 gives ~300 pages)")
    parser.add_argument("--folder", type=Path, help="keep (and reuse) the built PDFs here")
    args = parser.parse_args()
    folder = args.folder or Path(tempfile.mkdtemp(prefix="diff-bench-"))
    folder.mkdir(parents=True, exist_ok=True)
    if not (folder / "v2.pdf").exists():
        build_treaty_pdf(SAMPLE_TREATY, folder / "v1.pdf", repeat_body=args.repeat)
        build_treaty_pdf(make_v2(SAMPLE_TREATY), folder / "v2.pdf", repeat_body=args.repeat)
    v1, v2 = open_pdf(folder / "v1.pdf"), open_pdf(folder / "v2.pdf")
    print(f"pages: v1 {v1.page_count}, v2 {v2.page_count}")
    t = time.perf_counter()
    flow1, flow2 = v1.reading_flow(), v2.reading_flow()
    flows = time.perf_counter() - t
    print(f"texts (MuPDF 'dict'):      {flows:6.2f} s")
    t = time.perf_counter()
    detect_structure(flow1)
    detect_structure(flow2)
    structures = time.perf_counter() - t
    print(f"structures:                {structures:6.2f} s")
    t = time.perf_counter()
    comparison = compare_versions(v1, v2)
    compare = time.perf_counter() - t
    print(f"compare article by article:{compare:6.2f} s  {comparison.counts}")
    t = time.perf_counter()
    data = html_to_pdf(redline_body(comparison), REDLINE_CSS, footer="Redline")
    redline = time.perf_counter() - t
    print(f"PDF redline:               {redline:6.2f} s  ({len(data):,} bytes)")
    print(f"diff once texts are read:  {compare:6.2f} s (+ redline {redline:.2f} s)")
    v1.close()
    v2.close()
    t = time.perf_counter()
    cpu = resource.getrusage(resource.RUSAGE_CHILDREN)
    subprocess.run(
        [
            sys.executable,
            "-m",
            "reviewer",
            "--db",
            str(folder / "diff.sqlite3"),
            "diff",
            str(folder / "v1.pdf"),
            str(folder / "v2.pdf"),
            "--json",
        ],
        check=True,
        stdout=subprocess.DEVNULL,
        cwd=ROOT,
    )
    wall = time.perf_counter() - t
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    used = after.ru_utime + after.ru_stime - cpu.ru_utime - cpu.ru_stime
    # On a machine shared with other jobs the wall time waits for the CPU; the CPU time does not.
    print(f"CLI end to end (--json):   {wall:6.2f} s wall, {used:.2f} s CPU")


if __name__ == "__main__":
    main()
