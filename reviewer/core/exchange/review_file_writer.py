"""Writing review files: deterministic bytes (the same content always gives the same file), in
chunks, atomically.
"""

from __future__ import annotations

import functools
import json
import os
import uuid
from collections.abc import Iterator, Mapping
from typing import Any
from urllib.parse import quote, unquote

from reviewer import __version__
from reviewer.core.atomic import atomic_write
from reviewer.core.exchange.coverage_items import coverage_json
from reviewer.core.exchange.review_file_format import (
    ANNO_CONTEXT,
    FORMAT_VERSION,
    NAMESPACE,
    REVIEWER_NAMESPACE_UUID,
    RFC3778,
)
from reviewer.core.exchange.versions import (
    ANNOTATION,
    LINK_TARGETS,
    ItemState,
    ReviewData,
    Version,
)
from reviewer.core.jsontext import compact_encoder


@functools.lru_cache(maxsize=4096)
def author_iri(author_id: str) -> str:
    try:
        return f"urn:uuid:{uuid.UUID(author_id)}"
    except ValueError:
        return "urn:reviewer:author:" + quote(author_id, safe="")


def author_id_of(iri: str) -> str:
    if iri.startswith("urn:uuid:"):
        return iri[len("urn:uuid:") :]
    if iri.startswith("urn:reviewer:author:"):
        return unquote(iri[len("urn:reviewer:author:") :])
    return iri


def collection_id(sha256: str) -> str:
    return f"urn:uuid:{uuid.uuid5(REVIEWER_NAMESPACE_UUID, sha256)}"


def _creator(version: Mapping[str, Any]) -> dict[str, Any]:
    return {
        "id": author_iri(version["author_id"]),
        "type": "Person",
        "name": version["author_name"],
    }


def _modified_by(version: Mapping[str, Any]) -> dict[str, Any] | None:
    """Who made this version (``rv:modifiedBy``, a creator-like Person); None when not known
    (versions written before Reviewer recorded it)."""
    editor = version.get("modified_by_id")
    if editor is None:
        return None
    return {"id": author_iri(editor), "type": "Person", "name": version.get("modified_by_name") or ""}


def annotation_json(item_id: str, v: Mapping[str, Any], source: str) -> dict[str, Any]:
    body: list[dict[str, Any]] = []
    if v["comment"]:
        body.append(
            {
                "type": "TextualBody",
                "purpose": "commenting",
                "value": v["comment"],
                "format": "text/plain",
            }
        )
    for name in v["tags"]:
        body.append({"type": "TextualBody", "purpose": "tagging", "value": name})
    out: dict[str, Any] = {
        "id": f"urn:uuid:{item_id}",
        "type": "Annotation",
        "motivation": MOTIVATIONS.get(v["kind"], "commenting"),
        "creator": _creator(v),
        "created": v["created"],
        "modified": v["modified"],
    }
    if body:
        out["body"] = body
    own_target = {"source": source, "selector": _selector(v)}
    if v["kind"] == "link":  # one target per document, each with its quote and position
        out["target"] = [own_target, *(_link_target_json(t) for t in v.get(LINK_TARGETS) or ())]
    else:
        out["target"] = own_target
    out.update(
        {
            "rv:kind": v["kind"],
            "rv:revision": v["revision"],
            "rv:status": v["status"],
            "rv:deleted": v["deleted"],
            "rv:pages": v["pages"],
            "rv:quads": v["quads"],
            "rv:geometry": _geometry_json(v["geometry"]) if v["kind"] == "link" else v["geometry"],
            "rv:prefix": v["prefix"],
            "rv:suffix": v["suffix"],
            "rv:anchor": v["anchor"],
            "rv:anchorScore": v["anchor_score"],
            "rv:origin": v["origin_id"],
            "rv:article": v["article"],
            "rv:paragraph": v["paragraph"],
            "rv:subparagraph": v["subparagraph"],
            "rv:item": v.get("item"),
            "rv:citation": v["citation"],
        }
    )
    if v.get("stance") is not None:
        out["rv:stance"] = v["stance"]
    if v.get("proposal") is not None:
        out["rv:proposal"] = v["proposal"]
    editor = _modified_by(v)
    if editor is not None:
        out["rv:modifiedBy"] = editor
    return out


