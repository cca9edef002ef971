"""Reads of the awards app: public awards, what a judge may see (only their own active
assignments, never one they are in conflict with), conflicts of interest, progress of marking,
and results by each method."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet

from moduong.accounts.models import User
from moduong.core import vntext
from moduong.units.models import Unit

from . import results
from .models import (
    METHOD_MEAN,
    METHODS,
    PRIZE_LEVELS,
    Assignment,
    Award,
    Category,
    Criterion,
    Entry,
    Judge,
    Prize,
    Round,
    ScoreSheet,
    UnitAccount,
)


def award_list_published() -> QuerySet[Award]:
    return Award.objects.filter(is_published=True).order_by("-entries_open_at")


def award_get_published(*, slug: str) -> Award | None:
    return award_list_published().filter(slug=slug).first()


def unit_of(*, user: User) -> Unit | None:
    account = UnitAccount.objects.filter(user=user).select_related("unit").first()
    return account.unit if account else None


def entries_of(*, award: Award, user: User) -> QuerySet[Entry]:
    return award.entries.filter(submitted_by=user).select_related("category", "unit")


def unit_line(unit: Unit | None) -> set[int]:
    """The unit, the units above it and the units below it: a judge of any of them is not
    independent of an entry from it."""
    if unit is None:
        return set()
    line = {unit.pk}
    node: Unit | None = unit
    while node is not None and node.parent_id is not None:
        line.add(node.parent_id)
        node = node.parent
    frontier = [unit.pk]
    while frontier:
        children = list(Unit.objects.filter(parent_id__in=frontier).values_list("pk", flat=True))
        frontier = [c for c in children if c not in line]
        line.update(frontier)
    return line


def conflict_reason(
    *, judge: Judge, entry: Entry, line: set[int] | None = None, declared: set[int] | None = None
) -> str:
    """Why the judge may not mark the entry ("" when they may). `line` (the judge's
    unit_line) and `declared` (the entries they declared a conflict with) are given by a
    caller that checks many entries for one judge."""
    if line is None:
        line = unit_line(judge.unit)
    if entry.unit_id is not None and entry.unit_id in line:
        return "unit"
    names = {vntext.fold(n) for n in judge.declared_authors.splitlines() if n.strip()}
    if names & {vntext.fold(a) for a in entry.author_list}:
        return "author"
    if judge.user_id is not None and entry.submitted_by_id == judge.user_id:
        return "own"
    if declared is None:
        declared = set(judge.conflicts.values_list("entry_id", flat=True))
    if entry.pk in declared:
        return "declared"
    return ""


def round_entries(*, round: Round) -> QuerySet[Entry]:
    return round.award.entries.filter(
        status=Entry.ELIGIBLE, reached_round__gte=round.number
    ).select_related("category", "unit")


def assignment_for_judge(*, user: User, assignment_id: int) -> Assignment | None:
    """The judge's own active assignment, or None (another judge's, a recused one, or one
    whose entry turns out to be in conflict: the caller answers 404 for all alike)."""
    assignment = (
        Assignment.objects.filter(pk=assignment_id, judge__user=user, status=Assignment.ACTIVE)
        .select_related("entry__category", "entry__unit", "round__award", "judge__unit", "sheet")
        .first()
    )
    if assignment is None or conflict_reason(judge=assignment.judge, entry=assignment.entry):
        return None
    return assignment


def assignments_for_judge(*, user: User) -> QuerySet[Assignment]:
    return (
        Assignment.objects.filter(judge__user=user, status=Assignment.ACTIVE)
        .select_related("entry__category", "round__award", "sheet")
        .order_by("round__award", "round__number", "entry__category", "entry_id")
    )


def criteria(*, round: Round) -> list[Criterion]:
    return list(round.criteria.all())


def sheet_values(*, sheet: ScoreSheet) -> dict[int, object]:
    return {s.criterion_id: s.value for s in sheet.scores.all()}


@dataclass
class Progress:
    label: str
    assigned: int
    submitted: int

    @property
    def percent(self) -> int:
        return round(100 * self.submitted / self.assigned) if self.assigned else 0


def progress_by_judge(*, round: Round) -> list[Progress]:
    rows = (
        Assignment.objects.filter(round=round, status=Assignment.ACTIVE)
        .values("judge")
        .annotate(n=Count("id"), done=Count("id", filter=Q(sheet__submitted_at__isnull=False)))
    )
    judges = {j.pk: j for j in Judge.objects.filter(award=round.award).select_related("user")}
    return [Progress(str(judges[r["judge"]]), r["n"], r["done"]) for r in rows]


def progress_by_entry(*, round: Round) -> list[Progress]:
    rows = (
        Assignment.objects.filter(round=round, status=Assignment.ACTIVE)
        .values("entry", "entry__title")
        .annotate(n=Count("id"), done=Count("id", filter=Q(sheet__submitted_at__isnull=False)))
        .order_by("entry")
    )
    return [Progress(r["entry__title"], r["n"], r["done"]) for r in rows]


def final_round(*, award: Award) -> Round | None:
    return award.rounds.order_by("-number").first()


def marks(*, round: Round) -> list[results.Mark]:
    """The totals of every submitted sheet that counts (active assignment, not set aside)."""
    weights = {c.pk: float(c.weight) for c in round.criteria.all()}
    sheets = (
        ScoreSheet.objects.filter(
            assignment__round=round,
            assignment__status=Assignment.ACTIVE,
            submitted_at__isnull=False,
            set_aside=False,
        )
        .select_related("assignment")
        .prefetch_related("scores")
    )
    return [
        results.Mark(
            entry=sheet.assignment.entry_id,
            judge=sheet.assignment.judge_id,
            total=results.sheet_total(
                (weights.get(s.criterion_id, 0.0), float(s.value)) for s in sheet.scores.all()
            ),
        )
        for sheet in sheets
    ]


@dataclass
class Results:
    round: Round
    entries: dict[int, Entry]
    categories: list[Category]
    rankings: dict[str, list[results.Ranked]]
    stability: list[results.Stability]

    def by_category(self, method: str) -> list[tuple[Category, list[results.Ranked]]]:
        grouped: dict[int, list[results.Ranked]] = defaultdict(list)
        for row in self.rankings[method]:
            grouped[row.category].append(row)
        return [(c, grouped.get(c.pk, [])) for c in self.categories]

    @property
    def fragile(self) -> list[results.Stability]:
        return [s for s in self.stability if s.changes]

    def table(self) -> list[tuple[Category, list[Row]]]:
        """Per category, every ranked entry (in plain-mean order) with its score, rank and
        prize by each method, and whether its prize changes between methods."""
        labels = dict(PRIZE_LEVELS)
        by_method = {m: {r.entry: r for r in ranked} for m, ranked in self.rankings.items()}
        out = []
        for category, ranked in self.by_category(METHOD_MEAN):
            rows = []
            for r in ranked:
                cells = [
                    (
                        by_method[m][r.entry].score,
                        by_method[m][r.entry].rank,
                        str(labels.get(by_method[m][r.entry].prize, "")),
                        by_method[m][r.entry].tied,
                    )
                    for m in METHODS
                ]
                rows.append(
                    Row(self.entries[r.entry], cells, len({c[2] for c in cells}) > 1, r.marks)
                )
            out.append((category, rows))
        return out


@dataclass
class Row:
    entry: Entry
    cells: list[tuple[float, int, str, bool]]
    changes: bool
    marks: list[float]


def award_results(*, award: Award, round: Round | None = None) -> Results | None:
    """Results of the final round (or the given one) by all three methods."""
    round = round or final_round(award=award)
    if round is None:
        return None
    entries = {e.pk: e for e in round_entries(round=round)}
    categories = list(award.categories.all())
    counts = {c.pk: c.prize_counts() for c in categories}
    keys = [results.EntryKey(e.pk, e.category_id, e.submitted_at) for e in entries.values()]
    found = [m for m in marks(round=round) if m.entry in entries]
    rankings = {
        method: results.rank(
            marks=found, entries=keys, method=method, tie_rule=award.tie_rule, prize_counts=counts
        )
        for method in METHODS
    }
    return Results(round, entries, categories, rankings, results.stability(rankings))


def prizes_published(*, award: Award) -> QuerySet[Prize]:
    return award.prizes.select_related("entry__category", "entry__unit").order_by(
        "entry__category__sort_order", "rank"
    )


def prize_by_code(*, code: str) -> Prize | None:
    return (
        Prize.objects.filter(code=code.strip().upper())
        .select_related("award", "entry__category", "entry__unit")
        .first()
    )
