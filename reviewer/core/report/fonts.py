"""Fonts for the PDF report's right-to-left and other scripts, and its text layer.

MuPDF falls back to built-in fonts for scripts its base font lacks. For Arabic that font's
shaped letters (initial, medial, final forms and ligatures) have no Unicode value, so a reader
who copies or searches the report gets letters missing ("ﺗﻌ ﻦ" for "تعلن"). DejaVu Sans (Debian:
fonts-dejavu-core) has every Arabic form under its Unicode presentation-form code point, so each
glyph MuPDF places has a Unicode value; the ToUnicode maps are then rewritten from
presentation forms to the letters typed (NFKC), so ``pdftotext`` gives back the exact text.
Hebrew, Cyrillic and CJK already come back exactly from MuPDF's own fonts.
"""

from __future__ import annotations

import os
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

# Where systems keep DejaVu Sans (Debian/Ubuntu, Fedora, Arch, Homebrew, a user's fonts).
_FONT_DIRS = (
    "/usr/share/fonts/truetype/dejavu",
    "/usr/share/fonts/dejavu-sans-fonts",
    "/usr/share/fonts/dejavu",
    "/usr/share/fonts/TTF",
    "/usr/local/share/fonts",
    "/opt/homebrew/share/fonts",
    str(Path.home() / ".fonts"),
    str(Path.home() / ".local/share/fonts"),
    str(Path.home() / "Library/Fonts"),
    "/Library/Fonts",
    os.path.join(os.environ.get("WINDIR", "C:\\Windows"), "Fonts"),
)
_FACES = (
    ("DejaVuSans.ttf", "normal", "normal"),
    ("DejaVuSans-Bold.ttf", "bold", "normal"),
    ("DejaVuSans-Oblique.ttf", "normal", "italic"),
    ("DejaVuSans-BoldOblique.ttf", "bold", "italic"),
)
ARABIC_FAMILY = "rv-arabic"


@dataclass(frozen=True)
class FontFace:
    path: Path
    weight: str  # normal | bold
    style: str  # normal | italic

    @property
    def name(self) -> str:
        """The name the report's archive holds it under."""
        return f"{ARABIC_FAMILY}-{self.weight}-{self.style}.ttf"


def arabic_font_faces() -> list[FontFace]:
    """DejaVu Sans faces found on this system (``REVIEWER_REPORT_FONTS`` may name a folder
    first); the regular face is required, the others are used when present."""
    folders = [os.environ.get("REVIEWER_REPORT_FONTS", ""), *_FONT_DIRS]
    for folder in folders:
        if not folder:
            continue
        regular = Path(folder) / _FACES[0][0]
        if regular.is_file():
            return [
                FontFace(Path(folder) / file, weight, style)
                for file, weight, style in _FACES
                if (Path(folder) / file).is_file()
            ]
    return []


def font_face_css(faces: list[FontFace]) -> str:
    rules = [
        f"@font-face {{font-family: {ARABIC_FAMILY}; src: url({f.name}); "
        f"font-weight: {f.weight}; font-style: {f.style};}}"
        for f in faces
    ]
    return "\n".join(rules) + f"\n.ar {{font-family: {ARABIC_FAMILY};}}\n"


# Arabic-script letters, marks and presentation forms; a run keeps the spaces between words so
# that each phrase is shaped and ordered as one.
_ARABIC = "\u0600-\u06ff\u0750-\u077f\u0870-\u089f\u08a0-\u08ff\ufb50-\ufdff\ufe70-\ufeff"
_ARABIC_RUN = re.compile(f"[{_ARABIC}](?:[{_ARABIC}\u200c\u200d]|[ \u00a0](?=[{_ARABIC}]))*")


def wrap_arabic(html_text: str) -> str:
    """Arabic runs of the report's HTML in ``<span class="ar">``. Only text holds Arabic (every
    string is escaped and the markup is Reviewer's own), so no tag or attribute is touched."""
    return _ARABIC_RUN.sub(lambda m: f'<span class="ar">{m.group(0)}</span>', html_text)


# ToUnicode CMaps ------------------------------------------------------------------------------

