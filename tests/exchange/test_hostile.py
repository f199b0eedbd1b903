"""Malformed and hostile files are refused in one line naming the file, the database unchanged."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from reviewer.cli import main
from reviewer.core.exchange import review_file_reader
from reviewer.core.exchange.service import export_document
from reviewer.core.pdf import open_pdf

from .helpers import annotate_sample, dump_db, open_review


@pytest.fixture
def setup(tmp_path: Path, sample_pdf: Path, db_path: Path):  # type: ignore[no-untyped-def]
    review = open_review(db_path)
    pdf = open_pdf(sample_pdf)
    annotate_sample(review, pdf)
    good = tmp_path / "good.review.json"
    export_document(review, pdf, "review", good)
    review.close()
    return good, json.loads(good.read_text("utf-8"))


def _run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    with pytest.raises(SystemExit) as exit_info:
        main(argv)
    out, err = capsys.readouterr()
    return int(exit_info.value.code or 0), out, err


def _refused(
    path: Path,
    db_path: Path,
    capsys: pytest.CaptureFixture[str],
    *expected: str,
    extra: tuple[str, ...] = (),
) -> str:
    # The CLI records its reviewer when it opens the database: do that once before the snapshot.
    assert _run(["tags", "--json"], capsys)[0] == 0
    before = dump_db(db_path)
    code, out, err = _run(["import", str(path), *extra], capsys)
    assert code == 1
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert str(path) in lines[0]
    for word in expected:
        assert word in lines[0], lines[0]
    assert "Traceback" not in err
    assert dump_db(db_path) == before
    return lines[0]


def _write(tmp_path: Path, name: str, content: str | bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(content.encode("utf-8") if isinstance(content, str) else content)
    return path


def test_broken_json(tmp_path, db_path, setup, capsys) -> None:  # type: ignore[no-untyped-def]
    good, _ = setup
    path = _write(tmp_path, "broken.review.json", good.read_text("utf-8")[:-300])
    _refused(path, db_path, capsys, "not valid JSON", "line")


def test_wrong_types(tmp_path, db_path, setup, capsys) -> None:  # type: ignore[no-untyped-def]
    _, doc = setup
    doc["first"]["items"][0]["rv:revision"] = "2"
    path = _write(tmp_path, "types.review.json", json.dumps(doc))
    _refused(path, db_path, capsys, "item 1", "rv:revision", "must be an integer")


def test_wrong_type_in_the_last_item_writes_nothing_of_the_others(tmp_path, db_path, setup, capsys) -> None:  # type: ignore[no-untyped-def]
    _, doc = setup
    for item in doc["first"]["items"]:
        item["id"] = item["id"][:-4] + "beef"  # new ids: everything would be "added"
    doc["first"]["items"][-1]["created"] = "yesterday"
    path = _write(tmp_path, "late.review.json", json.dumps(doc))
    _refused(path, db_path, capsys, "created", "date-time")


def test_deep_nesting(tmp_path, db_path, setup, capsys) -> None:  # type: ignore[no-untyped-def]
    path = _write(tmp_path, "deep.review.json", "[" * 200_000 + "]" * 200_000)
    _refused(path, db_path, capsys, "nesting")


def test_deep_nesting_inside_an_item(tmp_path, db_path, setup, capsys) -> None:  # type: ignore[no-untyped-def]
    _, doc = setup
    text = json.dumps(doc)
    text = text.replace('"rv:kind"', '"rv:x": ' + "[" * 100_000 + "]" * 100_000 + ', "rv:kind"', 1)
    path = _write(tmp_path, "deep2.review.json", text)
    _refused(path, db_path, capsys, "nesting")


def test_huge_string(tmp_path, db_path, setup, capsys) -> None:  # type: ignore[no-untyped-def]
    _, doc = setup
    doc["first"]["items"][0]["creator"]["name"] = "A" * 5_000_000
    path = _write(tmp_path, "huge.review.json", json.dumps(doc))
    _refused(path, db_path, capsys, "creator.name", "limit")


def test_file_over_the_size_limit(tmp_path, db_path, setup, capsys, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    good, _ = setup
    monkeypatch.setattr(review_file_reader, "MAX_FILE_BYTES", 1000)
    _refused(good, db_path, capsys, "bytes", "limit")


def test_too_many_items(tmp_path, db_path, setup, capsys, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    good, _ = setup
    monkeypatch.setattr(review_file_reader, "MAX_ITEMS", 3)
    _refused(good, db_path, capsys, "first.items", "limit of 3")


def test_not_a_review(tmp_path, db_path, setup, capsys) -> None:  # type: ignore[no-untyped-def]
    path = _write(tmp_path, "list.json", '{"type": "Annotation"}')
    _refused(path, db_path, capsys, "not a review file")


def test_newer_format(tmp_path, db_path, setup, capsys) -> None:  # type: ignore[no-untyped-def]
    _, doc = setup
    doc["rv:formatVersion"] = 7
    path = _write(tmp_path, "future.review.json", json.dumps(doc))
    _refused(path, db_path, capsys, "newer Reviewer")


def test_review_of_another_document(tmp_path, db_path, setup, capsys) -> None:  # type: ignore[no-untyped-def]
    _, doc = setup
    other = "ab" * 32
    doc["rv:document"]["sha256"] = other
    doc["rv:document"]["pdfId"] = None
    for item in doc["first"]["items"]:
        if isinstance(item["target"], dict):
            item["target"]["source"] = f"urn:sha256:{other}"
    path = _write(tmp_path, "other.review.json", json.dumps(doc))
    _refused(path, db_path, capsys, "not in the database")


def test_review_of_another_document_with_pdf(tmp_path, db_path, setup, capsys, sample_pdf) -> None:  # type: ignore[no-untyped-def]
    _, doc = setup
    other = "ab" * 32
    doc["rv:document"] = {
        "sha256": other,
        "pdfId": "00ff",
        "title": "Another treaty",
        "pageCount": 3,
    }
    for item in doc["first"]["items"]:
        if isinstance(item["target"], dict):
            item["target"]["source"] = f"urn:sha256:{other}"
    path = _write(tmp_path, "other2.review.json", json.dumps(doc))
    _refused(path, db_path, capsys, "another document", extra=("--pdf", str(sample_pdf)))


def test_item_targeting_another_document(tmp_path, db_path, setup, capsys) -> None:  # type: ignore[no-untyped-def]
    _, doc = setup
    doc["first"]["items"][0]["target"]["source"] = "urn:sha256:" + "cd" * 32
    path = _write(tmp_path, "mixed.review.json", json.dumps(doc))
    _refused(path, db_path, capsys, "another document")


def test_reply_to_nothing(tmp_path, db_path, setup, capsys) -> None:  # type: ignore[no-untyped-def]
    _, doc = setup
    reply = next(i for i in doc["first"]["items"] if i["motivation"] == "replying")
    reply["target"] = "urn:uuid:99999999-9999-4999-8999-999999999999"
    path = _write(tmp_path, "orphan.review.json", json.dumps(doc))
    _refused(path, db_path, capsys, "not in the file")


XXE = """<?xml version="1.0"?>
<!DOCTYPE xfdf [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<xfdf xmlns="http://ns.adobe.com/xfdf/"><annots><highlight page="0" coords="1,2,3,4,5,6,7,8">
<contents>&xxe;</contents></highlight></annots></xfdf>
"""
LAUGHS = """<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol">
<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>
<xfdf><annots><highlight page="0" coords="1,2,3,4,5,6,7,8">
<contents>&lol3;</contents></highlight></annots></xfdf>
"""
EXTERNAL_DTD = """<?xml version="1.0"?>
<!DOCTYPE xfdf SYSTEM "http://attacker.invalid/xfdf.dtd">
<xfdf><annots/></xfdf>
"""


@pytest.mark.parametrize(
    ("name", "content"),
    [("xxe.xfdf", XXE), ("laughs.xfdf", LAUGHS), ("external.xfdf", EXTERNAL_DTD)],
)
def test_xfdf_attacks(tmp_path, db_path, setup, capsys, sample_pdf, name, content) -> None:  # type: ignore[no-untyped-def]
    path = _write(tmp_path, name, content)
    _refused(path, db_path, capsys, "DTD", extra=("--pdf", str(sample_pdf)))


def test_xfdf_deep_nesting(tmp_path, db_path, setup, capsys, sample_pdf) -> None:  # type: ignore[no-untyped-def]
    content = "<xfdf><annots>" + "<a>" * 5000 + "</a>" * 5000 + "</annots></xfdf>"
    path = _write(tmp_path, "deep.xfdf", content)
    _refused(path, db_path, capsys, "deeper", extra=("--pdf", str(sample_pdf)))


def test_xfdf_not_xml(tmp_path, db_path, setup, capsys, sample_pdf) -> None:  # type: ignore[no-untyped-def]
    path = _write(tmp_path, "bad.xfdf", "<xfdf><annots><highlight page='0'></annots>")
    _refused(path, db_path, capsys, "not well-formed XML", extra=("--pdf", str(sample_pdf)))


def test_xfdf_page_outside_the_pdf(tmp_path, db_path, setup, capsys, sample_pdf) -> None:  # type: ignore[no-untyped-def]
    content = '<xfdf><annots><highlight page="99" coords="1,2,3,4,5,6,7,8" name="x"/></annots></xfdf>'
    path = _write(tmp_path, "far.xfdf", content)
    _refused(path, db_path, capsys, "page 100", extra=("--pdf", str(sample_pdf)))


def test_one_bad_file_among_good_ones(tmp_path, db_path, setup, capsys, sample_pdf) -> None:  # type: ignore[no-untyped-def]
    """All or nothing per file: the bad file changes nothing, the good one is still imported."""
    good, doc = setup
    bad = _write(tmp_path, "bad.review.json", "{")
    other_db = tmp_path / "other.db"
    code, out, err = _run(["--db", str(other_db), "info", str(sample_pdf)], capsys)
    assert code == 0
    code, out, err = _run(["--db", str(other_db), "import", str(bad), str(good)], capsys)
    assert code == 1
    assert "7 added" in out  # 5 annotations, 2 replies: the good file after the bad one
    assert err.count("\n") == 1 and str(bad) in err and "not valid JSON" in err


def test_annotation_beyond_the_last_page(tmp_path, db_path, setup, capsys) -> None:  # type: ignore[no-untyped-def]
    _, doc = setup
    item = doc["first"]["items"][0]
    item["rv:pages"] = [70]
    path = _write(tmp_path, "far.review.json", json.dumps(doc))
    _refused(path, db_path, capsys, "page 71", "7 pages")


def test_empty_tag_name(tmp_path, db_path, setup, capsys) -> None:  # type: ignore[no-untyped-def]
    _, doc = setup
    item = next(i for i in doc["first"]["items"] if "body" in i and isinstance(i["body"], list))
    item["body"].append({"type": "TextualBody", "purpose": "tagging", "value": "  \u0007 "})
    path = _write(tmp_path, "tag.review.json", json.dumps(doc))
    _refused(path, db_path, capsys, "a tag needs a name")


def test_huge_string_under_an_unknown_property(tmp_path, db_path, setup, capsys) -> None:  # type: ignore[no-untyped-def]
    _, doc = setup
    doc["first"]["items"][0]["target"]["selector"][0]["exact"] = "x" * 1_000_000
    path = _write(tmp_path, "unknown.review.json", json.dumps(doc))
    _refused(path, db_path, capsys, "selector[0].exact", "longer than the limit")


def test_unknown_small_properties_are_accepted(tmp_path, db_path, setup, capsys) -> None:  # type: ignore[no-untyped-def]
    """Other tools may add their own properties: small ones are ignored, not refused."""
    good, doc = setup
    doc["first"]["items"][0]["hypothesis:flagged"] = {"by": ["someone"], "count": 1}
    path = _write(tmp_path, "extra.review.json", json.dumps(doc))
    code, out, err = _run(["import", str(path)], capsys)
    assert code == 0, err


def test_xfdf_highlight_without_a_usable_position_is_refused(
    tmp_path, db_path, setup, capsys, sample_pdf
) -> None:  # type: ignore[no-untyped-def]
    """A highlight that cannot be placed refuses the file: it must not vanish silently."""
    for name, attrs in (
        ("page.xfdf", 'page="-1" coords="1,2,3,4,5,6,7,8"'),
        ("coords.xfdf", 'page="0" coords="1,2,3"'),
        ("rect.xfdf", 'page="0" coords="1,2,3,4,5,6,7,8" rect="a,b,c,d"'),
    ):
        path = _write(tmp_path, name, f"<xfdf><annots><highlight {attrs}/></annots></xfdf>")
        _refused(path, db_path, capsys, "<highlight>", extra=("--pdf", str(sample_pdf)))


def test_xml_in_a_json_file_and_lone_surrogates(tmp_path, db_path, setup, capsys) -> None:  # type: ignore[no-untyped-def]
    good, _ = setup
    path = _write(tmp_path, "xml.json", "<xfdf><annots/></xfdf>")
    _refused(path, db_path, capsys, "not valid JSON")
    text = good.read_text("utf-8").replace("Ada Tester", "\\ud800 Tester", 1)
    path = _write(tmp_path, "surrogate.review.json", text)
    _refused(path, db_path, capsys, "surrogate")


def _line_variants(text: str) -> list[tuple[str, str]]:
    """One item line of a file as Reviewer writes it (one item per line) made hostile."""
    lines = text.split("\n")
    at = next(i for i, line in enumerate(lines) if line.startswith("  {") and '"rv:kind":' in line)
    item = lines[at]

    def with_line(old: str, new: str) -> str:
        assert old in item
        return "\n".join([*lines[:at], item.replace(old, new, 1), *lines[at + 1 :]])

    kind = '"rv:kind":'
    return [
        ("deep nesting", with_line(kind, '"rv:x":' + "[" * 100_000 + "]" * 100_000 + "," + kind)),
        ("huge string", with_line('"rv:prefix":"', '"rv:prefix":"' + "x" * 200_000)),
        ("wrong type", with_line('"rv:revision":', '"rv:revision":"2","rv:y":')),
        ("broken JSON", with_line(kind, kind + "}")),
        ("two items on the line", with_line(item, item.rstrip(",") + "," + item)),
        ("another document", with_line("urn:sha256:", "urn:sha256:0")),
        ("lone surrogate", with_line('"rv:prefix":"', '"rv:prefix":"\\ud800')),
        ("NaN point", with_line('"points":[', '"points":[NaN,')),
        (
            "wrong type, then a broken line",
            _break_last(with_line('"rv:revision":', '"rv:revision":"2","rv:y":')),
        ),
    ]


def _break_last(text: str) -> str:
    """The last item line cut short: not JSON, though the lines before it are."""
    lines = text.split("\n")
    last = max(i for i, line in enumerate(lines) if line.startswith("  {"))
    lines[last] = lines[last][:-10]
    return "\n".join(lines)


@pytest.mark.parametrize("which", range(9))
def test_hostile_item_line_refused_as_the_whole_file_read_would(
    which: int, tmp_path: Path, db_path: Path, setup, capsys: pytest.CaptureFixture[str]
) -> None:  # type: ignore[no-untyped-def]
    """Files in Reviewer's own layout are read line by line: a hostile line gets the refusal
    (same message) the same file gets when laid out otherwise (read whole), the database
    unchanged."""
    good, _ = setup
    name, text = _line_variants(good.read_text("utf-8"))[which]
    assert review_file_reader._split_items(text) is not None
    lined = _write(tmp_path, "lined.review.json", text)
    message = _refused(lined, db_path, capsys)
    whole_text = text.replace('"items": [\n', '"items": [ \n', 1)  # not the layout: read whole
    assert review_file_reader._split_items(whole_text) is None
    whole = _write(tmp_path, "whole.review.json", whole_text)
    assert _refused(whole, db_path, capsys).replace(str(whole), str(lined)) == message, name


def test_a_refused_import_by_a_reviewer_new_to_the_database_writes_nothing(
    setup, tmp_path: Path, db_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    import sqlite3

    good, _ = setup
    monkeypatch.setenv("REVIEWER_AUTHOR", "Someone New")  # not yet a row in the reviewers table
    broken = _write(tmp_path, "broken.review.json", '{"type": "AnnotationCollection", "first": ')
    before = dump_db(db_path)
    code, _, err = _run(["import", str(broken)], capsys)
    assert code == 1 and str(broken) in err
    assert dump_db(db_path) == before  # not even the new reviewer's name
    code, _, _ = _run(["reply", _first_id(db_path), "--comment", "Noted."], capsys)
    assert code == 0
    names = [r[0] for r in sqlite3.connect(db_path).execute("SELECT name FROM reviewers")]
    assert "Someone New" in names  # recorded with the first real write


def _first_id(db_path: Path) -> str:
    import sqlite3

    row = sqlite3.connect(db_path).execute("SELECT id FROM annotations WHERE deleted = 0 LIMIT 1").fetchone()
    return str(row[0])
