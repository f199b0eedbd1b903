"""XFDF (ISO 19444-1) for Acrobat, Foxit and PDF-XChange users.

Written: ``<highlight>`` per annotation (``name`` = its UUID), ``<text inreplyto>`` per reply and
a ``statemodel="Review"`` reply for a status. Reviewer's own fields travel in one ``rv:data``
attribute (JSON) that other tools ignore. Read leniently (namespace optional, any quad order,
unknown elements ignored) and safely: defusedxml with DTDs and entities forbidden, limits on
size, depth and element count.
"""

from __future__ import annotations

import json
import math
import re
import uuid
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from typing import Any

from reviewer.core.errors import ReviewerError
from reviewer.core.exchange.pdfdates import format_pdf_date, parse_pdf_date
from reviewer.core.exchange.review_file import NAMESPACE

XFDF_NS = "http://ns.adobe.com/xfdf/"
MAX_XFDF_BYTES = 64 * 1024 * 1024
MAX_DEPTH = 32
MAX_ELEMENTS = 2_000_000
MAX_TEXT = 100_000  # a comment
MAX_ATTRIBUTE = 20_000  # names, dates, titles; coords of a long highlight stay well below
MARKUP_ELEMENTS = {"highlight", "underline", "strikeout", "squiggly"}
STATE_OF_STATUS = {
    "accepted": "Accepted",
    "rejected": "Rejected",
    "resolved": "Completed",
    "open": "None",
}
STATUS_OF_STATE = {
    "accepted": "accepted",
    "rejected": "rejected",
    "cancelled": "rejected",
    "completed": "resolved",
    "none": "open",
}


@dataclass
class ForeignMarkup:
    """An annotation from XFDF or from another tool's PDF, before it becomes a Reviewer version."""

    element: str  # highlight, underline, ..., text, freetext, ...
    page: int
    name: str | None
    quads: list[tuple[float, ...]]  # PDF user space, as written (any corner order)
    rect: tuple[float, float, float, float] | None
    author: str
    contents: str
    subject: str
    created: str | None  # ISO UTC
    modified: str | None
    reply_to: str | None
    state: str | None
    state_model: str | None
    private: dict[str, Any] = field(default_factory=dict)
    ref: str | None = None  # what replies name in reply_to: the XFDF name, or the PDF xref
    # replyType="group" (XFDF) or /RT /Group (PDF): another page's part of the annotation named
    # by reply_to; its quads are folded into that annotation on import (``more_quads``).
    group: bool = False
    more_quads: list[tuple[int, tuple[float, ...]]] = field(default_factory=list)


@dataclass
class XfdfFile:
    href: str | None
    pdf_ids: list[str]
    markups: list[ForeignMarkup]


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1].lower()


def _attr(element: Any, name: str) -> str | None:
    for key, value in element.attrib.items():
        if _local(key) == name.lower():
            return str(value)
    return None


def _numbers(text: str | None) -> list[float]:
    if not text:
        return []
    return [float(v) for v in re.findall(r"[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?", text)]


def _refuse_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a JSON number")


def _private_text(value: dict[str, Any]) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True, allow_nan=False)


def private_data(text: str | None) -> dict[str, Any]:
    if not text:
        return {}
    try:
        # NaN/Infinity are not JSON: such data is dropped like any other that does not parse.
        value = json.loads(text, parse_constant=_refuse_constant)
    except (ValueError, RecursionError):
        return {}
    return value if isinstance(value, dict) else {}


