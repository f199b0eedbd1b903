"""The fuzz generators themselves: enough cases, deterministic, and the ones marked
``must_refuse`` really are malformed by a strict reference reader."""

from __future__ import annotations

import json
import xml.etree.ElementTree as StdET

import defusedxml.ElementTree as SafeET
import pytest
from defusedxml import DefusedXmlException
from fuzz_inputs import HOSTILE_XML, all_cases, json_cases, xfdf_cases


def test_more_than_a_thousand_distinct_cases_of_both_kinds() -> None:
    cases = all_cases()
    assert len(cases) >= 1000
    assert len({c.name for c in cases}) == len(cases)
    kinds = {c.kind for c in cases}
    assert kinds == {"json", "xfdf"}
    assert sum(c.kind == "json" for c in cases) >= 500 and sum(c.kind == "xfdf" for c in cases) >= 400
    for family in ("truncated", "mutated", "wrongtype", "deep", "huge", "hostile"):
        assert any(family in c.name for c in cases), family


def test_generation_is_deterministic() -> None:
    assert [c.data for c in json_cases()] == [c.data for c in json_cases()]
    assert [c.data for c in xfdf_cases()] == [c.data for c in xfdf_cases()]


def test_truncated_and_broken_json_is_invalid_json() -> None:
    checked = 0
    for case in json_cases():
        if not case.must_refuse or not any(
            k in case.name
            for k in (
                "truncated",
                "empty",
                "nul",
                "utf16",
                "latin1",
                "nan",
                "infinity",
                "huge-int",
                "trailing",
                "two-documents",
                "deep-unclosed",
                "xml-inside",
                "bom-only",
                "whitespace",
            )
        ):
            continue
        with pytest.raises((ValueError, RecursionError)):
            text = case.data.decode("utf-8-sig")
            json.loads(text, parse_constant=_refuse_constant)
        checked += 1
    assert checked >= 200


def _refuse_constant(name: str) -> float:
    raise ValueError(f"{name} is not JSON")


def test_hostile_xml_is_refused_by_defusedxml_with_dtds_forbidden() -> None:
    size_only = {"huge-attribute", "huge-contents", "many-annotations"}  # well-formed, over limits
    for name, data in HOSTILE_XML.items():
        if name in size_only:
            SafeET.fromstring(data, forbid_dtd=True)
            continue
        with pytest.raises((DefusedXmlException, StdET.ParseError, ValueError, LookupError)):
            SafeET.fromstring(data, forbid_dtd=True, forbid_entities=True, forbid_external=True)


def test_truncated_xfdf_is_not_well_formed() -> None:
    truncated = [c for c in xfdf_cases() if "truncated" in c.name]
    assert len(truncated) >= 100
    for case in truncated:
        with pytest.raises(StdET.ParseError):
            SafeET.fromstring(case.data, forbid_dtd=True)
