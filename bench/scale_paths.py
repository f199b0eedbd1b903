# ruff: noqa: E501
"""More of ``python -m bench --scale`` (issue 15): carry, report, panel, ``shot`` and the view's
highlight painting on the 1,000-page document with its 10,000 foreign annotations, each beside
its floor in the same run. (Find at 1,000 pages is in the normal run: find_all_cold,
find_all_warm, find_first and find_all, on the same cached 1,000-page treaty.)"""

from __future__ import annotations

import sqlite3
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from bench import inputs
from bench.runner import Budget, Context, Measurement, scenario
from bench.scale_scenarios import PAGES, _document_id, _open_scale_review, _pdf, _scale_db
from bench.timing import child_env, compile_bytecode, timed_ms


# --- carry -------------------------------------------------------------------------------------
@scenario("scale_carry", "carry 10000 foreign annotations to a revised 1000-page version", "ms", Budget("report"))
def scale_carry(ctx: Context) -> Measurement:
    """``carry_annotations`` with both versions' text read first (as the window and the CLI do
    before it): the whole-text alignment, 10,000 placements and the one transaction."""
    from reviewer.core.carry import carry_annotations
    from reviewer.core.pdf import open_pdf
    from reviewer.core.textflow import normalize_quote

    old_pdf = open_pdf(_pdf())
    old_pdf.flow()
    new_pdf = open_pdf(inputs.revised_treaty_pdf(PAGES))
    new_flow = new_pdf.flow()
    old_id = _document_id()
    samples: list[float] = []
    floor: list[float] = []
    counts: dict[str, int] = {}
    for run in range(2):
        review = _open_scale_review(ctx, f"carry-{run}")
        quotes = [normalize_quote(r["quote"]) for r in review.store.query_annotations(old_id)]
        floor.append(timed_ms(lambda q=quotes: [new_flow.text.find(x) for x in q]))
        t0 = time.perf_counter()
        report = carry_annotations(review, old_id, new_pdf, old_pdf)
        samples.append((time.perf_counter() - t0) * 1000)
        counts = dict(report.counts)
        review.close()
    old_pdf.close()
    new_pdf.close()
    return Measurement(samples, floor, "str.find of every quote in the new text (exact matches only)",
                       f"both versions' text read first, not counted; outcomes {counts}")


# --- report ------------------------------------------------------------------------------------
@scenario("scale_report", "PDF report of 10000 annotations, 1000 pages", "ms", Budget("report"))
def scale_report(ctx: Context) -> Measurement:
    """``build_report`` to PDF (contents, summary, every annotation by article, two layout
    passes); the floor lays out the same quotes and comments with a bare MuPDF Story."""
    from html import escape

    from bench.report_bench import bare_story_seconds
    from reviewer.core.pdf import open_pdf
    from reviewer.core.report import ReportOptions, build_report

    review = _open_scale_review(ctx, "report")
    db = ctx.work / "report" / "review.sqlite3"
    samples: list[float] = []
    floor: list[float] = []
    pages = 0
    for run in range(2):
        def bare() -> None:
            conn = sqlite3.connect(str(db))
            rows = conn.execute("SELECT quote, comment FROM annotations ORDER BY page").fetchall()
            conn.close()
            html = "".join(f"<p><i>{escape(q)}</i></p><p>{escape(c)}</p>" for q, c in rows)
            bare_story_seconds(html)

        floor.append(timed_ms(bare))
        out = ctx.work / f"report-{run}.pdf"
        with open_pdf(_pdf()) as pdf:
            t0 = time.perf_counter()
            build_report(review, pdf, ReportOptions(out))
            samples.append((time.perf_counter() - t0) * 1000)
        import pymupdf

        with pymupdf.open(out) as made:
            pages = made.page_count
    review.close()
    return Measurement(samples, floor, "bare SQLite SELECT of quotes and comments + a MuPDF Story of them",
                       f"{pages} report pages; the open PDF's text read inside (structure for the articles)")


# --- panel -------------------------------------------------------------------------------------
@scenario("scale_panel", "annotation panel filled with 10000 foreign annotations", "ms", Budget("report"),
          needs=("reviewer.ui.panel",))  # fmt: skip
def scale_panel(ctx: Context) -> Measurement:
    """``AnnotationPanel.set_document`` until the list is painted (offscreen), against a bare
    SQLite SELECT of the same rows."""
    from bench.gui_scenarios import qt_app
    from reviewer.core.pdf import open_pdf
    from reviewer.ui.panel import AnnotationPanel

    app = qt_app()
    review = _open_scale_review(ctx, "panel")
    db = ctx.work / "panel" / "review.sqlite3"
    document_id = _document_id()
    pdf = open_pdf(_pdf())
    panel = AnnotationPanel(review)
    panel.resize(420, 900)
    panel.show()
    app.processEvents()
    samples: list[float] = []
    floor: list[float] = []

    def bare() -> None:
        conn = sqlite3.connect(str(db))
        conn.execute("SELECT * FROM annotations WHERE document_id = ? AND deleted = 0", [document_id]).fetchall()
        conn.close()

    for _ in range(4):
        floor.append(timed_ms(bare))
        panel.set_document(None)
        app.processEvents()
        t0 = time.perf_counter()
        panel.set_document(document_id, pdf.page_label)
        app.processEvents()
        panel.repaint()
        samples.append((time.perf_counter() - t0) * 1000)
    rows = panel.model.rowCount()
    panel.close()
    review.close()
    pdf.close()
    return Measurement(samples, floor, "bare sqlite3 SELECT of the document's rows", f"{rows} rows listed")


