"""Reads of the training app: the city's roll-up, rosters, a learner's own record."""

from __future__ import annotations

import datetime as dt
import time
from typing import Any

from django.core.cache import cache
from django.db.models import Count, Q, QuerySet
from django.db.models.functions import TruncMonth
from django.utils.translation import gettext as _

from moduong.accounts.models import User
from moduong.core import vntext

from .models import (
    Attendance,
    Certificate,
    DuplicateFlag,
    Enrolment,
    Learner,
    Session,
    TrainingClass,
)

#: No class has more sessions than this; a larger number in an address finds nothing.
MAX_SESSIONS = 10_000


def _classes(date_from: dt.date | None, date_to: dt.date | None) -> QuerySet[TrainingClass]:
    """A class belongs to the period it starts in."""
    classes = TrainingClass.objects.all()
    if date_from:
        classes = classes.filter(starts_on__gte=date_from)
    if date_to:
        classes = classes.filter(starts_on__lte=date_to)
    return classes


# Named apart from the relations they count ("enrolments" is one), which they would shadow.
_FIGURES = {
    "n_classes": Count("id", distinct=True),
    # One row per enrolment after the single join: only classes and people need DISTINCT.
    "n_enrolments": Count("enrolments"),
    "n_learners": Count("enrolments__learner", distinct=True),
    "n_completions": Count("enrolments", filter=Q(enrolments__completed=True)),
}


def _figures(row: Any) -> dict[str, int]:
    return {name[2:]: row[name] for name in _FIGURES}


def _rows(classes: QuerySet[TrainingClass], key: str) -> list[dict[str, Any]]:
    rows = [
        {
            "name": row[key] if row[key] is not None else "",
            **_figures(row),
        }
        for row in classes.values(key).annotate(**_FIGURES).order_by()
    ]
    return sorted(rows, key=lambda r: vntext.sort_key(str(r["name"])))


def rollup_compute(
    *, date_from: dt.date | None = None, date_to: dt.date | None = None
) -> dict[str, Any]:
    """Classes, enrolments, DISTINCT learners (a person in three classes counts once) and
    completions: in total, by centre, area, the learners' unit, programme and month, and a row
    per class. Each figure is one aggregate query, whatever the number of classes; on the
    city's 320,000 enrolments that is seconds, so readers get it through rollup()."""
    classes = _classes(date_from, date_to)
    totals = _figures(classes.aggregate(**_FIGURES))
    enrolments = Enrolment.objects.filter(training_class__in=classes)
    by_unit = [
        {
            "name": row["learner__unit__name"] or _("(no unit)"),
            "classes": row["classes"],
            "enrolments": row["enrolments"],
            "learners": row["learners"],
            "completions": row["completions"],
        }
        for row in enrolments.values("learner__unit__name")
        .annotate(
            classes=Count("training_class", distinct=True),
            enrolments=Count("id"),
            learners=Count("learner", distinct=True),
            completions=Count("id", filter=Q(completed=True)),
        )
        .order_by()
    ]
    by_month = [
        {
            "name": f"{row['month']:%m/%Y}",
            **_figures(row),
        }
        for row in classes.annotate(month=TruncMonth("starts_on"))
        .values("month")
        .annotate(**_FIGURES)
        .order_by("month")
    ]
    class_rows = [
        {
            "id": row["id"],
            "code": row["code"],
            "name": row["name"],
            "centre": row["centre__unit__name"],
            "programme": row["programme__name"],
            "starts_on": row["starts_on"],
            "ends_on": row["ends_on"],
            "enrolments": row["n"],
            "completions": row["done"],
        }
        for row in classes.values(
            "id",
            "code",
            "name",
            "centre__unit__name",
            "programme__name",
            "starts_on",
            "ends_on",
        )
        .annotate(
            n=Count("enrolments"), done=Count("enrolments", filter=Q(enrolments__completed=True))
        )
        .order_by("starts_on", "code")
    ]
    return {
        "totals": totals,
        "by_centre": _rows(classes, "centre__unit__name"),
        "by_area": _rows(classes, "centre__area"),
        "by_unit": sorted(by_unit, key=lambda r: vntext.sort_key(r["name"])),
        "by_programme": _rows(classes, "programme__name"),
        "by_month": by_month,
        "classes": class_rows,
    }


ROLLUP_GENERATION_KEY = "training:rollup-generation"
#: The city's roll-up (no period) is kept until a change; a period's, an hour at most.
ROLLUP_TIMEOUT = 7 * 24 * 3600
PERIOD_TIMEOUT = 3600


def _rollup_key(date_from: dt.date | None, date_to: dt.date | None) -> str:
    return f"training:rollup:{date_from or ''}:{date_to or ''}"


def _generation(found: dict[str, Any]) -> int:
    """The roll-up's generation from a read that asked for it; one the cache has lost starts
    again from a number never used, so no copy kept under an older one is served."""
    generation = found.get(ROLLUP_GENERATION_KEY)
    if isinstance(generation, int):
        return generation
    cache.add(ROLLUP_GENERATION_KEY, time.time_ns(), None)
    stored = cache.get(ROLLUP_GENERATION_KEY)
    return stored if isinstance(stored, int) else time.time_ns()


