"""The three methods on small tables worked by hand (the working is in each test), through the
real services and database: sheets saved and submitted by judges, results read back.

Table 1 — a lenient judge. Four entries of one category, each marked by two judges (one
criterion, 0–10), J1 marks everything high:

            J1(lenient)  J2   J3    mean
    E1          10        6          8.0
    E2           9             5     7.0
    E3                    8    7     7.5
    E4                    4    3     3.5

    J1: mean 9.5, pstdev 0.5          → z(E1)=+1,  z(E2)=−1
    J2: mean 6,   pstdev √(8/3)=1.633 → z(E1)=0,   z(E3)=+1.2247, z(E4)=−1.2247
    J3: mean 5,   pstdev √(8/3)       → z(E2)=0,   z(E3)=+1.2247, z(E4)=−1.2247
    z-mean: E1=(1+0)/2=0.5, E2=(−1+0)/2=−0.5, E3=1.2247, E4=−1.2247

  Plain mean: E1 (8) > E3 (7.5) > E2 (7) > E4 — E1 wins only because J1 marked it.
  z-score:    E3 (1.22) > E1 (0.5) > E2 (−0.5) > E4 — normalising undoes J1's leniency.
  With one A and one B prize: mean gives A=E1, B=E3; z-score gives A=E3, B=E1: both change.
  Trimmed mean with two totals is the plain mean.

Table 2 — trimmed mean. Three entries, four judges each:
    F1: 7, 7, 7, 1 → mean 5.5,  trimmed (7+7)/2 = 7
    F2: 6, 6, 6, 6 → mean 6,    trimmed 6
    F3: 8, 5, 5, 5 → mean 5.75, trimmed (5+5)/2 = 5
  Mean: F2 > F3 > F1.  Trimmed: F1 > F2 > F3 (the one harsh 1 no longer sinks F1).

Table 3 — a tie. G1: 4, 5, 9 (mean 6, median 5, best 9); G2: 5, 6, 7 (mean 6, median 6,
best 7); G1 submitted first. Median rule → G2 first; best-single rule → G1; earliest → G1.
"""

import datetime as dt
import math

import pytest

from moduong.awards import selectors, services
from moduong.awards.models import (
    TIE_EARLIEST,
    TIE_MAX,
    TIE_MEDIAN,
    Assignment,
    Category,
    Entry,
    ScoreSheet,
)
from moduong.awards.results import EntryKey, Mark, rank, sheet_total

from . import factories as f

pytestmark = pytest.mark.django_db


def _score(award, rnd, table):  # type: ignore[no-untyped-def]
    """table: {entry: {judge: total}}; assigns exactly those pairs and submits the sheets."""
    for entry, by_judge in table.items():
        for judge, value in by_judge.items():
            a = Assignment.objects.create(round=rnd, entry=entry, judge=judge)
            ScoreSheet.objects.create(assignment=a)
            criterion = rnd.criteria.first()
            services.score_save(
                assignment=a, criterion_id=criterion.pk, value=str(value), by=judge.user
            )
            services.sheet_submit(assignment=a, by=judge.user)


def _table1():  # type: ignore[no-untyped-def]
    award = f.award(author_max_entries=10, unit_max_per_category=10)
    Category.objects.filter(award=award).update(prize_a=1, prize_b=1, prize_c=0, prize_kk=0)
    rnd = f.round_(award)
    j1, j2, j3 = (f.judge(award, rnd) for _ in range(3))
    e = [f.entry(award, title=f"E{n}", authors=f"Tác giả {n}") for n in range(1, 5)]
    _score(
        award,
        rnd,
        {e[0]: {j1: 10, j2: 6}, e[1]: {j1: 9, j3: 5}, e[2]: {j2: 8, j3: 7}, e[3]: {j2: 4, j3: 3}},
    )
    return award, e, (j1, j2, j3)


def _order(found, method):  # type: ignore[no-untyped-def]
    return [found.entries[r.entry].title for r in found.rankings[method]]


