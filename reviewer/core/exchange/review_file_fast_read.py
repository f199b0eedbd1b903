"""The fast read path for well-formed review files: one pass that builds versions and gives up
(returns None) at anything unusual, so that the detailed checker in ``review_file_reader``
names the problem. tests/exchange/test_fast_read.py keeps the two equivalent.
"""

from __future__ import annotations

import functools
from typing import Any

from reviewer.core.errors import ReviewerError
from reviewer.core.exchange.review_file_format import (
    _BODY_KEYS,
    _CREATOR_KEYS,
    _GEOMETRY_KEYS,
    _PAGE_VALUE,
    _QUAD_KEYS,
    _REFINED_KEYS,
    _SELECTOR_KEYS,
    _TARGET_KEYS,
    CANONICAL_URN_UUID,
    DATE_TIME,
    MAX_QUADS,
    MAX_SHORT,
    MAX_TEXT,
    _floats_ok,
    _int_ok,
    _text_ok,
)
from reviewer.core.exchange.review_file_writer import author_id_of
from reviewer.core.exchange.versions import (
    Version,
)
from reviewer.core.model import KINDS, STANCES, STATUSES
from reviewer.core.taxonomy import clean_tag_name


@functools.lru_cache(maxsize=4096)
def _clean_short_tag_name(value: str) -> str:
    """A team uses a few dozen tags on thousands of items; only short names are remembered."""
    return clean_tag_name(value)


def _fast_annotation(raw: dict[str, Any], source: str) -> tuple[str, Version] | None:
    try:
        return _fast_annotation_unchecked(raw, source)
    except Exception:  # whatever it is, the detailed checker decides
        return None


def _fast_annotation_unchecked(raw: dict[str, Any], source: str) -> tuple[str, Version] | None:
    get = raw.get
    raw_id = get("id")
    if type(raw_id) is not str or not CANONICAL_URN_UUID.fullmatch(raw_id):
        return None
    creator = get("creator")
    if type(creator) is not dict or not _CREATOR_KEYS.issuperset(creator):
        return None
    comment = ""
    tags: list[str] = []
    bodies = get("body")
    if bodies is not None:
        if type(bodies) is not list:
            bodies = [bodies]
        if len(bodies) > 1000:
            return None
        for body in bodies:
            if type(body) is not dict or not _BODY_KEYS.issuperset(body):
                return None
            value = body.get("value")
            if not _text_ok(value, MAX_TEXT):
                return None
            purpose = body.get("purpose")
            if purpose == "commenting":
                comment = value
            elif purpose == "tagging":
                try:
                    tags.append(_clean_short_tag_name(value) if len(value) <= 200 else clean_tag_name(value))
                except ReviewerError:
                    return None
            else:
                return None
    target = get("target")
    if type(target) is not dict or not _TARGET_KEYS.issuperset(target) or target.get("source") != source:
        return None
    page: int | None = None
    quote_text = ""
    text_start = text_end = None
    selectors = target.get("selector")
    if selectors is None:
        return None
    if type(selectors) is not list:
        selectors = [selectors]
    if len(selectors) > 10:
        return None
    for sel in selectors:
        if type(sel) is not dict or not _SELECTOR_KEYS.issuperset(sel):
            return None
        value = sel.get("value")
        if not _text_ok(value, MAX_SHORT):
            return None
        match = _PAGE_VALUE.fullmatch(value)
        if sel.get("type") != "FragmentSelector" or not match or int(match.group(1)) < 1:
            return None
        page = int(match.group(1)) - 1
        refined = sel.get("refinedBy")
        if refined is None:
            continue
        if type(refined) is not dict or not _REFINED_KEYS.issuperset(refined):
            return None
        refined_type = refined.get("type")
        if refined_type == "TextQuoteSelector":
            exact = refined.get("exact")
            if not _text_ok(exact, MAX_TEXT):
                return None
            quote_text = exact
        elif refined_type == "TextPositionSelector":
            text_start = refined.get("start")
            text_end = refined.get("end")
            if not _int_ok(text_start) or not _int_ok(text_end):
                return None
    if page is None:
        return None
    raw_pages = get("rv:pages")
    if type(raw_pages) is not list or len(raw_pages) > 100_000:
        return None
    for p in raw_pages:
        if not _int_ok(p):
            return None
    raw_quads = get("rv:quads")
    if type(raw_quads) is not list or len(raw_quads) > MAX_QUADS:
        return None
    quads = []
    for q in raw_quads:
        if type(q) is not dict or not _QUAD_KEYS.issuperset(q):
            return None
        points = q.get("points")
        quad_page = q.get("page")
        if not _floats_ok(points, 8) or not _int_ok(quad_page):
            return None
        quads.append({"page": quad_page, "points": list(points)})
    raw_geometry = get("rv:geometry")
    if type(raw_geometry) is not dict:
        return None
    geometry: dict[str, Any] = {}
    for key, g in raw_geometry.items():
        if type(key) is not str or not key.isdigit() or len(key) > 7:
            return None
        if type(g) is not dict or not _GEOMETRY_KEYS.issuperset(g):
            return None
        mediabox = g.get("mediabox")
        cropbox = g.get("cropbox")
        rotation = g.get("rotation")
        if not _floats_ok(mediabox, 4) or not _floats_ok(cropbox, 4):
            return None
        if not _int_ok(rotation) or rotation not in (0, 90, 180, 270):
            return None
        geometry[key] = {"mediabox": list(mediabox), "cropbox": list(cropbox), "rotation": rotation}
    kind = get("rv:kind")
    author = creator.get("id")
    author_name = creator.get("name")
    created = get("created")
    modified = get("modified")
    revision = get("rv:revision")
    prefix = get("rv:prefix", "")
    suffix = get("rv:suffix", "")
    status = get("rv:status")
    deleted = get("rv:deleted")
    origin = get("rv:origin")
    anchor = get("rv:anchor", "exact")
    anchor_score = get("rv:anchorScore")
    article = get("rv:article")
    paragraph = get("rv:paragraph")
    subparagraph = get("rv:subparagraph")
    item = get("rv:item")
    citation = get("rv:citation")
    stance = get("rv:stance")
    proposal = get("rv:proposal")
    editor = _fast_modified_by(get("rv:modifiedBy"))
    if not (
        editor is not None
        and type(kind) is str
        and kind in KINDS
        and _text_ok(author, MAX_SHORT)
        and _text_ok(author_name, MAX_SHORT)
        and _text_ok(created, MAX_SHORT)
        and DATE_TIME.fullmatch(created)
        and _text_ok(modified, MAX_SHORT)
        and DATE_TIME.fullmatch(modified)
        and _int_ok(revision, 1)
        and _text_ok(prefix, MAX_TEXT)
        and _text_ok(suffix, MAX_TEXT)
        and type(status) is str
        and status in STATUSES
        and type(deleted) is bool
        and (origin is None or _text_ok(origin, MAX_SHORT))
        and _text_ok(anchor, MAX_SHORT)
        and (anchor_score is None or (type(anchor_score) is float and -1e7 <= anchor_score <= 1e7))
        and (article is None or _int_ok(article))
        and (paragraph is None or _int_ok(paragraph))
        and (subparagraph is None or _text_ok(subparagraph, MAX_SHORT))
        and (item is None or _text_ok(item, MAX_SHORT))
        and (citation is None or _text_ok(citation, MAX_SHORT))
        and (stance is None or (type(stance) is str and stance in STANCES))
        and (proposal is None or _text_ok(proposal, MAX_TEXT))
    ):
        return None
    version: Version = {
        "kind": kind,
        "author_id": author_id_of(author),
        "author_name": author_name,
        "created": created,
        "modified": modified,
        "revision": revision,
        "page": page,
        "pages": list(raw_pages),
        "quote": quote_text,
        "prefix": prefix,
        "suffix": suffix,
        "text_start": text_start,
        "text_end": text_end,
        "quads": quads,
        "geometry": geometry,
        "comment": comment,
        "status": status,
        "deleted": deleted,
        "tags": tags,
        "origin_id": origin,
        "anchor": anchor,
        "anchor_score": anchor_score,
        "article": article,
        "paragraph": paragraph,
        "subparagraph": subparagraph,
        "item": item,
        "citation": citation,
        "modified_by_id": editor[0],
        "modified_by_name": editor[1],
        "stance": stance,
        "proposal": proposal,
    }
    return raw_id[9:], version


