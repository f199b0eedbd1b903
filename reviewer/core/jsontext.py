"""Compact JSON text, fast: one C encoder made once and used for every value.

``json.JSONEncoder.encode`` builds a new C encoder at every call (a third of the time of
encoding a highlight's quads). With ``check_circular=False`` the encoder holds no state
between calls, so one serves them all; the text is what ``JSONEncoder.encode`` gives.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

_c_make_encoder = getattr(json.encoder, "c_make_encoder", None)


def compact_encoder(*, sort_keys: bool = False, allow_nan: bool = True) -> Callable[[Any], str]:
    """``JSONEncoder(ensure_ascii=False, separators=(",", ":"), check_circular=False,
    sort_keys=sort_keys, allow_nan=allow_nan).encode``, without its per-call set-up."""
    slow = json.JSONEncoder(
        ensure_ascii=False,
        separators=(",", ":"),
        check_circular=False,
        sort_keys=sort_keys,
        allow_nan=allow_nan,
    )
    if _c_make_encoder is None:  # another Python without the C accelerator
        return slow.encode
    # The arguments JSONEncoder.iterencode passes it (markers None: check_circular=False).
    fast = _c_make_encoder(
        None, slow.default, json.encoder.encode_basestring, None, ":", ",", sort_keys, False, allow_nan
    )

    def encode(value: Any) -> str:
        return "".join(fast(value, 0))

    return encode