def test_a_lenient_judge_is_undone_by_normalising() -> None:
    award, e, _js = _table1()
    found = selectors.award_results(award=award)
    assert _order(found, "mean") == ["E1", "E3", "E2", "E4"]
    assert _order(found, "zscore") == ["E3", "E1", "E2", "E4"]
    assert _order(found, "trimmed") == ["E1", "E3", "E2", "E4"]
    mean = {r.entry: r.score for r in found.rankings["mean"]}
    z = {r.entry: r.score for r in found.rankings["zscore"]}
    assert [mean[x.pk] for x in e] == [8.0, 7.0, 7.5, 3.5]
    root = math.sqrt(8 / 3)
    assert z[e[0].pk] == pytest.approx(0.5)
    assert z[e[1].pk] == pytest.approx(-0.5)
    assert z[e[2].pk] == pytest.approx(2 / root)
    assert z[e[3].pk] == pytest.approx(-2 / root)
    prizes = {
        m: {found.entries[r.entry].title: r.prize for r in found.rankings[m] if r.prize}
        for m in ("mean", "zscore")
    }
    assert prizes == {"mean": {"E1": "A", "E3": "B"}, "zscore": {"E3": "A", "E1": "B"}}
    # The stability report names exactly the two entries whose prize depends on the method.
    assert {found.entries[s.entry].title for s in found.fragile} == {"E1", "E3"}


def test_the_council_confirms_one_method_and_prizes_follow_it() -> None:
    award, _e, _js = _table1()
    admin = f.UserFactory()
    prizes = services.award_results_confirm(award=award, method="zscore", by=admin)
    assert [(p.entry.title, p.level, p.number) for p in prizes] == [("E3", "A", 1), ("E1", "B", 2)]
    assert len({p.code for p in prizes}) == 2
    with pytest.raises(services.AwardError, match="đã được xác nhận"):
        services.award_results_confirm(award=award, method="mean", by=admin)


def test_trimmed_mean_drops_the_highest_and_lowest() -> None:
    award = f.award(author_max_entries=10, unit_max_per_category=10)
    rnd = f.round_(award, judges_per_entry=4)
    js = [f.judge(award, rnd) for _ in range(4)]
    ents = [f.entry(award, title=f"F{n}", authors=f"Tác giả {n}") for n in range(1, 4)]
    rows = [(7, 7, 7, 1), (6, 6, 6, 6), (8, 5, 5, 5)]
    _score(
        award,
        rnd,
        {en: dict(zip(js, row, strict=True)) for en, row in zip(ents, rows, strict=True)},
    )
    found = selectors.award_results(award=award)
    assert _order(found, "mean") == ["F2", "F3", "F1"]
    assert _order(found, "trimmed") == ["F1", "F2", "F3"]
    assert [r.score for r in found.rankings["trimmed"]] == [7.0, 6.0, 5.0]


@pytest.mark.parametrize(
    ("rule", "first"), [(TIE_MEDIAN, "G2"), (TIE_MAX, "G1"), (TIE_EARLIEST, "G1")]
)
def test_a_tie_is_broken_by_the_configured_rule(rule: str, first: str) -> None:
    t0 = dt.datetime(2025, 3, 1, tzinfo=dt.UTC)
    keys = [EntryKey(1, 9, t0), EntryKey(2, 9, t0 + dt.timedelta(hours=1))]
    marks = [Mark(1, j, v) for j, v in enumerate((4, 5, 9))] + [
        Mark(2, j, v) for j, v in enumerate((5, 6, 7))
    ]
    ranked = rank(marks=marks, entries=keys, method="mean", tie_rule=rule)
    names = {1: "G1", 2: "G2"}
    assert [names[r.entry] for r in ranked] == [first, "G1" if first == "G2" else "G2"]
    assert all(r.tied for r in ranked) and ranked[0].score == ranked[1].score == 6.0


def test_prizes_stay_within_each_category_counts() -> None:
    t0 = dt.datetime(2025, 3, 1, tzinfo=dt.UTC)
    keys = [EntryKey(n, 1, t0) for n in range(1, 6)]
    marks = [Mark(n, 1, 10 - n) for n in range(1, 6)]
    counts = {1: [("A", 1), ("B", 1), ("C", 0), ("KK", 2)]}
    ranked = rank(
        marks=marks, entries=keys, method="mean", tie_rule=TIE_MEDIAN, prize_counts=counts
    )
    assert [r.prize for r in ranked] == ["A", "B", "KK", "KK", ""]


def test_a_sheet_total_is_the_weighted_mean_of_its_criteria() -> None:
    # weights 2 and 1, scores 9 and 6: (2·9 + 1·6) / 3 = 8
    assert sheet_total([(2, 9), (1, 6)]) == 8


def test_set_aside_and_unsubmitted_sheets_count_nowhere() -> None:
    award, e, js = _table1()
    j1 = js[0]
    services.conflict_declare(judge=j1, entry=e[0], reason="Đồng nghiệp", by=j1.user)
    found = selectors.award_results(award=award)
    mean = {r.entry: r.score for r in found.rankings["mean"]}
    assert mean[e[0].pk] == 6.0  # only J2's 6 is left until the new judge submits
    assert Entry.objects.count() == 4
