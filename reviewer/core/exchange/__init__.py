"""Team exchange: review files (W3C Web Annotation), XFDF, annotated PDFs, CSV, import and merge.

The public API lives in ``reviewer.core.exchange.service``; see docs/format.md.
"""