def read_xfdf(path: str) -> XfdfFile:
    import defusedxml.ElementTree as DET
    from defusedxml import DefusedXmlException

    try:
        with open(path, "rb") as handle:
            data = handle.read(MAX_XFDF_BYTES + 1)
    except OSError as exc:
        raise ReviewerError(f"cannot be read ({exc.strerror})", path=path) from None
    if len(data) > MAX_XFDF_BYTES:
        raise ReviewerError(f"is larger than the XFDF limit of {MAX_XFDF_BYTES} bytes", path=path)
    try:
        root = DET.fromstring(data, forbid_dtd=True, forbid_entities=True, forbid_external=True)
    except DefusedXmlException as exc:
        problem = {
            "DTDForbidden": "contains a DTD (<!DOCTYPE>), which XFDF files must not carry",
            "EntitiesForbidden": "declares XML entities (entity expansion attack?)",
            "ExternalReferenceForbidden": "refers to an external resource",
        }.get(type(exc).__name__, f"is refused by the XML safety checks ({type(exc).__name__})")
        raise ReviewerError(f"refused: {problem}", path=path) from None
    except ET.ParseError as exc:
        raise ReviewerError(f"is not well-formed XML ({exc})", path=path) from None
    except (ValueError, LookupError) as exc:  # e.g. encoding="UTF-7" or an unknown encoding
        raise ReviewerError(f"declares an encoding XFDF readers do not support ({exc})", path=path) from None
    # Depth, size and string lengths, without recursion.
    stack = [(root, 1)]
    count = 0
    while stack:
        element, depth = stack.pop()
        count += 1
        if depth > MAX_DEPTH:
            raise ReviewerError(f"nests elements deeper than {MAX_DEPTH} levels", path=path)
        if count > MAX_ELEMENTS:
            raise ReviewerError(f"has more than {MAX_ELEMENTS} elements", path=path)
        for key, value in element.attrib.items():
            limit = MAX_TEXT if _local(key) in ("data", "coords") else MAX_ATTRIBUTE
            if len(value) > limit:
                raise ReviewerError(
                    f"<{_local(element.tag)[:40]}> has a {_local(key)[:40]} attribute of {len(value)} "
                    f"characters, more than the limit of {limit}",
                    path=path,
                )
        if element.text and len(element.text) > MAX_TEXT:
            raise ReviewerError(
                f"<{_local(element.tag)[:40]}> holds {len(element.text)} characters, more than the "
                f"limit of {MAX_TEXT}",
                path=path,
            )
        stack.extend((child, depth + 1) for child in element)
    if _local(root.tag) != "xfdf":
        raise ReviewerError(f"is not XFDF (root element <{_local(root.tag)[:40]}>)", path=path)
    href = None
    pdf_ids: list[str] = []
    markups: list[ForeignMarkup] = []
    for child in root:
        name = _local(child.tag)
        if name == "f":
            href = _attr(child, "href")
        elif name == "ids":
            for key in ("original", "modified"):
                value = _attr(child, key)
                if value and re.fullmatch(r"[0-9A-Fa-f]{2,128}", value):
                    pdf_ids.append(value.lower())
        elif name == "annots":
            for element in child:
                markup = _markup(element, path)
                if markup is not None:
                    markups.append(markup)
    return XfdfFile(href, pdf_ids, markups)


def _strict_numbers(text: str, what: str, path: str, kind: str) -> list[float]:
    """Numbers separated by commas or spaces (a trailing comma is fine); anything else refuses."""
    tokens = [t for t in re.split(r"[,\s]+", text.strip()) if t]
    values = []
    for token in tokens:
        try:
            value = float(token)
        except ValueError:
            raise ReviewerError(f"<{kind}> has a {what} that is not a list of numbers", path=path) from None
        if not math.isfinite(value) or abs(value) > 1e7:
            raise ReviewerError(f"<{kind}> has a {what} with an impossible number ({token[:20]})", path=path)
        values.append(value)
    return values


def _markup(element: Any, path: str) -> ForeignMarkup | None:
    kind = _local(element.tag)
    page_text = _attr(element, "page")
    if page_text is None:
        return None  # not an annotation (e.g. a <popup> without a page)
    if not re.fullmatch(r"\s*\d{1,7}\s*", page_text):
        raise ReviewerError(f"<{kind}> has page={page_text[:20]!r}, not a page number", path=path)
    contents = None
    rich = None
    for child in element:
        if _local(child.tag) == "contents":
            contents = "".join(child.itertext())
        elif _local(child.tag) == "contents-richtext":  # XHTML: its text, when no plain copy
            rich = " ".join(" ".join(child.itertext()).split())
    coords = _attr(element, "coords")
    numbers = _strict_numbers(coords, "coords", path, kind) if coords is not None else []
    if coords is not None and (not numbers or len(numbers) % 8):
        raise ReviewerError(f"<{kind}> has coords that are not groups of 8 numbers", path=path)
    quads = [tuple(numbers[i : i + 8]) for i in range(0, len(numbers) - 7, 8)]
    rect_text = _attr(element, "rect")
    rect = None
    if rect_text is not None:
        rect_numbers = _strict_numbers(rect_text, "rect", path, kind)
        if len(rect_numbers) != 4:
            raise ReviewerError(f"<{kind}> has a rect that is not 4 numbers", path=path)
        x0, y0, x1, y1 = rect_numbers
        rect = (min(x0, x1), min(y0, y1), max(x0, x1), max(y0, y1))
    if kind in MARKUP_ELEMENTS and not quads:
        raise ReviewerError(f"<{kind}> has no coords: where it lies is unknown", path=path)
    created = parse_pdf_date(_attr(element, "creationdate"))
    modified = parse_pdf_date(_attr(element, "date"))
    return ForeignMarkup(
        element=kind,
        page=int(page_text),
        name=_attr(element, "name"),
        quads=quads,
        rect=rect,
        author=_attr(element, "title") or "",
        contents=contents if contents is not None else (rich or ""),
        subject=_attr(element, "subject") or "",
        created=created,
        modified=modified,
        reply_to=_attr(element, "inreplyto"),
        state=_attr(element, "state"),
        state_model=_attr(element, "statemodel"),
        private=private_data(_attr(element, "data")),
        ref=_attr(element, "name"),
        group=(_attr(element, "replyType") or "").strip().lower() == "group",
    )


