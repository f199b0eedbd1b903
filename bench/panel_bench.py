"""Annotation panel timings: a filter keystroke and opening a document with many annotations.

Run: PYTHONPATH=. QT_QPA_PLATFORM=offscreen python bench/panel_bench.py [10000 100000]

Reports, for each size, the median of several runs:
- keystroke: typing one more character in the panel's search box until the list is reset and
  laid out (events processed), plus a tag filter switch;
- open: loading the document's annotations into the panel (model read + first layout),
  compared with the same document without annotations;
- bare SQLite: the FTS query alone, as the reference the keystroke is a ratio of.
"""

from __future__ import annotations

import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def median_ms(samples: list[float]) -> float:
    return statistics.median(samples) * 1000


def run(count: int) -> None:
    from PySide6.QtWidgets import QApplication

    from bench.bulk_annotations import add_many_annotations
    from reviewer.core.pdf import open_pdf
    from reviewer.core.review import Review
    from reviewer.core.settings import Identity
    from reviewer.core.store import fts_query
    from reviewer.ui.panel import AnnotationPanel

    app = QApplication.instance() or QApplication([])
    folder = Path(tempfile.mkdtemp())
    pdf_path = folder / "treaty.pdf"
    shutil.copyfile(ROOT / "resources" / "sample-treaty.pdf", pdf_path)
    review = Review.open(folder / "db.sqlite3", Identity("bench", "Bench"))
    pdf = open_pdf(pdf_path)
    document_id = review.register(pdf)["id"]
    t0 = time.perf_counter()
    add_many_annotations(review, pdf, count)
    print(f"\n{count:,} annotations (built in {time.perf_counter() - t0:.1f} s)")

    panel = AnnotationPanel(review)
    panel.resize(420, 800)
    panel.show()
    app.processEvents()

    # opening: empty document vs with annotations
    empty = []
    for _ in range(5):
        t = time.perf_counter()
        panel.set_document("no-such-document")
        app.processEvents()
        empty.append(time.perf_counter() - t)
    full = []
    for _ in range(3):
        t = time.perf_counter()
        panel.set_document(document_id, pdf.page_label)
        app.processEvents()
        full.append(time.perf_counter() - t)
    print(
        f"  open panel: {median_ms(full):7.1f} ms with annotations, "
        f"{median_ms(empty):5.1f} ms without (+{median_ms(full) - median_ms(empty):.1f} ms)"
    )

    # keystrokes in the search box
    samples = []
    for word in ("judicial", "proportion", "oversight"):
        panel.search_box.clear()
        app.processEvents()
        for n in range(1, len(word) + 1):
            t = time.perf_counter()
            panel.search_box.setText(word[:n])
            panel.apply_filter_now()
            app.processEvents()
            samples.append(time.perf_counter() - t)
    shown = panel.model.rowCount()
    print(
        f"  search keystroke: median {median_ms(samples):6.1f} ms, "
        f"max {max(samples) * 1000:6.1f} ms"
    )
    panel.search_box.clear()
    panel.apply_filter_now()

    # SQLite alone, same queries
    bare = []
    for word in ("judicial", "proportion", "oversight"):
        for n in range(1, len(word) + 1):
            t = time.perf_counter()
            review.store.db.conn.execute(
                "SELECT a.id FROM annotations a WHERE a.document_id = ? AND a.rowid IN "
                "(SELECT rowid FROM annotations_fts WHERE annotations_fts MATCH ?) "
                "ORDER BY a.page, a.text_start",
                [document_id, fts_query(word[:n])],
            ).fetchall()
            bare.append(time.perf_counter() - t)
    print(
        f"  bare SQLite FTS query: median {median_ms(bare):6.1f} ms "
        f"(keystroke = {median_ms(samples) / max(median_ms(bare), 0.001):.1f}x)"
    )

    # tag filter and grouping
    tag = review.tags(include_retired=False)[1].name
    t = time.perf_counter()
    panel.set_tag_filter([tag])
    app.processEvents()
    tag_ms = (time.perf_counter() - t) * 1000
    panel.set_tag_filter([])
    from reviewer.ui.annotation_model import GroupBy

    t = time.perf_counter()
    panel.set_group_by(GroupBy.TAG)
    app.processEvents()
    group_ms = (time.perf_counter() - t) * 1000
    print(f"  tag filter: {tag_ms:6.1f} ms; group by tag: {group_ms:6.1f} ms (rows shown {shown})")
    panel.close()
    panel.deleteLater()
    app.processEvents()
    review.close()
    pdf.close()
    shutil.rmtree(folder, ignore_errors=True)


def run_window(count: int) -> None:
    """The whole annotating side of opening a document in the main window: registering it,
    the panel, the quads and the highlights handed to the page view, first paint."""
    from PySide6.QtWidgets import QApplication

    from bench.bulk_annotations import add_many_annotations
    from reviewer.core.pdf import open_pdf
    from reviewer.ui.app import create_main_window

    app = QApplication.instance() or QApplication([])
    folder = Path(tempfile.mkdtemp())
    os.environ["REVIEWER_CONFIG_DIR"] = str(folder / "config")
    os.environ.setdefault("REVIEWER_AUTHOR", "Bench")
    full_path = folder / "treaty.pdf"
    empty_path = folder / "treaty-copy.pdf"
    shutil.copyfile(ROOT / "resources" / "sample-treaty.pdf", full_path)
    empty_path.write_bytes(full_path.read_bytes() + b"\n% another copy\n")
    window = create_main_window(str(full_path), db_path=folder / "db.sqlite3", remember=False)
    window.resize(1400, 900)
    window.show()
    controller = window.annotating
    full = open_pdf(full_path)
    empty = open_pdf(empty_path)
    add_many_annotations(controller.review, full, count)
    timings: dict[str, list[float]] = {"empty": [], "full": []}
    for _ in range(3):
        for name, document in (("empty", empty), ("full", full)):
            t = time.perf_counter()
            controller.set_document(document)
            window.view.viewport().repaint()
            app.processEvents()
            timings[name].append(time.perf_counter() - t)
    e, f = median_ms(timings["empty"]), median_ms(timings["full"])
    print(
        f"  open in the window (register, panel, quads, highlights, paint): "
        f"{f:7.1f} ms with {count:,}, {e:5.1f} ms without (+{f - e:.1f} ms)"
    )
    window.close()
    shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    sizes = [int(a) for a in sys.argv[1:]] or [10_000, 100_000]
    for size in sizes:
        run(size)
        run_window(size)
    os._exit(0)  # skip interpreter teardown of Qt objects
