"""Two versions of the sample treaty that the carry tests share (imported by module path, not
from ``conftest``: tests/safety has a conftest of its own, and ``from conftest import`` took
whichever was imported first)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from reviewer.core.sample_treaty import Article
from reviewer.core.sample_treaty import P as Para

INSERTED = Article(
    "System interference",
    (
        Para(
            "Each State Party shall establish as a criminal offence the serious hindering without "
            "right of the functioning of an information system."
        ),
    ),
)
WIDEST = "the widest measure of mutual legal assistance"  # reworded in v2: placed fuzzy
DELETED_PASSAGE = "States Parties shall not be required"  # in Art. 19(2) of v1, gone in v2



@dataclass
class TreatyVersions:
    v1: Path
    v2: Path