MOTIVATIONS = {"highlight": "highlighting", "link": "linking"}


def _link_target_json(t: Mapping[str, Any]) -> dict[str, Any]:
    """Another end of a link: a W3C SpecificResource of its document, with what Reviewer
    needs to draw it there (``rv:`` members, ignored by other tools)."""
    return {
        "source": f"urn:sha256:{t['document']}",
        "selector": _selector(t),
        "rv:relation": t["relation"],
        "rv:pages": t["pages"],
        "rv:quads": t["quads"],
        "rv:geometry": _geometry_json(t["geometry"]),
        "rv:prefix": t["prefix"],
        "rv:suffix": t["suffix"],
        "rv:article": t["article"],
        "rv:paragraph": t["paragraph"],
        "rv:subparagraph": t["subparagraph"],
        "rv:item": t["item"],
        "rv:citation": t["citation"],
    }


def _geometry_json(geometry: Mapping[str, Any]) -> dict[str, Any]:
    """Page boxes in one order, whatever order a version read back from a conflict has."""
    return {
        page: {"mediabox": g["mediabox"], "cropbox": g["cropbox"], "rotation": g["rotation"]}
        for page, g in geometry.items()
    }


def _selector(v: Mapping[str, Any]) -> Any:
    """The page (RFC 3778), refined by the quote and by the position in the text."""
    fragment = {"type": "FragmentSelector", "conformsTo": RFC3778, "value": f"page={v['page'] + 1}"}
    selectors: list[dict[str, Any]] = []
    if v["quote"]:
        selectors.append(
            dict(
                fragment,
                refinedBy={
                    "type": "TextQuoteSelector",
                    "exact": v["quote"],
                    "prefix": v["prefix"],
                    "suffix": v["suffix"],
                },
            )
        )
    if v["text_start"] is not None and v["text_end"] is not None:
        selectors.append(
            dict(
                fragment,
                refinedBy={
                    "type": "TextPositionSelector",
                    "start": v["text_start"],
                    "end": v["text_end"],
                },
            )
        )
    if not selectors:
        selectors.append(fragment)
    return selectors[0] if len(selectors) == 1 else selectors


def reply_json(item_id: str, v: Mapping[str, Any]) -> dict[str, Any]:
    out = {
        "id": f"urn:uuid:{item_id}",
        "type": "Annotation",
        "motivation": "replying",
        "creator": _creator(v),
        "created": v["created"],
        "modified": v["modified"],
        "body": {
            "type": "TextualBody",
            "purpose": "replying",
            "value": v["comment"],
            "format": "text/plain",
        },
        "target": f"urn:uuid:{v['annotation_id']}",
        "rv:revision": v["revision"],
        "rv:deleted": v["deleted"],
    }
    editor = _modified_by(v)
    if editor is not None:
        out["rv:modifiedBy"] = editor
    return out


def _item_json(state: ItemState, source: str) -> dict[str, Any]:
    def one(version: Version) -> dict[str, Any]:
        if state.kind == ANNOTATION:
            return annotation_json(state.id, version, source)
        return reply_json(state.id, version)

    out = {"@context": ANNO_CONTEXT, **one(state.winner)}
    out["rv:history"] = sorted(state.history)
    conflicts = [one(v) for v in state.conflicts]
    if conflicts:
        out["rv:conflicts"] = conflicts
    return out


def _annotation_order(state: ItemState) -> tuple[int, int, str, str]:
    w = state.winner
    start = w["text_start"] if w["text_start"] is not None else -1
    return (int(w["page"]), int(start), str(w["created"]), state.id)


