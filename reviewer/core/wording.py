"""Word diffs of two wordings of a passage, and whether the difference matters in law.

A light redraft ("the widest measure" -> "the widest possible measure") may be carried as
``fuzzy``; a difference in a number, a date or a duration, a negation, a modal verb, "and" /
"or", or a defined term never is: "228 days" -> "287 days", "shall" -> "may" and a dropped
"not" change what the provision says. Such a passage is ``changed`` and shown with its diff.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from difflib import SequenceMatcher

from rapidfuzz.distance import Indel

DiffSegment = tuple[str, str]  # ("=" | "-" | "+", text)

_PIECE_RE = re.compile(r"\w+|[^\w\s]|\s+")
_WORD_RE = re.compile(r"\w+(?:/\w+)?")


def _vocabulary(words: str) -> frozenset[str]:
    return frozenset(words.split())


NUMBER_WORDS = _vocabulary(
    """zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen
    fifteen sixteen seventeen eighteen nineteen twenty thirty forty fifty sixty seventy eighty
    ninety hundred thousand million billion first second third fourth fifth sixth seventh
    eighth ninth tenth eleventh twelfth twentieth hundredth half quarter twice once double
    dozen per percent cent"""
)
DATE_WORDS = _vocabulary(
    """january february march april june july august september october november december
    jan feb mar apr jun jul aug sep sept oct nov dec monday tuesday wednesday thursday friday
    saturday sunday"""
)
DURATION_WORDS = _vocabulary(
    """second seconds minute minutes hour hours day days week weeks month months year years
    decade decades annual annually daily weekly monthly yearly biennial triennial
    calendar working business"""
)
NEGATIONS = _vocabulary("not no never without nor neither none cannot unless except")
MODALS = _vocabulary("shall may should must will can might could would ought")
CONNECTIVES = frozenset({"and", "or", "and/or"})
# "may" is a modal far more often than a month in a treaty; it is reported as a modal.
KINDS = (
    ("modal", MODALS),
    ("negation", NEGATIONS),
    ("and/or", CONNECTIVES),
    ("number", NUMBER_WORDS),
    ("date", DATE_WORDS),
    ("duration", DURATION_WORDS),
)
_DEFINITION_RE = re.compile(
    r"[\"\u201c]([^\"\u201c\u201d]{2,80})[\"\u201d]\s+(?:means|shall mean|includes|refers to|denotes)\b",
    re.IGNORECASE,
)
_HEREINAFTER_RE = re.compile(
    r"\((?:hereinafter\s+)?(?:referred to as\s+)?(?:the\s+)?[\"\u201c]([^\"\u201c\u201d]{2,60})[\"\u201d]\)",
    re.IGNORECASE,
)


def word_diff(old: str, new: str) -> list[DiffSegment]:
    """The difference of two wordings as ``=``, ``-`` and ``+`` runs (whole words)."""
    if old == new:
        return [("=", old)] if old else []
    a, b = _PIECE_RE.findall(old), _PIECE_RE.findall(new)
    segments: list[DiffSegment] = []

    def put(op: str, text: str) -> None:
        if not text:
            return
        if segments and segments[-1][0] == op:
            segments[-1] = (op, segments[-1][1] + text)
        else:
            segments.append((op, text))

    for tag, i0, i1, j0, j1 in SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if tag == "equal":
            put("=", "".join(a[i0:i1]))
        else:
            put("-", "".join(a[i0:i1]))
            put("+", "".join(b[j0:j1]))
    return _absorb_lone_spaces(segments)


def _absorb_lone_spaces(segments: list[DiffSegment]) -> list[DiffSegment]:
    """A single space kept equal between two changes reads better inside them."""
    out: list[DiffSegment] = []
    for index, (op, text) in enumerate(segments):
        between_changes = (
            op == "="
            and not text.strip()
            and 0 < index < len(segments) - 1
            and segments[index - 1][0] != "="
            and segments[index + 1][0] != "="
        )
        if between_changes:
            out.append(("-", text))
            out.append(("+", text))
        else:
            out.append((op, text))
    merged: list[DiffSegment] = []
    pending: dict[str, str] = {}
    for op, text in out:
        if op == "=":
            for change in ("-", "+"):
                if change in pending:
                    merged.append((change, pending.pop(change)))
            merged.append((op, text))
        else:
            pending[op] = pending.get(op, "") + text
    for change in ("-", "+"):
        if change in pending:
            merged.append((change, pending[change]))
    return merged


def defined_terms(text: str) -> set[str]:
    """Terms a text defines: ``"traffic data" means ...``, ``(hereinafter "the Board")``."""
    terms = {m.group(1).strip().lower() for m in _DEFINITION_RE.finditer(text)}
    terms |= {m.group(1).strip().lower() for m in _HEREINAFTER_RE.finditer(text)}
    return {t for t in terms if t}


@dataclass(frozen=True)
class Materiality:
    kinds: tuple[str, ...]  # e.g. ("number", "modal"); empty: a light redraft

    @property
    def material(self) -> bool:
        return bool(self.kinds)


def _words(texts: Iterable[str]) -> list[str]:
    return [w.lower() for text in texts for w in _WORD_RE.findall(text)]


_LABEL_BEFORE_RE = re.compile(
    r"(?:^|\b(?:Article|ARTICLE|Art\.|Section|SECTION|Sec\.|SEC\.|Chapter|CHAPTER)\s*)$"
)
_LABEL_AFTER_RE = re.compile(r"^[.)]")
_NUMBER_LABEL_RE = re.compile(r"^\s*(?:\d{1,4}|[IVXLCDM]{1,8})\s*$")


def _renumbered_labels(diff: list[DiffSegment]) -> set[int]:
    """Indexes of runs that only renumber a heading or a paragraph ("Article 13" -> "Article
    14", "3." -> "2." at the start of a quote): a new article shifts them all, and that
    changes no provision's meaning."""
    labels: set[int] = set()
    for index in range(len(diff) - 1):
        (op1, removed), (op2, added) = diff[index], diff[index + 1]
        if op1 != "-" or op2 != "+":
            continue
        if not (_NUMBER_LABEL_RE.match(removed) and _NUMBER_LABEL_RE.match(added)):
            continue
        before = diff[index - 1][1] if index and diff[index - 1][0] == "=" else ""
        after = diff[index + 2][1] if index + 2 < len(diff) and diff[index + 2][0] == "=" else ""
        heading = bool(before.strip()) and bool(_LABEL_BEFORE_RE.search(before.rstrip() + " "))
        list_number = not before.strip() and bool(_LABEL_AFTER_RE.match(after))
        if heading or list_number:
            labels.update((index, index + 1))
    return labels


def materiality(old: str, new: str, diff: list[DiffSegment], terms: Iterable[str] = ()) -> Materiality:
    """Which kinds of material difference separate ``old`` from ``new``."""
    labels = _renumbered_labels(diff)
    removed = _words(t for i, (op, t) in enumerate(diff) if op == "-" and i not in labels)
    added = _words(t for i, (op, t) in enumerate(diff) if op == "+" and i not in labels)
    changed = removed + added
    kinds: list[str] = []
    for name, vocabulary in KINDS:
        if any(w in vocabulary or (name == "number" and any(c.isdigit() for c in w)) for w in changed):
            kinds.append(name)
    old_lower, new_lower = old.lower(), new.lower()
    terms = list(terms)
    term_words = {w for term in terms for w in _WORD_RE.findall(term) if len(w) >= 4}
    for term in terms:
        if old_lower.count(term) != new_lower.count(term):
            kinds.append("defined term")
            break
    else:
        if any(w in term_words for w in changed):
            kinds.append("defined term")  # a word of a defined term, cut off by the quote
        elif changed and (defined_terms(old) or defined_terms(new)):
            kinds.append("defined term")  # the definition itself was redrafted
    return Materiality(tuple(kinds))


def similarity(old: str, new: str) -> float:
    """0..1, how alike two wordings are (character level; difflib's ratio, computed by
    rapidfuzz's Indel distance in C)."""
    if old == new:
        return 1.0
    if not old or not new:
        return 0.0
    return float(Indel.normalized_similarity(old, new))
