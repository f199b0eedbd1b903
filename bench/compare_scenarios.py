# ruff: noqa: E501
"""``reviewer compare`` of two 70-article treaties (issue 16: under 2 s), from the files.

Treaty A is the sample treaty's 26 articles cycled to 70, each with a sentence of its own so
that no two are alike; treaty B, laid out on other paper, drops five of them, adds five,
retitles ten, moves a chapter to the end and rewords clauses everywhere. The note gives the
pairs found against the known ones.
"""

from __future__ import annotations

import time
from dataclasses import replace
from pathlib import Path

from bench import inputs
from bench.runner import Budget, Context, Measurement, scenario

ARTICLES = 70
SYLLABLES = ("ka", "lo", "mi", "nu", "pe", "ro", "su", "ti", "va", "ze")


def _word(i: int) -> str:
    """A made-up word per article ("kalomi"): words of its own, as each real article has."""
    return "".join(SYLLABLES[int(d)] for d in f"{i:03d}")


def _treaties():  # type: ignore[no-untyped-def]
    from reviewer.core.sample_treaty import SAMPLE_TREATY, Article, Chapter, P, reworded

    base = [a for _, a in SAMPLE_TREATY.articles()]
    articles = []
    for i in range(ARTICLES):
        source = base[i % len(base)]
        own = P(f"The {_word(i)} {_word(i + 500)} arrangements of this provision apply to the {_word(i + 700)} register.")
        articles.append((i, replace(source, title=f"{source.title} {_word(i)}", paragraphs=(*source.paragraphs, own))))
    chapters_a = [articles[k : k + 14] for k in range(0, ARTICLES, 14)]
    a = replace(
        SAMPLE_TREATY,
        chapters=tuple(Chapter(f"Part {n + 1}", tuple(x for _, x in c)) for n, c in enumerate(chapters_a)),
    )
    dropped = {3, 17, 31, 45, 59}
    retitled = {5, 12, 22, 28, 36, 41, 50, 55, 63, 68}
    chapters_b = []
    for n, chapter in enumerate(chapters_a):
        kept = []
        for i, article in chapter:
            if i in dropped:
                continue
            if i in retitled:
                article = replace(article, title=f"Provision on {_word(i)}")
            kept.append((i, article))
        new = Article(
            f"Additional matter {_word(900 + n)}",
            (P(f"Each State Party shall consider the {_word(900 + n)} {_word(950 + n)} questions in good faith."),),
        )
        kept.insert(len(kept) // 2, (None, new))
        chapters_b.append(kept)
    chapters_b.append(chapters_b.pop(1))  # a chapter moves to the end: everything renumbers
    b = replace(
        SAMPLE_TREATY,
        title="Revised Convention on Information System Offences",
        chapters=tuple(Chapter(f"Title {n + 1}", tuple(x for _, x in c)) for n, c in enumerate(chapters_b)),
    )
    for old, new in (("State Party", "Party"), ("shall adopt", "shall take"), ("information system", "computer system")):
        b = reworded(b, old, new)
    a_number = {i: n for n, i in enumerate((i for c in chapters_a for i, _ in c), start=1)}
    b_order = [i for c in chapters_b for i, _ in c]
    truth = {(f"Art. {a_number[i]}", f"Art. {n}") for n, i in enumerate(b_order, start=1) if i is not None}
    return a, b, truth


def _inputs() -> tuple[Path, Path, set[tuple[str, str]]]:
    from reviewer.core.sample_treaty import build_treaty_pdf

    a, b, truth = _treaties()
    path_a = inputs._cache("compare-a-70.pdf")
    path_b = inputs._cache("compare-b-70.pdf")
    if not path_a.exists():
        build_treaty_pdf(a, path_a)
    if not path_b.exists():
        build_treaty_pdf(b, path_b, paper="letter")
    return path_a, path_b, truth


@scenario("compare", "compare of two 70-article treaties, from the files", "ms",
          Budget("max", 2000), needs=("reviewer.core.concordance",))  # fmt: skip
def compare(ctx: Context) -> Measurement:
    """Open both PDFs, read their text, find their articles and match them (what ``reviewer
    compare`` does after its process starts). Floor: PyMuPDF opening both files and
    extracting every page's text (``page.get_text()``), what any reading of them costs."""
    import pymupdf

    from reviewer.core.concordance import match_articles
    from reviewer.core.pdf import open_pdf
    from reviewer.core.review_compare import articles_of

    path_a, path_b, truth = _inputs()
    samples: list[float] = []
    floor: list[float] = []
    found: set[tuple[str, str]] = set()
    pages = 0
    for _ in range(max(3, ctx.sizes.repeats)):
        t0 = time.perf_counter()
        with open_pdf(path_a) as pdf_a, open_pdf(path_b) as pdf_b:
            pairs, _, _ = match_articles(articles_of(pdf_a), articles_of(pdf_b))
            pages = pdf_a.page_count + pdf_b.page_count
        samples.append((time.perf_counter() - t0) * 1000)
        found = {(p.a, p.b) for p in pairs}
        t0 = time.perf_counter()
        for path in (path_a, path_b):
            with pymupdf.open(path) as doc:
                for page in doc:
                    page.get_text()
        floor.append((time.perf_counter() - t0) * 1000)
    hits = len(found & truth)
    return Measurement(
        samples,
        floor,
        "PyMuPDF opening both and extracting every page's text",
        f"{pages} pages; {hits}/{len(truth)} true pairs found, {len(found) - hits} wrong",
    )


@scenario("compare_scroll_stall", "worst event-loop stall, compare mode scrolled in step (70 articles)", "ms",
          Budget("max", 50), needs=("reviewer.ui.compare_window",))  # fmt: skip
def compare_scroll_stall(ctx: Context) -> Measurement:
    """Scrolling pane A of compare mode at ~2,400 px/s, B following it through the
    concordance at every tick (the view's stall budget, as ``scroll_stall``). Floor: the same
    timer scrolling an empty QScrollArea."""
    from PySide6.QtWidgets import QScrollArea, QWidget

    from bench.gui_scenarios import VIEW_SIZE, _tick_gaps, qt_app, wait_until
    from reviewer.core.review import Review
    from reviewer.ui.compare_window import CompareWindow

    path_a, path_b, _ = _inputs()
    duration = 3.0 if ctx.sizes.name == "full" else 1.0
    worst: list[float] = []
    floor_worst: list[float] = []
    followed = 0
    for run in range(max(1, ctx.sizes.cold_repeats // 2)):
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
        review = Review.open(ctx.work / f"compare-{run}.sqlite3", inputs.BENCH_IDENTITY)
        window = CompareWindow(review, str(path_a), str(path_b))
        window.resize(1600, 900)
        window.show()
        wait_until(lambda w=window: w.counterparts is not None and w.view_a.text_flow() is not None
                   and w.view_b.text_flow() is not None, 60)  # fmt: skip
        b_bar = window.view_b.verticalScrollBar()
        start_b = b_bar.value()
        a_bar = window.view_a.verticalScrollBar()
        gaps = _tick_gaps(duration, lambda b=a_bar: b.setValue(b.value() + 40))
        followed = b_bar.value() - start_b
        worst.append(max(gaps))
        window.close()
        review.close()
    return Measurement(worst, floor_worst, "the same 16 ms timer scrolling an empty QScrollArea",
                       f"max tick interval of a 16 ms timer while scrolling A {duration:.0f} s at 40 px/tick; B followed {followed} px")  # fmt: skip
