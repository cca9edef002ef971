"""Reads of the conferences app. The roll-up is a few aggregate queries over the points of one
conference, kept in the cache until a report changes it (services send `rollup_outdated`), so
fifty organisers watching the screen cost one computation per change, not fifty."""

from __future__ import annotations

import datetime as dt
import functools
import uuid
from collections import Counter
from dataclasses import asdict, dataclass, field
from typing import Any

from django.core.cache import cache
from django.db.models import Count, Q, QuerySet, Sum
from django.utils import timezone

from moduong.core import vntext

from .links import PointLink, point_link_sign
from .models import AttendanceCategory, Conference, ConnectionPoint, Delegate, LinkTest

ROLLUP_TTL = 300


def conference_list_published() -> QuerySet[Conference]:
    return Conference.objects.filter(is_published=True).order_by("-starts_at")


def conference_get_published(*, slug: str) -> Conference | None:
    return conference_list_published().filter(slug=slug).first()


def conference_points(*, conference: Conference) -> QuerySet[ConnectionPoint]:
    return (
        ConnectionPoint.objects.filter(conference=conference)
        .select_related("province", "commune", "host_unit")
        .order_by("code")
    )


def point_for_link(*, link: PointLink) -> ConnectionPoint | None:
    return (
        ConnectionPoint.objects.filter(pk=link.point_id, conference_id=link.conference_id)
        .select_related("conference", "province", "commune", "host_unit")
        .first()
    )


def conference_categories(*, conference_id: int) -> list[AttendanceCategory]:
    return list(
        AttendanceCategory.objects.filter(conference_id=conference_id).order_by("sort_order", "pk")
    )


def links_expire_at(*, conference: Conference) -> dt.datetime:
    return conference.links_expire_at or conference.starts_at + dt.timedelta(days=2)


def point_link(*, point: ConnectionPoint, conference: Conference) -> str:
    return point_link_sign(
        conference_id=conference.pk,
        point_id=point.pk,
        expires_at=links_expire_at(conference=conference),
        version=point.link_version,
    )


def link_revoked(*, link: PointLink, point: ConnectionPoint) -> bool:
    """A link given before the point's links were re-issued."""
    return link.version != point.link_version


def conference_delegates(*, conference: Conference) -> QuerySet[Delegate]:
    return (
        Delegate.objects.filter(conference=conference)
        .select_related("category")
        .order_by("full_name", "pk")
    )


def delegate_by_code(*, conference: Conference, code: str) -> Delegate | None:
    code = "".join(code.split()).upper()
    return conference_delegates(conference=conference).filter(code=code).first()


def rollup_version_key(conference_id: int) -> str:
    return f"conferences:rollup-version:{conference_id}"


def rollup_key(conference_id: int) -> str:
    """The roll-up is kept under its conference's current token, which every change replaces
    (conferences.signals): figures a poll computed from the rows before a report and stored
    after it are stored under the old token, never read, so the report shows at the next poll
    (a deleted key would have taken the old figures back for ROLLUP_TTL)."""
    version_key = rollup_version_key(conference_id)
    version = cache.get(version_key)
    if version is None:
        cache.add(version_key, uuid.uuid4().hex, None)
        version = cache.get(version_key)
    return f"conferences:rollup:{conference_id}:{version}"


@dataclass
class Area:
    name: str
    points: int = 0
    linked: int = 0
    expected: int = 0
    attendance: int = 0
    key: int | None = None  # the province's, commune's or unit's id (None: no unit)


@dataclass
class Rollup:
    points: int = 0
    linked: int = 0
    target_points: int = 0
    delegates: int = 0
    target_delegates: int = 0
    expected: int = 0
    link_tests: dict[str, int] = field(default_factory=dict)
    categories: list[tuple[str, int]] = field(default_factory=list)
    provinces: list[Area] = field(default_factory=list)
    communes: list[Area] = field(default_factory=list)
    units: list[Area] = field(default_factory=list)
    hall_registered: int = 0  # delegates registered for the main hall
    hall_checked_in: int = 0
    computed_at: str = ""

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


