# ruff: noqa: E501
"""The scenarios of issue 9, each next to its floor. Registered in the order of the table."""

from __future__ import annotations

import importlib.metadata as metadata
import random
import sqlite3
import statistics
import time
import uuid
from pathlib import Path
from typing import Any

from bench import inputs
from bench.runner import Budget, Context, Measurement, NotAvailable, scenario  # noqa: F401
from bench.timing import compile_bytecode, interleaved, run_probe, timed_ms

FIRST_PAGE_ZOOM = 1.5  # the scale both the floor and the app show page 1 at, for cold start
RENDER_ZOOM = 1.5
FIND_QUERY = "personal data"


# --- cold start, rendering, scrolling (the reading view) --------------------------------------
def _cold_start(ctx: Context, pages: int, annotations: int) -> Measurement:
    pdf = inputs.treaty_pdf(pages)
    db = inputs.copy_db(
        inputs.review_db(pdf, annotations if ctx.sizes.name != "smoke" else 0), ctx.work / "cold"
    )
    app: list[float] = []
    floor: list[float] = []
    from reviewer.core.pdf import sha256_of_file

    compile_bytecode()  # as `pip install` does; the floor's libraries come compiled too
    opened = ("--opened", sha256_of_file(pdf))  # a reviewer coming back to the document
    # A first unrecorded run of each warms the disk cache and tells the page scale the app chose.
    scale = str(run_probe("app_first_paint.py", str(pdf), str(db), *opened)["scale"])
    run_probe("floor_first_paint.py", str(pdf), scale)
    for _ in range(ctx.sizes.cold_repeats):
        f = run_probe("floor_first_paint.py", str(pdf), scale)
        floor.append((f["painted"] - f["launched"]) * 1000)
        a = run_probe("app_first_paint.py", str(pdf), str(db), *opened)
        app.append((a["painted"] - a["launched"]) * 1000)
    return Measurement(
        app,
        floor,
        "python + PySide6 + PyMuPDF showing page 1 in a QLabel, launch to first paint",
        f"{pages} pages at the app's scale {float(scale):.2f}; the app as `reviewer open PDF` starts "
        "it (reviewer.cli.launch: head-start render worker first, then Qt and the window; page 1 from "
        f"the worker's tile), a reviewer coming back to a document whose database holds "
        f"{annotations} annotations (panel attached after the first paint); modules compiled as "
        "an installed copy has them (offscreen platform)",
    )


@scenario("cold_start", "cold start to first page, {s.big_pdf} pages", "ms", Budget("ratio", 1.3),
          needs=("reviewer.ui.app",))  # fmt: skip
def cold_start(ctx: Context) -> Measurement:
    return _cold_start(ctx, ctx.sizes.big_pdf, 100)


@scenario("cold_start_huge", "cold start to first page, {s.huge_pdf} pages", "ms", Budget("ratio", 1.3),
          needs=("reviewer.ui.app",))  # fmt: skip
def cold_start_huge(ctx: Context) -> Measurement:
    return _cold_start(ctx, ctx.sizes.huge_pdf, 0)


def _bare_render(doc: Any, index: int, zoom: float) -> Any:
    import pymupdf
    from PySide6.QtGui import QImage

    pix = doc[index].get_pixmap(matrix=pymupdf.Matrix(zoom, zoom), alpha=False, annots=False)
    image = QImage(pix.samples, pix.width, pix.height, pix.stride, QImage.Format.Format_RGB888)
    return image.width() + 0 * id(pix)