def rollup_generation_bump() -> None:
    """Every cached roll-up is old (signals.py calls this after any change it counts)."""
    cache.set(ROLLUP_GENERATION_KEY, time.time_ns(), None)


def _rollup_cached(
    date_from: dt.date | None, date_to: dt.date | None
) -> tuple[bool, dict[str, Any]]:
    key = _rollup_key(date_from, date_to)
    found = cache.get_many([ROLLUP_GENERATION_KEY, key])
    generation = _generation(found)
    entry = found.get(key)
    if isinstance(entry, tuple) and entry[0] == generation:
        return False, entry[1]
    # The generation read BEFORE computing: a change made meanwhile moves it, and this copy,
    # stamped with the older number, is never served.
    data = rollup_compute(date_from=date_from, date_to=date_to)
    timeout = ROLLUP_TIMEOUT if date_from is None and date_to is None else PERIOD_TIMEOUT
    cache.set(key, (generation, data), timeout)
    return True, data


def rollup(*, date_from: dt.date | None = None, date_to: dt.date | None = None) -> dict[str, Any]:
    """The roll-up (see rollup_compute) from the cache: one round trip while nothing it counts
    has changed. A change moves the generation and queues rollup_refresh, so the city's
    roll-up is computed by the worker, not by the next reader; a period is computed by its
    first reader and then kept."""
    _computed, data = _rollup_cached(date_from, date_to)
    if date_from or date_to:
        period = " – ".join(
            [
                vntext.format_date(date_from) if date_from else "…",
                vntext.format_date(date_to) if date_to else "…",
            ]
        )
    else:
        period = _("all classes")
    return {"period": period, **data}


def rollup_refresh() -> bool:
    """The city's roll-up computed again if a change has made it old (the refresh task)."""
    computed, _data = _rollup_cached(None, None)
    return computed


def session_roster(*, session: Session) -> list[tuple[Enrolment, str]]:
    """The class's learners in the office's order (given name first), with today's mark."""
    marks = dict(Attendance.objects.filter(session=session).values_list("enrolment_id", "status"))
    enrolments = Enrolment.objects.filter(
        training_class_id=session.training_class_id
    ).select_related("learner")
    ordered = sorted(enrolments, key=lambda e: vntext.name_sort_key(e.learner.full_name))
    return [(e, marks.get(e.pk, "")) for e in ordered]


def may_teach(*, user: User, training_class: TrainingClass) -> bool:
    if not user.is_authenticated:
        return False
    if user.has_perm("training.change_trainingclass"):
        return True
    return training_class.teachers.filter(pk=user.pk).exists()


def learner_record(*, user: User) -> dict[str, Any] | None:
    """A learner's own record: every class, the sessions attended, results, certificates."""
    learner = Learner.objects.filter(account=user).select_related("unit").first()
    if learner is None:
        return None
    enrolments = (
        Enrolment.objects.filter(learner=learner)
        .select_related("training_class__programme", "training_class__centre__unit")
        .annotate(
            sessions=Count("training_class__sessions", distinct=True),
            attended=Count(
                "attendances",
                filter=Q(attendances__status__in=["present", "late"]),
                distinct=True,
            ),
        )
        .order_by("-training_class__starts_on")
    )
    certificates = {
        c.enrolment_id: c for c in Certificate.objects.filter(enrolment__learner=learner)
    }
    return {
        "learner": learner,
        "enrolments": [(e, certificates.get(e.pk)) for e in enrolments],
    }


def certificate_by_code(*, code: str) -> Certificate | None:
    code = vntext.normalize(code).strip().upper()
    if not code or len(code) > 16:
        return None
    return (
        Certificate.objects.filter(code=code)
        .select_related(
            "enrolment__learner",
            "enrolment__training_class__programme",
            "enrolment__training_class__centre__unit",
        )
        .first()
    )


def duplicates_pending() -> QuerySet[DuplicateFlag]:
    return DuplicateFlag.objects.filter(decision=DuplicateFlag.Decision.PENDING).select_related(
        "learner", "existing"
    )


def session_by_number(*, code: str, number: int) -> Session | None:
    """The class's sessions are numbered from 1 in the order they take place."""
    # The number becomes an OFFSET: past the database's integer it is an error, not a miss.
    if not 1 <= number <= MAX_SESSIONS:
        return None
    return (
        Session.objects.filter(training_class__code=code)
        .select_related("training_class__programme")
        .order_by("starts_at", "pk")[number - 1 : number]
        .first()
    )


def teaching(*, user: User) -> list[tuple[TrainingClass, list[tuple[int, Session]]]]:
    """The classes a person teaches that have not ended, with their numbered sessions."""
    if not user.is_authenticated:
        return []
    classes = user.taught_classes.order_by("starts_on").prefetch_related("sessions")  # type: ignore[attr-defined]
    return [(c, list(enumerate(c.sessions.all(), start=1))) for c in classes]
