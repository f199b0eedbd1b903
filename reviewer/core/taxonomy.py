"""The default tag taxonomy for treaty review, shipped in ``resources/taxonomy.json``."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass

from reviewer.core.errors import ReviewerError
from reviewer.core.resources import resource_path

COLOR = re.compile(r"^#[0-9A-Fa-f]{6}$")
NAMED_COLORS = {
    "red": "#D7263D",
    "orange": "#F29E4C",
    "yellow": "#F6D743",
    "green": "#3FA34D",
    "teal": "#00A6A6",
    "blue": "#2E86DE",
    "purple": "#9B5DE5",
    "pink": "#E84A8A",
    "brown": "#8D6E63",
    "grey": "#78909C",
    "gray": "#78909C",
}


@dataclass(frozen=True)
class TagSpec:
    name: str
    color: str
    definition: str


def default_taxonomy() -> list[TagSpec]:
    data = json.loads(resource_path("taxonomy.json").read_text("utf-8"))
    return [TagSpec(t["name"], t["color"].upper(), t.get("definition", "")) for t in data["tags"]]


def parse_color(text: str) -> str:
    """``#RRGGBB`` or a simple colour name, as ``#RRGGBB``."""
    value = text.strip()
    if value.lower() in NAMED_COLORS:
        return NAMED_COLORS[value.lower()]
    if not value.startswith("#"):
        value = "#" + value
    if not COLOR.match(value):
        raise ReviewerError(
            f"{text!r} is not a colour: use #RRGGBB or one of {', '.join(sorted(NAMED_COLORS))}"
        )
    return value.upper()


def clean_tag_name(name: str) -> str:
    cleaned = " ".join("".join(ch for ch in name if ch.isprintable()).split())
    if not cleaned:
        raise ReviewerError("a tag needs a name")
    if len(cleaned) > 80:
        raise ReviewerError("a tag name is at most 80 characters")
    return cleaned