def _ordered(data: ReviewData) -> list[ItemState]:
    """Items in file order: annotations by page and position, each followed by its replies;
    replies whose annotation is not in the data last."""
    replies_of: dict[str, list[ItemState]] = {}
    for reply in data.replies.values():
        replies_of.setdefault(str(reply.winner["annotation_id"]), []).append(reply)
    out: list[ItemState] = []
    placed: set[str] = set()
    for state in sorted(data.annotations.values(), key=_annotation_order):
        out.append(state)
        for reply in sorted(replies_of.get(state.id, ()), key=lambda r: (str(r.winner["created"]), r.id)):
            out.append(reply)
            placed.add(reply.id)
    for reply in sorted(data.replies.values(), key=lambda r: (str(r.winner["created"]), r.id)):
        if reply.id not in placed:
            out.append(reply)
    return out


def _header(data: ReviewData, items: list[dict[str, Any]], total: int) -> dict[str, Any]:
    d = data.document
    header = {
        "@context": [ANNO_CONTEXT, {"rv": NAMESPACE}],
        "id": collection_id(d.sha256),
        "type": "AnnotationCollection",
        "label": f"Review of {d.title}",
        "total": total,
        "rv:formatVersion": FORMAT_VERSION,
        "rv:generator": f"Reviewer {__version__}",
        "rv:document": {
            "sha256": d.sha256,
            "pdfId": d.pdf_id,
            "title": d.title,
            "pageCount": d.page_count,
        },
        "rv:tags": [
            {"name": t.name, "color": t.color, "definition": t.definition}
            for _, t in sorted(data.tags.items())
        ],
        **({"rv:concordance": _concordance_json(data)} if data.concordance else {}),
    }
    if data.coverage:  # a file without marks or assignments reads as it did before them
        header["rv:coverage"] = coverage_json(data)
    header["first"] = {"type": "AnnotationPage", "items": items}
    return header


def concordance_json(item_id: str, v: Mapping[str, Any]) -> dict[str, Any]:
    """A confirmed pair: the two documents' articles, the relation (of ``a``'s to ``b``'s)."""
    out = {
        "id": f"urn:uuid:{item_id}",
        "a": {"source": f"urn:sha256:{v['a_document_id']}", "citation": v["a_citation"]},
        "b": {"source": f"urn:sha256:{v['b_document_id']}", "citation": v["b_citation"]},
        "relation": v["relation"],
        "creator": _creator(v),
        "created": v["created"],
        "modified": v["modified"],
        "rv:revision": v["revision"],
        "rv:deleted": v["deleted"],
    }
    editor = _modified_by(v)
    if editor is not None:
        out["rv:modifiedBy"] = editor
    return out


def _concordance_json(data: ReviewData) -> list[dict[str, Any]]:
    out = []
    for item_id in sorted(data.concordance):
        state = data.concordance[item_id]
        entry = concordance_json(item_id, state.winner)
        entry["rv:history"] = sorted(state.history)
        if state.conflicts:
            entry["rv:conflicts"] = [concordance_json(item_id, v) for v in state.conflicts]
        out.append(entry)
    return out


def to_json(data: ReviewData) -> dict[str, Any]:
    """The review file as JSON values (``dumps`` writes the same, faster)."""
    source = f"urn:sha256:{data.document.sha256}"
    items = [_item_json(state, source) for state in _ordered(data)]
    return _header(data, items, len(items))


# allow_nan=False: NaN and Infinity are not JSON (RFC 8259); a file holding one is never written.
_COMPACT = json.JSONEncoder(
    ensure_ascii=False, separators=(",", ":"), check_circular=False, allow_nan=False
)  # acyclic


_encode_text = json.encoder.encode_basestring  # what _COMPACT uses for strings


_INF = float("inf")


_encode_any = compact_encoder(allow_nan=False)  # _COMPACT.encode, faster


def _j(value: Any) -> str:
    """One value as _COMPACT writes it."""
    kind = type(value)
    if kind is str:
        return _encode_text(value)
    if value is None:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if kind is int:
        return int.__repr__(value)
    if kind is float and -_INF < value < _INF:
        return float.__repr__(value)
    return _encode_any(value)


