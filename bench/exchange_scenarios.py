"""Import, merge and report scenarios (exchange and report areas)."""

from __future__ import annotations

import gc
import importlib
import json
import shutil
import time
import uuid
from pathlib import Path
from typing import Any

from bench import inputs
from bench.runner import Budget, Context, Measurement, scenario
from bench.timing import timed_ms


def _json_floor(paths: list[Path]) -> list[Any]:
    """The standard library's best: json.loads with the cyclic collector paused (it walks every
    container parsed so far: 5.3 s instead of 1.6 s for the ten merge files here)."""
    gc.disable()
    try:
        return [json.loads(p.read_bytes()) for p in paths]
    finally:
        gc.enable()


def _exported_review_file(ctx: Context, pdf_path: Path, count: int) -> Path:
    """A .review.json of ``count`` annotations, written by Reviewer's own export (cached)."""
    from reviewer.core.exchange.service import export_review_file
    from reviewer.core.pdf import open_pdf
    from reviewer.core.review import Review

    out = inputs.CACHE / f"v{inputs.INPUTS_VERSION}-{pdf_path.stem}-{count}-{inputs.schema_tag()}.review.json"
    if not out.exists():
        db = inputs.copy_db(inputs.review_db(pdf_path, count), ctx.work / "export")
        review = Review.open(db, inputs.BENCH_IDENTITY)
        with open_pdf(pdf_path) as pdf:
            document_id = review.register(pdf)["id"]
        export_review_file(review, document_id, out)
        review.close()
    return out


@scenario("import", "import a review file of {s.import_count} annotations", "ms", Budget("max", 3000),
          needs=("reviewer.core.exchange.service",))  # fmt: skip
