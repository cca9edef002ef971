"""Conferences benchmark on PostgreSQL + Redis: the day of a city conference with 600
connection points and 26,000 delegates.

    .venv/bin/python bench/conferences.py [--rounds 3]

Needs PostgreSQL (BENCH_CONFERENCES_DATABASE_URL, default
postgres://postgres@127.0.0.1:5432/moduong_conferences_bench, recreated) and Redis
(BENCH_REDIS_URL, default redis://127.0.0.1:6379/8, emptied). Runs in one process with the
bench settings (production settings plus the baseline views), like bench/training.py: every
request goes through Django's whole middleware stack by the test client, with no HTTP server in
between.

A round is the issue's minute: each of the 600 points sends "đã kết nối" and then its attendance
through its own signed link (its own client address, as each point is its own phone), while the
50 organisers' roll-up screens poll every 5 s (one roll-up request after every two reports: 600
polls a minute). Each round is followed by the one-row-insert baseline view, 1,200 times, from
the same kind of client; rounds are interleaved and the medians reported. The roll-up itself is
timed uncached (computed from the 600 rows) and as the screen's poll (cached until a report
changes it). Appends to BENCHMARKS.md."""

from __future__ import annotations

import argparse
import datetime as dt
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import record

ROOT = Path(__file__).resolve().parent.parent
DATABASE_URL = os.environ.get(
    "BENCH_CONFERENCES_DATABASE_URL",
    "postgres://postgres@127.0.0.1:5432/moduong_conferences_bench",
)
REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/8")
POINTS = 600
DELEGATES = 26_000
ORGANISERS = 50
POLL_SECONDS = 5


