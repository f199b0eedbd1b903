"""The one-to-one part of matching two treaties' articles: a maximum-weight assignment.

The Hungarian method with potentials (Kuhn 1955, Munkres 1957; the O(n^2 m) shortest
augmenting path form of Jonker and Volgenant), written out here because it is thirty lines
and the alternative, scipy's ``linear_sum_assignment``, would add a 40 MB dependency for one
call on matrices of at most a few hundred rows. A greedy pass (best pair first) is not enough:
one article that is everyone's second choice takes another's only counterpart.
``tests/core/test_assignment.py`` checks it against brute force on random matrices.
"""

from __future__ import annotations

from collections.abc import Sequence

_INFINITY = float("inf")


def best_assignment(scores: Sequence[Sequence[float]]) -> list[tuple[int, int]]:
    """Pairs (row, column), each row and column at most once, whose scores sum highest.

    Every row is assigned when there are no more rows than columns (and every column
    otherwise); the caller drops the pairs whose score is too low to mean anything.
    """
    rows = len(scores)
    columns = len(scores[0]) if rows else 0
    if rows == 0 or columns == 0:
        return []
    if rows > columns:
        transposed = [[scores[r][c] for r in range(rows)] for c in range(columns)]
        return sorted((r, c) for c, r in best_assignment(transposed))
    # Minimize cost = -score; 1-based arrays with a sentinel column 0, as the method is written.
    cost = [[0.0] * (columns + 1)] + [[0.0] + [-float(v) for v in row] for row in scores]
    row_potential = [0.0] * (rows + 1)
    column_potential = [0.0] * (columns + 1)
    row_of_column = [0] * (columns + 1)
    previous = [0] * (columns + 1)
    for row in range(1, rows + 1):
        row_of_column[0] = row
        column = 0
        slack = [_INFINITY] * (columns + 1)
        used = [False] * (columns + 1)
        while True:
            used[column] = True
            current_row = row_of_column[column]
            delta = _INFINITY
            next_column = 0
            for c in range(1, columns + 1):
                if used[c]:
                    continue
                reduced = cost[current_row][c] - row_potential[current_row] - column_potential[c]
                if reduced < slack[c]:
                    slack[c] = reduced
                    previous[c] = column
                if slack[c] < delta:
                    delta = slack[c]
                    next_column = c
            for c in range(columns + 1):
                if used[c]:
                    row_potential[row_of_column[c]] += delta
                    column_potential[c] -= delta
                else:
                    slack[c] -= delta
            column = next_column
            if row_of_column[column] == 0:
                break
        while column:  # flip the augmenting path
            before = previous[column]
            row_of_column[column] = row_of_column[before]
            column = before
    return sorted((row_of_column[c] - 1, c - 1) for c in range(1, columns + 1) if row_of_column[c])
