"""Printable review reports (PDF, HTML, Markdown, DOCX), organised the way lawyers read: by article.

Public API: ``build_report(review, pdf, options, progress=None) -> Path`` and ``ReportOptions``;
``report_content`` gives the content without writing a file (e.g. for a preview).
Only ``pdf_layout`` imports PyMuPDF; nothing here imports Qt.
"""

from reviewer.core.report.build import build_report, report_content
from reviewer.core.report.options import FORMATS, GROUP_BY, PAPERS, Progress, ReportOptions

__all__ = [
    "FORMATS",
    "GROUP_BY",
    "PAPERS",
    "Progress",
    "ReportOptions",
    "build_report",
    "report_content",
]
