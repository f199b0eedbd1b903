"""The merge's shortcuts give what the plain algorithm gives.

* the line writer (``_item_line``) writes what encoding ``_item_json`` with the compact encoder
  writes, for ordinary and unusual values;
* reading a file line by line gives what ``json.loads`` of the whole text gives, or falls back
  to it (same result, same refusal) when the text does not have the written layout;
* lazy naming of versions and reading a line once for several files give the same merged
  bytes as naming every version and reading every file on its own.
"""

from __future__ import annotations

import copy
import json
import random
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reviewer.core.exchange import review_file, review_file_reader, review_file_writer
from reviewer.core.exchange.service import merge_files
from reviewer.core.exchange.versions import (
    ANNOTATION,
    REPLY,
    DocumentIdentity,
    ItemState,
    ReviewData,
    TagDefinition,
    merge_all,
    version_hash,
)

SHA = "cd" * 32
SOURCE = f"urn:sha256:{SHA}"


def _reference_dumps(data: ReviewData) -> str:
    """dumps as it was written before the line writer: dicts first, then the encoder."""
    top = review_file.to_json(data)
    items = top["first"]["items"]
    top["first"] = {"type": "AnnotationPage", "items": []}
    head = json.dumps(top, ensure_ascii=False, indent=1)
    encode = review_file_writer._COMPACT.encode
    lines = ",\n".join("  " + encode(i) for i in items)
    body = f'"items": [\n{lines}\n ]' if items else '"items": []'
    return head.replace('"items": []', body, 1) + "\n"


def annotation(n: int, **changes: Any) -> dict[str, Any]:
    version: dict[str, Any] = {
        "kind": "highlight",
        "author_id": "33333333-3333-4333-8333-333333333333",
        "author_name": "Ada Tester",
        "created": "2026-01-02T03:04:05.678Z",
        "modified": "2026-01-03T03:04:05.678Z",
        "revision": 1,
        "page": n % 3,
        "pages": [n % 3],
        "quote": f"quoted passage {n}",
        "prefix": "before ",
        "suffix": " after",
        "text_start": 100 + n,
        "text_end": 120 + n,
        "quads": [{"page": n % 3, "points": [60.5, 92.0, 260.5, 92.0, 60.5, 80.0, 260.5, 80.0]}],
        "geometry": {
            str(n % 3): {
                "mediabox": [0.0, 0.0, 595.0, 842.0],
                "cropbox": [0.0, 0.0, 595.0, 842.0],
                "rotation": 0,
            }
        },
        "comment": f"comment {n}",
        "status": "open",
        "deleted": False,
        "tags": ["safeguard"],
        "origin_id": None,
        "anchor": "exact",
        "anchor_score": None,
        "article": None,
        "paragraph": None,
        "subparagraph": None,
        "citation": None,
    }
    version.update(changes)
    return version


def reply(parent: str, **changes: Any) -> dict[str, Any]:
    version: dict[str, Any] = {
        "annotation_id": parent,
        "author_id": "44444444-4444-4444-8444-444444444444",
        "author_name": "Ben Reviewer",
        "created": "2026-01-04T03:04:05Z",
        "modified": "2026-01-04T03:04:05Z",
        "revision": 1,
        "comment": "a reply",
        "deleted": False,
    }
    version.update(changes)
    return version


def item_id(n: int) -> str:
    return f"{n:08x}-1111-4111-8111-111111111111"


# --- the line writer -------------------------------------------------------------------------

# (no lone surrogates: the reader refuses them, and a version holding one cannot be named)
strings = st.text(st.characters(blacklist_categories=("Cs",)), max_size=12) | st.sampled_from(
    ["", "x", 'q"uote\\', "\n\t\x00\x1f", "é条\u2028", "urn:uuid:x"]
)
floats = st.floats(allow_nan=True, allow_infinity=True) | st.sampled_from([0.0, -0.0, 1e16, 5e-324])
odd = st.none() | st.booleans() | st.integers(-(2**70), 2**70) | floats | strings
points = st.lists(floats | st.integers(-5, 5), min_size=0, max_size=9)