# writing ------------------------------------------------------------------------------------


def _fmt(values: list[float]) -> str:
    return ",".join(f"{v:.3f}" for v in values)


def quads_by_page(quads: list[dict[str, Any]]) -> dict[int, list[list[float]]]:
    """An annotation's quads (``Quad.to_json`` form) page by page, in their order."""
    parts: dict[int, list[list[float]]] = {}
    for q in quads:
        parts.setdefault(int(q["page"]), []).append(list(q["points"]))
    return parts


def part_name(annotation_id: str, page: int) -> str:
    """The name of an annotation's part on a further page: a UUID of its own, always the same."""
    return str(uuid.uuid5(uuid.UUID(annotation_id), f"page {page}"))


def xfdf_bytes(document: dict[str, Any], annotations: list[dict[str, Any]]) -> bytes:
    """``annotations``: records from ``exchange.service.export_records`` (see there)."""
    ET.register_namespace("", XFDF_NS)
    ET.register_namespace("rv", NAMESPACE)
    root = ET.Element(f"{{{XFDF_NS}}}xfdf", {"{http://www.w3.org/XML/1998/namespace}space": "preserve"})
    ET.SubElement(root, f"{{{XFDF_NS}}}f", {"href": document["filename"]})
    if document.get("pdf_id"):
        ET.SubElement(
            root,
            f"{{{XFDF_NS}}}ids",
            {"original": document["pdf_id"], "modified": document["pdf_id"]},
        )
    annots = ET.SubElement(root, f"{{{XFDF_NS}}}annots")
    for a in annotations:
        parts = quads_by_page(a["quads"])
        first = min(parts)
        coords = [v for points in parts[first] for v in points]
        xs, ys = coords[0::2], coords[1::2]
        attrs = {
            "page": str(first),
            "rect": _fmt([min(xs), min(ys), max(xs), max(ys)]),
            "coords": _fmt(coords),
            "color": a["color"],
            "name": a["id"],
            "title": a["author"],
            "subject": "; ".join(a["tags"]),
            "date": format_pdf_date(a["modified"]),
            "creationdate": format_pdf_date(a["created"]),
            "flags": "print",
            f"{{{NAMESPACE}}}data": _private_text(a["private"]),
        }
        element = ET.SubElement(annots, f"{{{XFDF_NS}}}highlight", attrs)
        ET.SubElement(element, f"{{{XFDF_NS}}}contents").text = a["comment"]
        for page in sorted(parts)[1:]:  # across a page break: one grouped part per further page
            more = [v for points in parts[page] for v in points]
            mx, my = more[0::2], more[1::2]
            ET.SubElement(
                annots,
                f"{{{XFDF_NS}}}highlight",
                {
                    "page": str(page),
                    "rect": _fmt([min(mx), min(my), max(mx), max(my)]),
                    "coords": _fmt(more),
                    "color": a["color"],
                    "name": part_name(a["id"], page),
                    "inreplyto": a["id"],
                    "replyType": "group",
                    "title": a["author"],
                    "subject": "; ".join(a["tags"]),
                    "date": format_pdf_date(a["modified"]),
                    "creationdate": format_pdf_date(a["created"]),
                    "flags": "print",
                },
            )
        anchor_rect = _fmt([min(xs), max(ys) - 10, min(xs) + 10, max(ys)])
        if a["status"] != "open":
            ET.SubElement(
                annots,
                f"{{{XFDF_NS}}}text",
                {
                    "page": str(a["page"]),
                    "rect": anchor_rect,
                    "name": a["status_name"],
                    "inreplyto": a["id"],
                    "title": a["author"],
                    "date": format_pdf_date(a["modified"]),
                    "creationdate": format_pdf_date(a["modified"]),
                    "statemodel": "Review",
                    "state": STATE_OF_STATUS[a["status"]],
                    "flags": "hidden,print",
                },
            )
        for r in a["replies"]:
            reply = ET.SubElement(
                annots,
                f"{{{XFDF_NS}}}text",
                {
                    "page": str(a["page"]),
                    "rect": anchor_rect,
                    "name": r["id"],
                    "inreplyto": a["id"],
                    "title": r["author"],
                    "date": format_pdf_date(r["modified"]),
                    "creationdate": format_pdf_date(r["created"]),
                    "flags": "print",
                    f"{{{NAMESPACE}}}data": _private_text(r["private"]),
                },
            )
            ET.SubElement(reply, f"{{{XFDF_NS}}}contents").text = r["comment"]
    ET.indent(root, space=" ")
    text = ET.tostring(root, encoding="unicode")
    return ('<?xml version="1.0" encoding="UTF-8"?>\n' + text + "\n").encode("utf-8")
