"""The assignment solver against brute force: the best total over every one-to-one choice."""

from __future__ import annotations

import itertools

from hypothesis import given, settings
from hypothesis import strategies as st

from reviewer.core.assignment import best_assignment

matrices = st.integers(1, 5).flatmap(
    lambda rows: st.integers(1, 5).flatmap(
        lambda columns: st.lists(
            st.lists(st.floats(0, 1, allow_nan=False), min_size=columns, max_size=columns),
            min_size=rows,
            max_size=rows,
        )
    )
)


def _brute_best(scores: list[list[float]]) -> float:
    rows, columns = len(scores), len(scores[0])
    if rows <= columns:
        return max(
            sum(scores[r][c] for r, c in enumerate(choice))
            for choice in itertools.permutations(range(columns), rows)
        )
    return max(
        sum(scores[r][c] for c, r in enumerate(choice))
        for choice in itertools.permutations(range(rows), columns)
    )


@settings(max_examples=300, deadline=None)
@given(matrices)
def test_the_assignment_is_one_to_one_and_the_best(scores: list[list[float]]) -> None:
    pairs = best_assignment(scores)
    assert len({r for r, _ in pairs}) == len(pairs) == len({c for _, c in pairs})
    assert len(pairs) == min(len(scores), len(scores[0]))
    total = sum(scores[r][c] for r, c in pairs)
    assert abs(total - _brute_best(scores)) < 1e-9


def test_greedy_would_be_wrong_here() -> None:
    # Row 0's best is column 0, but row 1 has no other counterpart: the best total pairs 0-1, 1-0.
    assert best_assignment([[0.9, 0.8], [0.85, 0.1]]) == [(0, 1), (1, 0)]
    assert best_assignment([]) == []
