"""Reviewer: read treaty PDFs, annotate them, merge a team's work and print review reports."""

__version__ = "0.1.0"