@st.composite
def annotation_versions(draw: st.DrawFn) -> dict[str, Any]:
    v = annotation(draw(st.integers(0, 5)))
    for key in ("comment", "quote", "prefix", "suffix", "author_name", "created", "modified", "citation"):
        if draw(st.booleans()):
            v[key] = draw(strings)
    for key in (
        "text_start",
        "text_end",
        "anchor_score",
        "article",
        "paragraph",
        "subparagraph",
        "origin_id",
    ):
        if draw(st.booleans()):
            v[key] = draw(odd)
    v["kind"] = draw(st.sampled_from(["highlight", "note", "area"]))
    v["deleted"] = draw(st.booleans())
    v["revision"] = draw(st.integers(1, 2**60) | st.sampled_from([True, 1.0]))
    v["page"] = draw(st.integers(0, 10**6))
    v["tags"] = draw(st.lists(strings, max_size=3))
    if draw(st.booleans()):
        v["quads"] = [{"page": draw(st.integers(0, 9)), "points": draw(points)}]
    if draw(st.booleans()):
        v["geometry"] = {"7": {"mediabox": draw(points), "cropbox": [0.0] * 4, "rotation": draw(odd)}}
    if draw(st.booleans()):
        v["author_id"] = draw(strings)
    return v


@st.composite
def reply_versions(draw: st.DrawFn) -> dict[str, Any]:
    v = reply(item_id(draw(st.integers(0, 5))))
    for key in ("comment", "author_name", "created", "modified", "author_id"):
        if draw(st.booleans()):
            v[key] = draw(strings)
    v["revision"] = draw(st.integers(1, 2**60))
    v["deleted"] = draw(st.booleans() | odd)
    return v


hashes = st.text("0123456789abcdef", min_size=32, max_size=32)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.booleans(),
    st.lists(annotation_versions(), min_size=1, max_size=3),
    st.lists(reply_versions(), min_size=1, max_size=3),
    st.lists(hashes, max_size=3),
)
def test_line_writer_writes_what_the_encoder_writes(
    is_reply: bool, annotations: list[dict[str, Any]], replies: list[dict[str, Any]], history: list[str]
) -> None:
    kind, versions = (REPLY, replies) if is_reply else (ANNOTATION, annotations)
    state = ItemState.of(kind, item_id(1), versions, history)

    def outcome(write: Any) -> str:
        try:
            return str(write())
        except Exception as exc:  # e.g. an author id no IRI can hold: both must refuse
            return f"raised {type(exc).__name__}"

    expected = outcome(lambda: review_file_writer._COMPACT.encode(review_file_writer._item_json(state, SOURCE)))
    assert outcome(lambda: review_file_writer._item_line(state, review_file_writer._j(SOURCE))) == expected


def _data(states: list[ItemState], title: str = "Treaty") -> ReviewData:
    data = ReviewData(DocumentIdentity(SHA, None, title, 10))
    data.tags["safeguard"] = TagDefinition("safeguard", "#3FA34D", "")
    for state in states:
        (data.replies if state.kind == REPLY else data.annotations)[state.id] = state
    return data


@pytest.mark.parametrize("title", ["Treaty", 'The "items": [] treaty', '"items": [\n', ""])
def test_dumps_matches_the_reference_writer(title: str) -> None:
    states = [ItemState.of(ANNOTATION, item_id(n), [annotation(n)]) for n in range(4)]
    states.append(ItemState.of(REPLY, item_id(9), [reply(item_id(1))]))
    states.append(ItemState.of(REPLY, item_id(10), [reply(item_id(99), comment="orphan")]))
    states.append(
        ItemState.of(
            ANNOTATION, item_id(5), [annotation(5), annotation(5, comment="other", revision=2)], ["0" * 32]
        )
    )
    data = _data(states, title)
    assert review_file.dumps(data) == _reference_dumps(data)
    empty = _data([], title)
    assert review_file.dumps(empty) == _reference_dumps(empty)