@scenario("render_core", "page render, core render_page_rgb + QImage", "ms", Budget("ratio", 1.2))
def render_core(ctx: Context) -> Measurement:
    """The rendering call the core offers, wrapped in a QImage as the view would."""
    import pymupdf
    from PySide6.QtGui import QImage

    from reviewer.core.pdf import open_pdf

    path = inputs.treaty_pdf(ctx.sizes.small_pdf)
    pdf = open_pdf(path)
    bare = pymupdf.open(path)
    pages = [i % pdf.page_count for i in (3, 11, 27, 42)]
    state = {"n": 0}

    def subject() -> None:
        index = pages[state["n"] % len(pages)]
        w, h, stride, samples = pdf.render_page_rgb(index, RENDER_ZOOM)
        QImage(samples, w, h, stride, QImage.Format.Format_RGB888)

    def floor() -> None:
        _bare_render(bare, pages[state["n"] % len(pages)], RENDER_ZOOM)
        state["n"] += 1

    s, f = interleaved(subject, floor, ctx.sizes.repeats * 3)
    return Measurement(s, f, f"bare get_pixmap + QImage, same pages at {RENDER_ZOOM}×")


# --- annotations ---------------------------------------------------------------------------
@scenario("create", "create an annotation (warm document)", "ms", Budget("max", 10))
def create_annotation(ctx: Context) -> Measurement:
    """Review.annotate_range, from the selection to the row committed in SQLite."""
    from reviewer.core.pdf import open_pdf
    from reviewer.core.review import Review

    path = inputs.treaty_pdf(ctx.sizes.small_pdf)
    db = inputs.copy_db(inputs.review_db(path, ctx.sizes.create_db), ctx.work / "create")
    review = Review.open(db, inputs.BENCH_IDENTITY)
    pdf = open_pdf(path)
    text = pdf.flow().text
    tag = review.tags()[0].name
    rng = random.Random(7)
    review.annotate_range(pdf, 100, 160, tags=[tag], comment="warm-up")
    floor_conn = sqlite3.connect(str(ctx.work / "create" / "floor.sqlite3"), isolation_level=None)
    for pragma in ("journal_mode = WAL", "synchronous = FULL", "foreign_keys = ON"):
        floor_conn.execute(f"PRAGMA {pragma}")
    floor_conn.execute(
        "CREATE TABLE IF NOT EXISTS annotations (id TEXT PRIMARY KEY, document_id TEXT, quote TEXT, "
        "quads TEXT, comment TEXT, page INTEGER)"
    )
    floor_conn.execute("CREATE TABLE IF NOT EXISTS annotation_tags (annotation_id TEXT, tag_id TEXT)")
    created: list[Any] = []

    def subject() -> None:
        start = rng.randrange(0, len(text) - 200)
        created.append(review.annotate_range(pdf, start, start + 80, tags=[tag], comment="Check the scope."))

    def floor() -> None:
        last = created[-1] if created else None
        annotation_id = str(uuid.uuid4())
        floor_conn.execute("BEGIN IMMEDIATE")
        floor_conn.execute(
            "INSERT INTO annotations VALUES (?, ?, ?, ?, ?, ?)",
            [annotation_id, "doc", last.quote if last else "", "[]", "Check the scope.", 0],
        )
        floor_conn.execute("INSERT INTO annotation_tags VALUES (?, ?)", [annotation_id, "tag"])
        floor_conn.execute("COMMIT")

    s, f = interleaved(subject, floor, ctx.sizes.repeats * 5)
    review.close()
    return Measurement(
        s,
        f,
        "bare sqlite3 INSERT of a row and its tag + COMMIT (WAL, synchronous=FULL)",
        f"{ctx.sizes.small_pdf}-page document, {ctx.sizes.create_db} annotations in the database",
    )


# --- find -----------------------------------------------------------------------------------
def bare_search_all(path: Path, query: str) -> int:
    """The floor of find (here and in the window's, bench/gui_scenarios.py): every hit of
    ``query`` by bare PyMuPDF, opening the file too."""
    import pymupdf

    with pymupdf.open(path) as doc:
        return sum(len(page.search_for(query)) for page in doc)


@scenario("find_all_cold", "find, all hits, {s.big_pdf} pages (core, as the CLI: open + text + find)", "ms",
          Budget("report"))  # fmt: skip