_BFCHAR = re.compile(r"(\d+)\s+beginbfchar(.*?)endbfchar", re.S)
_BFRANGE = re.compile(r"(\d+)\s+beginbfrange(.*?)endbfrange", re.S)
_HEX = re.compile(r"<([0-9A-Fa-f]+)>")
_ARRAY_RANGE = re.compile(r"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>\s*\[(.*?)\]", re.S)
_PLAIN_RANGE = re.compile(r"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>")


def _utf16_text(hex_text: str) -> str:
    if len(hex_text) % 4:  # MuPDF writes a code point above U+FFFF as its plain number
        return chr(int(hex_text, 16))
    return bytes.fromhex(hex_text).decode("utf-16-be", errors="surrogatepass")


def _utf16_hex(text: str) -> str:
    return text.encode("utf-16-be", errors="surrogatepass").hex().upper()


def _is_presentation_form(text: str) -> bool:
    """Arabic presentation forms, and the Latin ligatures MuPDF's shaper draws for "fi", "ff",
    "fl", "ffi", "ffl", "st" (U+FB00-U+FB06: a copied "definition" read "deﬁnition")."""
    return any(
        "\ufb00" <= ch <= "\ufb06" or "\ufb50" <= ch <= "\ufdff" or "\ufe70" <= ch <= "\ufeff" for ch in text
    )


def parse_cmap(cmap: str) -> tuple[str, int, dict[int, str]] | None:
    """A ToUnicode CMap as (its head up to the code space, hex digits per code, code -> text);
    None when it has no code space."""
    if "endcodespacerange" not in cmap:
        return None
    mapping: dict[int, str] = {}
    width = 4
    for _count, body in _BFCHAR.findall(cmap):
        pairs = _HEX.findall(body)
        for code, value in zip(pairs[::2], pairs[1::2], strict=False):
            width = len(code)
            mapping[int(code, 16)] = _utf16_text(value)
    for _count, body in _BFRANGE.findall(cmap):
        for low, _high, values in _ARRAY_RANGE.findall(body):
            for offset, value in enumerate(_HEX.findall(values)):
                mapping[int(low, 16) + offset] = _utf16_text(value)
            width = len(low)
        for low, high, start in _PLAIN_RANGE.findall(body):
            width = len(low)
            first = _utf16_text(start)
            if len(first) != 1:
                for code in range(int(low, 16), int(high, 16) + 1):
                    mapping[code] = first  # only single code points step through a range
                continue
            for offset, code in enumerate(range(int(low, 16), int(high, 16) + 1)):
                mapping[code] = chr(ord(first) + offset)
    head = cmap[: cmap.index("endcodespacerange") + len("endcodespacerange")]
    return head, width, mapping


def write_cmap(head: str, width: int, mapping: dict[int, str]) -> str:
    """The CMap of ``parse_cmap``'s parts, as bfchar entries in code order."""
    entries = sorted(mapping.items())
    chunks = []
    for start in range(0, len(entries), 100):
        part = entries[start : start + 100]
        lines = "\n".join(f"<{code:0{width}X}> <{_utf16_hex(text)}>" for code, text in part)
        chunks.append(f"{len(part)} beginbfchar\n{lines}\nendbfchar")
    tail = "endcmap\nCMapName currentdict /CMap defineresource pop\nend\nend\n"
    return head + "\n" + "\n".join(chunks) + "\n" + tail


def typed_letters_cmap(cmap: str) -> str | None:
    """``cmap`` (a ToUnicode CMap) with every presentation form mapped to the letters it shows
    (NFKC: U+FEFB LAM WITH ALEF becomes U+0644 U+0627, U+FB01 "ﬁ" becomes "fi"); None when it
    has none."""
    parsed = parse_cmap(cmap)
    if parsed is None:
        return None
    head, width, mapping = parsed
    if not any(_is_presentation_form(v) for v in mapping.values()):
        return None
    typed = {
        code: unicodedata.normalize("NFKC", v) if _is_presentation_form(v) else v
        for code, v in mapping.items()
    }
    return write_cmap(head, width, typed)
