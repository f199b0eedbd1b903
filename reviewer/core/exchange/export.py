"""Export a document's review: review file, XFDF, annotated PDF copy, CSV."""

from __future__ import annotations

import csv
import io
import json
import os
import uuid
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

from reviewer.core import progress
from reviewer.core.atomic import refuse_to_overwrite, write_bytes_atomic, write_text_atomic
from reviewer.core.errors import ReviewerError
from reviewer.core.exchange import review_file
from reviewer.core.exchange.foreign_import import FOREIGN_NAMESPACE
from reviewer.core.exchange.pdfdates import format_pdf_date
from reviewer.core.exchange.records import document_data, document_id_for_pdf
from reviewer.core.exchange.versions import (
    ReviewData,
)
from reviewer.core.exchange.xfdf import (
    part_name,
    xfdf_bytes,
)
from reviewer.core.links import LinkEnd
from reviewer.core.pdf import (
    PdfDocument,
    PdfMarkup,
    write_annotated_copy,
)
from reviewer.core.review import Filters, Review

FORMATS = ("review", "xfdf", "pdf", "csv")


DEFAULT_HIGHLIGHT = "#FFEB3B"


def export_review_file(
    review: Review, document_id: str, out: str | os.PathLike[str], filters: Filters | None = None
) -> ReviewData:
    """Write the ``.review.json`` (never with private notes); records the exported versions so
    later edits supersede them."""
    data = document_data(review, document_id, filters, shared_only=True)
    text = review_file.dumps(data)
    _record_exported(review, data)
    write_text_atomic(out, text)
    return data


def _record_exported(review: Review, data: ReviewData) -> None:
    """Versions that left this database: a later local edit replaces them (see versions.py)."""
    states = (
        *data.annotations.values(),
        *data.replies.values(),
        *data.concordance.values(),
        *data.coverage.values(),
    )
    pairs = [(s.id, s.winner_hash) for s in states]
    review.store.exchange_add_versions(pairs)


def _hex_color(tag_colors: Sequence[str]) -> str:
    return tag_colors[0] if tag_colors else DEFAULT_HIGHLIGHT


def _editor_fields(editor_id: str | None, name: str | None) -> dict[str, Any]:
    return {"modified_by_id": editor_id, "modified_by_name": name} if editor_id else {}


def export_records(review: Review, document_id: str, filters: Filters | None = None) -> list[dict[str, Any]]:
    """Live annotations as flat records for XFDF, the annotated PDF and CSV (private notes
    never leave the database)."""
    found = review.annotations(document_id, replace(filters or Filters(), include_private=False))
    records = []
    titles: dict[str, str] = {}
    for a in found:
        if not a.quads:
            continue
        comment = a.comment
        if a.links:  # each end a highlight whose comment names the other end
            named = "\n".join(f"\u2194 {_end_name(review, end, titles)}" for end in a.links)
            comment = f"{comment}\n\n{named}" if comment else named
        private = {
            "kind": a.kind,
            "author_id": a.author_id,
            "created": a.created,
            "modified": a.modified,
            "revision": a.revision,
            "status": a.status,
            "tags": a.tag_names,
            "origin_id": a.origin_id,
            "anchor": a.anchor,
            "anchor_score": a.anchor_score,
            "article": a.article,
            "paragraph": a.paragraph,
            "subparagraph": a.subparagraph,
            "item": a.item,
            "citation": a.citation,
            **_editor_fields(a.modified_by_id, a.modified_by_name),
        }
        records.append(
            {
                "id": a.id,
                "page": a.page,
                "quads": [q.to_json() for q in a.quads],
                "color": _hex_color([t.color for t in a.tags]),
                "author": a.author_name,
                "tags": a.tag_names,
                "comment": comment,
                "status": a.status,
                "status_name": str(uuid.uuid5(FOREIGN_NAMESPACE, f"status|{a.id}|{a.revision}")),
                "created": a.created,
                "modified": a.modified,
                "quote": a.quote,
                "citation": a.citation,
                "private": private,
                "replies": [
                    {
                        "id": r.id,
                        "author": r.author_name,
                        "comment": r.comment,
                        "created": r.created,
                        "modified": r.modified,
                        "private": {
                            "author_id": r.author_id,
                            "created": r.created,
                            "modified": r.modified,
                            "revision": r.revision,
                            **_editor_fields(r.modified_by_id, r.modified_by_name),
                        },
                    }
                    for r in a.replies
                    if not r.deleted
                ],
            }
        )
    return records


def _end_name(review: Review, end: LinkEnd, titles: dict[str, str]) -> str:
    """ "Convention on Cybercrime, Art. 15(1)": the document's title and the end's citation."""
    if end.document_id not in titles:
        row = review.store.document(end.document_id)
        titles[end.document_id] = row["title"] if row and row["title"] else f"document {end.document_id[:12]}"
    place = end.citation or f"p. {end.page + 1}"
    return f"{titles[end.document_id]}, {place}"


