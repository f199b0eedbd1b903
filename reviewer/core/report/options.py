"""What a report asks for: output file, grouping, filters, title, paper, appendix."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from reviewer.core.errors import ReviewerError
from reviewer.core.model import STATUSES

GROUP_BY = ("article", "tag", "reviewer", "page", "status")
PAPERS = ("a4", "letter")
FORMATS = {".pdf": "pdf", ".html": "html", ".htm": "html", ".md": "markdown", ".docx": "docx"}

FORMAT_NAMES = {"pdf": "PDF", "html": "HTML", "markdown": "Markdown", "docx": "DOCX"}


class ReportOptionError(ReviewerError):
    """An option that the report's format does not take (a usage error on the command line)."""


# progress(fraction 0..1, what is being done); called from the thread that builds the report.
Progress = Callable[[float, str], None]


@dataclass(frozen=True)
class ReportOptions:
    output: Path
    group_by: str = "article"
    tags: tuple[str, ...] = ()
    authors: tuple[str, ...] = ()
    statuses: tuple[str, ...] = ()
    title: str | None = None
    paper: str | None = None  # None: A4 (PDF and DOCX); a Markdown report has no paper
    with_pages: bool = False  # PDF only: other formats refuse it (see ``check``)
    # Private notes never leave the database for others; a printout for oneself may ask for them.
    include_private: bool = False
    # Article titles by number when the caller knows them better than structure detection.
    article_titles: Mapping[int, str] = field(default_factory=dict)
    # The date printed as "generated on" (ISO); None means now. Tests fix it.
    generated: str | None = None

    @property
    def format(self) -> str:
        return report_format(self.output)

    @property
    def paper_size(self) -> str:
        return self.paper or "a4"

    def check(self) -> None:
        fmt = report_format(self.output)
        # An option the format cannot honour is refused, never silently ignored.
        if self.with_pages and fmt != "pdf":
            raise ReportOptionError(
                f"--with-pages is for PDF reports only (a {FORMAT_NAMES[fmt]} report has no page images):"
                " write a .pdf report or leave the option out"
            )
        if self.paper is not None and fmt == "markdown":
            raise ReportOptionError("--paper is for PDF, DOCX and HTML reports (Markdown has no paper size)")
        if self.group_by not in GROUP_BY:
            raise ReviewerError(f"unknown grouping {self.group_by!r} (use {', '.join(GROUP_BY)})")
        if self.paper is not None and self.paper not in PAPERS:
            raise ReviewerError(f"unknown paper size {self.paper!r} (use {', '.join(PAPERS)})")
        for status in self.statuses:
            if status not in STATUSES:
                raise ReviewerError(f"unknown status {status!r} (use {', '.join(STATUSES)})")


def report_format(output: Path) -> str:
    """The format follows the output file's extension."""
    suffix = Path(output).suffix.lower()
    if suffix not in FORMATS:
        raise ReviewerError("the report's file name must end in .pdf, .html, .md or .docx", path=str(output))
    return FORMATS[suffix]
