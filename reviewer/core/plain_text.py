"""Strings from files shown as plain text: ``display_text`` for every label, list, report and
CLI line that shows an author name, comment, tag, title or file name that came from a file.

Control characters (C0, C1), bidirectional overrides and isolates (which can make text read
differently from what it is, "Trojan Source"), and other invisible format characters are
removed; the string is cut to a length a line can hold.
"""

from __future__ import annotations

import unicodedata

# Bidi embeddings, overrides and isolates, plus the marks that only steer them.
_BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c")
# Joiners that scripts need (ZWJ, ZWNJ) stay; other format characters go.
_KEPT_FORMAT = frozenset("\u200c\u200d")


def display_text(
    value: object,
    *,
    max_length: int | None = 500,
    keep_newlines: bool = False,
) -> str:
    """``value`` as safe plain text: no control or invisible steering characters.

    Newlines and tabs become spaces unless ``keep_newlines`` (then newlines stay, tabs become
    spaces, CR and other line separators become newlines).
    """
    text = "" if value is None else str(value)
    text = text.replace("\r\n", "\n")
    out: list[str] = []
    for ch in text:
        if ch in "\r\n\u2028\u2029\x85":
            out.append("\n" if keep_newlines else " ")
            continue
        if ch == "\t":
            out.append(" ")
            continue
        if ch in _BIDI_CONTROLS:
            continue
        category = unicodedata.category(ch)
        if category in ("Cc", "Cs", "Co", "Cn"):
            continue
        if category == "Cf" and ch not in _KEPT_FORMAT:
            continue
        out.append(ch)
    result = "".join(out)
    if max_length is not None and len(result) > max_length:
        result = result[: max(0, max_length - 1)] + "\u2026"
    return result
