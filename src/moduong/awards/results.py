"""The arithmetic of results, with no database: three ways of turning judges' sheets into one
score per entry, the ranking within a category with the award's tie rule, the prizes within the
category's counts, and the stability report across methods.

- mean: the plain mean of the entry's sheet totals;
- zscore: each judge's totals are first turned into z-scores over all that judge marked in the
  round ((total − the judge's mean) / the judge's population standard deviation; 0 when the
  judge gave everyone the same), then averaged per entry. A judge who marks everyone high, or
  uses only the top of the scale, then weighs no more than a strict one;
- trimmed: the highest and the lowest total dropped (one each) when there are at least three,
  then the mean; with fewer it is the plain mean.

A sheet's total is the weighted mean of its criteria: Σ weight × score / Σ weight."""

from __future__ import annotations

import datetime as dt
import itertools
import statistics
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from .models import METHOD_MEAN, METHOD_TRIMMED, METHOD_ZSCORE, TIE_EARLIEST, TIE_MAX

# Scores equal to this many decimals are a tie (floating point must not break one).
_PLACES = 9


@dataclass(frozen=True)
class Mark:
    entry: int
    judge: int
    total: float


@dataclass(frozen=True)
class EntryKey:
    entry: int
    category: int
    submitted_at: dt.datetime


@dataclass
class Ranked:
    entry: int
    category: int
    score: float
    rank: int
    marks: list[float]
    tied: bool = False  # equal score with a neighbour, ordered by the tie rule
    prize: str = ""


@dataclass
class Stability:
    entry: int
    category: int
    prizes: dict[str, str] = field(default_factory=dict)
    ranks: dict[str, int] = field(default_factory=dict)

    @property
    def changes(self) -> bool:
        return len(set(self.prizes.values())) > 1


def sheet_total(scores: Iterable[tuple[float, float]]) -> float:
    """Weighted mean of (weight, score) pairs."""
    pairs = list(scores)
    weights = sum(w for w, _ in pairs)
    if not weights:
        return 0.0
    return sum(w * s for w, s in pairs) / weights


def _zscores(marks: list[Mark]) -> dict[tuple[int, int], float]:
    by_judge: dict[int, list[Mark]] = defaultdict(list)
    for mark in marks:
        by_judge[mark.judge].append(mark)
    out: dict[tuple[int, int], float] = {}
    for judge, own in by_judge.items():
        totals = [m.total for m in own]
        mean = statistics.fmean(totals)
        sd = statistics.pstdev(totals)
        for m in own:
            out[(m.entry, judge)] = (m.total - mean) / sd if sd > 0 else 0.0
    return out


def _trimmed(values: list[float]) -> float:
    if len(values) < 3:
        return statistics.fmean(values)
    ordered = sorted(values)
    return statistics.fmean(ordered[1:-1])


def entry_scores(marks: list[Mark], method: str) -> dict[int, float]:
    per_entry: dict[int, list[float]] = defaultdict(list)
    if method == METHOD_ZSCORE:
        z = _zscores(marks)
        for m in marks:
            per_entry[m.entry].append(z[(m.entry, m.judge)])
        return {e: statistics.fmean(v) for e, v in per_entry.items()}
    for m in marks:
        per_entry[m.entry].append(m.total)
    if method == METHOD_TRIMMED:
        return {e: _trimmed(v) for e, v in per_entry.items()}
    if method == METHOD_MEAN:
        return {e: statistics.fmean(v) for e, v in per_entry.items()}
    raise ValueError(method)


def _tie_key(key: EntryKey, totals: list[float], tie_rule: str) -> tuple:
    if tie_rule == TIE_EARLIEST:
        return (key.submitted_at, key.entry)
    if tie_rule == TIE_MAX:
        return (-max(totals), key.submitted_at, key.entry)
    return (-statistics.median(totals), key.submitted_at, key.entry)


def rank(
    *,
    marks: list[Mark],
    entries: list[EntryKey],
    method: str,
    tie_rule: str,
    prize_counts: dict[int, list[tuple[str, int]]] | None = None,
) -> list[Ranked]:
    """Entries with at least one mark, ranked within their category (best first); with
    `prize_counts` (category → [(level, count)…] in order A, B, C, KK) the prizes are given."""
    scores = entry_scores(marks, method)
    totals: dict[int, list[float]] = defaultdict(list)
    for m in marks:
        totals[m.entry].append(m.total)
    by_category: dict[int, list[EntryKey]] = defaultdict(list)
    for key in entries:
        if key.entry in scores:
            by_category[key.category].append(key)
    out: list[Ranked] = []
    for category, keys in by_category.items():
        keys.sort(
            key=lambda k: (
                -round(scores[k.entry], _PLACES),
                *_tie_key(k, totals[k.entry], tie_rule),
            )
        )
        rows = [
            Ranked(
                entry=k.entry,
                category=category,
                score=scores[k.entry],
                rank=position,
                marks=sorted(totals[k.entry]),
            )
            for position, k in enumerate(keys, start=1)
        ]
        for a, b in itertools.pairwise(rows):
            if round(a.score, _PLACES) == round(b.score, _PLACES):
                a.tied = b.tied = True
        if prize_counts is not None:
            levels = [lvl for lvl, count in prize_counts.get(category, []) for _ in range(count)]
            for row, level in zip(rows, levels, strict=False):
                row.prize = level
        out.extend(rows)
    return out


def stability(rankings: dict[str, list[Ranked]]) -> list[Stability]:
    """One row per entry: its prize and rank under each method."""
    rows: dict[int, Stability] = {}
    for method, ranked in rankings.items():
        for r in ranked:
            row = rows.setdefault(r.entry, Stability(entry=r.entry, category=r.category))
            row.prizes[method] = r.prize
            row.ranks[method] = r.rank
    return list(rows.values())
