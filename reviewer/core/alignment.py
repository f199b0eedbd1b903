"""Word-level alignment of two versions of a document's normalized text.

Carrying a review and redlining a new version both ask the same question: which words of the
old text survive in the new one, and where. Searching each quote on its own cannot tell a
deleted paragraph from its near-identical neighbour that survived; aligning the whole texts
can: every word of the new text is the successor of at most one word of the old, so a region
that took the place of another old passage is never offered to this one.

The alignment runs in two passes. Sentences (token runs ending in ``.``, ``;`` or ``:``)
hashed as wholes are aligned first, as a longest common subsequence computed by ``rapidfuzz``
(C++, bit-parallel: a 300-page treaty's ~15,000 sentences in milliseconds, where ``difflib``
degrades on the repeated clauses treaties are full of). Each stretch between identical
sentences is then aligned word by word with ``difflib``, whose longest-block-first matching
keeps a surviving sentence whole instead of borrowing words from a deleted twin beside it.
"""

from __future__ import annotations

import re
from array import array
from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from difflib import SequenceMatcher
from operator import add

from rapidfuzz.distance import Indel

TOKEN_RE = re.compile(r"\w+|[^\w\s]")
SENTENCE_ENDS = frozenset({".", ";", ":"})
ABBREVIATIONS = frozenset(
    {"art", "arts", "no", "nos", "para", "paras", "pp", "sec", "ch", "cf", "eg", "ie", "mr", "dr", "vol"}
)
SURE_BLOCK = 3  # tokens in common that are believed to be the same words wherever they sit
NEAR_GAP = 4  # tokens of change around a shorter common run that still make it a redraft
WORD_PASS_LIMIT = 4000  # tokens a side above which a stretch is aligned by rapidfuzz too


@dataclass
class Tokens:
    """The tokens of one text: words and single punctuation marks, with their offsets."""

    text: str
    starts: array  # type: ignore[type-arg]
    ends: array  # type: ignore[type-arg]
    words: list[str]

    @classmethod
    def of(cls, text: str) -> Tokens:
        # map() over C methods: three Python appends per token cost 4x as much (bench).
        words = TOKEN_RE.findall(text)
        starts = array("i", map(re.Match.start, TOKEN_RE.finditer(text)))
        ends = array("i", map(add, starts, map(len, words)))
        return cls(text, starts, ends, words)

    def __len__(self) -> int:
        return len(self.words)

    def covering(self, start: int, end: int) -> tuple[int, int]:
        """Indexes ``[i, j)`` of the tokens that overlap ``text[start:end]``."""
        i = bisect_right(self.ends, start)
        j = bisect_left(self.starts, end)
        return i, max(i, j)


@dataclass
class Alignment:
    """``old_to_new[i]`` is the new token that old token ``i`` survives as, or -1 (deleted);
    ``new_to_old`` the converse (-1: inserted)."""

    old: Tokens
    new: Tokens
    old_to_new: array  # type: ignore[type-arg]
    new_to_old: array  # type: ignore[type-arg]

    def surviving(self, i: int, j: int) -> list[int]:
        """The new tokens that old tokens ``[i, j)`` survive as, in order."""
        return [n for n in self.old_to_new[i:j] if n >= 0]

    def nearest_before(self, i: int, limit: int = 400) -> int:
        """The new token that the nearest surviving old token before ``i`` became (-1: none)."""
        for k in range(i - 1, max(-1, i - 1 - limit), -1):
            if self.old_to_new[k] >= 0:
                return int(self.old_to_new[k])
        return -1

    def nearest_after(self, j: int, limit: int = 400) -> int:
        """The new token that the nearest surviving old token from ``j`` on became (len: none)."""
        for k in range(j, min(len(self.old), j + limit)):
            if self.old_to_new[k] >= 0:
                return int(self.old_to_new[k])
        return len(self.new)