@pytest.mark.parametrize("count", [0, 1, 999, 1000, 1001, 2500])
def test_write_writes_the_bytes_of_dumps(count: int, tmp_path: Path) -> None:
    """write() sends the text in pieces of a thousand items: the same bytes as dumps()."""
    states = [ItemState.of(ANNOTATION, item_id(n), [annotation(n, comment=f"é {n}")]) for n in range(count)]
    data = _data(states)
    out = tmp_path / "out.review.json"
    review_file.write(data, out)
    assert (
        out.read_bytes() == review_file.dumps(data).encode("utf-8") == _reference_dumps(data).encode("utf-8")
    )


# --- reading line by line --------------------------------------------------------------------


def _outcome(read: Any) -> str:
    try:
        data = read()
    except review_file.ReviewFileError as exc:
        return f"refused: {exc}"
    states = {**data.annotations, **data.replies}
    items = sorted((i, sorted(s.versions.items()), sorted(s.history)) for i, s in states.items())
    return repr((data.document, sorted((k, t.key()) for k, t in data.tags.items()), items))


def _read(text: str, monkeypatch: pytest.MonkeyPatch, *, by_lines: bool) -> str:
    """How the text reads, line by line (as shipped) or parsed whole (the path every other
    layout takes, and the only one there was before)."""
    with monkeypatch.context() as m:
        if not by_lines:
            m.setattr(review_file_reader, "_split_items", lambda text: None)
        return _outcome(lambda: review_file.loads(text.encode("utf-8"), "f.review.json"))


def _sample_text() -> str:
    states = [ItemState.of(ANNOTATION, item_id(n), [annotation(n)]) for n in range(3)]
    states.append(ItemState.of(REPLY, item_id(9), [reply(item_id(1))]))
    return review_file.dumps(_data(states))


def _variants() -> list[tuple[str, str]]:
    text = _sample_text()
    lines = text.split("\n")
    items_at = next(i for i, line in enumerate(lines) if line.endswith('"items": ['))
    first_item = items_at + 1
    doc = json.loads(text)
    out = [("as written", text)]
    out.append(("indented whole", json.dumps(doc, ensure_ascii=False, indent=2)))
    out.append(("one line", json.dumps(doc)))
    split = list(lines)
    split[first_item] = split[first_item].replace(',"type":"Annotation"', ',\n"type":"Annotation"', 1)
    out.append(("an item over two lines", "\n".join(split)))
    joined = list(lines)
    joined[first_item : first_item + 2] = [joined[first_item] + " " + joined[first_item + 1]]
    out.append(("two items on one line", "\n".join(joined)))
    trailing = list(lines)
    last_item = next(i for i in range(len(lines) - 1, 0, -1) if lines[i].startswith("  {"))
    trailing[last_item] += ","
    out.append(("trailing comma", "\n".join(trailing)))
    missing = list(lines)
    missing[first_item] = missing[first_item].rstrip(",")
    out.append(("missing comma", "\n".join(missing)))
    broken = list(lines)
    broken[first_item + 1] = broken[first_item + 1][:-5]
    out.append(("broken item", "\n".join(broken)))
    nan = text.replace("60.5,", "NaN,", 1)
    out.append(("NaN point", nan))
    twice = list(lines)
    twice.insert(first_item, lines[first_item])
    out.append(("item twice", "\n".join(twice)))
    dup_first = text.replace(
        '"first": {', '"first": {"type": "AnnotationPage", "items": []},\n "first": {', 1
    )
    out.append(("first twice, items last", dup_first))
    dup_first_after = (
        text.rstrip().removesuffix("}") + ',\n "first": {"type": "AnnotationPage", "items": []}\n}\n'
    )
    out.append(("first twice, empty last", dup_first_after))
    out.append(("items key twice", text.replace('"items": [\n', '"items": [],\n  "items": [\n', 1)))
    out.append(("crlf", text.replace("\n", "\r\n")))
    out.append(("not an object", "[" + text + "]"))
    nested = text.replace('"rv:history":[]', '"rv:history":' + "[" * 5000 + "]" * 5000, 1)
    out.append(("deep nesting in an item", nested))
    header_deep = text.replace('"pdfId": null', '"pdfId": ' + "[" * 5000 + "]" * 5000, 1)
    out.append(("deep nesting in the header", header_deep))
    out.append(
        ("title holding the marker", text.replace('"title": "Treaty"', '"title": "\\"items\\": [ ]"', 1))
    )
    return out