_CONTEXT_MEMBER = f'"@context":{_j(ANNO_CONTEXT)},'


_CONFORMS = _j(RFC3778)


def _annotation_members(item_id: str, v: Mapping[str, Any], source: str) -> str:
    """annotation_json's members, without the braces."""
    if v["kind"] == "link":  # few, and of a shape of their own: written the plain way
        return _encode_any(annotation_json(item_id, v, json.loads(source)))[1:-1]
    try:  # the fields that are always strings in a checked version, written without a detour
        return _annotation_members_with(item_id, v, source, _encode_text)
    except TypeError:  # one of them is not a string: every value by its type
        return _annotation_members_with(item_id, v, source, _j)


def _annotation_members_with(item_id: str, v: Mapping[str, Any], source: str, s: Any) -> str:
    bodies = []
    if v["comment"]:
        bodies.append(
            f'{{"type":"TextualBody","purpose":"commenting","value":{s(v["comment"])},"format":"text/plain"}}'
        )
    for name in v["tags"]:
        bodies.append(f'{{"type":"TextualBody","purpose":"tagging","value":{s(name)}}}')
    page = _j(f"page={v['page'] + 1}")
    fragment = f'"type":"FragmentSelector","conformsTo":{_CONFORMS},"value":{page}'
    selectors = []
    if v["quote"]:
        selectors.append(
            f'{{{fragment},"refinedBy":{{"type":"TextQuoteSelector","exact":{s(v["quote"])},'
            f'"prefix":{s(v["prefix"])},"suffix":{s(v["suffix"])}}}}}'
        )
    if v["text_start"] is not None and v["text_end"] is not None:
        selectors.append(
            f'{{{fragment},"refinedBy":{{"type":"TextPositionSelector",'
            f'"start":{_j(v["text_start"])},"end":{_j(v["text_end"])}}}}}'
        )
    if not selectors:
        selector = f"{{{fragment}}}"
    elif len(selectors) == 1:
        selector = selectors[0]
    else:
        selector = f"[{','.join(selectors)}]"
    body = f',"body":[{",".join(bodies)}]' if bodies else ""
    motivation = '"highlighting"' if v["kind"] == "highlight" else '"commenting"'
    return (
        f'"id":{_j(f"urn:uuid:{item_id}")},"type":"Annotation","motivation":{motivation},'
        f'"creator":{{"id":{s(author_iri(v["author_id"]))},"type":"Person","name":{s(v["author_name"])}}},'
        f'"created":{s(v["created"])},"modified":{s(v["modified"])}{body},'
        f'"target":{{"source":{source},"selector":{selector}}},'
        f'"rv:kind":{s(v["kind"])},"rv:revision":{_j(v["revision"])},"rv:status":{s(v["status"])},'
        f'"rv:deleted":{_j(v["deleted"])},"rv:pages":{_encode_any(v["pages"])},'
        f'"rv:quads":{_encode_any(v["quads"])},"rv:geometry":{_encode_any(v["geometry"])},'
        f'"rv:prefix":{s(v["prefix"])},"rv:suffix":{s(v["suffix"])},"rv:anchor":{s(v["anchor"])},'
        f'"rv:anchorScore":{_j(v["anchor_score"])},"rv:origin":{_j(v["origin_id"])},'
        f'"rv:article":{_j(v["article"])},"rv:paragraph":{_j(v["paragraph"])},'
        f'"rv:subparagraph":{_j(v["subparagraph"])},"rv:item":{_j(v.get("item"))},'
        f'"rv:citation":{_j(v["citation"])}'
        f"{_position_members(v)}"
        f"{_modified_by_member(v)}"
    )


def _position_members(v: Mapping[str, Any]) -> str:
    """A position's ``,"rv:stance":...,"rv:proposal":...`` as annotation_json writes them."""
    stance, proposal = v.get("stance"), v.get("proposal")
    if stance is None and proposal is None:
        return ""
    out = "" if stance is None else f',"rv:stance":{_j(stance)}'
    return out if proposal is None else f'{out},"rv:proposal":{_j(proposal)}'


