# ruff: noqa: E501
"""``python -m bench --scale``: a 1,000-page document with 10,000 annotations in every path
(issue 15), each beside its floor measured in the same run.

The annotations come from another tool: ``bench.scale_inputs.foreign_xfdf`` (Acrobat-style
highlights with no Reviewer data). The database they make (one import) is cached and copied
for the scenarios that start from it; the review files and the merge set are written from it.
"""

from __future__ import annotations

import csv
import gc
import io
import json
import random
import shutil
import sqlite3
import time
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pymupdf

from bench import inputs
from bench.runner import Budget, Context, Measurement, scenario
from bench.scale_inputs import foreign_xfdf
from bench.timing import timed_ms

PAGES = 1000
COUNT = 10_000
MERGE_FILES = 10
XFDF_NS = "{http://ns.adobe.com/xfdf/}"


def _pdf() -> Path:
    return inputs.treaty_pdf(PAGES)


def _xfdf() -> Path:
    return foreign_xfdf(_pdf(), COUNT)


def _fresh_review(folder: Path) -> Any:
    from reviewer.core.pdf import open_pdf
    from reviewer.core.review import Review

    folder.mkdir(parents=True, exist_ok=True)
    for leftover in folder.glob("review.sqlite3*"):
        leftover.unlink()
    review = Review.open(folder / "review.sqlite3", inputs.BENCH_IDENTITY)
    with open_pdf(_pdf()) as pdf:
        review.register(pdf)
    return review


def _scale_db(ctx: Context) -> Path:
    """The database after importing the foreign XFDF (cached per schema)."""
    from reviewer.core.exchange.service import import_file

    path = inputs._cache(f"scale-db-{PAGES}p-{COUNT}-{inputs.schema_tag()}.sqlite3")
    if not path.exists():
        review = _fresh_review(ctx.work / "scale-db")
        import_file(review, str(_xfdf()), pdf_path=str(_pdf()))
        review.store.db.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        review.close()
        shutil.copyfile(ctx.work / "scale-db" / "review.sqlite3", path)
    return path


def _open_scale_review(ctx: Context, name: str) -> Any:
    from reviewer.core.review import Review

    return Review.open(inputs.copy_db(_scale_db(ctx), ctx.work / name), inputs.BENCH_IDENTITY)


def _document_id() -> str:
    from reviewer.core.pdf import open_pdf

    with open_pdf(_pdf()) as pdf:
        return pdf.info().sha256


def _paused(fn: Any) -> Any:
    gc.disable()
    try:
        return fn()
    finally:
        gc.enable()


# --- import of another tool's XFDF ------------------------------------------------------------
def bare_xfdf_words(xfdf: Path, pdf_path: Path) -> int:
    """The floor: parse the XFDF and read the words under each highlight with PyMuPDF."""
    doc = pymupdf.open(pdf_path)
    root = ET.parse(xfdf).getroot()
    words = 0
    number, page = -1, None
    for element in root.iter(XFDF_NS + "highlight"):
        p = int(element.get("page", "0"))
        if p != number:
            number, page = p, doc[p]
        assert page is not None
        values = [float(v) for v in element.get("coords", "").split(",")]
        height = page.rect.height
        for i in range(0, len(values), 8):
            xs, ys = values[i : i + 8 : 2], values[i + 1 : i + 8 : 2]
            clip = pymupdf.Rect(min(xs), height - max(ys), max(xs), height - min(ys))
            words += len(page.get_text("words", clip=clip))
    doc.close()
    return words


@scenario(
    "scale_import_xfdf", "import an XFDF of 10000 foreign highlights, 1000 pages", "ms", Budget("ratio", 3)
)
def scale_import_xfdf(ctx: Context) -> Measurement:
    from reviewer.core.exchange.service import import_file

    xfdf, pdf_path = _xfdf(), _pdf()
    samples: list[float] = []
    floor: list[float] = []
    added = 0
    for run in range(2):
        floor.append(timed_ms(lambda: bare_xfdf_words(xfdf, pdf_path)))
        review = _fresh_review(ctx.work / f"xfdf-{run}")
        t0 = time.perf_counter()
        result = import_file(review, str(xfdf), pdf_path=str(pdf_path))
        samples.append((time.perf_counter() - t0) * 1000)
        added = len(result.added)
        review.close()
    return Measurement(
        samples,
        floor,
        "bare script: ElementTree parse of the XFDF + PyMuPDF get_text('words', clip=) under each highlight's quads",
        f"{added} added (quotes read from the page: extraction of the 1000 pages' text, structure, anchors, one transaction)",
    )


# --- review files ----------------------------------------------------------------------------
def _foreign_review_file(ctx: Context) -> Path:
    from reviewer.core.exchange.service import export_review_file

    out = inputs._cache(f"scale-foreign-{PAGES}p-{COUNT}-{inputs.schema_tag()}.review.json")
    if not out.exists():
        review = _open_scale_review(ctx, "export-cache")
        export_review_file(review, _document_id(), out)
        review.close()
    return out


