"""The parts of bench/conferences.py that run inside Django (`moduong shell`), on the benchmark's
database: the conference with its 600 points, their links and the organisers' sessions; the
roll-up computed from the rows; the day's figures checked in the database."""

from __future__ import annotations

import datetime as dt
import json
import time
from importlib import import_module
from pathlib import Path

from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from moduong.accounts.models import User
from moduong.conferences import selectors
from moduong.conferences.models import (
    AttendanceCategory,
    Conference,
    ConnectionPoint,
    PointReport,
)
from moduong.units.models import Commune
from moduong.units.services import admin_units_load

SLUG = "hoi-nghi-do-tai"
POINTS = 600
DELEGATES = 26_000


def setup(out: str, organisers: int) -> None:
    admin_units_load()  # the July 2025 list of provinces and communes
    communes = list(
        Commune.objects.filter(version__is_current=True).select_related("province").order_by("pk")
    )
    communes = communes[:: max(1, len(communes) // POINTS)][:POINTS]
    conference = Conference.objects.create(
        title="Hội nghị đo tải",
        slug=SLUG,
        starts_at=timezone.now() + dt.timedelta(minutes=20),
        main_hall="Hội trường",
        target_points=POINTS,
        target_delegates=DELEGATES,
        links_expire_at=timezone.now() + dt.timedelta(days=1),
        is_published=True,
    )
    categories = AttendanceCategory.objects.bulk_create(
        AttendanceCategory(conference=conference, name=n, sort_order=i)
        for i, n in enumerate(("Đảng viên", "Cán bộ", "Khách mời"))
    )
    points = ConnectionPoint.objects.bulk_create(
        ConnectionPoint(
            conference=conference,
            code=f"DC-{n + 1:03d}",
            name=f"Điểm cầu {communes[n % len(communes)].name}",
            province=communes[n % len(communes)].province,
            commune=communes[n % len(communes)],
            capacity=200,
            expected_attendance=DELEGATES // POINTS,
        )
        for n in range(POINTS)
    )
    organiser = User.objects.create_superuser("bench-organiser", "o@example.vn", "x")
    sessions = []
    for _ in range(organisers):
        # The site's own session engine (cached_db on Redis), one session per organiser.
        session = import_module(settings.SESSION_ENGINE).SessionStore()
        session["_auth_user_id"] = str(organiser.pk)
        session["_auth_user_backend"] = "django.contrib.auth.backends.ModelBackend"
        session["_auth_user_hash"] = organiser.get_session_auth_hash()
        session.set_expiry(86400)
        session.create()
        sessions.append(session.session_key)
    Path(out).write_text(
        json.dumps(
            {
                "conference": conference.pk,
                "slug": SLUG,
                "categories": [c.pk for c in categories],
                "reports": [
                    reverse(
                        "conferences:report",
                        args=[selectors.point_link(point=p, conference=conference)],
                    )
                    for p in points
                ],
                "rollup": reverse("conferences_rollup", args=[conference.pk]),
                "sessions": sessions,
            }
        )
    )


def reset() -> None:
    """The points as before the day: nothing reported (the load phases reported many times)."""
    conference = Conference.objects.get(slug=SLUG)
    PointReport.objects.filter(point__conference=conference).delete()
    ConnectionPoint.objects.filter(conference=conference).update(
        link_test="",
        link_test_note="",
        linked_at=None,
        attendance={},
        attendance_total=0,
        reported_at=None,
        revision=0,
    )


def day_check(out: str) -> None:
    """What the database holds after the day: every report and the figures they add up to."""
    conference = Conference.objects.get(slug=SLUG)
    figures = selectors.rollup_compute(conference=conference)
    Path(out).write_text(
        json.dumps(
            {
                "reports": PointReport.objects.filter(point__conference=conference).count(),
                "linked": figures.linked,
                "delegates": figures.delegates,
            }
        )
    )


def compute(out: str, times: int = 21) -> None:
    """The roll-up computed from the 600 rows (no cache), `times` times: seconds each."""
    conference = Conference.objects.get(slug=SLUG)
    took = []
    for _ in range(times):
        started = time.perf_counter()
        selectors.rollup_compute(conference=conference)
        took.append(time.perf_counter() - started)
    Path(out).write_text(json.dumps(took))
