"""``write_comparison_report``: the comparison report of two treaties in the format its file
name asks for (the entry point of ``reviewer report A.pdf --compare B.pdf``)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from reviewer.core.report.comparison import (
    comparison_docx,
    comparison_html,
    comparison_markdown,
    comparison_report,
)

if TYPE_CHECKING:
    from reviewer.core.pdf import PdfDocument
    from reviewer.core.review import Review


def write_comparison_report(
    review: Review,
    pdf_a: PdfDocument,
    pdf_b: PdfDocument,
    output: str,
    *,
    title: str | None = None,
    tags: tuple[str, ...] = (),
    authors: tuple[str, ...] = (),
    paper: str = "a4",
    generated: str | None = None,
) -> Path:
    """Write the comparison report of A and B; the output's extension chooses the format."""
    from reviewer.core.atomic import refuse_to_overwrite, write_bytes_atomic, write_text_atomic
    from reviewer.core.report.options import report_format
    from reviewer.core.timeutil import utc_now

    target = Path(output)
    fmt = report_format(target)
    refuse_to_overwrite(target, pdf_a.path)
    refuse_to_overwrite(target, pdf_b.path)
    report = comparison_report(
        review, pdf_a, pdf_b, title=title, tags=tags, authors=authors, generated=generated or utc_now()[:10]
    )
    if fmt == "pdf":
        from reviewer.core.report.pdf_layout import layout_comparison_pdf

        write_bytes_atomic(target, layout_comparison_pdf(report, paper))
    elif fmt == "html":
        write_text_atomic(target, comparison_html(report))
    elif fmt == "markdown":
        write_text_atomic(target, comparison_markdown(report))
    else:
        write_bytes_atomic(target, comparison_docx(report, paper))
    return target