def export_document(
    review: Review,
    pdf: PdfDocument,
    fmt: str,
    out: str | os.PathLike[str],
    filters: Filters | None = None,
) -> int:
    """Export a document's annotations; returns how many annotations were written."""
    if fmt not in FORMATS:
        raise ReviewerError(f"unknown format {fmt!r} (use {', '.join(FORMATS)})")
    refuse_to_overwrite(out, pdf.path)
    document_id = document_id_for_pdf(review, pdf)
    progress.report("reading the annotations", 0, 2)
    if fmt == "review":
        return len(export_review_file(review, document_id, out, filters).annotations)
    records = export_records(review, document_id, filters)
    progress.report("writing the file", 1, 2)  # the last point where Cancel writes nothing
    if fmt in ("xfdf", "pdf"):  # they round-trip exactly, so their versions are shared too
        _record_exported(review, document_data(review, document_id, filters, shared_only=True))
    if fmt == "xfdf":
        info = pdf.info()
        document = {"filename": Path(info.path).name, "pdf_id": info.pdf_id}
        write_bytes_atomic(out, xfdf_bytes(document, records))
    elif fmt == "pdf":
        write_annotated_copy(pdf.path, out, _pdf_markups(records))
    else:
        write_text_atomic(out, csv_text(records, pdf))
    return len(records)


def _rgb(hex_color: str) -> tuple[float, float, float]:
    value = hex_color.lstrip("#")
    return (int(value[0:2], 16) / 255, int(value[2:4], 16) / 255, int(value[4:6], 16) / 255)


def _pdf_markups(records: list[dict[str, Any]]) -> list[PdfMarkup]:
    from reviewer.core.exchange.xfdf import STATE_OF_STATUS

    markups: list[PdfMarkup] = []
    for a in records:
        by_page: dict[int, list[tuple[float, ...]]] = {}
        for q in a["quads"]:
            by_page.setdefault(int(q["page"]), []).append(tuple(q["points"]))
        first = min(by_page)
        private = json.dumps(a["private"], ensure_ascii=False, sort_keys=True)
        # A PDF annotation lives on one page: an annotation across a page break is its first
        # page's /Highlight (with the comment) and, on each further page, a /Highlight grouped
        # with it (/IRT + /RT /Group), as Acrobat groups the parts of one markup.
        markups.append(
            PdfMarkup(
                name=a["id"],
                page=first,
                quads=tuple(by_page[first]),
                color=_rgb(a["color"]),
                author=a["author"],
                contents=a["comment"],
                subject="; ".join(a["tags"]),
                created=format_pdf_date(a["created"]),
                modified=format_pdf_date(a["modified"]),
                private=private,
            )
        )
        for page in sorted(by_page)[1:]:
            markups.append(
                PdfMarkup(
                    name=part_name(a["id"], page),
                    page=page,
                    quads=tuple(by_page[page]),
                    color=_rgb(a["color"]),
                    author=a["author"],
                    contents="",
                    subject="; ".join(a["tags"]),
                    created=format_pdf_date(a["created"]),
                    modified=format_pdf_date(a["modified"]),
                    reply_to=a["id"],
                    group=True,
                )
            )
        if a["status"] != "open":
            markups.append(
                PdfMarkup(
                    name=a["status_name"],
                    page=first,
                    quads=tuple(by_page[first][:1]),
                    color=(1.0, 1.0, 0.0),
                    author=a["author"],
                    contents="",
                    subject="Status",
                    created=format_pdf_date(a["modified"]),
                    modified=format_pdf_date(a["modified"]),
                    reply_to=a["id"],
                    state=STATE_OF_STATUS[a["status"]],
                )
            )
        for r in a["replies"]:
            markups.append(
                PdfMarkup(
                    name=r["id"],
                    page=first,
                    quads=tuple(by_page[first][:1]),
                    color=(1.0, 1.0, 0.0),
                    author=r["author"],
                    contents=r["comment"],
                    subject="Reply",
                    created=format_pdf_date(r["created"]),
                    modified=format_pdf_date(r["modified"]),
                    private=json.dumps(r["private"], ensure_ascii=False, sort_keys=True),
                    reply_to=a["id"],
                )
            )
    return markups


CSV_COLUMNS = [
    "id",
    "page",
    "citation",
    "quote",
    "tags",
    "comment",
    "author",
    "status",
    "created",
    "modified",
    "replies",
]


def _cell(value: str) -> str:
    """Spreadsheets run cells that start with = + - @ as formulas: defuse them."""
    if value and value[0] in "=+-@\t\r":
        return "'" + value
    return value


def csv_text(records: list[dict[str, Any]], pdf: PdfDocument | None = None) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for a in records:
        page = pdf.page_label(a["page"]) if pdf else str(a["page"] + 1)
        writer.writerow(
            [
                a["id"],
                page,
                _cell(a["citation"] or ""),
                _cell(a["quote"]),
                _cell("; ".join(a["tags"])),
                _cell(a["comment"]),
                _cell(a["author"]),
                a["status"],
                a["created"],
                a["modified"],
                str(len(a["replies"])),
            ]
        )
    return "\ufeff" + buffer.getvalue()
