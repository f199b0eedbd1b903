# ruff: noqa: E501
"""Scenarios measured in the reading view and the annotation panel (Qt, offscreen platform)."""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from bench import inputs
from bench.runner import Budget, Context, Measurement, scenario
from bench.scenarios import bare_search_all
from bench.timing import compile_bytecode, interleaved, run_probe, timed_ms

VIEW_SIZE = (1000, 800)
PANEL_WORDS = ("reservation", "jurisdiction", "implementation", "safeguard", "ratification")


def qt_app() -> Any:
    from reviewer.ui.app import application

    return application()


def wait_until(predicate: Callable[[], bool], timeout_s: float = 60.0) -> bool:
    """Run the event loop until ``predicate()`` holds (checked every millisecond)."""
    from reviewer.ui.event_wait import run_events_until

    return run_events_until(predicate, timeout_s, interval_ms=1)


class ViewHarness:
    """A PageView on its own, sized like a laptop window's centre, counting its paints."""

    def __init__(self, pdf_path: Path, *, wait_text: bool = False) -> None:
        from PySide6.QtCore import QEvent, QObject

        from reviewer.core.pdf import open_pdf
        from reviewer.ui.page_view import PageView

        self.app = qt_app()
        self.document = open_pdf(pdf_path)
        self.view = PageView()
        self.view.resize(*VIEW_SIZE)
        self.view.show()
        self.paints = 0
        harness = self

        class PaintCounter(QObject):
            def eventFilter(self, obj: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt's name)
                if event.type() == QEvent.Type.Paint:
                    harness.paints += 1
                return super().eventFilter(obj, event)

        self._counter = PaintCounter()
        self.view.viewport().installEventFilter(self._counter)
        self.view.set_document(self.document, None, page=0, zoom="width")
        if not wait_until(self.painted_idle, 60):
            raise RuntimeError("the view never painted page 1")
        if wait_text and not wait_until(lambda: self.view.text_flow() is not None, 300):
            raise RuntimeError("the document's text was never ready")

    def scale(self) -> float:
        return float(self.view._layout.scale)

    def painted_idle(self) -> bool:
        return bool(self.view.is_idle())

    def go_and_wait(self, page: int) -> float:
        """Milliseconds from ``go_to_page`` until the page's tiles are drawn by a paint."""
        t0 = time.perf_counter()
        self.view.go_to_page(page)
        paints = self.paints
        ok = wait_until(lambda: self.view.is_idle() and self.paints > paints, 30)
        if not ok:
            raise RuntimeError(f"page {page + 1} was not painted within 30 s")
        # ``is_idle`` may turn true before the paint that draws the last tile: one more paint.
        if not self.view.is_idle():
            raise RuntimeError("tiles vanished")
        return (time.perf_counter() - t0) * 1000

    def settle(self) -> None:
        """Let prefetching finish, as it does while a person reads the page."""
        pool = self.view._pool
        pending = getattr(self.view, "prefetch_pending", lambda: False)  # requested a moment later
        wait_until(lambda: not pending() and pool.is_idle(), 30)

    def close(self) -> None:
        self.view.shutdown()
        self.view.close()
        self.view.deleteLater()
        self.document.close()


def _bare_page_image(doc: Any, index: int, scale: float) -> Any:
    import pymupdf
    from PySide6.QtGui import QImage

    pix = doc[index].get_pixmap(matrix=pymupdf.Matrix(scale, scale), alpha=False, annots=False)
    image = QImage(pix.samples, pix.width, pix.height, pix.stride, QImage.Format.Format_RGB888)
    return image, pix


@scenario("render_view", "page render in the view (jump to an unrendered page)", "ms", Budget("ratio", 1.2),
          needs=("reviewer.ui.page_view",))  # fmt: skip
def render_view(ctx: Context) -> Measurement:
    """From go_to_page to the page's visible tiles painted (a light page is drawn in the
    window's process, a heavy one by the render workers)."""
    import pymupdf

    path = inputs.treaty_pdf(ctx.sizes.small_pdf)
    harness = ViewHarness(path, wait_text=True)
    bare = pymupdf.open(path)
    count = harness.document.page_count
    pages = [(7 + 13 * i) % count for i in range(ctx.sizes.repeats * 2)]
    view_ms: list[float] = []
    floor_ms: list[float] = []
    scale = harness.scale()
    for page in pages:
        harness.settle()
        floor_ms.append(timed_ms(lambda p=page: _bare_page_image(bare, p, scale)))
        view_ms.append(harness.go_and_wait(page))
    harness.close()
    return Measurement(
        view_ms, floor_ms, f"bare get_pixmap + QImage of the whole page at the view's scale ({scale:.2f})",
        f"view {VIEW_SIZE[0]}×{VIEW_SIZE[1]}, fit width; light pages in process, heavy ones by 2 render workers; "
        "far jumps, nothing prefetched; "
        "document text already extracted",
    )  # fmt: skip


@scenario("page_turn", "page turn, text pages", "ms", Budget("max", 16), needs=("reviewer.ui.page_view",))
def page_turn(ctx: Context) -> Measurement:
    """Next page after reading the current one (prefetching has had its time)."""
    import pymupdf

    path = inputs.treaty_pdf(ctx.sizes.small_pdf)
    harness = ViewHarness(path, wait_text=True)
    bare = pymupdf.open(path)
    scale = harness.scale()
    view_ms: list[float] = []
    floor_ms: list[float] = []
    for page in range(1, min(harness.document.page_count, 1 + ctx.sizes.repeats * 3)):
        harness.settle()
        floor_ms.append(timed_ms(lambda p=page: _bare_page_image(bare, p, scale)))
        view_ms.append(harness.go_and_wait(page))
    harness.close()
    return Measurement(view_ms, floor_ms, "bare get_pixmap + QImage of the page (no prefetch)",
                       "go_to_page(n+1) until its tiles are painted")  # fmt: skip


def _tick_gaps(duration_s: float, step: Callable[[], None]) -> list[float]:
    """Intervals (ms) between the ticks of a 16 ms timer that calls ``step`` each time."""
    from PySide6.QtCore import QEventLoop, QTimer

    loop = QEventLoop()
    stamps: list[float] = []
    end = time.perf_counter() + duration_s

    def tick() -> None:
        now = time.perf_counter()
        stamps.append(now)
        if now >= end:
            loop.quit()
            return
        step()

    timer = QTimer()
    timer.setInterval(16)
    timer.timeout.connect(tick)
    timer.start()
    loop.exec()
    timer.stop()
    return [(b - a) * 1000 for a, b in zip(stamps, stamps[1:], strict=False)]


@scenario("scroll_stall", "worst event-loop stall, scrolling {s.scroll_pdf} pages", "ms", Budget("max", 50),
          needs=("reviewer.ui.page_view",))  # fmt: skip
def scroll_stall(ctx: Context) -> Measurement:
    """Scrolling at ~2,400 px/s right after opening (text still being extracted)."""
    from PySide6.QtWidgets import QScrollArea, QWidget

    path = inputs.treaty_pdf(ctx.sizes.scroll_pdf)
    duration = 3.0 if ctx.sizes.name == "full" else 1.0
    worst: list[float] = []
    floor_worst: list[float] = []
    for _ in range(max(1, ctx.sizes.cold_repeats // 2)):
        qt_app()
        bare = QScrollArea()
        content = QWidget()
        content.resize(VIEW_SIZE[0], 1_000_000)
        bare.setWidget(content)
        bare.resize(*VIEW_SIZE)
        bare.show()
        bar = bare.verticalScrollBar()
        floor_worst.append(max(_tick_gaps(duration, lambda b=bar: b.setValue(b.value() + 40))))
        bare.close()
        harness = ViewHarness(path)
        vbar = harness.view.verticalScrollBar()
        gaps = _tick_gaps(duration, lambda b=vbar: b.setValue(b.value() + 40))
        worst.append(max(gaps))
        harness.close()
    return Measurement(worst, floor_worst, "the same 16 ms timer scrolling an empty QScrollArea",
                       f"max tick interval of a 16 ms timer while scrolling {duration:.0f} s at 40 px/tick")  # fmt: skip


# --- find in the window ------------------------------------------------------------------------
def _find_harness(ctx: Context) -> tuple[ViewHarness, Any, float]:
    from reviewer.ui.find import FindController

    path = inputs.treaty_pdf(ctx.sizes.big_pdf)
    t0 = time.perf_counter()
    harness = ViewHarness(path, wait_text=True)
    text_ready_ms = (time.perf_counter() - t0) * 1000
    return harness, FindController(harness.view), text_ready_ms


def _find_once(controller: Any, query: str) -> tuple[float, float, int]:
    """(first hit ms, all hits ms, hits) for one search started now."""
    marks: dict[str, float] = {}
    t0 = time.perf_counter()

    def on_results(count: int, _current: int, finished: bool) -> None:
        now = time.perf_counter()
        if count and "first" not in marks:
            marks["first"] = now
        if finished:
            marks.setdefault("all", now)

    controller.resultsChanged.connect(on_results)
    controller.search(query, immediately=True)
    wait_until(lambda: "all" in marks, 60)
    controller.resultsChanged.disconnect(on_results)
    hits = len(controller.hits)
    return (marks.get("first", marks["all"]) - t0) * 1000, (marks["all"] - t0) * 1000, hits


FIND_QUERIES = ("personal data", "jurisdiction", "Parties")  # all occur in the treaty


@scenario("find_first", "find in the window, first hit, {s.big_pdf} pages", "ms", Budget("max", 200),
          needs=("reviewer.ui.find",))  # fmt: skip
def find_first(ctx: Context) -> Measurement:
    harness, controller, text_ms = _find_harness(ctx)
    firsts: list[float] = []
    for i in range(ctx.sizes.repeats):
        controller.clear()
        firsts.append(_find_once(controller, FIND_QUERIES[i % len(FIND_QUERIES)])[0])
    harness.close()
    ctx.facts["text_ready_ms"] = text_ms
    return Measurement(firsts, None, "", f"text loaded first ({text_ms / 1000:.1f} s after opening)")


@scenario("find_all", "find in the window, all hits, {s.big_pdf} pages", "ms", Budget("ratio", 1.2),
          needs=("reviewer.ui.find",))  # fmt: skip
def find_all_window(ctx: Context) -> Measurement:
    harness, controller, text_ms = _find_harness(ctx)
    path = inputs.treaty_pdf(ctx.sizes.big_pdf)
    query = FIND_QUERIES[0]
    results: list[int] = []

    def subject() -> None:
        controller.clear()
        results.append(_find_once(controller, query)[2])

    floor_hits: list[int] = []
    s, f = interleaved(
        subject, lambda: floor_hits.append(bare_search_all(path, query)), max(2, ctx.sizes.repeats // 2)
    )
    harness.close()
    return Measurement(s, f, "bare PyMuPDF open + search_for on every page",
                       f"{query!r}: {results[-1]} hits (bare: {floor_hits[-1]}); text loaded first")  # fmt: skip


@scenario("text_ready", "document text ready after opening, {s.big_pdf} pages", "ms", Budget("report"),
          needs=("reviewer.ui.page_view",))  # fmt: skip
def text_ready(ctx: Context) -> Measurement:
    """What find and selection wait for after a document opens (extracted in a worker)."""
    import pymupdf

    from reviewer.core.pdf import TEXT_FLAGS

    path = inputs.treaty_pdf(ctx.sizes.big_pdf)
    samples: list[float] = []
    floor: list[float] = []
    for _ in range(max(1, ctx.sizes.cold_repeats // 3)):
        # each page's dict dropped before the next: keeping 1,000 of them made the collector walk
        # millions of objects (8.6 s instead of ~2 s)
        floor.append(
            timed_ms(lambda: [len(p.get_text("rawdict", flags=TEXT_FLAGS)) for p in pymupdf.open(path)])
        )
        t0 = time.perf_counter()
        harness = ViewHarness(path)
        wait_until(lambda h=harness: h.view.text_flow() is not None, 300)
        samples.append((time.perf_counter() - t0) * 1000)
        harness.close()
    return Measurement(samples, floor, "bare PyMuPDF get_text('rawdict') of every page with the core's flags, one process",
                       "extracted page by page in the text worker, sent over, flow built in the window between events")  # fmt: skip


# --- the annotation panel ----------------------------------------------------------------------
def _panel_keystrokes(ctx: Context, count: int) -> Measurement:
    from reviewer.core.pdf import open_pdf
    from reviewer.core.review import Review
    from reviewer.core.store import fts_query
    from reviewer.ui.panel import AnnotationPanel

    app = qt_app()
    path = inputs.treaty_pdf(ctx.sizes.small_pdf)
    db = inputs.copy_db(inputs.review_db(path, count), ctx.work / f"panel-{count}")
    review = Review.open(db, inputs.BENCH_IDENTITY)
    pdf = open_pdf(path)
    document_id = review.register(pdf)["id"]
    panel = AnnotationPanel(review)
    panel.resize(420, 800)
    panel.show()
    panel.set_document(document_id, pdf.page_label)
    app.processEvents()
    keys: list[float] = []
    bare: list[float] = []
    conn = review.store.db.conn
    rng = random.Random(3)
    words = list(PANEL_WORDS)
    rng.shuffle(words)
    for word in words[: max(2, ctx.sizes.repeats // 2)]:
        panel.search_box.clear()
        app.processEvents()
        for n in range(1, len(word) + 1):
            t0 = time.perf_counter()
            panel.search_box.setText(word[:n])  # textChanged filters, as a keystroke does
            app.processEvents()
            keys.append((time.perf_counter() - t0) * 1000)
            t0 = time.perf_counter()
            conn.execute(
                "SELECT a.id FROM annotations a WHERE a.document_id = ? AND a.deleted = 0 AND a.rowid IN "
                "(SELECT rowid FROM annotations_fts WHERE annotations_fts MATCH ?) ORDER BY a.page, a.text_start",
                [document_id, fts_query(word[:n])],
            ).fetchall()
            bare.append((time.perf_counter() - t0) * 1000)
    panel.close()
    panel.deleteLater()
    app.processEvents()
    review.close()
    pdf.close()
    return Measurement(keys, bare, "bare SQLite FTS5 query for the same text (ids only)",
                       "one character typed until the list is reset and laid out")  # fmt: skip


@scenario("panel_filter_10k", "panel filter keystroke, {s.panel_counts[0]} annotations", "ms", Budget("max", 50),
          needs=("reviewer.ui.panel",))  # fmt: skip
def panel_filter_small(ctx: Context) -> Measurement:
    return _panel_keystrokes(ctx, ctx.sizes.panel_counts[0])


@scenario("panel_filter_100k", "panel filter keystroke, {s.panel_counts[1]} annotations", "ms", Budget("max", 150),
          needs=("reviewer.ui.panel",))  # fmt: skip
def panel_filter_big(ctx: Context) -> Measurement:
    return _panel_keystrokes(ctx, ctx.sizes.panel_counts[1])


# --- memory of the whole app ---------------------------------------------------------------------
def _memory_probe(ctx: Context) -> list[dict[str, Any]]:
    """Runs of the app until its text is loaded, shared by the two memory rows."""
    if "memory_runs" not in ctx.facts:
        pdf = inputs.treaty_pdf(ctx.sizes.big_pdf)
        db = inputs.copy_db(inputs.review_db(pdf, ctx.sizes.memory_annotations), ctx.work / "memory-app")
        from reviewer.core.pdf import sha256_of_file

        compile_bytecode()  # as `pip install` does (see bench/scenarios.py's cold start)
        opened = ("--opened", sha256_of_file(pdf))
        runs = []
        for _ in range(max(1, ctx.sizes.cold_repeats // 3)):
            data = run_probe("app_first_paint.py", str(pdf), str(db), "--memory", *opened, timeout=400)
            data["floor_mb"] = run_probe("floor_first_paint.py", str(pdf), "1.5")["peak_rss_mb"]
            runs.append(data)
        ctx.facts["memory_runs"] = runs
    runs: list[dict[str, Any]] = ctx.facts["memory_runs"]
    return runs


@scenario("memory_app", "peak memory, app window: {s.big_pdf} pages + {s.memory_annotations} annotations",
          "MB", Budget("max", 400), needs=("reviewer.ui.app",))  # fmt: skip
def memory_app(ctx: Context) -> Measurement:
    runs = _memory_probe(ctx)
    last = runs[-1]
    return Measurement(
        [r["peak_rss_mb"] for r in runs], [r["floor_mb"] for r in runs],
        "peak RSS of the minimal PySide6 + PyMuPDF page-1 program",
        f"the window's process after the text is loaded; panel: {last['panel']}",
    )  # fmt: skip


@scenario("memory_app_total", "peak memory, app with its workers: {s.big_pdf} pages + {s.memory_annotations} annotations",
          "MB", Budget("max", 400), needs=("reviewer.ui.app",))  # fmt: skip
def memory_app_total(ctx: Context) -> Measurement:
    runs = _memory_probe(ctx)
    last = runs[-1]
    return Measurement(
        [r["total_rss_peak_mb"] for r in runs], [r["floor_mb"] for r in runs],
        "peak RSS of the minimal PySide6 + PyMuPDF page-1 program",
        f"highest sum of the processes' proportional set size (PSS: shared pages split), sampled every "
        f"50 ms from the first paint "
        f"until the text is loaded; each process's own peak: window {last['peak_rss_mb']:.0f} MB, "
        f"{last['workers']} workers {last['each_worker_peak_rss_mb']} MB",
    )  # fmt: skip
