"""How an annotation's anchoring is shown in the panel: fuzzy placements carry their score,
changed ones (a material difference in wording after a carry) and orphans say so (orphans
are listed in their own "Orphans" section with their old quote)."""

from __future__ import annotations

from reviewer.core.model import AnnotationEntry


def anchor_badge(record: AnnotationEntry) -> str:
    """``fuzzy 0.94`` for a fuzzy placement, ``orphan`` for an orphan, else empty."""
    if record.anchor == "fuzzy":
        return f"fuzzy {record.anchor_score:.2f}" if record.anchor_score is not None else "fuzzy"
    if record.anchor == "orphan":
        return "orphan"
    if record.anchor == "changed":  # a number, modal, negation ... differs: see the carry walk
        return "changed"
    return ""


def with_badge(place: str, record: AnnotationEntry) -> str:
    badge = anchor_badge(record)
    return f"{badge} \u00b7 {place}" if badge else place
