"""Strings from files shown as plain text: ``display_text`` for every label, list, report and
CLI line that shows an author name, comment, tag, title or file name that came from a file.

Control characters (C0, C1), bidirectional overrides and isolates (which can make text read
differently from what it is, "Trojan Source"), and other invisible format characters are
removed; the string is cut to a length a line can hold.
"""

from __future__ import annotations

import re
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


# What is stored: text that came in (a review file, XFDF, a PDF's markups, a CLI flag, the
# editor) loses the characters that change how other text reads or what a terminal does,
# and keeps everything a language needs (Arabic and Hebrew letters, the LRM/RLM/ALM marks,
# ZWJ/ZWNJ). An ANSI escape sequence goes whole, not only its ESC.
_UNSAFE = re.compile(
    "\x1b\\[[0-?]*[ -/]*[@-~]"  # CSI: colours, cursor moves
    "|\x1b\\][^\x07\x1b]*(?:\x07|\x1b\\\\)?"  # OSC: window titles, hyperlinks
    "|[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]"  # C0 but tab/newline, DEL, C1, bidi
)
_LINE_BREAKS = re.compile("\r\n?")


def clean_text(value: str, *, one_line: bool = False) -> str:
    """``value`` without C0/C1 control characters (tab and newline stay; CR ends a line) and
    without bidirectional embeddings, overrides and isolates (U+202A-U+202E, U+2066-U+2069),
    which can make a report read differently from what it says. With ``one_line``, tabs and
    line breaks become spaces (names, tags)."""
    if _UNSAFE.search(value):
        value = _UNSAFE.sub("", _LINE_BREAKS.sub("\n", value))
    if one_line and ("\n" in value or "\t" in value):
        value = value.replace("\n", " ").replace("\t", " ")
    return value