def psql(sql: str, database: str = "postgres") -> None:
    base = DATABASE_URL.rsplit("/", 1)[0]
    subprocess.run(["psql", f"{base}/{database}", "-q", "-c", sql], check=True)


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    name = DATABASE_URL.rsplit("/", 1)[1]
    psql(f"DROP DATABASE IF EXISTS {name}")
    psql(f"CREATE DATABASE {name}")
    os.environ.update(
        {
            "DATABASE_URL": DATABASE_URL,
            "REDIS_URL": REDIS_URL,
            "DJANGO_SETTINGS_MODULE": "moduong.settings.bench",
            "MODUONG_DATA_DIR": tempfile.mkdtemp(prefix="moduong-conferences-bench-"),
            "SECRET_KEY": "bench-" + "x" * 50,
            "ALLOWED_HOSTS": "testserver,127.0.0.1",
        }
    )
    import django

    django.setup()
    from django.conf import settings
    from django.test.utils import override_settings

    static = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
    override_settings(STORAGES={**settings.STORAGES, "staticfiles": static}).enable()
    from django.core.cache import cache
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
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

    call_command("migrate", interactive=False, verbosity=0)
    admin_units_load()  # the July 2025 list of provinces and communes
    cache.clear()
    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE TABLE bench_baseline_row (id bigserial PRIMARY KEY, created timestamptz)"
        )
    communes = list(
        Commune.objects.filter(version__is_current=True).select_related("province").order_by("pk")
    )
    step = max(1, len(communes) // POINTS)
    communes = communes[::step][:POINTS]
    conference = Conference.objects.create(
        title="Hội nghị đo tải",
        slug="hoi-nghi-do-tai",
        starts_at=timezone.now() + dt.timedelta(minutes=20),
        main_hall="Hội trường",
        target_points=POINTS,
        target_delegates=DELEGATES,
        links_expire_at=timezone.now() + dt.timedelta(days=1),
    )
    categories = AttendanceCategory.objects.bulk_create(
        AttendanceCategory(conference=conference, name=n, sort_order=i)
        for i, n in enumerate(("Đảng viên", "Cán bộ", "Khách mời"))
    )

    def make_points() -> list[ConnectionPoint]:
        ConnectionPoint.objects.filter(conference=conference).delete()
        return ConnectionPoint.objects.bulk_create(
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

    # Each point's share of the 26,000 delegates, by category: 43 or 44 people.
    shares = [DELEGATES // POINTS + (1 if n < DELEGATES % POINTS else 0) for n in range(POINTS)]

    organiser = User.objects.create_superuser("bench-organiser", "o@example.vn", "x")
    screen = Client(SERVER_NAME="127.0.0.1", HTTP_HX_REQUEST="true")
    screen.force_login(organiser)
    rollup_url = reverse("conferences_rollup", args=[conference.pk])
    insert_client = Client(SERVER_NAME="127.0.0.1")
    insert_client.get("/__bench__/hello")

    def one_minute() -> tuple[float, list[float], list[float]]:
        """The 600 points' two reports each with the organisers' polls between them: seconds,
        each report's latency, each poll's latency."""
        points = make_points()
        phones = [
            (
                Client(SERVER_NAME="127.0.0.1", REMOTE_ADDR=f"10.{n // 250}.{n % 250}.1"),
                reverse(
                    "conferences:report",
                    args=[selectors.point_link(point=p, conference=conference)],
                ),
            )
            for n, p in enumerate(points)
        ]
        reports: list[float] = []
        polls: list[float] = []
        started = time.perf_counter()
        sent = 0
        for kind in ("linked", "attendance"):
            for n, (phone, url) in enumerate(phones):
                if kind == "linked":
                    data = {"link_test": "ok", "linked": "on"}
                else:
                    share = shares[n]
                    data = {
                        "link_test": "ok",
                        "linked": "on",
                        f"cat_{categories[0].pk}": str(share // 2),
                        f"cat_{categories[1].pk}": str(share // 3),
                        f"cat_{categories[2].pk}": str(share - share // 2 - share // 3),
                    }
                t = time.perf_counter()
                response = phone.post(url, data)
                reports.append(time.perf_counter() - t)
                assert response.status_code == 302, (response.status_code, response.content[:300])
                sent += 1
                if sent % 2 == 0:  # 50 organisers every 5 s: 600 polls in the minute
                    t = time.perf_counter()
                    shown = screen.get(rollup_url)
                    polls.append(time.perf_counter() - t)
                    assert shown.status_code == 200, shown.status_code
        return time.perf_counter() - started, reports, polls

    def inserts(count: int) -> list[float]:
        times = []
        for _ in range(count):
            t = time.perf_counter()
            response = insert_client.post("/__bench__/insert")
            times.append(time.perf_counter() - t)
            assert response.status_code == 200
        return times

    load_before = record.load()
    rounds = []
    for _ in range(args.rounds):
        seconds, reports, polls = one_minute()
        baseline = inserts(len(reports))
        rounds.append((seconds, reports, polls, baseline))

    figures = selectors.rollup_compute(conference=conference)
    assert (figures.linked, figures.delegates) == (POINTS, DELEGATES), figures
    assert PointReport.objects.filter(point__conference=conference).count() == 2 * POINTS

    def compute_ms() -> float:
        t = time.perf_counter()
        selectors.rollup_compute(conference=conference)
        return (time.perf_counter() - t) * 1000

    computes = [compute_ms() for _ in range(21)]
    cached_polls = []
    for _ in range(200):
        t = time.perf_counter()
        screen.get(rollup_url)
        cached_polls.append((time.perf_counter() - t) * 1000)

    seconds = statistics.median(r[0] for r in rounds)
    report_p50 = statistics.median(statistics.median(r[1]) for r in rounds) * 1000
    report_p99 = statistics.median(percentile(r[1], 0.99) for r in rounds) * 1000
    poll_p50 = statistics.median(statistics.median(r[2]) for r in rounds) * 1000
    insert_p50 = statistics.median(statistics.median(r[3]) for r in rounds) * 1000
    # Rates from medians of each round: requests per second of the report and of the baseline.
    ratio = statistics.median(statistics.median(r[3]) / statistics.median(r[1]) for r in rounds)

    lines = [
        "",
        f"## {dt.date.today():%Y-%m-%d}: conferences, the day of the conference",
        "",
        f"- Machine: {record.machine()}; PostgreSQL + Redis, bench settings, one process;"
        f" load average {load_before} at the start, {record.load()} at the end.",
        f"- Command: `python bench/conferences.py --rounds {args.rounds}`.",
        f"- Data: {POINTS} connection points (one per commune, across provinces), 3 categories;"
        f" each round {POINTS} × 2 reports (linked, then attendance: {DELEGATES:,} delegates in"
        f" all) with {ORGANISERS} organisers' roll-up polls every {POLL_SECONDS} s between"
        " them (one poll per two reports), then the one-row-insert baseline as many times;"
        " medians over the rounds. Requests go through Django's whole middleware stack (test"
        " client, no HTTP server); each point from its own client address (rate limit on).",
        "",
        "| measure | figure | target |",
        "|---|---:|---:|",
        f"| a round: 1,200 reports + 600 roll-up polls | {seconds:.1f} s | < 60 s |",
        f"| point report (POST), p50 | {report_p50:.1f} ms | |",
        f"| point report (POST), p99 | {report_p99:.1f} ms | < 300 ms |",
        f"| one-row-insert view (baseline), p50 | {insert_p50:.1f} ms | |",
        f"| report / baseline (rate) | {ratio:.2f}× | ≥ 0.6× |",
        f"| roll-up poll during the reports, p50 | {poll_p50:.1f} ms | |",
        f"| roll-up computed, 600 points, 26,000 delegates, p50 of 21"
        f" | {statistics.median(computes):.1f} ms | < 100 ms |",
        f"| roll-up poll when nothing changed (cached), p50 of 200"
        f" | {statistics.median(cached_polls):.1f} ms | < 100 ms |",
    ]
    print("\n".join(lines))
    record.append(lines)
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    sys.exit(main())
