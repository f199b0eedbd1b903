"""NaN and Infinity are not JSON (RFC 8259): files holding them are refused, never written."""

from __future__ import annotations

import json
import math
from pathlib import Path

import pytest

from reviewer.core.exchange import review_file
from reviewer.core.exchange.versions import ReviewData

from .test_hostile import _refused, _write, setup  # noqa: F401  (fixture)


def _with_number_replaced(good: Path, token: str) -> tuple[str, int, int]:
    """The good file's text with the first item's anchor score (a number where a JSON number
    belongs) replaced by ``token``; with the line and column where it stands."""
    text = good.read_text("utf-8")
    key = '"rv:anchorScore":'
    at = text.index(key) + len(key)
    end = at
    while text[end] not in ",}":
        end += 1
    changed = text[:at] + token + text[end:]
    line = changed.count("\n", 0, at) + 1
    column = at - changed.rfind("\n", 0, at)
    return changed, line, column


@pytest.mark.parametrize("token", ["NaN", "Infinity", "-Infinity"])
def test_non_finite_number_in_an_item_is_refused_naming_line_and_value(
    tmp_path,
    db_path,
    setup,  # noqa: F811
    capsys,
    token,
) -> None:  # type: ignore[no-untyped-def]
    good, _ = setup
    text, line, column = _with_number_replaced(good, token)
    path = _write(tmp_path, "nan.review.json", text)
    message = _refused(path, db_path, capsys, "not valid JSON", f"line {line}", f"column {column}", token)
    assert f"{token} is not a JSON number" in message


@pytest.mark.parametrize("token", ["NaN", "Infinity"])
def test_non_finite_number_in_the_header_and_whole_file_layout(
    tmp_path,
    db_path,
    setup,  # noqa: F811
    capsys,
    token,
) -> None:  # type: ignore[no-untyped-def]
    good, doc = setup
    # the header (pageCount) and a file in another layout (one line, read whole)
    text = json.dumps(doc).replace('"pageCount": ', f'"pageCount": {token}, "x": ', 1)
    path = _write(tmp_path, "header.review.json", text)
    _refused(path, db_path, capsys, "not valid JSON", "line 1", token)


def test_nan_inside_a_string_is_text(tmp_path, setup) -> None:  # noqa: F811  # type: ignore[no-untyped-def]
    good, doc = setup
    doc["first"]["items"][0]["body"][0]["value"] = 'NaN, Infinity and "-Infinity" are words here'
    path = _write(tmp_path, "words.review.json", json.dumps(doc, indent=1))
    data = review_file.read(str(path))
    comments = [v.get("comment") for s in data.annotations.values() for v in s.heads()]
    assert 'NaN, Infinity and "-Infinity" are words here' in comments


def test_a_non_finite_value_is_never_written(setup) -> None:  # noqa: F811  # type: ignore[no-untyped-def]
    good, _ = setup
    data: ReviewData = review_file.read(str(good))
    state = next(iter(data.annotations.values()))
    state.heads()[0]["anchor_score"] = math.nan
    with pytest.raises(ValueError, match="not JSON compliant"):
        review_file.dumps(data)