# --- shot ----------------------------------------------------------------------------------------
_BARE_SHOT = """
import sys, pymupdf
from PySide6.QtGui import QGuiApplication, QImage
app = QGuiApplication(sys.argv)
doc = pymupdf.open(sys.argv[1]); page = doc[int(sys.argv[2])]
pix = page.get_pixmap(matrix=pymupdf.Matrix(1.5, 1.5), alpha=False)
QImage(pix.samples, pix.width, pix.height, pix.stride, QImage.Format.Format_RGB888).save(sys.argv[3])
"""


@scenario("scale_shot", "reviewer shot of page 500 with 10000 annotations, 1000 pages (fresh process)", "ms",
          Budget("report"))  # fmt: skip
def scale_shot(ctx: Context) -> Measurement:
    """``reviewer --db DB shot PDF --page 500`` end to end (the window with its review: the
    text, the outline, the panel's 10,000 rows, the page's highlights), against a fresh
    interpreter that renders the same page with PyMuPDF and saves it with Qt."""
    pdf = _pdf()
    db = inputs.copy_db(_scale_db(ctx), ctx.work / "shot")
    compile_bytecode()
    env = child_env(REVIEWER_CONFIG_DIR=str(ctx.work / "shot-config"), REVIEWER_AUTHOR="Bench")
    samples: list[float] = []
    floor: list[float] = []
    for run in range(2):
        out = ctx.work / f"bare-shot-{run}.png"
        t0 = time.perf_counter()
        subprocess.run([sys.executable, "-c", _BARE_SHOT, str(pdf), "499", str(out)], env=env, check=True, capture_output=True, timeout=300)
        floor.append((time.perf_counter() - t0) * 1000)
        out = ctx.work / f"shot-{run}.png"
        t0 = time.perf_counter()
        subprocess.run([sys.executable, "-m", "reviewer", "--db", str(db), "shot", str(pdf), "-o", str(out), "--page", "500"],
                       env=env, check=True, capture_output=True, timeout=600)  # fmt: skip
        samples.append((time.perf_counter() - t0) * 1000)
    return Measurement(samples, floor, "fresh python: PyMuPDF render of page 500 + QImage.save",
                       "shot waits for the text (outline), the panel and the page's highlights")


# --- highlight painting --------------------------------------------------------------------------
@scenario("scale_highlights", "view repaint of the page with most highlights, 10000 annotations", "ms",
          Budget("report"), needs=("reviewer.ui.app",))  # fmt: skip
def scale_highlights(ctx: Context) -> Measurement:
    """A repaint of the view (tiles cached) showing the page that holds the most of the 10,000
    highlights, in the window with its review, against the same window and page with an empty
    database: the difference is what painting the highlights costs."""
    from bench.gui_scenarios import qt_app, wait_until
    from reviewer.ui.app import create_main_window

    app = qt_app()
    db = inputs.copy_db(_scale_db(ctx), ctx.work / "paint")
    conn = sqlite3.connect(str(db))
    page, count = conn.execute(
        "SELECT page, COUNT(*) AS n FROM annotations GROUP BY page ORDER BY n DESC LIMIT 1"
    ).fetchone()
    conn.close()
    windows: list[Any] = []

    def ready(database: Path) -> Any:
        window = create_main_window(str(_pdf()), db_path=database, remember=False)
        window.resize(1400, 1000)
        window.show()
        view = window.view
        view.set_zoom("width")
        view.go_to_page(int(page), record=False)
        controller = window.annotating
        wait_until(lambda: view.is_idle() and (controller is None or int(page) in controller._loaded_pages), 300)
        for _ in range(20):
            app.processEvents()
        windows.append(window)
        return view.viewport()

    with_review = ready(db)
    empty = ready(ctx.work / "paint-empty.sqlite3")
    samples: list[float] = []
    floor: list[float] = []
    for _ in range(30):
        floor.append(timed_ms(empty.repaint))
        samples.append(timed_ms(with_review.repaint))
    for window in windows:
        window.close()
    app.processEvents()
    return Measurement(samples, floor, "the same repaint of the page with an empty database (no highlights)",
                       f"page {int(page) + 1}: {count} highlights; fit width, 1400x1000 window")

