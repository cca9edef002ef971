"""Reads of the conferences app. The roll-up is a few aggregate queries over the points of one
conference, kept in the cache and computed again at most once every few seconds, by one poll
while the others are shown the figures before (see `rollup`): fifty organisers watching the
screen while 600 points report cost one computation every few seconds, not one a poll."""

from __future__ import annotations

import datetime as dt
import functools
import time
import uuid
from collections import Counter
from dataclasses import asdict, dataclass, field
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db.models import Count, Q, QuerySet, Sum
from django.utils import timezone

from moduong.core import vntext

from .links import PointLink, point_link_sign
from .models import AttendanceCategory, Conference, ConnectionPoint, Delegate, LinkTest

ROLLUP_TTL = 300
#: How often at most the roll-up of a conference is computed again (the settings'
#: CONFERENCES_ROLLUP_REFRESH_SECONDS): the organisers' screens poll every 5 s.
ROLLUP_REFRESH_SECONDS = 2.0
#: A poll computing the roll-up holds this long at most (one that died lets go).
ROLLUP_LOCK_SECONDS = 10


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
    return f"conferences:rollup:{conference_id}"


def rollup_lock_key(conference_id: int) -> str:
    return f"conferences:rollup-lock:{conference_id}"


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


def hall_counts(*, conference: Conference) -> tuple[int, int]:
    """The main hall's delegates: registered, checked in."""
    hall = Delegate.objects.filter(conference=conference).aggregate(
        registered=Count("id"), checked_in=Count("id", filter=Q(checked_in_at__isnull=False))
    )
    return hall["registered"], hall["checked_in"]


def rollup_compute(*, conference: Conference) -> Rollup:
    points = ConnectionPoint.objects.filter(conference=conference)
    totals = points.aggregate(
        **_AREA,
        **{f"test_{value or 'none'}": Count("id", filter=Q(link_test=value)) for value in LinkTest},
    )
    categories = list(conference.categories.order_by("sort_order", "pk"))
    sums: Counter[str] = Counter()
    hall_registered, hall_checked_in = hall_counts(conference=conference)
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
        hall_registered=hall_registered,
        hall_checked_in=hall_checked_in,
        computed_at=timezone.now().isoformat(),
    )


@dataclass(frozen=True)
class _Kept:
    """The roll-up in the cache: its figures, what they were computed from (the stamp), and
    when the stamp was last compared with the database (seconds since the epoch)."""

    figures: Rollup
    stamp: tuple[str, int, int]
    checked_at: float
    computed_at: float = 0.0


def _rollup_stamp(*, conference_id: int, token: str) -> tuple[str, int, int]:
    """What the figures depend on: the conference's token, which the organisers' changes and
    the main hall's replace when they commit (conferences.signals), and the points' count and
    the sum of their revisions, which every report raises (a report costs no cache write)."""
    found = ConnectionPoint.objects.filter(conference_id=conference_id).aggregate(
        points=Count("id"), revisions=Sum("revision")
    )
    return (token, found["points"], found["revisions"] or 0)


def rollup(*, conference: Conference, now: float | None = None) -> Rollup:
    """The roll-up as the organisers' screens poll it. Figures compared with the database less
    than ROLLUP_REFRESH_SECONDS ago are shown as they are (one cache read). Older ones are
    compared (a small count over the points) and computed again when something changed, by
    one poll at a time: the polls meanwhile are shown the figures before. The stamp is read
    before the figures are computed, so a change committed while they are computed is seen
    at the next comparison: nothing shown is older than a few seconds."""
    now = time.time() if now is None else now
    refresh = getattr(settings, "CONFERENCES_ROLLUP_REFRESH_SECONDS", ROLLUP_REFRESH_SECONDS)
    key, version_key = rollup_key(conference.pk), rollup_version_key(conference.pk)
    found = cache.get_many([key, version_key])
    kept: _Kept | None = found.get(key)
    if kept is not None and 0 <= now - kept.checked_at < refresh:
        return kept.figures
    lock, mine, began = rollup_lock_key(conference.pk), uuid.uuid4().hex, time.monotonic()
    if not cache.add(lock, mine, ROLLUP_LOCK_SECONDS):
        # Another poll is computing them: the figures before, or (none yet) computed here.
        return kept.figures if kept is not None else rollup_compute(conference=conference)
    try:
        token = found.get(version_key)
        if token is None:
            cache.add(version_key, uuid.uuid4().hex, None)
            token = cache.get(version_key)
        stamp = _rollup_stamp(conference_id=conference.pk, token=token)
        # The stamp does not see a province, a commune or a unit renamed: figures are computed
        # again after ROLLUP_TTL whatever it says.
        if kept is not None and kept.stamp == stamp and 0 <= now - kept.computed_at < ROLLUP_TTL:
            figures, computed_at = kept.figures, kept.computed_at
        else:
            figures, computed_at = rollup_compute(conference=conference), now
        cache.set(
            key,
            _Kept(figures=figures, stamp=stamp, checked_at=now, computed_at=computed_at),
            ROLLUP_TTL,
        )
    finally:
        # Only our own lock: one that ran out while the figures were computed may be another
        # poll's by now, and deleting it would let a third compute them beside it.
        if time.monotonic() - began < ROLLUP_LOCK_SECONDS and cache.get(lock) == mine:
            cache.delete(lock)
    return figures


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
