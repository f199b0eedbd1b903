"""Finding an annotation's passage again: on the same document, or on a new version of it.

An annotation keeps its quote, ~32 characters of context on each side and its offsets in the
normalized text (in the spirit of the W3C TextQuoteSelector and TextPositionSelector). It is
located in three steps, cheapest first:

1. **position**: the stored offsets still hold the quote (and the context agrees): ``exact``;
2. **quote**: the exact quote occurs elsewhere; each occurrence is scored by how well its
   context matches, ties go to the one nearest the expected position: ``exact`` when the
   context agrees, ``fuzzy`` when the words are the same but the surroundings are not;
3. **fuzzy**: candidate regions come from an index of word pairs, each is aligned with
   ``difflib`` against prefix + quote + suffix, and the quote's ends are mapped through the
   alignment. A light redraft ("shall" -> "must", a reworded clause) scores above the
   threshold and anchors as ``fuzzy`` with its score;

else the annotation is an ``orphan``: kept, never deleted, shown apart for re-attaching.

Scores run 0..1: 0.7 x quote similarity + 0.3 x context similarity.
"""

from __future__ import annotations

import re
import weakref
from collections.abc import Mapping
from dataclasses import dataclass
from difflib import SequenceMatcher
from typing import Any

from reviewer.core.textflow import TextFlow, match_key, normalize_quote

EXACT = "exact"
FUZZY = "fuzzy"
ORPHAN = "orphan"

FUZZY_THRESHOLD = 0.75  # combined score below which a fuzzy match is not trusted
MIN_QUOTE_SIMILARITY = 0.7  # the found words must resemble the quote itself
EXACT_CONTEXT = 0.6  # context similarity above which an identical quote counts as exact
SHORT_QUOTE = 24  # identical short quotes with unrelated context are not trusted
MAX_HITS = 5000
MAX_GRAM_POSITIONS = 300
WORD_RE = re.compile(r"\w+")


@dataclass(frozen=True)
class AnchorResult:
    status: str  # exact | fuzzy | orphan
    start: int | None
    end: int | None
    score: float
    method: str = ""  # position | quote | fuzzy | "" for orphans

    @property
    def placed(self) -> bool:
        return self.status != ORPHAN


@dataclass(frozen=True)
class TextAnchor:
    """What an annotation remembers of its passage."""

    quote: str
    prefix: str = ""
    suffix: str = ""
    start: int | None = None
    end: int | None = None

    @classmethod
    def of(cls, annotation: Any) -> TextAnchor:
        """From an ``Annotation``, a database row, or a ``TextAnchor``."""
        if isinstance(annotation, TextAnchor):
            return annotation
        if isinstance(annotation, Mapping):
            get = annotation.get
            return cls(
                get("quote") or "",
                get("prefix") or "",
                get("suffix") or "",
                get("text_start"),
                get("text_end"),
            )
        return cls(
            annotation.quote or "",
            annotation.prefix or "",
            annotation.suffix or "",
            annotation.text_start,
            annotation.text_end,
        )


def _key(text: str) -> str:
    return match_key(normalize_quote(text))


def _similarity(a: str, b: str) -> float:
    if a == b:
        return 1.0
    if not a or not b:
        return 0.0
    return SequenceMatcher(None, a, b, autojunk=False).ratio()


def _context_score(flow_key: str, start: int, end: int, prefix: str, suffix: str) -> float:
    """How well the text around ``[start, end)`` agrees with the stored prefix and suffix."""
    scores: list[float] = []
    weights: list[int] = []
    if prefix:
        actual = flow_key[max(0, start - len(prefix)) : start]
        if len(actual) < len(prefix):  # the document starts here
            scores.append(_similarity(prefix[-len(actual) :] if actual else "", actual) if actual else 0.0)
        else:
            scores.append(_similarity(prefix, actual))
        weights.append(len(prefix))
    if suffix:
        actual = flow_key[end : end + len(suffix)]
        scores.append(_similarity(suffix, actual))
        weights.append(len(suffix))
    if not weights:
        return 1.0
    return sum(s * w for s, w in zip(scores, weights, strict=True)) / sum(weights)


def _quick_context(flow_key: str, start: int, end: int, prefix: str, suffix: str) -> int:
    """Characters of context that agree, counted outwards from the quote."""
    count = 0
    for a, b in zip(reversed(prefix), reversed(flow_key[max(0, start - len(prefix)) : start]), strict=False):
        if a != b:
            break
        count += 1
    for a, b in zip(suffix, flow_key[end : end + len(suffix)], strict=False):
        if a != b:
            break
        count += 1
    return count