def import_review(ctx: Context) -> Measurement:
    """import_file into a database that knows the document but none of the annotations."""
    from reviewer.core.exchange.service import import_file
    from reviewer.core.pdf import open_pdf
    from reviewer.core.review import Review

    pdf_path = inputs.treaty_pdf(ctx.sizes.small_pdf)
    review_path = _exported_review_file(ctx, pdf_path, ctx.sizes.import_count)
    samples: list[float] = []
    floor: list[float] = []
    added = 0
    for run in range(max(2, ctx.sizes.repeats // 2)):
        floor.append(timed_ms(lambda: _json_floor([review_path])))
        folder = ctx.work / f"import-{run}"
        folder.mkdir(parents=True, exist_ok=True)
        review = Review.open(folder / "review.sqlite3", inputs.BENCH_IDENTITY)
        with open_pdf(pdf_path) as pdf:
            review.register(pdf)
        t0 = time.perf_counter()
        result = import_file(review, str(review_path))
        samples.append((time.perf_counter() - t0) * 1000)
        added = len(result.added)
        review.close()
    size_mb = review_path.stat().st_size / 1e6
    return Measurement(samples, floor, "json.loads of the same file (garbage collector paused)",
                       f"{added} added; file {size_mb:.1f} MB, written by export_review_file")  # fmt: skip


def _merge_inputs(ctx: Context) -> list[Path]:
    """Files as bench/exchange_bench.py makes them: a shared half, 10 % edited, own additions."""
    from reviewer.core.pdf import open_pdf
    from reviewer.core.resources import sample_treaty_path

    files, per_file = ctx.sizes.merge_files, ctx.sizes.import_count
    folder = inputs.CACHE / f"v{inputs.INPUTS_VERSION}-merge-{files}x{per_file}"
    paths = [folder / f"r{f}.review.json" for f in range(files)]
    if all(p.exists() for p in paths):
        return paths
    generator: Any = importlib.import_module("bench.exchange_bench")
    generator.FILES, generator.PER_FILE, generator.SHARED = files, per_file, per_file // 2
    tmp = folder.with_suffix(".building")
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir(parents=True)
    with open_pdf(sample_treaty_path()) as pdf:
        info = pdf.info()
    generator.make_files(tmp, info.sha256, info.page_count)
    shutil.rmtree(folder, ignore_errors=True)
    tmp.rename(folder)
    return paths


@scenario("merge", "merge {s.merge_files} review files × {s.import_count} annotations", "ms",
          Budget("max", 5000),
          needs=("reviewer.core.exchange.service", "bench.exchange_bench"))  # fmt: skip
def merge(ctx: Context) -> Measurement:
    from reviewer.core.exchange.service import merge_files

    paths = _merge_inputs(ctx)
    out = ctx.work / "merged.review.json"
    samples: list[float] = []
    floor: list[float] = []
    merged: Any = None
    for _ in range(max(2, ctx.sizes.repeats // 3)):
        floor.append(timed_ms(lambda: _json_floor(paths)))
        t0 = time.perf_counter()
        merged = merge_files([str(p) for p in paths], out)
        samples.append((time.perf_counter() - t0) * 1000)
    size_mb = sum(p.stat().st_size for p in paths) / 1e6
    return Measurement(samples, floor, "json.loads of the same files (garbage collector paused)",
                       f"read, check, merge, write; {len(merged.annotations)} annotations merged, "
                       f"{merged.conflict_count()} conflicts; {size_mb:.1f} MB in")  # fmt: skip


# --- report ----------------------------------------------------------------------------------
def _bare_story_pdf(paragraphs: list[str], out: Path) -> None:
    """The floor of a report: PyMuPDF's Story laying out the same texts as plain paragraphs."""
    import html

    import pymupdf

    body = "".join(f"<p>{html.escape(p)}</p>" for p in paragraphs)
    story = pymupdf.Story(html=body)
    writer = pymupdf.DocumentWriter(str(out))
    rect = pymupdf.paper_rect("a4")
    more = 1
    while more:
        device = writer.begin_page(rect)
        more, _ = story.place(rect + (72, 72, -72, -72))
        story.draw(device)
        writer.end_page()
    writer.close()


@scenario("report", "PDF report of {s.report_count} annotations", "ms", Budget("max", 10_000),
          needs=("reviewer.core.report",))  # fmt: skip
def report(ctx: Context) -> Measurement:
    """build_report to PDF with the CLI's defaults (grouped by article, no page appendix)."""
    return _report(ctx, with_pages=False)


@scenario("report_pages", "PDF report of {s.report_count} annotations with the page appendix", "ms",
          Budget("report"), needs=("reviewer.core.report",))  # fmt: skip
def report_pages(ctx: Context) -> Measurement:
    """The same with every annotated page's image in an appendix (docs/report.md aims at 30 s)."""
    return _report(ctx, with_pages=True)


def _report(ctx: Context, *, with_pages: bool) -> Measurement:
    from reviewer.core.pdf import open_pdf
    from reviewer.core.report import ReportOptions, build_report
    from reviewer.core.review import Review

    pdf_path = inputs.treaty_pdf(ctx.sizes.small_pdf)
    db = inputs.copy_db(inputs.review_db(pdf_path, ctx.sizes.report_count), ctx.work / "report")
    review = Review.open(db, inputs.BENCH_IDENTITY)
    pdf = open_pdf(pdf_path)
    document_id = review.register(pdf)["id"]
    texts: list[str] = []
    for a in review.annotations(document_id):
        texts += [a.quote, a.comment, ", ".join(a.tag_names)]
    samples: list[float] = []
    floor: list[float] = []
    for run in range(max(2, ctx.sizes.repeats // 3)):
        floor.append(timed_ms(lambda r=run: _bare_story_pdf(texts, ctx.work / f"floor-{r}.pdf")))
        options = ReportOptions(output=ctx.work / f"report-{run}-{uuid.uuid4().hex[:6]}.pdf",
                                generated="2026-01-01T00:00:00Z", with_pages=with_pages)  # fmt: skip
        t0 = time.perf_counter()
        build_report(review, pdf, options)
        samples.append((time.perf_counter() - t0) * 1000)
    pages = len({a.page for a in review.annotations(document_id)}) if with_pages else 0
    review.close()
    pdf.close()
    note = f"{ctx.sizes.small_pdf}-page document"
    if pages:
        note += f"; {pages} annotated pages in the appendix"
    floor_what = "bare PyMuPDF Story laying out the same quotes, comments and tags"
    return Measurement(samples, floor, floor_what, note)
