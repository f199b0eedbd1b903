"""``build_report``: the one entry point the CLI and the GUI call to write a report."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from reviewer.core.atomic import refuse_to_overwrite, write_bytes_atomic, write_text_atomic
from reviewer.core.pdf import PdfDocument
from reviewer.core.report.content import ReportContent, build_content
from reviewer.core.report.options import Progress, ReportOptions
from reviewer.core.review import Filters, Review
from reviewer.core.timeutil import utc_now

DEFAULT_TITLE = "Review report"


def build_report(
    review: Review, pdf: PdfDocument, options: ReportOptions, progress: Progress | None = None
) -> Path:
    """Write the report of ``pdf``'s annotations to ``options.output``; returns that path.

    Runs without any GUI; ``progress(fraction, message)`` is called as work advances (from
    the calling thread), so a GUI can run this in a worker and show a progress bar.
    """
    options.check()
    refuse_to_overwrite(options.output, pdf.path)
    report = _monotonic(progress)
    report(0.0, "reading annotations")
    content = report_content(review, pdf, options)
    output = Path(options.output)
    fmt = options.format
    if fmt == "pdf":
        from reviewer.core.report.pdf_layout import layout_report_pdf

        data = layout_report_pdf(
            content,
            paper=options.paper_size,
            with_pages=options.with_pages,
            source=pdf,
            page_label=pdf.page_label,
            progress=report,
        )
        write_bytes_atomic(output, data)
    elif fmt == "html":
        from reviewer.core.report.html_render import standalone_html

        write_text_atomic(output, standalone_html(content, paper=options.paper_size))
    elif fmt == "markdown":
        from reviewer.core.report.markdown_render import report_markdown

        write_text_atomic(output, report_markdown(content))
    else:
        from reviewer.core.report.docx_render import report_docx

        write_bytes_atomic(output, report_docx(content, paper=options.paper_size))
    report(1.0, "done")
    return output


def _monotonic(progress: Progress | None) -> Progress:
    """Progress never goes back (the PDF layout may repeat a pass)."""
    done = 0.0

    def report(fraction: float, message: str) -> None:
        nonlocal done
        done = max(done, min(1.0, fraction))
        if progress is not None:
            progress(done, message)

    return report


def report_content(review: Review, pdf: PdfDocument, options: ReportOptions) -> ReportContent:
    """The report's content (what every format shows), e.g. for a GUI preview."""
    options.check()
    document = review.register(pdf)
    for name in options.tags:
        review.tag(name)  # an unknown tag is an error, not an empty report
    annotations = review.annotations(
        document["id"],
        Filters(
            tags=options.tags,
            authors=options.authors,
            statuses=options.statuses,
            include_private=options.include_private,
        ),
    )
    # Positions are verdicts on whole articles: the memorandum shows them, not the annotations.
    annotations = [a for a in annotations if a.kind != "position"]
    info = pdf.info()
    filters = []
    if options.tags:
        filters.append("tags: " + ", ".join(options.tags))
    if options.authors:
        filters.append("reviewers: " + ", ".join(options.authors))
    if options.statuses:
        filters.append("status: " + ", ".join(options.statuses))
    return build_content(
        annotations,
        title=(options.title or "").strip() or DEFAULT_TITLE,
        treaty_title=info.title,
        document_id=info.sha256,
        page_count=info.page_count,
        page_label=pdf.page_label,
        article_titles=options.article_titles or detected_article_titles(pdf),
        all_tags=review.tags(include_retired=True),
        group_by=options.group_by,
        filters=filters,
        generated=options.generated or utc_now()[:10],
    )


def detected_article_titles(pdf: PdfDocument) -> Mapping[int, str]:
    """Article titles from structure detection when that module is present, else none
    (headings then read "Article N"). A failure there never stops a report."""
    try:
        from reviewer.core import structure  # type: ignore[attr-defined,unused-ignore]
    except ImportError:
        return {}
    finder: Any = getattr(structure, "article_titles", None)
    try:
        if callable(finder):
            return {int(k): str(v) for k, v in dict(finder(pdf)).items()}
        detect: Any = getattr(structure, "detect_structure", None)
        if callable(detect):
            found = detect(pdf)
            articles = getattr(found, "articles", found)
            return {int(a.number): str(a.title) for a in articles if getattr(a, "title", None)}
    except Exception:
        return {}
    return {}
