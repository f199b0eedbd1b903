"""One letter per glyph in the report's text layer, for Arabic ligatures such as lam-alef.

A lam-alef glyph maps to two letters (U+0644 U+0627). Readers disagree about the order of a
many-letter glyph in right-to-left text: MuPDF and PDF.js keep the mapping's (logical) order,
poppler (``pdftotext``, Evince, Okular) spreads the letters left to right across the glyph and
then reverses the line, so a copy gives "ال" for "لا" (pypdf and pdfminer have the same
trouble; ActualText does not help poppler either). A glyph that maps to one letter is read the
same way by all of them. So the ligature glyph keeps only its first letter, and its other
letters are drawn invisibly (text render mode 3), each squeezed (``Tz``) into a slot inside
the glyph's box, to the left of the one before: right to left, in logical order, as the page
shows them. The drawing is unchanged; the pen ends where it did.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import pymupdf

from reviewer.core.report.fonts import parse_cmap, write_cmap

_STEP = 2.0  # thousandths of an em between the starts of a ligature's letters
_RTL_LETTER = re.compile("[\u0600-\u06ff\u0750-\u077f\u08a0-\u08ff]")
# What MuPDF writes for a Story's text: font selections and hex-only TJ arrays or Tj strings.
_TEXT_OPERATIONS = re.compile(
    r"/([^\s/\[\]<>()%]+)\s+(-?[\d.]+)\s+Tf"
    r"|\[((?:\s*<[0-9A-Fa-f]*>|\s*-?[\d.]+)*)\s*\]\s*TJ"
    r"|<([0-9A-Fa-f]*)>\s*Tj"
)
_ARRAY_ITEM = re.compile(r"<([0-9A-Fa-f]*)>|(-?[\d.]+)")
# Any of these would change what a squeezed invisible glyph does to the pen: left alone then.
_STATE_OPERATORS = re.compile(r"(?<![\w/])(?:Tz|Tr|Tc|Tw|TL|'|\")(?![\w])")


@dataclass
class _LigatureFont:
    """A font whose glyphs include many-letter right-to-left ligatures."""

    code_width: int  # hex digits per code
    # ligature code -> [(code, width) of each letter after the first]
    rest: dict[int, list[tuple[int, float]]]
    widths: dict[int, float]
    default_width: float

    def width(self, code: int) -> float:
        return self.widths.get(code, self.default_width)


def _widths(doc: pymupdf.Document, descendant: int) -> tuple[dict[int, float], float]:
    kind, value = doc.xref_get_key(descendant, "DW")
    default = float(value) if kind == "int" or kind == "float" else 1000.0
    kind, value = doc.xref_get_key(descendant, "W")
    if kind == "xref":
        text = doc.xref_object(int(value.split()[0]))
    elif kind == "array":
        text = value
    else:
        return {}, default
    tokens = re.findall(r"\[|\]|-?[\d.]+", text)[1:-1]  # inside the array's own brackets
    widths: dict[int, float] = {}
    at = 0
    while at < len(tokens):
        first = int(float(tokens[at]))
        if at + 1 < len(tokens) and tokens[at + 1] == "[":
            at += 2
            code = first
            while at < len(tokens) and tokens[at] != "]":
                widths[code] = float(tokens[at])
                code += 1
                at += 1
            at += 1
        elif at + 2 < len(tokens):
            for code in range(first, int(float(tokens[at + 1])) + 1):
                widths[code] = float(tokens[at + 2])
            at += 3
        else:
            break
    return widths, default


def _ligature_font(doc: pymupdf.Document, font_xref: int) -> _LigatureFont | None:
    """Rewrites the font's ToUnicode map (a ligature keeps its first letter; the codes drawn
    for the other letters are added when missing) and says how to draw the rest."""
    kind, value = doc.xref_get_key(font_xref, "ToUnicode")
    kind_d, descendants = doc.xref_get_key(font_xref, "DescendantFonts")
    if kind != "xref" or kind_d != "array":
        return None
    found = re.search(r"(\d+)\s+0\s+R", descendants)
    if not found:
        return None
    cmap_xref = int(value.split()[0])
    parsed = parse_cmap(doc.xref_stream(cmap_xref).decode("latin-1"))
    if parsed is None:
        return None
    head, code_width, mapping = parsed
    ligatures = {
        code: text
        for code, text in mapping.items()
        if len(text) > 1 and all(_RTL_LETTER.fullmatch(ch) for ch in text)
    }
    if not ligatures:
        return None
    widths, default = _widths(doc, int(found.group(1)))
    code_of: dict[str, int] = {}
    for code, text in sorted(mapping.items()):
        if len(text) == 1 and code in widths:
            code_of.setdefault(text, code)
    glyphs: pymupdf.Font | None = None
    rest: dict[int, list[tuple[int, float]]] = {}
    for code, text in ligatures.items():
        letters = []
        for letter in text[1:]:
            if letter not in code_of:
                if glyphs is None:
                    glyphs = _embedded_font(doc, font_xref)
                gid = glyphs.has_glyph(ord(letter)) if glyphs is not None else 0
                if not gid:
                    break
                code_of[letter] = gid
                mapping[gid] = letter
            letters.append((code_of[letter], widths.get(code_of[letter], default)))
        else:
            rest[code] = letters
            mapping[code] = text[0]
    if not rest:
        return None
    doc.update_stream(cmap_xref, write_cmap(head, code_width, mapping).encode("latin-1"))
    return _LigatureFont(code_width, rest, widths, default)


def _embedded_font(doc: pymupdf.Document, font_xref: int) -> pymupdf.Font | None:
    try:
        _name, _ext, _type, buffer = doc.extract_font(font_xref)
        return pymupdf.Font(fontbuffer=buffer) if buffer else None
    except Exception:  # a font MuPDF cannot hand back: leave the ligatures as they are
        return None


def _number(value: float) -> str:
    return f"{value:.4f}".rstrip("0").rstrip(".") or "0"


def _rewrite_array(items: list[tuple[str, float | list[int]]], font: _LigatureFont) -> str | None:
    """The TJ array ``items`` redrawn with invisible letters after each ligature; None when it
    holds none."""
    out: list[str] = []
    current: list[str] = []
    pending = 0.0  # a pen move owed to the next piece of the array
    changed = False
    for kind, value in items:
        if kind == "n":
            assert isinstance(value, float)
            pending += value
            continue
        assert isinstance(value, list)
        for code in value:
            if pending:
                current.append(_number(pending))
                pending = 0.0
            current.append(f"<{code:0{font.code_width}x}>")
            letters = font.rest.get(code)
            if not letters:
                continue
            changed = True
            glyph = font.width(code)
            slot = glyph / 2 / len(letters)
            # Letter n starts a hair left of the one before it, the first a hair left of the
            # glyph: poppler orders a line's letters by where they start (a tie scrambles it).
            current.append(_number(glyph + _STEP))
            out.append(f"[{''.join(current)}] TJ 3 Tr")
            current = []
            for n, (letter, width) in enumerate(letters):
                squeeze = slot / width if width else 1.0
                back = (slot + _STEP) / squeeze if n + 1 < len(letters) else 0.0
                out.append(
                    f"{_number(100 * squeeze)} Tz [<{letter:0{font.code_width}x}>"
                    f"{_number(back) if back else ''}] TJ"
                )
            out.append("100 Tz 0 Tr")
            # from the last letter's end back to the glyph's end, where the array goes on
            pending = -(glyph + len(letters) * _STEP - slot)
    if not changed:
        return None
    if pending:
        current.append(_number(pending))
    if current:
        out.append(f"[{''.join(current)}] TJ")
    return "\n".join(out)


def _parse_items(body: str, code_width: int) -> list[tuple[str, float | list[int]]]:
    items: list[tuple[str, float | list[int]]] = []
    for hex_text, number in _ARRAY_ITEM.findall(body):
        if number:
            items.append(("n", float(number)))
        else:
            codes = [int(hex_text[i : i + code_width], 16) for i in range(0, len(hex_text), code_width)]
            items.append(("s", codes))
    return items


def one_letter_per_glyph(doc: pymupdf.Document) -> int:
    """Rewrites the fonts and pages of a report made by MuPDF's Story (see the module's
    docstring); returns how many runs of text were redrawn with invisible letters."""
    fonts: dict[int, _LigatureFont | None] = {}
    total = 0
    for page in doc.pages():
        names: dict[str, int] = {}
        for xref, _ext, kind, _base, name, _encoding in page.get_fonts(full=False):
            if kind == "Type0":
                names[name] = xref
        if not names:
            continue
        for xref in names.values():
            if xref not in fonts:
                fonts[xref] = _ligature_font(doc, xref)
        if not any(fonts[x] for x in names.values()):
            continue
        for content in page.get_contents():
            stream = doc.xref_stream(content).decode("latin-1")
            if _STATE_OPERATORS.search(stream):
                continue
            current: _LigatureFont | None = None
            pieces: list[str] = []
            last = 0
            for match in _TEXT_OPERATIONS.finditer(stream):
                name, _size, array, single = match.groups()
                if name is not None:
                    font_xref = names.get(name)
                    current = fonts.get(font_xref) if font_xref is not None else None
                    continue
                if current is None:
                    continue
                body = array if array is not None else f"<{single}>"
                rewritten = _rewrite_array(_parse_items(body, current.code_width), current)
                if rewritten is None:
                    continue
                total += 1
                pieces.append(stream[last : match.start()])
                pieces.append(rewritten)
                last = match.end()
            if pieces:
                pieces.append(stream[last:])
                doc.update_stream(content, "".join(pieces).encode("latin-1"))
    return total
