"""Time report generation: 2,000 annotations (budget 10 s) and the same with the page-image
appendix over 100 pages (budget 30 s). Not a test: run it and read the figures.

    PYTHONPATH=. python bench/report_bench.py [--keep DIR]

Annotations are created through ``Review`` (article fields set by an operation, as in the
tests); creating them is timed separately and not part of the budget. Figures are also given
as ratios to bare PyMuPDF work on the same input (laying out the same HTML with one Story
pass; rendering the same pages to pixmaps).
"""

from __future__ import annotations

import argparse
import io
import re
import sys
import tempfile
import time
from pathlib import Path

import pymupdf

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests" / "report"))

from treaty_review import ARTICLE_TITLES, NON_LATIN, REVIEWERS, TAG_CYCLE, Place, set_place  # noqa: E402

from reviewer.core.pdf import open_pdf  # noqa: E402
from reviewer.core.report import ReportOptions, build_report, report_content  # noqa: E402
from reviewer.core.report.html_render import group_html  # noqa: E402
from reviewer.core.report.pdf_layout import STORY_CSS  # noqa: E402
from reviewer.core.review import Review  # noqa: E402
from reviewer.core.sample_treaty import SAMPLE_TREATY, build_treaty_pdf  # noqa: E402


def make_document(folder: Path, pages_wanted: int = 100) -> Path:
    path = folder / "long-treaty.pdf"
    repeat = 1
    while True:
        build_treaty_pdf(SAMPLE_TREATY, path, repeat_body=repeat)
        with pymupdf.open(path) as doc:
            count = doc.page_count
        if count >= pages_wanted:
            return path
        repeat = max(repeat + 1, int(repeat * pages_wanted / max(count, 1)))


def populate(db: Path, pdf_path: Path, count: int, pages: int) -> None:
    pdf = open_pdf(pdf_path)
    flow = pdf.flow()
    words = list(re.finditer(r"\S+", flow.text))
    by_page: dict[int, list[re.Match[str]]] = {}
    for w in words:
        by_page.setdefault(flow.page_of_offset(w.start()), []).append(w)
    reviews = [Review.open(db, identity) for identity in REVIEWERS]
    try:
        for n in range(count):
            page = n % pages
            page_words = by_page[page]
            first = (n // pages * 7) % max(1, len(page_words) - 10)
            start, end = (
                page_words[first].start(),
                page_words[min(first + 5, len(page_words) - 1)].end(),
            )
            review = reviews[n % 3]
            comment = (
                NON_LATIN[n % 4].format(n=n) if n % 5 == 1 else f"Comment {n}: needs a safeguard."
            )
            a = review.annotate_range(
                pdf, start, end, tags=TAG_CYCLE[n % len(TAG_CYCLE)], comment=comment
            )
            article = (n * 26 // count) + 1
            set_place(review, a.id, Place(article, None, f"Art. {article}"))
            if n % 10 == 0:
                reviews[(n + 1) % 3].reply(a.id, f"Reply {n}.")
    finally:
        for r in reviews:
            r.close()
        pdf.close()


def bare_story_seconds(html: str) -> float:
    started = time.perf_counter()
    story = pymupdf.Story(html=html, user_css=STORY_CSS)
    writer = pymupdf.DocumentWriter(io.BytesIO())
    rect = pymupdf.paper_rect("a4")
    more = 1
    while more:
        device = writer.begin_page(rect)
        more, _ = story.place(rect + (56, 56, -56, -56))
        story.draw(device)
        writer.end_page()
    writer.close()
    return time.perf_counter() - started


def bare_render_seconds(pdf_path: Path, pages: int) -> float:
    started = time.perf_counter()
    with pymupdf.open(pdf_path) as doc:
        for i in range(pages):
            doc[i].get_pixmap(matrix=pymupdf.Matrix(1.1, 1.1)).tobytes("jpeg")
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--keep", type=Path, help="keep the files in this folder")
    parser.add_argument("--annotations", type=int, default=2000)
    parser.add_argument("--pages", type=int, default=100)
    args = parser.parse_args()
    folder = args.keep or Path(tempfile.mkdtemp(prefix="report-bench-"))
    folder.mkdir(parents=True, exist_ok=True)
    pdf_path = make_document(folder, args.pages)
    db = folder / "bench.sqlite3"
    if db.exists():
        db.unlink()
    started = time.perf_counter()
    populate(db, pdf_path, args.annotations, args.pages)
    print(f"setup: {args.annotations} annotations created in {time.perf_counter() - started:.1f} s")

    pdf = open_pdf(pdf_path)
    review = Review.open(db, REVIEWERS[0])
    results = {}
    for name, with_pages in (("report.pdf", False), ("report-pages.pdf", True)):
        options = ReportOptions(folder / name, with_pages=with_pages, article_titles=ARTICLE_TITLES)
        started = time.perf_counter()
        build_report(review, pdf, options)
        results[name] = time.perf_counter() - started
        with pymupdf.open(folder / name) as doc:
            print(
                f"{name}: {results[name]:.2f} s, {doc.page_count} pages, "
                f"{(folder / name).stat().st_size / 1e6:.1f} MB"
            )
    for name in ("report.html", "report.md", "report.docx"):
        started = time.perf_counter()
        build_report(review, pdf, ReportOptions(folder / name, article_titles=ARTICLE_TITLES))
        print(f"{name}: {time.perf_counter() - started:.2f} s")
    content = report_content(
        review, pdf, ReportOptions(folder / "x.pdf", article_titles=ARTICLE_TITLES)
    )
    bare = bare_story_seconds("\n".join(group_html(g) for g in content.groups))
    render = bare_render_seconds(pdf_path, args.pages)
    print(
        f"bare PyMuPDF: one Story pass over the body {bare:.2f} s "
        f"(report/bare = {results['report.pdf'] / bare:.1f}x); "
        f"rendering {args.pages} pages {render:.2f} s"
    )
    print(
        f"budgets: {args.annotations} annotations {results['report.pdf']:.2f} s (<= 10 s), "
        f"with pages {results['report-pages.pdf']:.2f} s (<= 30 s)"
    )
    review.close()
    pdf.close()


if __name__ == "__main__":
    main()
