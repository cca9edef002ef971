"""The roll-up in the JSON API (moduong.api): GET /api/v1/training/report."""

from __future__ import annotations

import datetime as dt

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema
from ninja.errors import HttpError, ValidationError

from . import selectors, services

router = Router(tags=["training"])


class Figures(Schema):
    classes: int
    enrolments: int
    learners: int
    completions: int


class GroupRow(Figures):
    name: str


class ClassRow(Schema):
    code: str
    name: str
    centre: str
    programme: str
    starts_on: dt.date
    ends_on: dt.date
    enrolments: int
    completions: int


class TrainingReport(Schema):
    period: str
    totals: Figures
    by_centre: list[GroupRow]
    by_area: list[GroupRow]
    by_unit: list[GroupRow]
    by_programme: list[GroupRow]
    by_month: list[GroupRow]
    classes: list[ClassRow]


class ErrorOut(Schema):
    message: str


# A day written YYYY-MM-DD and nothing else: a bare number would otherwise pass as a Unix time.
ISO_DAY = r"^\d{4}-\d{2}-\d{2}$"


def _day(value: str | None, name: str) -> dt.date | None:
    """The day, or the API's one 422 (its shape is declared once for every operation)."""
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        message = _("A day is written YYYY-MM-DD, for example 2026-12-31.")
        raise ValidationError([{"loc": ["query", name], "msg": message}]) from None


@router.get(
    "/report",
    response={200: TrainingReport, 400: ErrorOut, 429: ErrorOut},
    summary="Political-theory classes: the roll-up",
)
def report(
    request: HttpRequest,
    date_from: str | None = Query(None, pattern=ISO_DAY, description="From this day: YYYY-MM-DD."),
    date_to: str | None = Query(None, pattern=ISO_DAY, description="Up to this day: YYYY-MM-DD."),
) -> dict:  # type: ignore[type-arg]
    """Classes starting in the period, their enrolments, the distinct learners (a person in
    several classes counts once) and completions, in total and by centre, area, unit,
    programme and month; a row per class. Too many requests from one address in a minute:
    429."""
    if services.report_rate_exceeded(request=request):
        raise HttpError(429, _("Too many requests in a short while: please wait a minute."))
    start, end = _day(date_from, "date_from"), _day(date_to, "date_to")
    if start and end and end < start:
        raise HttpError(400, _("The end of the period is before its start."))
    return selectors.rollup(date_from=start, date_to=end)