@scenario(
    "scale_import_review",
    "import a review file of 10000 annotations from XFDF, 1000 pages",
    "ms",
    Budget("max", 3000),
)
def scale_import_review(ctx: Context) -> Measurement:
    from reviewer.core.exchange.service import import_file

    path = _foreign_review_file(ctx)
    samples: list[float] = []
    floor: list[float] = []
    for run in range(3):
        floor.append(timed_ms(lambda: _paused(lambda: json.loads(path.read_bytes()))))
        review = _fresh_review(ctx.work / f"review-{run}")
        t0 = time.perf_counter()
        import_file(review, str(path))
        samples.append((time.perf_counter() - t0) * 1000)
        review.close()
    return Measurement(
        samples,
        floor,
        "json.loads of the same file (garbage collector paused)",
        f"file {path.stat().st_size / 1e6:.1f} MB, exported from the XFDF import",
    )


def _merge_set(ctx: Context) -> list[Path]:
    """Ten files of 10,000: a shared half of the foreign annotations (10 % edited by each
    reviewer), the other half each reviewer's own (other foreign anchors under new ids)."""
    from reviewer.core.exchange import review_file
    from reviewer.core.exchange.versions import ANNOTATION, ItemState, ReviewData, version_hash

    folder = inputs._cache(f"scale-merge-{MERGE_FILES}x{COUNT}-{inputs.schema_tag()}")
    paths = [folder / f"r{f}.review.json" for f in range(MERGE_FILES)]
    if all(p.exists() for p in paths):
        return paths
    source = review_file.read(str(_foreign_review_file(ctx)))
    pool = [state.winner for state in source.annotations.values()]
    ids = list(source.annotations)
    rng = random.Random(15)
    shared = ids[: COUNT // 2]
    tmp = folder.with_suffix(".building")
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir(parents=True)
    for f in range(MERGE_FILES):
        data = ReviewData(source.document)
        data.tags.update(source.tags)
        for i in shared:
            v = source.annotations[i].winner
            if rng.random() < 0.1:
                edited = dict(
                    v,
                    revision=int(v["revision"]) + 1,
                    modified=f"2026-12-{1 + f:02d}T00:00:00.000Z",
                    comment=f"Edited by reviewer {f}",
                )
                data.annotations[i] = ItemState.of(
                    ANNOTATION, i, [edited], [version_hash(ANNOTATION, v)]
                )
            else:
                data.annotations[i] = ItemState.of(ANNOTATION, i, [v])
        for _ in range(COUNT - len(shared)):
            i = str(__import__("uuid").UUID(int=rng.getrandbits(128), version=4))
            v = dict(rng.choice(pool), author_name=f"Reviewer {f}", comment=f"Own comment {f}")
            data.annotations[i] = ItemState.of(ANNOTATION, i, [v])
        (tmp / f"r{f}.review.json").write_text(review_file.dumps(data), "utf-8")
    shutil.rmtree(folder, ignore_errors=True)
    tmp.rename(folder)
    return paths


@scenario("scale_merge", "merge 10 review files × 10000 annotations from XFDF", "ms", Budget("ratio", 4))
def scale_merge(ctx: Context) -> Measurement:
    from reviewer.core.exchange.service import merge_files

    paths = _merge_set(ctx)
    out = ctx.work / "merged.review.json"
    floor_out = ctx.work / "floor.json"

    def bare() -> None:
        loaded = _paused(lambda: [json.loads(p.read_bytes()) for p in paths])
        floor_out.write_text(json.dumps(loaded), "utf-8")

    samples: list[float] = []
    floor: list[float] = []
    merged: Any = None
    for _ in range(3):
        floor.append(timed_ms(bare))
        t0 = time.perf_counter()
        merged = merge_files([str(p) for p in paths], out)
        samples.append((time.perf_counter() - t0) * 1000)
    size_mb = sum(p.stat().st_size for p in paths) / 1e6
    return Measurement(
        samples,
        floor,
        "json.loads of the ten files (collector paused) + json.dumps of them to one file",
        f"{len(merged.annotations)} merged, {merged.conflict_count()} conflicts; {size_mb:.1f} MB in",
    )


# --- export in the four formats ------------------------------------------------------------------
def _bare_rows(db: Path) -> list[tuple[Any, ...]]:
    conn = sqlite3.connect(str(db))
    try:
        return conn.execute("SELECT * FROM annotations").fetchall()
    finally:
        conn.close()


def _bare_export(fmt: str, db: Path, pdf_path: Path, out: Path) -> None:
    rows = _bare_rows(db)
    if fmt == "review":
        out.write_text(json.dumps([list(r) for r in rows]), "utf-8")
    elif fmt == "csv":
        buffer = io.StringIO()
        csv.writer(buffer).writerows(rows)
        out.write_text(buffer.getvalue(), "utf-8")
    elif fmt == "xfdf":
        root = ET.Element("xfdf")
        annots = ET.SubElement(root, "annots")
        for r in rows:
            ET.SubElement(annots, "highlight", {"name": str(r[0]), "coords": str(r[15])}).text = str(r[17])
        out.write_bytes(ET.tostring(root))
    else:  # an annotated copy: one highlight per row's quads
        doc = pymupdf.open(pdf_path)
        for r in rows:
            for quad in json.loads(r[15]):
                page = doc[quad["page"]]
                h = page.rect.height
                p = quad["points"]
                page.add_highlight_annot(
                    pymupdf.Quad((p[0], h - p[1]), (p[2], h - p[3]), (p[4], h - p[5]), (p[6], h - p[7]))
                )
        doc.save(out, garbage=1, deflate=True)
        doc.close()


def _export(ctx: Context, fmt: str) -> Measurement:
    from reviewer.core.exchange.service import export_document
    from reviewer.core.pdf import open_pdf

    review = _open_scale_review(ctx, f"export-{fmt}")
    db = ctx.work / f"export-{fmt}" / "review.sqlite3"
    suffix = {"review": ".review.json", "xfdf": ".xfdf", "pdf": ".pdf", "csv": ".csv"}[fmt]
    samples: list[float] = []
    floor: list[float] = []
    count = 0
    for run in range(2):
        floor.append(
            timed_ms(lambda r=run: _bare_export(fmt, db, _pdf(), ctx.work / f"bare-{fmt}-{r}{suffix}"))
        )
        t0 = time.perf_counter()
        with open_pdf(_pdf()) as pdf:
            count = export_document(review, pdf, fmt, ctx.work / f"out-{fmt}-{run}{suffix}")
        samples.append((time.perf_counter() - t0) * 1000)
    review.close()
    floors = {
        "review": "bare sqlite3 SELECT of the rows + json.dumps",
        "csv": "bare sqlite3 SELECT of the rows + csv.writer",
        "xfdf": "bare sqlite3 SELECT + ElementTree of one element per row",
        "pdf": "bare sqlite3 SELECT + PyMuPDF add_highlight_annot per quad + save",
    }
    return Measurement(samples, floor, floors[fmt], f"{count} annotations; open of the PDF included")


for _fmt in ("review", "xfdf", "pdf", "csv"):
    scenario(
        f"scale_export_{_fmt}", f"export 10000 annotations as {_fmt}, 1000 pages", "ms", Budget("report")
    )(lambda ctx, fmt=_fmt: _export(ctx, fmt))


# --- list, text ------------------------------------------------------------------------------
@scenario(
    "scale_list", "list 10000 annotations (core rows of `reviewer list`), 1000 pages", "ms", Budget("report")
)
def scale_list(ctx: Context) -> Measurement:
    review = _open_scale_review(ctx, "list")
    db = ctx.work / "list" / "review.sqlite3"
    document_id = _document_id()
    samples: list[float] = []
    floor: list[float] = []
    listed = 0
    for _ in range(5):
        floor.append(timed_ms(lambda: _bare_rows(db)))
        t0 = time.perf_counter()
        listed = len(review.annotations(document_id))
        samples.append((time.perf_counter() - t0) * 1000)
    review.close()
    return Measurement(samples, floor, "bare sqlite3 SELECT * FROM annotations", f"{listed} listed")


@scenario("scale_text_flow", "text flow of 1000 pages (core: extraction + flow)", "ms", Budget("ratio", 1.5))
def scale_text_flow(ctx: Context) -> Measurement:
    from reviewer.core.pdf import TEXT_FLAGS, open_pdf

    pdf_path = _pdf()

    def bare() -> None:
        doc = pymupdf.open(pdf_path)
        for page in doc:
            page.get_text("rawdict", flags=TEXT_FLAGS)
        doc.close()

    def ours() -> None:
        with open_pdf(pdf_path) as pdf:
            pdf.flow()

    samples: list[float] = []
    floor: list[float] = []
    for _ in range(3):
        floor.append(timed_ms(lambda: _paused(bare)))
        samples.append(timed_ms(ours))
    return Measurement(
        samples,
        floor,
        "bare PyMuPDF get_text('rawdict') of every page with the core's flags, collector paused",
        "PdfDocument.flow(): page texts + normalized flow, in one process (what import, carry and the CLI pay)",
    )


# --- memory of the app with the document and its review open -------------------------------------
@scenario("scale_memory_app", "peak memory, app with its workers: 1000 pages + 10000 foreign annotations", "MB", Budget("max", 400))
def scale_memory_app(ctx: Context) -> Measurement:
    """The window (``app_first_paint.py --memory``) with the XFDF-made review open, until its
    text is loaded; the floor is the minimal PySide6 + PyMuPDF program showing page 1."""
    from bench.timing import compile_bytecode, run_probe
    from reviewer.core.pdf import sha256_of_file

    pdf = _pdf()
    db = inputs.copy_db(_scale_db(ctx), ctx.work / "memory")
    compile_bytecode()
    data = run_probe("app_first_paint.py", str(pdf), str(db), "--memory", "--opened", sha256_of_file(pdf), timeout=600)
    floor = run_probe("floor_first_paint.py", str(pdf), "1.5")["peak_rss_mb"]
    return Measurement([data["total_rss_peak_mb"]], [floor], "peak RSS of the minimal PySide6 + PyMuPDF page-1 program",
                       f"highest PSS sum of the window and its workers until the text is loaded; window's own peak "
                       f"{data['peak_rss_mb']:.0f} MB, {data['workers']} workers {data['each_worker_peak_rss_mb']} MB; panel {data['panel']}")


# --- first page seen from outside, on a real X server ----------------------------------------------
@scenario("x_first_page", "first page of 1000 pages on a real X server, seen from outside (Xvfb frames)", "ms", Budget("ratio", 1.3))
def x_first_page(ctx: Context) -> Measurement:
    """``reviewer open PDF`` as typed (a reviewer coming back: the PDF's hash in the settings, 100
    annotations in the database) against the minimal PySide6 + PyMuPDF program showing page 1,
    alternately, each launched by ``bench/probes/x_first_frame.py``, which reads the frames of
    the Xvfb screen from the server's own framebuffer (``-fbdir``: mapped memory, no request to
    the server) every 4 ms while the program starts. Asking the server for each frame instead
    (a 6.4 MB GetImage) kept the server and the observer on 1.4 of the machine's 2 cores and
    put the program's drawing behind the copies: see the probe's docstring."""
    import os
    import subprocess
    import sys

    from bench.runner import NotAvailable
    from bench.timing import ROOT, child_env, compile_bytecode

    if shutil.which("Xvfb") is None:
        raise NotAvailable("needs Xvfb (apt-get install xvfb)")
    pdf = inputs.treaty_pdf(PAGES)
    db = inputs.copy_db(inputs.review_db(pdf, 100), ctx.work / "x-first")
    compile_bytecode()
    display = f":{90 + os.getpid() % 9}"
    framebuffer_dir = ctx.work / "x-first-framebuffer"
    framebuffer_dir.mkdir(parents=True, exist_ok=True)
    server = subprocess.Popen(["Xvfb", display, "-screen", "0", "1600x1000x24", "-nolisten", "tcp",
                               "-fbdir", str(framebuffer_dir)],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    time.sleep(1.0)
    framebuffer = framebuffer_dir / "Xvfb_screen0"
    source = ["--framebuffer", str(framebuffer)] if framebuffer.exists() else []  # else grabbed
    env = child_env(DISPLAY=display)
    env.pop("QT_QPA_PLATFORM", None)
    ours: list[float] = []
    floor: list[float] = []
    settled: dict[str, list[float]] = {"app": [], "floor": []}
    try:
        # two more pairs than other cold starts: launches on a 2-core machine vary by +-20 %
        for _ in range(max(2, ctx.sizes.cold_repeats + 2)):
            for which, into in (("floor", floor), ("app", ours)):
                done = subprocess.run([sys.executable, str(ROOT / "bench" / "probes" / "x_first_frame.py"), str(pdf), str(db), which, "--seconds", "4", *source],
                                      env=env, capture_output=True, text=True, timeout=120, cwd=str(ROOT))
                line = [x for x in done.stdout.splitlines() if x.startswith("{")]
                found = json.loads(line[-1]) if line else {}
                if found.get("first_page_s") is not None:
                    into.append(found["first_page_s"] * 1000)
                if found.get("settled_s") is not None:
                    settled[which].append(found["settled_s"] * 1000)
    finally:
        server.terminate()
        server.wait(timeout=10)
    if not ours or not floor:
        raise RuntimeError("a program showed nothing on the X server within 6 s")
    import statistics

    whole = {k: f"{statistics.median(v):.0f} ms" if v else "-" for k, v in settled.items()}
    return Measurement(ours, floor, "python + PySide6 + PyMuPDF showing page 1 in a QLabel, same X server, same grabber",
                       f"frames {'read from the Xvfb framebuffer every 4 ms' if source else 'grabbed from the X server'}; "
                       "launch to the first frame whose page region matches the settled frame's at >= 97 % (320x200 nearest-pixel frames); "
                       f"the whole screen settled (panel, outline): app {whole['app']}, floor {whole['floor']}")