def _sentences(tokens: Tokens) -> tuple[list[str], list[int]]:
    """Sentence keys and, for each, the index of its first token (plus a final end index)."""
    keys: list[str] = []
    bounds = [0]
    words = tokens.words
    begin = 0
    for index, word in enumerate(words):
        if word in SENTENCE_ENDS and (word != "." or _ends_sentence(words[index - 1] if index else "")):
            keys.append("\x1f".join(words[begin : index + 1]))
            begin = index + 1
            bounds.append(begin)
    if begin < len(words):
        keys.append("\x1f".join(words[begin:]))
        bounds.append(len(words))
    return keys, bounds


def _ends_sentence(before: str) -> bool:
    """A full stop after "1", "(a)", "Art" or "No" numbers or abbreviates; it ends nothing.
    (Such stops repeat on every page: as sentences of their own they would be matched to the
    wrong "1." and throw the alignment off.)"""
    if before in (")", '"', "'"):
        return True
    return len(before) >= 2 and before.isalpha() and before.lower() not in ABBREVIATIONS


def _opcode_regions(a: list[str], b: list[str]) -> list[tuple[str, int, int, int, int]]:
    """rapidfuzz's LCS opcodes with adjacent deletions and insertions merged into one region."""
    regions: list[tuple[str, int, int, int, int]] = []
    for op in Indel.opcodes(a, b):
        tag = "equal" if op.tag == "equal" else "replace"
        if regions and tag == "replace" and regions[-1][0] == "replace":
            _, a0, _, b0, _ = regions[-1]
            regions[-1] = ("replace", a0, op.src_end, b0, op.dest_end)
        else:
            regions.append((tag, op.src_start, op.src_end, op.dest_start, op.dest_end))
    return regions


def align(old_text: str, new_text: str) -> Alignment:
    """Align two texts word by word (see the module's docstring)."""
    old, new = Tokens.of(old_text), Tokens.of(new_text)
    old_to_new = array("i", [-1]) * len(old)
    new_to_old = array("i", [-1]) * len(new)

    def pair(i: int, j: int, size: int) -> None:
        old_to_new[i : i + size] = array("i", range(j, j + size))
        new_to_old[j : j + size] = array("i", range(i, i + size))

    old_keys, old_bounds = _sentences(old)
    new_keys, new_bounds = _sentences(new)
    for tag, a0, a1, b0, b1 in _opcode_regions(old_keys, new_keys):
        i0, i1 = old_bounds[a0], old_bounds[a1]
        j0, j1 = new_bounds[b0], new_bounds[b1]
        if tag == "equal":
            pair(i0, j0, i1 - i0)
            continue
        if i0 == i1 or j0 == j1:
            continue
        a, b = old.words[i0:i1], new.words[j0:j1]
        if len(a) > WORD_PASS_LIMIT or len(b) > WORD_PASS_LIMIT:
            found = [
                (op.src_start, op.dest_start, op.src_end - op.src_start)
                for op in Indel.opcodes(a, b)
                if op.tag == "equal"
            ]
            found.append((len(a), len(b), 0))
        else:
            blocks = SequenceMatcher(None, a, b, autojunk=False).get_matching_blocks()
            found = [(m.a, m.b, m.size) for m in blocks]
        for a_start, b_start, size in _kept_blocks(found):
            pair(i0 + a_start, j0 + b_start, size)
    return Alignment(old, new, old_to_new, new_to_old)


def _kept_blocks(blocks: list[tuple[int, int, int]]) -> list[tuple[int, int, int]]:
    """Matching blocks worth believing: a word or two in common ("the", "shall", a comma)
    between two unrelated paragraphs is chance, not survival. A short block is kept only when
    it sits within a few words of the blocks around it on both sides (a one-word redraft)."""
    edges = [(0, 0, 0), *blocks]  # difflib ends with a (len_a, len_b, 0) sentinel
    kept: list[tuple[int, int, int]] = []
    for index in range(1, len(edges) - 1):
        a, b, size = edges[index]
        if size >= SURE_BLOCK:
            kept.append((a, b, size))
            continue
        pa, pb, ps = edges[index - 1]
        na, nb, _ = edges[index + 1]
        gaps = (a - (pa + ps), b - (pb + ps), na - (a + size), nb - (b + size))
        if max(gaps) <= NEAR_GAP:
            kept.append((a, b, size))
    return kept