# --- fuzzy candidate index ---------------------------------------------------------------------
class WordPairIndex:
    """Positions of every pair of consecutive words (lower case) in a flow."""

    def __init__(self, text: str) -> None:
        self.positions: dict[str, list[int]] = {}
        words = [(m.group().lower(), m.start()) for m in WORD_RE.finditer(text)]
        positions = self.positions
        for (w1, p1), (w2, _) in zip(words, words[1:], strict=False):
            pair = w1 + " " + w2
            found = positions.get(pair)
            if found is None:
                positions[pair] = [p1]
            else:
                found.append(p1)


_INDEXES: dict[int, tuple[weakref.ref[TextFlow], WordPairIndex]] = {}


def word_index(flow: TextFlow) -> WordPairIndex:
    """The flow's word-pair index, built on first use and kept while the flow lives."""
    entry = _INDEXES.get(id(flow))
    if entry is not None and entry[0]() is flow:
        return entry[1]
    index = WordPairIndex(flow.key_folded)
    key = id(flow)

    def forget(_ref: weakref.ref[TextFlow]) -> None:
        _INDEXES.pop(key, None)

    _INDEXES[key] = (weakref.ref(flow, forget), index)
    return index


def _candidates(
    index: WordPairIndex, query: str, quote_offset: int, expected: int | None, limit: int = 3
) -> list[int]:
    """Likely start offsets of the quote, voted by the word pairs they share with the query."""
    words = [(m.group(), m.start()) for m in WORD_RE.finditer(query)]
    votes: dict[int, int] = {}
    bucket = 48
    for (w1, p1), (w2, _) in zip(words, words[1:], strict=False):
        found = index.positions.get(w1 + " " + w2)
        if not found or len(found) > MAX_GRAM_POSITIONS:
            continue
        shift = p1 - quote_offset
        for pos in found:
            b = (pos - shift) // bucket
            votes[b] = votes.get(b, 0) + 1
    if not votes:
        return []

    def rank(item: tuple[int, int]) -> tuple[int, float]:
        b, count = item
        distance = abs(b * bucket - expected) if expected is not None else 0
        return (-count, distance)

    best = sorted(votes.items(), key=rank)[:limit]
    return [b * bucket + bucket // 2 for b, _ in best]


def _map_index(blocks: list[Any], qi: int) -> int:
    """Where query position ``qi`` falls in the window, through difflib's matching blocks."""
    previous_end_a, previous_end_b = 0, 0
    for block in blocks:
        a, b, size = block.a, block.b, block.size
        if a <= qi < a + size:
            return int(b + (qi - a))
        if qi < a:
            # In a gap: interpolate between the previous block's end and this block's start.
            gap_a = a - previous_end_a
            gap_b = b - previous_end_b
            if gap_a <= 0:
                return int(b)
            return int(previous_end_b + round((qi - previous_end_a) * gap_b / gap_a))
        previous_end_a, previous_end_b = a + size, b + size
    return int(previous_end_b + (qi - previous_end_a))


def _snap(text: str, start: int, end: int) -> tuple[int, int]:
    """Widen a range to whole words and trim spaces at its ends."""
    n = len(text)
    start = max(0, min(start, n))
    end = max(start, min(end, n))
    while start > 0 and text[start - 1].isalnum() and start < n and text[start].isalnum():
        start -= 1
    while 0 < end < n and text[end - 1].isalnum() and text[end].isalnum():
        end += 1
    while start < end and text[start] == " ":
        start += 1
    while end > start and text[end - 1] == " ":
        end -= 1
    return start, end


def _fuzzy(flow: TextFlow, quote: str, prefix: str, suffix: str, expected: int | None) -> AnchorResult | None:
    folded = flow.key_folded
    q, p, s = quote.lower(), prefix.lower(), suffix.lower()
    query = p + q + s
    starts = _candidates(word_index(flow), query, len(p), expected)
    if expected is not None and all(abs(c - expected) > 200 for c in starts):
        starts.append(expected)
    best: AnchorResult | None = None
    slack = max(40, len(q) // 3)
    for candidate in starts:
        w0 = max(0, candidate - len(p) - slack)
        w1 = min(len(folded), candidate + len(q) + len(s) + slack)
        window = folded[w0:w1]
        if not window:
            continue
        matcher = SequenceMatcher(None, query, window, autojunk=False)
        blocks = matcher.get_matching_blocks()
        b_start = _map_index(blocks, len(p))
        b_end = _map_index(blocks, len(p) + len(q) - 1) + 1
        start, end = _snap(flow.key, w0 + b_start, w0 + max(b_start + 1, b_end))
        if start >= end:
            continue
        quote_similarity = _similarity(q, folded[start:end])
        if quote_similarity < MIN_QUOTE_SIMILARITY:
            continue
        context = _context_score(folded, start, end, p, s)
        score = 0.7 * quote_similarity + 0.3 * context
        if best is None or score > best.score:
            best = AnchorResult(FUZZY, start, end, round(score, 4), "fuzzy")
        if score > 0.9:
            break
    return best


# --- the entry point ---------------------------------------------------------------------------
def anchor_annotation(flow: TextFlow, annotation: Any, *, expected: int | None = None) -> AnchorResult:
    """Locate an annotation's passage in ``flow``.

    ``annotation`` is an ``Annotation``, a database row or a ``TextAnchor``. ``expected`` is
    where the passage probably starts (default: its stored offset); it breaks ties between
    equally good occurrences, which matters in documents that repeat whole clauses.
    """
    anchor = TextAnchor.of(annotation)
    quote = _key(anchor.quote)
    if not quote:
        return AnchorResult(ORPHAN, None, None, 0.0)
    # The stored context may hold partial normalization at its cut ends; key it the same way.
    prefix = match_key(anchor.prefix)
    suffix = match_key(anchor.suffix)
    key = flow.key
    if expected is None:
        expected = anchor.start

    # 1. position
    # (On a new version the stored offsets mean nothing; ``expected`` is the prediction.)
    start = expected
    if start is not None:
        end = start + len(quote)
        if 0 <= start < end <= len(key) and key[start:end] == quote:
            context = _context_score(key, start, end, prefix, suffix)
            if context >= EXACT_CONTEXT:
                return AnchorResult(EXACT, start, end, round(0.7 + 0.3 * context, 4), "position")

    # 2. the exact quote, best context first, then nearest the expected position
    hits: list[int] = []
    found = key.find(quote)
    while found >= 0 and len(hits) < MAX_HITS:
        hits.append(found)
        found = key.find(quote, found + 1)
    # A cheap agreement count ranks the hits (repeated clauses can give hundreds); only the
    # best few get the full similarity. Ties go to the hit nearest the expected position.
    near = expected if expected is not None else 0
    ranked = sorted(
        hits, key=lambda h: (-_quick_context(key, h, h + len(quote), prefix, suffix), abs(h - near))
    )
    best_hit: tuple[float, int] | None = None
    for hit in ranked[:4]:
        context = _context_score(key, hit, hit + len(quote), prefix, suffix)
        if best_hit is None or context > best_hit[0] + 1e-9:
            best_hit = (context, hit)
    if best_hit is not None:
        context, hit = best_hit
        score = round(0.7 + 0.3 * context, 4)
        if context >= EXACT_CONTEXT:
            return AnchorResult(EXACT, hit, hit + len(quote), score, "quote")
        trusted = len(quote) >= SHORT_QUOTE or len(hits) == 1
        exact_fallback = AnchorResult(FUZZY, hit, hit + len(quote), score, "quote") if trusted else None
    else:
        exact_fallback = None

    # 3. fuzzy
    fuzzy = _fuzzy(flow, quote, prefix, suffix, expected)
    candidates = [r for r in (exact_fallback, fuzzy) if r is not None and r.score >= FUZZY_THRESHOLD]
    if candidates:
        return max(candidates, key=lambda r: r.score)
    best_score = max((r.score for r in (exact_fallback, fuzzy) if r is not None), default=0.0)
    return AnchorResult(ORPHAN, None, None, round(best_score, 4))


def anchor_all(flow: TextFlow, annotations: list[Any]) -> list[AnchorResult]:
    """Locate many annotations of one document in reading order, tracking how far the text
    has moved so far (an inserted article shifts everything after it) to predict the next."""
    anchors = [TextAnchor.of(a) for a in annotations]
    order = sorted(range(len(anchors)), key=lambda i: (anchors[i].start is None, anchors[i].start or 0))
    results: list[AnchorResult | None] = [None] * len(anchors)
    shift = 0
    for i in order:
        anchor = anchors[i]
        expected = anchor.start + shift if anchor.start is not None else None
        result = anchor_annotation(flow, anchor, expected=expected)
        if result.status == EXACT and anchor.start is not None and result.start is not None:
            shift = result.start - anchor.start
        results[i] = result
    return [r for r in results if r is not None]