_NOBODY: tuple[str | None, str | None] = (None, None)


def _fast_modified_by(raw: Any) -> tuple[str | None, str | None] | None:
    """(id, name) of ``rv:modifiedBy``; (None, None) when absent; None at any doubt."""
    if raw is None:
        return _NOBODY
    if type(raw) is not dict or not _CREATOR_KEYS.issuperset(raw):
        return None
    editor, name = raw.get("id"), raw.get("name")
    if not _text_ok(editor, MAX_SHORT) or not _text_ok(name, MAX_SHORT):
        return None
    return author_id_of(editor), name


def _fast_reply(raw: dict[str, Any]) -> tuple[str, Version] | None:
    get = raw.get
    raw_id = get("id")
    target = get("target")
    creator = get("creator")
    body = get("body")
    if not (
        type(raw_id) is str
        and CANONICAL_URN_UUID.fullmatch(raw_id)
        and type(target) is str
        and CANONICAL_URN_UUID.fullmatch(target)
        and type(creator) is dict
        and _CREATOR_KEYS.issuperset(creator)
        and type(body) is dict
        and _BODY_KEYS.issuperset(body)
    ):
        return None
    author = creator.get("id")
    author_name = creator.get("name")
    created = get("created")
    modified = get("modified")
    revision = get("rv:revision")
    comment = body.get("value")
    deleted = get("rv:deleted")
    editor = _fast_modified_by(get("rv:modifiedBy"))
    if not (
        editor is not None
        and _text_ok(author, MAX_SHORT)
        and _text_ok(author_name, MAX_SHORT)
        and _text_ok(created, MAX_SHORT)
        and DATE_TIME.fullmatch(created)
        and _text_ok(modified, MAX_SHORT)
        and DATE_TIME.fullmatch(modified)
        and _int_ok(revision, 1)
        and _text_ok(comment, MAX_TEXT)
        and type(deleted) is bool
    ):
        return None
    version: Version = {
        "annotation_id": target[9:],
        "author_id": author_id_of(author),
        "author_name": author_name,
        "created": created,
        "modified": modified,
        "revision": revision,
        "comment": comment,
        "deleted": deleted,
        "modified_by_id": editor[0],
        "modified_by_name": editor[1],
    }
    return raw_id[9:], version
