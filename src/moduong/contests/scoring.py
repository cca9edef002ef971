"""Scoring, once in Python and once in SQL.

An attempt's `answers` and `key` are strings of the same length, one character per drawn
question: the index of the chosen option in the attempt's shown order ("-" when none was
chosen), and the index of the correct one. A question scores one point when the two characters
are equal. Every path that scores (the ticket's submit, the row's, PostgreSQL's single UPDATE)
and every statistic of right answers uses `score` or `sql_right`; tests/contests/test_scoring.py
runs every path against one table of cases.
"""

from __future__ import annotations


def score(answers: str, key: str) -> int:
    """The points of `answers` against `key`."""
    return sum(1 for chosen, right in zip(answers, key, strict=True) if chosen == right)


def sql_right(chosen: str, key: str, position: str) -> str:
    """A SQL condition, true when the one-character expression `chosen` is the right answer at
    1-based `position` of the key column `key`: counted with COUNT or SUM, it is `score`."""
    return f"({chosen}) = SUBSTR({key}, {position}, 1)"
