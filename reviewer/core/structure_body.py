"""The numbered units inside one article or annex: paragraphs, letters, items and deeper levels.

Treaties write their list markers in many ways: paragraphs "1.", "1)", "(1)" or a bare "1"
followed by a gap (Council of Europe PDFs); letters "(a)", "a)", "a." or a bare "a" and a gap;
items under a letter "(i)", "i)", "i."; a further level "(A)" or "(aa)". A unit opens where a
marker starts a visual row after a row that can end a unit, and only in sequence: a level goes
on with the next label in its own writing ("(b)" after "(a)"), or a new level opens under the
deepest one with its first label ("(i)" under "(c)"). That keeps a wrapped "2. of the annex"
or an inline "... or (ii) a group" from being taken for units.

Where a label fits both ways ("i)" after "h)" is the letter i or the first roman item), the
marker's indentation decides: deeper than the letters' markers makes it an item. Indentation
also closes lists: a row that starts left of the open list's markers after a row that ends a
unit is the paragraph's (or the article's) own closing text, not the last letter's.

Everything here is one pass over the rows: O(rows).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

ROMAN_SMALL = re.compile(r"^(?=[ivxl])(x{0,3}|xl|l)(ix|iv|v?i{0,3})$")
# One marker at the start of a row, with what follows it: "(a) ", "a) ", "a. ", "1. ", "a  "
MARKER_RE = re.compile(
    r"^(?:\((?P<paren>[0-9]{1,3}|[a-z]{1,4}|[A-Z])\)|(?P<close>[0-9]{1,3}|[a-z]{1,4}|[A-Z])\)"
    r"|(?P<dot>[0-9]{1,3}|[a-z]{1,4})\.(?!\d)|(?P<bare>[0-9]{1,3}|[a-z]{1,4}))(?=\s|$)"
)
DASHES = "\u2013\u2014-\u2022\u25cf"
UNIT_END_RE = re.compile(r"(?:[.:;,)\]\u201d\"\u2019']|\b(?:and|or|and/or))\s*$")
SENTENCE_END_RE = re.compile(r"[.:;]\s*[\u201d\"\u2019']?\s*$")

NUM, ALPHA, ROMAN, UPPER, DOUBLE = "num", "alpha", "roman", "upper", "double"


def roman_small_value(text: str) -> int | None:
    if not text or not ROMAN_SMALL.match(text):
        return None
    values = {"i": 1, "v": 5, "x": 10, "l": 50}
    total = 0
    for i, ch in enumerate(text):
        value = values[ch]
        total += -value if i + 1 < len(text) and values[text[i + 1]] > value else value
    return total


def ends_a_unit(row_text: str) -> bool:
    """Whether a paragraph or subparagraph can end with this row."""
    return bool(UNIT_END_RE.search(row_text))


@dataclass
class Unit:
    """A numbered unit at some depth (0 paragraphs, 1 letters, 2 items, 3 further)."""

    kind: str  # num, alpha, roman, upper, double
    style: str  # "({})", "{})", "{}.", "{}"
    label: str  # "3", "a", "ii", "A", "aa"
    value: int
    start: int
    end: int
    page: int
    marker_x: float  # from the column's left edge
    text_x: float
    children: list[Unit] = field(default_factory=list)
    hanging: bool = True  # its rows after the first start at text_x (until seen otherwise)
    hanging_seen: bool = False  # a row after the first was seen at text_x
    closed: bool = False  # closing text came after it: its parent holds the text that follows


@dataclass
class Token:
    style: str
    raw: str  # "a", "ii", "3"
    start: int  # offset of the marker in the text
    text_start: int  # offset of the words after it
    marker_x: float
    text_x: float


@dataclass
class BodyRow:
    start: int
    end: int
    page: int
    text: str
    x: float  # the row's left edge, from its column's left edge
    after_heading: bool = False  # the row right after the heading (or title) rows
    index: int = -1  # in the document's rows


def _options(raw: str) -> list[tuple[str, int]]:
    """The (kind, value) readings of a marker's label."""
    out: list[tuple[str, int]] = []
    if raw.isdigit():
        return [(NUM, int(raw))]
    if len(raw) == 1 and raw.isupper():
        return [(UPPER, ord(raw) - ord("A") + 1)]
    if raw.islower():
        if len(raw) == 1:
            out.append((ALPHA, ord(raw) - ord("a") + 1))
        elif len(raw) == 2 and raw[0] == raw[1]:
            out.append((DOUBLE, ord(raw[0]) - ord("a") + 1))
        roman = roman_small_value(raw)
        if roman is not None:
            out.append((ROMAN, roman))
    return out


