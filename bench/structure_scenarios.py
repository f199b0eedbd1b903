# ruff: noqa: E501
"""Structure detection of a 300-page treaty (issue 13: under a second, text already extracted)."""

from __future__ import annotations

import time

from bench import inputs
from bench.runner import Budget, Context, Measurement, scenario


@scenario("structure", "structure detection, {s.carry_pdf}-page treaty (text flow ready)", "ms",
          Budget("max", 1000), needs=("reviewer.core.structure",))  # fmt: skip
def structure(ctx: Context) -> Measurement:
    """detect_structure on the flow of an open document: rows, headings, titles, every body's
    paragraphs, letters and items. Floor: one pass of ``str.splitlines`` over the same text
    (what any reading of the text costs at least)."""
    from reviewer.core.pdf import open_pdf
    from reviewer.core.structure import detect_structure

    path = inputs.treaty_pdf(ctx.sizes.carry_pdf)
    samples: list[float] = []
    floor: list[float] = []
    with open_pdf(path) as pdf:
        flow = pdf.flow()
        articles = 0
        for _ in range(max(3, ctx.sizes.repeats)):
            t0 = time.perf_counter()
            found = detect_structure(flow)
            samples.append((time.perf_counter() - t0) * 1000)
            articles = len(found.articles)
            t0 = time.perf_counter()
            flow.text.splitlines()
            floor.append((time.perf_counter() - t0) * 1000)
    return Measurement(
        samples,
        floor,
        "str.splitlines over the flow's text",
        f"{ctx.sizes.carry_pdf} pages, {len(flow.text):,} characters, {articles} articles",
    )
