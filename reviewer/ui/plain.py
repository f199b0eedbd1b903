"""Showing strings from documents and other reviewers as plain text, never as rich text.

Qt guesses rich text in labels and tooltips (``Qt.mightBeRichText``): a quote or a comment
holding ``<a href=...>`` would become a link. Labels get ``Qt.PlainText``; tooltips, which
have no such switch, get the text escaped into a minimal HTML body.
"""

from __future__ import annotations

import html
from datetime import datetime

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel


def plain_label(text: str = "", parent: object = None) -> QLabel:
    label = QLabel(parent)  # type: ignore[arg-type]
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setOpenExternalLinks(False)
    label.setText(text)
    return label


def plain_tooltip(text: str) -> str:
    """A tooltip string that Qt shows exactly as ``text`` (escaped, line breaks kept)."""
    escaped = html.escape(text, quote=False).replace("\n", "<br>")
    return f"<qt><p style='white-space:pre-wrap'>{escaped}</p></qt>"


def short(text: str, limit: int) -> str:
    one_line = " ".join(text.split())
    return one_line if len(one_line) <= limit else one_line[: limit - 1] + "\u2026"


def local_time(iso: str) -> str:
    """``2026-11-28T18:32:00Z`` as local ``2026-11-28 19:32``."""
    try:
        moment = datetime.fromisoformat(iso.replace("Z", "+00:00"))
    except ValueError:
        return iso
    return moment.astimezone().strftime("%Y-%m-%d %H:%M")
