"""The exchange's public face: what the CLI and the GUI call to export, import, merge and
resolve conflicts. Each job lives in a module of its own: ``records`` (database rows <-> versions),
``export``, ``importing`` (review files, and the one import path every format goes through),
``foreign_import`` (XFDF and annotated-PDF markups of other tools), ``merge`` (files with files)
and ``conflicts``.
"""

from __future__ import annotations

from reviewer.core.exchange.conflicts import (  # noqa: F401
    Conflict,
    conflicts,
    resolve,
)
from reviewer.core.exchange.export import (  # noqa: F401
    FORMATS,
    csv_text,
    export_document,
    export_records,
    export_review_file,
)
from reviewer.core.exchange.importing import (  # noqa: F401
    ImportResult,
    import_file,
    import_files,
    redo_import,
    sniff_format,
    undo_import,
)
from reviewer.core.exchange.merge import (  # noqa: F401
    merge_driver,
    merge_files,
)
from reviewer.core.exchange.records import (  # noqa: F401
    POSITION_FIELDS,
    annotation_row,
    annotation_version,
    document_data,
    document_id_for_pdf,
    reply_row,
    reply_version,
)

__all__ = [
    "Conflict",
    "FORMATS",
    "ImportResult",
    "POSITION_FIELDS",
    "annotation_row",
    "annotation_version",
    "conflicts",
    "csv_text",
    "document_data",
    "document_id_for_pdf",
    "export_document",
    "export_records",
    "export_review_file",
    "import_file",
    "import_files",
    "merge_driver",
    "merge_files",
    "redo_import",
    "reply_row",
    "reply_version",
    "resolve",
    "sniff_format",
    "undo_import",
]
