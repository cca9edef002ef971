"""The conferences' JSON endpoints (in the one API, /api/v1/conferences): published conferences,
their connection points (without the contacts' names and phones: personal data) and the
roll-up, with the same figures as the organisers' screen."""

from __future__ import annotations

import datetime as dt

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Router, Schema
from ninja.responses import Status

from . import selectors
from .models import Conference

router = Router(tags=["conferences"])


class ErrorOut(Schema):
    message: str


class ConferenceOut(Schema):
    slug: str
    title: str
    level: str
    starts_at: dt.datetime
    ends_at: dt.datetime | None
    main_hall: str
    target_points: int
    target_delegates: int
    reporting_closed: bool


class AgendaItemOut(Schema):
    time: str
    title: str
    speaker: str


class MaterialOut(Schema):
    title: str
    url: str
    phase: str


class ConferenceDetailOut(ConferenceOut):
    summary: str
    categories: list[str]
    agenda: list[AgendaItemOut]
    materials: list[MaterialOut]


class PointOut(Schema):
    code: str
    name: str
    host_unit: str | None
    province: str
    commune: str | None
    connection_type: str
    capacity: int
    expected_attendance: int
    linked: bool
    attendance: int


class AreaOut(Schema):
    name: str
    points: int
    linked: int
    expected: int
    attendance: int


class AttendanceCategoryOut(Schema):
    name: str
    attendance: int


class RollupOut(Schema):
    points: int
    linked: int
    target_points: int
    delegates: int
    target_delegates: int
    expected: int
    link_tests: dict[str, int]
    categories: list[AttendanceCategoryOut]
    provinces: list[AreaOut]
    communes: list[AreaOut]
    units: list[AreaOut]
    hall_registered: int
    hall_checked_in: int
    computed_at: str


def _summary(conference: Conference) -> dict[str, object]:
    return {
        "slug": conference.slug,
        "title": conference.title,
        "level": conference.level,
        "starts_at": conference.starts_at,
        "ends_at": conference.ends_at,
        "main_hall": conference.main_hall,
        "target_points": conference.target_points,
        "target_delegates": conference.target_delegates,
        "reporting_closed": conference.reporting_closed,
    }


def _not_found() -> Status:
    return Status(404, {"message": _("No published conference has this address.")})


@router.get("", response=list[ConferenceOut], summary="Published conferences")
def conference_list(request: HttpRequest) -> list[dict[str, object]]:
    return [_summary(c) for c in selectors.conference_list_published()]


@router.get("/{slug}", response={200: ConferenceDetailOut, 404: ErrorOut}, summary="A conference")
def conference_detail(request: HttpRequest, slug: str) -> object:
    conference = selectors.conference_get_published(slug=slug)
    if conference is None:
        return _not_found()
    materials = conference.materials.select_related("document").order_by("sort_order")  # type: ignore[attr-defined]
    return {
        **_summary(conference),
        "summary": conference.summary,
        "categories": [c.name for c in conference.categories.order_by("sort_order", "pk")],  # type: ignore[attr-defined]
        "agenda": [
            {"time": i.starts_at.strftime("%H:%M"), "title": i.title, "speaker": i.speaker}
            for i in conference.agenda_items.order_by("sort_order", "starts_at")  # type: ignore[attr-defined]
        ],
        "materials": [
            {"title": m.document.title, "url": m.document.url, "phase": m.phase} for m in materials
        ],
    }


@router.get(
    "/{slug}/points",
    response={200: list[PointOut], 404: ErrorOut},
    summary="A conference's connection points",
)
def conference_points(request: HttpRequest, slug: str) -> object:
    conference = selectors.conference_get_published(slug=slug)
    if conference is None:
        return _not_found()
    return [
        {
            "code": p.code,
            "name": p.name,
            "host_unit": p.host_unit.name if p.host_unit else None,
            "province": p.province.name,
            "commune": p.commune.name if p.commune else None,
            "connection_type": p.connection_type,
            "capacity": p.capacity,
            "expected_attendance": p.expected_attendance,
            "linked": p.linked_at is not None,
            "attendance": p.attendance_total,
        }
        for p in selectors.conference_points(conference=conference)
    ]


@router.get(
    "/{slug}/rollup",
    response={200: RollupOut, 404: ErrorOut},
    summary="The roll-up: points linked, delegates, by province, commune and host unit",
)
def conference_rollup(request: HttpRequest, slug: str) -> object:
    conference = selectors.conference_get_published(slug=slug)
    if conference is None:
        return _not_found()
    data = selectors.rollup(conference=conference).as_dict()
    data["categories"] = [{"name": n, "attendance": a} for n, a in data["categories"]]
    return data