@pytest.mark.parametrize("name,text", _variants(), ids=[n for n, _ in _variants()])
def test_line_reading_gives_what_json_loads_gives(
    name: str, text: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert _read(text, monkeypatch, by_lines=True) == _read(text, monkeypatch, by_lines=False)


def test_written_files_are_read_line_by_line() -> None:
    """The shortcut is taken for what dumps writes (else the tests above prove little)."""
    top = review_file_reader._split_items(_sample_text())
    assert top is not None
    items = top["first"]["items"]
    assert len(items) == 4 and all(type(i) is str and i.startswith("  {") for i in items)
    assert review_file.from_json(top, "f.review.json", as_text=True).annotations


# --- merging with lazy names and lines read once ----------------------------------------------


def _eager_merge(paths: list[Path]) -> str:
    """Every file read on its own, every version named at once, then merged and written."""
    datas = [review_file.read(str(p)) for p in paths]
    for data in datas:
        for state in (*data.annotations.values(), *data.replies.values()):
            assert state.versions  # names every version now
    return _reference_dumps(merge_all(datas))


def _team_files(folder: Path, seed: int) -> list[Path]:
    """Four reviewers' files: shared items (the same line in several files), the same id with
    other contents in several files, edits that replace a shared version (history), deletions,
    replies, conflicts carried from an earlier merge, and one file re-indented by hand."""
    rng = random.Random(seed)
    shared = {n: annotation(n) for n in range(12)}
    base_hash = {n: version_hash(ANNOTATION, v) for n, v in shared.items()}
    paths = []
    for f in range(4):
        states = []
        for n, v in shared.items():
            roll = rng.random()
            if roll < 0.2:
                edited = dict(v, revision=2, modified=f"2026-02-0{f + 1}T00:00:00Z", comment=f"edit {f}")
                states.append(ItemState.of(ANNOTATION, item_id(n), [edited], [base_hash[n]]))
            elif roll < 0.3:
                same_edit = dict(v, revision=2, modified=f"2026-03-0{f + 1}T00:00:00Z", comment="same edit")
                states.append(ItemState.of(ANNOTATION, item_id(n), [same_edit], [base_hash[n]]))
            elif roll < 0.35:
                gone = dict(v, revision=2, deleted=True, modified="2026-02-09T00:00:00Z")
                states.append(ItemState.of(ANNOTATION, item_id(n), [gone], [base_hash[n]]))
            elif roll < 0.4:
                unrecorded = dict(v, comment=f"changed without history {f}")
                states.append(ItemState.of(ANNOTATION, item_id(n), [unrecorded]))
            elif roll < 0.45:
                pair = [dict(v, revision=2, comment="left"), dict(v, revision=2, comment="right")]
                states.append(ItemState.of(ANNOTATION, item_id(n), pair, [base_hash[n]]))
            else:
                states.append(ItemState.of(ANNOTATION, item_id(n), [copy.deepcopy(v)]))
        for k in range(3):
            states.append(ItemState.of(ANNOTATION, item_id(100 + 10 * f + k), [annotation(100 + k)]))
        states.append(ItemState.of(REPLY, item_id(1000), [reply(item_id(0))]))
        states.append(ItemState.of(REPLY, item_id(1001 + f), [reply(item_id(1), comment=f"reply {f}")]))
        path = folder / f"r{f}.review.json"
        text = review_file.dumps(_data(states))
        if f == 3:
            text = json.dumps(json.loads(text), ensure_ascii=False, indent=2)
        path.write_text(text, "utf-8")
        paths.append(path)
    return paths


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.integers(0, 10_000), st.permutations(range(4)))
def test_lazy_merge_gives_the_eager_merge(
    tmp_path_factory: pytest.TempPathFactory, seed: int, order: list[int]
) -> None:
    folder = tmp_path_factory.mktemp("lazy")
    paths = _team_files(folder, seed)
    ordered = [paths[i] for i in order]
    out = folder / "merged.review.json"
    merged = merge_files([str(p) for p in ordered], out)
    assert out.read_text("utf-8") == _eager_merge(ordered)
    assert merged.conflict_count() == sum(len(s.versions) - 1 for s in merged.annotations.values())
    # and once more with the merged file among the inputs (its lines are other files' lines)
    again = folder / "again.review.json"
    merge_files([str(out), *map(str, ordered)], again)
    assert again.read_bytes() == out.read_bytes()


