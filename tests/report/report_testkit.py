"""Helpers shared by the report tests (a module name of its own: ``conftest`` and
``test_*`` names are shared with other areas' test folders)."""

from __future__ import annotations

import re
import subprocess
import unicodedata
from html.parser import HTMLParser
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
BIDI_MARKS = dict.fromkeys(map(ord, "\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"))


def squash(text: str) -> str:
    """Compare text as a reader sees it: NFKC (ligatures, Arabic presentation forms), no
    whitespace, no bidi controls."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text).translate(BIDI_MARKS))


def pdftotext(path: Path, *args: str) -> str:
    return subprocess.run(
        ["pdftotext", *args, str(path), "-"], capture_output=True, text=True, check=True
    ).stdout


class TextAndTags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.text: list[str] = []
        self.tags: list[str] = []

    def handle_starttag(self, tag: str, attrs: object) -> None:
        self.tags.append(tag)

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def html_text(path: Path) -> tuple[str, list[str]]:
    parser = TextAndTags()
    parser.feed(path.read_text("utf-8"))
    return " ".join(parser.text), parser.tags


def markdown_text(path: Path) -> str:
    """Markdown as a reader sees it: escapes removed."""
    return re.sub(r"\\(.)", r"\1", path.read_text("utf-8"))