def find_all_cold(ctx: Context) -> Measurement:
    """Opening the document and finding every hit through the core's text flow."""
    from reviewer.core.pdf import open_pdf
    from reviewer.core.textflow import find_all

    path = inputs.treaty_pdf(ctx.sizes.big_pdf)
    hits: list[int] = []

    def subject() -> None:
        with open_pdf(path) as pdf:
            hits.append(len(find_all(pdf.flow(), FIND_QUERY)))

    floor_hits: list[int] = []
    s, f = interleaved(subject, lambda: floor_hits.append(bare_search_all(path, FIND_QUERY)),
                       max(2, ctx.sizes.repeats // 2))  # fmt: skip
    return Measurement(
        s, f, "bare PyMuPDF open + search_for on every page",
        f"query {FIND_QUERY!r}: {hits[-1]} hits (bare: {floor_hits[-1]})",
    )  # fmt: skip


@scenario("find_all_warm", "find, all hits, {s.big_pdf} pages (core, text loaded)", "ms",
          Budget("report"))  # fmt: skip
def find_all_warm(ctx: Context) -> Measurement:
    """Finding every hit once the document's text is loaded (as in an open window)."""
    from reviewer.core.pdf import open_pdf
    from reviewer.core.textflow import find_all

    path = inputs.treaty_pdf(ctx.sizes.big_pdf)
    pdf = open_pdf(path)
    flow = pdf.flow()
    s, f = interleaved(lambda: find_all(flow, FIND_QUERY), lambda: bare_search_all(path, FIND_QUERY),
                       ctx.sizes.repeats)  # fmt: skip
    return Measurement(s, f, "bare PyMuPDF open + search_for on every page", f"query {FIND_QUERY!r}")


# --- carry --------------------------------------------------------------------------------------
@scenario("carry", "carry {s.carry_count} annotations to a revised {s.carry_pdf}-page document", "ms",
          Budget("max", 3000), needs=("reviewer.core.carry",))  # fmt: skip
def carry(ctx: Context) -> Measurement:
    """carry_annotations with both versions open (their text flows extracted, as in the window
    and the CLI): the whole-text alignment, the placements and the one transaction."""
    from reviewer.core.carry import carry_annotations
    from reviewer.core.pdf import open_pdf
    from reviewer.core.review import Review
    from reviewer.core.textflow import normalize_quote

    old_path = inputs.treaty_pdf(ctx.sizes.carry_pdf)
    new_path = inputs.revised_treaty_pdf(ctx.sizes.carry_pdf)
    source_db = inputs.review_db(old_path, ctx.sizes.carry_count)
    old = open_pdf(old_path)
    old_id = old.info().sha256
    old.flow()
    samples: list[float] = []
    floor: list[float] = []
    flow_ms: list[float] = []
    counts: dict[str, int] = {}
    for run in range(max(2, ctx.sizes.repeats // 2)):
        db = inputs.copy_db(source_db, ctx.work / f"carry-{run}")
        review = Review.open(db, inputs.BENCH_IDENTITY)
        new_pdf = open_pdf(new_path)
        new_pdf.info()
        t0 = time.perf_counter()
        flow = new_pdf.flow()
        flow_ms.append((time.perf_counter() - t0) * 1000)
        quotes = [normalize_quote(r["quote"]) for r in review.store.query_annotations(old_id)]
        floor.append(timed_ms(lambda q=quotes, f=flow: [f.text.find(x) for x in q]))
        t0 = time.perf_counter()
        report = carry_annotations(review, old_id, new_pdf, old)
        samples.append((time.perf_counter() - t0) * 1000)
        counts = dict(report.counts)
        review.close()
        new_pdf.close()
    old.close()
    return Measurement(
        samples, floor, "str.find of every quote in the new text (exact matches only)",
        f"new version's text flow extracted first ({statistics.median(flow_ms) / 1000:.1f} s, not counted); "
        f"outcomes {counts}",
    )  # fmt: skip


@scenario("diff", "reviewer diff of two {s.carry_pdf}-page versions, end to end", "ms",
          Budget("max", 5000), needs=("reviewer.core.redline",))  # fmt: skip
def diff(ctx: Context) -> Measurement:
    """``reviewer diff OLD NEW --json`` in-process from the two files: reading both texts,
    their structures, the article by article comparison and the JSON."""
    import json

    from reviewer.core.pdf import open_pdf
    from reviewer.core.redline import compare_versions

    old_path = inputs.treaty_pdf(ctx.sizes.carry_pdf)
    new_path = inputs.revised_treaty_pdf(ctx.sizes.carry_pdf)
    samples: list[float] = []
    floor: list[float] = []
    counts: dict[str, int] = {}
    for _ in range(2):
        t0 = time.perf_counter()
        with open_pdf(old_path) as old, open_pdf(new_path) as new:
            comparison = compare_versions(old, new)
            json.dumps(comparison.to_json())
        samples.append((time.perf_counter() - t0) * 1000)
        counts = comparison.counts

        def texts() -> None:
            import pymupdf

            for path in (old_path, new_path):
                with pymupdf.open(path) as doc:
                    for page in doc:
                        page.get_text("text")

        floor.append(timed_ms(texts))
    return Measurement(
        samples, floor, "PyMuPDF's plain get_text of every page of both versions",
        f"articles {counts}",
    )  # fmt: skip


# --- install size ---------------------------------------------------------------------------
RUNTIME_DEPENDENCIES = (
    "PySide6-Essentials", "sqlite-utils", "pymupdf-lite", "click", "platformdirs", "defusedxml",
    "rapidfuzz",
)  # fmt: skip


def _requirement_name(spec: str) -> str | None:
    if ";" in spec and "extra" in spec.split(";", 1)[1]:
        return None
    name = spec.split(";", 1)[0].strip()
    for stop in "<>=!~[ (":
        name = name.split(stop, 1)[0]
    return name.strip() or None


def runtime_closure(roots: tuple[str, ...] = RUNTIME_DEPENDENCIES) -> dict[str, int]:
    """Installed size in bytes of each runtime distribution and its dependencies (RECORD sums)."""
    sizes: dict[str, int] = {}
    todo = list(roots)
    while todo:
        name = todo.pop()
        try:
            dist = metadata.distribution(name)
        except metadata.PackageNotFoundError:
            continue
        key = dist.metadata["Name"].lower()
        if key in sizes:
            continue
        sizes[key] = sum(f.size or 0 for f in (dist.files or []))
        for spec in dist.requires or []:
            dependency = _requirement_name(spec)
            if dependency:
                todo.append(dependency)
    return sizes


@scenario("install_size", "install size of the runtime dependencies", "MB", Budget("report"))
def install_size(ctx: Context) -> Measurement:
    sizes = runtime_closure()
    total = sum(sizes.values()) / 1e6
    biggest = sorted(sizes.items(), key=lambda kv: -kv[1])[:4]
    parts = ", ".join(f"{k} {v / 1e6:.0f}" for k, v in biggest)
    return Measurement(
        [total],
        None,
        "",
        f"sum of RECORD sizes of {len(sizes)} installed distributions in this venv ({parts} MB; "
        "the reviewer package itself not counted)",
    )


# --- memory ---------------------------------------------------------------------------------
@scenario("memory_core", "peak memory, core: {s.big_pdf} pages + {s.memory_annotations} annotations loaded",
          "MB", Budget("max", 400))  # fmt: skip
def memory_core(ctx: Context) -> Measurement:
    """The core's share of an open window: the document, its text flow and every annotation."""
    pdf = inputs.treaty_pdf(ctx.sizes.big_pdf)
    db = inputs.copy_db(inputs.review_db(pdf, ctx.sizes.memory_annotations), ctx.work / "memory")
    app, floor = [], []
    for _ in range(max(1, ctx.sizes.cold_repeats // 2)):
        app.append(run_probe("memory_core.py", str(pdf), str(db))["peak_rss_mb"])
        floor.append(run_probe("floor_first_paint.py", str(pdf), str(FIRST_PAGE_ZOOM))["peak_rss_mb"])
    return Measurement(app, floor, "peak RSS of the minimal PySide6 + PyMuPDF page-1 program",
                       "peak RSS (VmHWM) of a fresh interpreter, no Qt loaded")  # fmt: skip


def median(values: list[float]) -> float:
    return statistics.median(values)