def test_a_line_read_twice_shares_its_versions(tmp_path: Path) -> None:
    paths = _team_files(tmp_path, 1)[:2]
    read_before: dict[str, Any] = {}
    first, second = (review_file.read(str(p), read_before) for p in paths)
    shared = [i for i in first.annotations if i in second.annotations]
    same_text = [i for i in shared if first.annotations[i].winner == second.annotations[i].winner]
    assert same_text
    assert all(first.annotations[i].winner is second.annotations[i].winner for i in same_text)
    # nothing was named: no hash was needed to read them
    assert all(first.annotations[i]._lone is not None for i in same_text)


def test_joining_unnamed_states_gives_the_join_of_named_ones() -> None:
    """Every pair of one-version states, the same object or not: the lazy join (which names
    versions only when they differ, and reuses names of versions seen before) equals the join
    of states whose versions were all named first."""
    base = annotation(1)
    edit = dict(base, revision=2, comment="edited")
    other = dict(base, revision=2, comment="edited elsewhere")
    named = version_hash(ANNOTATION, base)
    versions = [base, copy.deepcopy(base), edit, other, dict(base, modified="2026-05-01T00:00:00Z")]
    histories: list[list[str]] = [[], [named], ["f" * 32], [version_hash(ANNOTATION, edit)]]
    ident = item_id(1)

    def state(version: dict[str, Any], history: list[str], name_now: bool) -> ItemState:
        s = ItemState.of(ANNOTATION, ident, [version], history)
        if name_now:
            assert s.versions
        return s

    for a in versions:
        for b in versions:
            for ha in histories:
                for hb in histories:
                    lazy = state(a, ha, False).join(state(b, hb, False))
                    eager = state(a, ha, True).join(state(b, hb, True))
                    assert lazy == eager
                    assert lazy.winner == eager.winner and lazy.conflicts == eager.conflicts
                    # a third state after a version was dropped: same again
                    for c in (base, edit):
                        assert lazy.join(state(c, [], False)) == eager.join(state(c, [], True))
                        assert state(c, [], False).join(lazy) == state(c, [], True).join(eager)


def test_collector_pause_leaves_nothing_frozen_and_keeps_a_programs_own_freeze() -> None:
    import gc

    from reviewer.core.gcpause import collector_paused

    gc.unfreeze()  # earlier tests in this process (the page view) may have frozen objects
    assert gc.isenabled() and gc.get_freeze_count() == 0
    with collector_paused():
        assert not gc.isenabled()
        made = [[i] for i in range(5000)]
    assert gc.isenabled()
    assert gc.get_freeze_count() == 0  # moved to the oldest generation, not frozen
    # what the pause made went to the oldest generation without a collection walking it
    assert any(o is made for o in gc.get_objects(generation=2))
    gc.freeze()  # as the page view does with its texts
    try:
        frozen = gc.get_freeze_count()
        with collector_paused():
            more = [[i] for i in range(5000)]
        assert gc.isenabled() and gc.get_freeze_count() == frozen
    finally:
        gc.unfreeze()
    assert made and more