_AREA = {
    "points": Count("id"),
    "linked": Count("id", filter=Q(linked_at__isnull=False)),
    "expected": Sum("expected_attendance"),
    "attendance": Sum("attendance_total"),
}


@functools.lru_cache(maxsize=8192)
def _name_key(name: str) -> vntext.SortKey:
    """Names of places and units hardly change: their Vietnamese sort keys are kept."""
    return vntext.sort_key(name)


def _areas(points: QuerySet[ConnectionPoint], key: str, name: str) -> list[Area]:
    rows = points.values(key, name).annotate(**_AREA)
    areas = [
        Area(
            name=row[name] or "–",
            points=row["points"],
            linked=row["linked"],
            expected=row["expected"] or 0,
            attendance=row["attendance"] or 0,
            key=row[key],
        )
        for row in rows
    ]
    return sorted(areas, key=lambda a: _name_key(a.name))


def rollup_compute(*, conference: Conference) -> Rollup:
    points = ConnectionPoint.objects.filter(conference=conference)
    totals = points.aggregate(
        **_AREA,
        **{f"test_{value or 'none'}": Count("id", filter=Q(link_test=value)) for value in LinkTest},
    )
    categories = list(conference.categories.order_by("sort_order", "pk"))
    sums: Counter[str] = Counter()
    hall = Delegate.objects.filter(conference=conference).aggregate(
        registered=Count("id"), checked_in=Count("id", filter=Q(checked_in_at__isnull=False))
    )
    for attendance in points.exclude(attendance={}).values_list("attendance", flat=True):
        for key, value in (attendance or {}).items():
            sums[str(key)] += int(value)
    return Rollup(
        points=totals["points"],
        linked=totals["linked"],
        target_points=conference.target_points,
        delegates=totals["attendance"] or 0,
        target_delegates=conference.target_delegates,
        expected=totals["expected"] or 0,
        link_tests={(v or "none"): totals[f"test_{v or 'none'}"] for v in LinkTest},
        categories=[(c.name, sums[str(c.pk)]) for c in categories],
        provinces=_areas(points, "province_id", "province__name"),
        communes=_areas(points, "commune_id", "commune__name"),
        units=_areas(points, "host_unit_id", "host_unit__name"),
        hall_registered=hall["registered"],
        hall_checked_in=hall["checked_in"],
        computed_at=timezone.now().isoformat(),
    )


def rollup(*, conference: Conference) -> Rollup:
    key = rollup_key(conference.pk)
    cached: Rollup | None = cache.get(key)
    if cached is None:
        cached = rollup_compute(conference=conference)
        cache.set(key, cached, ROLLUP_TTL)
    return cached


def points_not_linked(*, conference: Conference) -> QuerySet[ConnectionPoint]:
    return conference_points(conference=conference).filter(linked_at__isnull=True)


def alert_due(*, conference: Conference, now: dt.datetime | None = None) -> bool:
    """Within the warning's minutes before the start (and not after the start's hour)."""
    now = now or timezone.now()
    start = conference.starts_at
    return (
        start - dt.timedelta(minutes=conference.alert_minutes)
        <= now
        < start + dt.timedelta(hours=1)
    )


@dataclass(frozen=True)
class ConferenceWarning:
    conference: Conference
    not_linked: int


def conferences_warned(*, now: dt.datetime | None = None) -> list[ConferenceWarning]:
    """The conferences whose warning time has come and that still have points not linked,
    soonest first, with how many: what the admin's dashboard shows the organisers."""
    now = now or timezone.now()
    soon = Conference.objects.filter(
        starts_at__gt=now - dt.timedelta(hours=1),
        starts_at__lte=now + dt.timedelta(minutes=24 * 60),  # the longest warning allowed
    ).annotate(missing=Count("points", filter=Q(points__linked_at__isnull=True)))
    return [
        ConferenceWarning(conference=c, not_linked=c.missing)
        for c in soon.order_by("starts_at", "pk")
        if c.missing and alert_due(conference=c, now=now)
    ]


def point_history(*, point: ConnectionPoint) -> QuerySet[Any]:
    return point.reports.all()
