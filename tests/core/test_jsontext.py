from __future__ import annotations

import json
import math
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from reviewer.core import jsontext

json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(),
    lambda children: st.lists(children) | st.dictionaries(st.text(), children),
    max_leaves=20,
)


def _reference(value: Any, *, sort_keys: bool = False) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"), sort_keys=sort_keys)


@given(json_values)
def test_the_text_is_what_json_writes(value: Any) -> None:
    assert jsontext.compact_encoder()(value) == _reference(value)
    assert jsontext.compact_encoder(sort_keys=True)(value) == _reference(value, sort_keys=True)


def test_one_encoder_serves_many_calls_and_keeps_its_options() -> None:
    canonical = jsontext.compact_encoder(sort_keys=True)
    quads = {"points": [72.0, 1e-05, 1e16, -0.5], "page": 3, "ä\u2028": "Art. 14 “x”\n"}
    assert canonical(quads) == '{"page":3,"points":[72.0,1e-05,1e+16,-0.5],"ä\u2028":"Art. 14 “x”\\n"}'
    assert canonical({"b": 1, "a": [2, {"d": 3, "c": 4}]}) == '{"a":[2,{"c":4,"d":3}],"b":1}'
    assert canonical("text") == '"text"'
    strict = jsontext.compact_encoder(allow_nan=False)
    with pytest.raises(ValueError):
        strict([1.0, math.nan])
    assert jsontext.compact_encoder()([math.inf]) == "[Infinity]"
    with pytest.raises(TypeError, match="not JSON serializable"):
        canonical({"when": object()})


def test_without_the_c_accelerator_the_text_is_the_same(monkeypatch: pytest.MonkeyPatch) -> None:
    value = {"z": [1.5, "é"], "a": None}
    fast = jsontext.compact_encoder(sort_keys=True)(value)
    monkeypatch.setattr(jsontext, "_c_make_encoder", None)
    assert jsontext.compact_encoder(sort_keys=True)(value) == fast == _reference(value, sort_keys=True)
