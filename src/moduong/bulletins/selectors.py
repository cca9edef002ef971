"""Reads: series and editions, where a code leads, the dashboard's figures."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.core.cache import cache
from django.db.models import Count, F, Max
from django.db.models.functions import TruncDate
from django.utils import timezone

from moduong.core.caching import cached_until_publish

from .models import (
    CODE_ALPHABET,
    CODE_LENGTH,
    BulletinIndexPage,
    EditionPage,
    EditionPrint,
    Place,
    QrCode,
    Scan,
    SeriesPage,
    Subscriber,
)


def series_list(*, index: BulletinIndexPage) -> list[SeriesPage]:
    return list(SeriesPage.objects.child_of(index).live().order_by("title"))


def edition_list(*, series: SeriesPage) -> Any:
    return EditionPage.objects.child_of(series).live().order_by("-issue_date", "-number")


def editions_by_year(*, series: SeriesPage) -> list[tuple[int, list[EditionPage]]]:
    years: dict[int, list[EditionPage]] = defaultdict(list)
    for edition in edition_list(series=series):
        years[edition.issue_date.year].append(edition)
    return sorted(years.items(), reverse=True)


def edition_latest(*, series: SeriesPage) -> EditionPage | None:
    return edition_list(series=series).first()


def edition_print(*, edition: EditionPage) -> EditionPrint | None:
    return EditionPrint.objects.filter(edition=edition).first()


def articles_unavailable(*, edition: EditionPage) -> list[str]:
    return edition.articles_unavailable()


def code_is_well_formed(code: str) -> bool:
    return len(code) == CODE_LENGTH and all(c in CODE_ALPHABET for c in code)


@dataclass(frozen=True)
class Target:
    code_id: int
    series_id: int
    place_id: int
    edition_id: int | None
    url: str | None  # None: no edition published yet


def _codes_generation() -> int:
    return cache.get("bulletins:codes:g", 0)


def code_target(*, code: str) -> Target | None:
    """Where a code leads now, from the cache in the common case (one read), else from the
    database; kept until anything is published and until any code changes."""
    if not code_is_well_formed(code):
        return None

    def compute() -> Target | bool:
        qr = QrCode.objects.filter(code=code, retired=False).select_related("series").first()
        if qr is None:
            return False  # remembered too: a stream of unknown codes costs no query each
        edition = qr.edition if qr.edition_id and qr.edition.live else None  # type: ignore[union-attr]
        if edition is None:
            edition = edition_latest(series=qr.series)
        return Target(
            code_id=qr.pk,
            series_id=qr.series_id,
            place_id=qr.place_id,
            edition_id=edition.pk if edition else None,
            url=edition.url if edition else None,
        )

    target = cached_until_publish(f"bulletins:q:{code}:c{_codes_generation()}", compute)
    return target if isinstance(target, Target) else None


# --- the dashboard ---------------------------------------------------------------------------


@dataclass
class Dashboard:
    series: SeriesPage
    since: dt.date
    total: int = 0
    visitors: int = 0
    per_day: list[tuple[dt.date, int]] = field(default_factory=list)
    per_place: list[tuple[Place, int, dt.datetime | None]] = field(default_factory=list)
    per_edition: list[tuple[str, int]] = field(default_factory=list)
    per_browser: list[tuple[str, int]] = field(default_factory=list)
    never_scanned: list[QrCode] = field(default_factory=list)
    subscribers: int = 0

    @property
    def max_per_day(self) -> int:
        return max((n for _, n in self.per_day), default=0)


def dashboard(*, series: SeriesPage, days: int = 30) -> Dashboard:
    today = timezone.localdate()
    since = today - dt.timedelta(days=days - 1)
    scans = Scan.objects.filter(series=series)
    recent = scans.filter(scanned_at__date__gte=since)
    board = Dashboard(series=series, since=since)
    board.total = scans.count()
    board.visitors = (
        recent.annotate(day=TruncDate("scanned_at")).values("visitor", "day").distinct().count()
    )
    counted = dict(
        recent.annotate(day=TruncDate("scanned_at"))
        .values_list("day")
        .annotate(n=Count("id"))
        .values_list("day", "n")
    )
    board.per_day = [
        (since + dt.timedelta(days=i), counted.get(since + dt.timedelta(days=i), 0))
        for i in range(days)
    ]
    places = {
        p.pk: p
        for p in Place.objects.filter(qr_codes__series=series)
        .select_related("commune", "unit")
        .distinct()
    }
    place_rows = scans.values("place").annotate(n=Count("id"), last=Max("scanned_at"))
    seen = {row["place"]: (row["n"], row["last"]) for row in place_rows}
    board.per_place = sorted(
        ((place, *seen.get(pk, (0, None))) for pk, place in places.items()),
        key=lambda row: -row[1],
    )
    titles = dict(EditionPage.objects.child_of(series).values_list("pk", "title"))
    labels = {e.pk: e.label for e in EditionPage.objects.child_of(series)}
    board.per_edition = [
        (f"{labels.get(row['edition'], '')} · {titles.get(row['edition'], '')}", row["n"])
        for row in scans.exclude(edition=None)
        .values("edition")
        .annotate(n=Count("id"))
        .order_by("-n")
    ]
    board.per_browser = list(
        scans.values("browser").annotate(n=Count("id")).order_by("-n").values_list("browser", "n")
    )
    # A poster that went up again (a new posted_on) starts again with no scan.
    scanned = scans.filter(scanned_at__date__gte=F("code__posted_on")).values("code_id")
    board.never_scanned = list(
        QrCode.objects.filter(series=series, retired=False)
        .exclude(pk__in=scanned)
        .select_related("place", "place__commune", "place__unit")
    )
    board.subscribers = Subscriber.objects.filter(
        series=series, status=Subscriber.Status.ACTIVE
    ).count()
    return board


def scan_rows(*, series: SeriesPage) -> Any:
    """Every scan of a series, oldest first, for the Excel export."""
    return (
        Scan.objects.filter(series=series)
        .select_related("code", "place", "place__commune", "place__unit", "edition")
        .order_by("scanned_at", "pk")
    )


def code_is_retired(*, code: str) -> bool:
    return QrCode.objects.filter(code=code, retired=True).exists()


def subscriber_by_token(*, token: str) -> Subscriber | None:
    if len(token) > 64:
        return None
    return Subscriber.objects.select_related("series").filter(token=token).first()