def _modified_by_member(v: Mapping[str, Any]) -> str:
    """``,"rv:modifiedBy":{...}`` as _COMPACT writes _modified_by(v), or nothing."""
    editor = v.get("modified_by_id")
    if editor is None:
        return ""
    return (
        f',"rv:modifiedBy":{{"id":{_j(author_iri(editor))},"type":"Person",'
        f'"name":{_j(v.get("modified_by_name") or "")}}}'
    )


def _reply_members(item_id: str, v: Mapping[str, Any]) -> str:
    """reply_json's members, without the braces."""
    try:  # as in _annotation_members
        return _reply_members_with(item_id, v, _encode_text)
    except TypeError:
        return _reply_members_with(item_id, v, _j)


def _reply_members_with(item_id: str, v: Mapping[str, Any], s: Any) -> str:
    target = _j(f"urn:uuid:{v['annotation_id']}")
    return (
        f'"id":{_j(f"urn:uuid:{item_id}")},"type":"Annotation","motivation":"replying",'
        f'"creator":{{"id":{s(author_iri(v["author_id"]))},"type":"Person","name":{s(v["author_name"])}}},'
        f'"created":{s(v["created"])},"modified":{s(v["modified"])},'
        f'"body":{{"type":"TextualBody","purpose":"replying","value":{s(v["comment"])},"format":"text/plain"}},'
        f'"target":{target},'
        f'"rv:revision":{_j(v["revision"])},"rv:deleted":{_j(v["deleted"])}'
        f"{_modified_by_member(v)}"
    )


def _item_line(state: ItemState, source: str) -> str:
    """_COMPACT.encode(_item_json(state, ...)); ``source`` is already JSON text."""
    if state.kind == ANNOTATION:
        members = _annotation_members(state.id, state.winner, source)
        conflicts = [_annotation_members(state.id, v, source) for v in state.conflicts]
    else:
        members = _reply_members(state.id, state.winner)
        conflicts = [_reply_members(state.id, v) for v in state.conflicts]
    history = _encode_any(sorted(state.history)) if state.history else "[]"
    if conflicts:
        others = ",".join(f"{{{c}}}" for c in conflicts)
        return f'{{{_CONTEXT_MEMBER}{members},"rv:history":{history},"rv:conflicts":[{others}]}}'
    return f'{{{_CONTEXT_MEMBER}{members},"rv:history":{history}}}'


_ITEMS_PER_CHUNK = 1000


def _chunks(data: ReviewData) -> Iterator[str]:
    """The file's text in pieces of about a thousand items (see ``dumps``)."""
    states = _ordered(data)
    head = json.dumps(_header(data, [], len(states)), ensure_ascii=False, indent=1, allow_nan=False)
    if not states:
        yield head + "\n"
        return
    before, _, after = head.partition('"items": []')
    source = _j(f"urn:sha256:{data.document.sha256}")
    yield f'{before}"items": [\n  '
    for start in range(0, len(states), _ITEMS_PER_CHUNK):
        part = states[start : start + _ITEMS_PER_CHUNK]
        lines = ",\n  ".join([_item_line(state, source) for state in part])
        yield lines if start == 0 else f",\n  {lines}"
    yield f"\n ]{after}\n"


def dumps(data: ReviewData) -> str:
    """Deterministic text: the header indented, then one line per annotation or reply, which
    keeps files readable and their git diffs small."""
    return "".join(_chunks(data))


def write(data: ReviewData, path: str | os.PathLike[str]) -> None:
    """Write ``dumps(data)`` to ``path`` atomically, a piece at a time: a merged file of 90 MB
    is never held whole as text and again as bytes."""
    with atomic_write(path) as handle:
        for chunk in _chunks(data):
            handle.write(chunk.encode("utf-8"))