def label_of(kind: str, value: int) -> str:
    if kind == NUM:
        return str(value)
    if kind == ALPHA:
        return chr(ord("a") + value - 1) if value <= 26 else chr(ord("a") + value - 27) * 2
    if kind == UPPER:
        return chr(ord("A") + value - 1)
    if kind == DOUBLE:
        return chr(ord("a") + value - 1) * 2
    numerals = [(10, "x"), (9, "ix"), (5, "v"), (4, "iv"), (1, "i")]
    out = ""
    for amount, text in numerals:
        while value >= amount:
            out += text
            value -= amount
    return out


def _same_kind(a: str, b: str) -> bool:
    return a == b


class BodyParser:
    """Reads one body's rows into a tree of units (see the module doc)."""

    def __init__(
        self,
        token_at: Callable[[BodyRow], list[Token]],
        body_start: int,
        body_end: int,
        body_page: int,
        layout: tuple[set[tuple[str, str]], set[tuple[str, str]]] | None = None,
    ) -> None:
        self.token_at = token_at
        self.body_start = body_start
        self.body_end = body_end
        self.top: list[Unit] = []  # paragraphs (or the first level found)
        self.implicit: Unit | None = None  # the unnumbered body holding letters
        self.stack: list[Unit] = []
        self.body_page = body_page
        # What the document's house style was seen to do, shared by its bodies: levels whose
        # later rows hang right of their markers, and levels whose rows wrap left of them.
        self.hanging_kinds: set[tuple[str, str]] = layout[0] if layout else set()
        self.flush_kinds: set[tuple[str, str]] = layout[1] if layout else set()

    def parse(self, rows: Sequence[BodyRow]) -> list[Unit]:
        previous: BodyRow | None = None
        for row in rows:
            before, previous = previous, row
            at_unit_start = before is None or row.after_heading or ends_a_unit(before.text)
            if not at_unit_start:
                self._continuation(row)
                continue
            tokens = self.token_at(row)
            opened = False
            for n, token in enumerate(tokens):
                if not self._accept(token, row, row.start if n == 0 else token.start, row.text):
                    break
                opened = True
            if not opened:
                self._body_row(row, before)
        for unit in self.stack:
            unit.end = self.body_end
        return self.top

    # --- rows that are not markers -------------------------------------------------------
    def _continuation(self, row: BodyRow) -> None:
        if self.stack:
            deepest = self.stack[-1]
            if row.x > deepest.marker_x + 3:  # right of the marker: the list hangs
                if deepest.hanging:
                    deepest.hanging_seen = True
                    self.hanging_kinds.add((deepest.kind, deepest.style))
            else:
                deepest.hanging = False  # under the marker (a block), or further left
                if row.x < deepest.marker_x - 3:
                    self.flush_kinds.add((deepest.kind, deepest.style))

    def _body_row(self, row: BodyRow, before: BodyRow | None) -> None:
        """A row after a unit's end that opens no unit: closing text, or the unit goes on."""
        if not self.stack or before is None:
            return
        sentence_end = bool(SENTENCE_END_RE.search(before.text))
        first = row.text.lstrip()[:1]
        if first and first in DASHES:
            return  # an unnumbered dash item of the unit
        pop_to = len(self.stack)
        for depth in range(len(self.stack) - 1, -1, -1):
            unit = self.stack[depth]
            if depth == 0 and unit.kind == NUM:
                break  # text left of a paragraph's marker stays in the paragraph
            hanging = unit.hanging_seen or (unit.kind, unit.style) in self.hanging_kinds
            flush = (unit.kind, unit.style) in self.flush_kinds
            new_sentence = sentence_end and first.isupper()
            # Left of the list's markers: the enclosing unit's own words again (where the list's
            # rows wrap back to the margin, only a new sentence after a full stop says so).
            left_of_markers = row.x < unit.marker_x - 3 and (new_sentence or not flush)
            # At the markers' edge of a hanging list: its closing words ("with intent …").
            at_markers = (
                row.x < unit.text_x - 3
                and abs(row.x - unit.marker_x) <= 3
                and unit.hanging
                and not flush
                and (new_sentence or hanging)
            )
            if left_of_markers or at_markers:
                pop_to = depth
            else:
                break
        if pop_to == len(self.stack):
            self._continuation(row)
            return
        for unit in self.stack[pop_to:]:
            unit.end = row.start
            unit.closed = True
        del self.stack[pop_to:]

    # --- markers -------------------------------------------------------------------------
    def _accept(self, token: Token, row: BodyRow, opens_at: int, row_text: str) -> bool:
        options = _options(token.raw)
        if not options:
            return False
        candidates: list[tuple[int, str, int, bool]] = []  # depth, kind, value, continues
        for kind, value in options:
            for depth in range(len(self.stack) - 1, -1, -1):
                unit = self.stack[depth]
                if unit.kind == kind and unit.style == token.style and value == unit.value + 1:
                    candidates.append((depth, kind, value, True))
                    break
            else:
                # a closed sibling list may go on after its closing text ("(c)" after words)
                parent_children = self.stack[-1].children if self.stack else self.top
                last = parent_children[-1] if parent_children else None
                if (
                    last is not None
                    and last.closed
                    and last.kind == kind
                    and last.style == token.style
                    and value == last.value + 1
                ):
                    candidates.append((len(self.stack), kind, value, True))
            if value == 1 and all(u.kind != kind for u in self.stack):
                if kind == NUM and self.stack:
                    continue  # paragraphs open only at the top
                if kind == NUM and self.top and self.top[-1].kind == NUM:
                    continue  # numbering restarting at 1 inside an article: not a paragraph
                candidates.append((len(self.stack), kind, value, False))
        if not candidates:
            return False
        choice = candidates[0]
        if len(candidates) > 1:
            choice = self._disambiguate(candidates, token)
        depth, kind, value, _ = choice
        # "(i) persons ... or (ii) a group": an enumeration inside a sentence, not units
        following = token.style.format(label_of(kind, value + 1))
        if f" {following} " in row_text[token.text_start - row.start :]:
            return False
        if (
            kind == NUM
            and depth == 0
            and self.implicit is not None
            and self.top
            and self.top[0] is self.implicit
        ):
            return False  # letters came before any paragraph number: numbers are not paragraphs
        self._open(depth, kind, value, token, row, opens_at)
        return True

    def _disambiguate(
        self, candidates: list[tuple[int, str, int, bool]], token: Token
    ) -> tuple[int, str, int, bool]:
        """A label that fits two levels: the marker's indentation, else the level going on."""
        continuing = [c for c in candidates if c[3]]
        opening = [c for c in candidates if not c[3]]
        if continuing and opening:
            cont = continuing[0]
            unit = self.stack[cont[0]] if cont[0] < len(self.stack) else None
            if unit is not None:
                if token.marker_x > unit.marker_x + 4:
                    return opening[0]
                if abs(token.marker_x - unit.marker_x) <= 4:
                    return cont
            return cont
        return candidates[0]

    def _open(self, depth: int, kind: str, value: int, token: Token, row: BodyRow, opens_at: int) -> None:
        for unit in self.stack[depth:]:
            unit.end = opens_at
        del self.stack[depth:]
        unit = Unit(
            kind,
            token.style,
            label_of(kind, value) if kind != NUM else token.raw,
            value,
            opens_at,
            self.body_end,
            row.page,
            token.marker_x,
            token.text_x,
        )
        if depth == 0:
            if kind != NUM and not self.top:
                # letters before any paragraph number: they belong to the unnumbered body
                self.implicit = Unit(
                    NUM, "", "", 0, self.body_start, self.body_end, self.body_page, -1e9, 0.0
                )
                self.top.append(self.implicit)
                self.stack.append(self.implicit)
                depth = 1
            elif kind != NUM and self.implicit is not None:
                self.stack.append(self.implicit)
                depth = 1
        parent_list = self.stack[-1].children if self.stack else self.top
        parent_list.append(unit)
        self.stack.append(unit)
