"""Where a point's report spends its time: cProfile around reports sent through Django's test
client (the whole middleware stack, no HTTP server), on the database bench/conferences.py
leaves behind (run it first), with the bench settings.

    BENCH_CONFERENCES_DATABASE_URL=postgres://postgres@127.0.0.1:5432/moduong_h2_bench \\
    BENCH_REDIS_URL=redis://127.0.0.1:6379/4 \\
    .venv/bin/python bench/conferences_profile.py [--reports 120]

Prints, per report: the wall time, the PostgreSQL statements and the Redis commands it sent,
and the time spent in each (cumulative, from the profile), then the profile's top functions.
To profile another tree's code (a "before"), put its `src` first on PYTHONPATH."""

from __future__ import annotations

import argparse
import cProfile
import io
import os
import pstats
import sys
import tempfile
import time


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--reports", type=int, default=120)
    args = parser.parse_args()
    os.environ.update(
        {
            "DATABASE_URL": os.environ.get(
                "BENCH_CONFERENCES_DATABASE_URL",
                "postgres://postgres@127.0.0.1:5432/moduong_conferences_bench",
            ),
            "REDIS_URL": os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/8"),
            "DJANGO_SETTINGS_MODULE": "moduong.settings.bench",
            "MODUONG_DATA_DIR": tempfile.mkdtemp(prefix="moduong-conferences-profile-"),
            "SECRET_KEY": "bench-" + "x" * 50,
            "ALLOWED_HOSTS": "testserver,127.0.0.1",
            "LOG_LEVEL": "WARNING",
        }
    )
    import django

    django.setup()
    from django.conf import settings
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, override_settings
    from django.urls import reverse
    from redis.client import Redis

    from moduong.conferences import selectors
    from moduong.conferences.models import AttendanceCategory, Conference

    override_settings(ALLOWED_HOSTS=["testserver"], SECURE_SSL_REDIRECT=False).enable()
    from django.db import connection

    conference = Conference.objects.get(slug="hoi-nghi-do-tai")
    categories = list(AttendanceCategory.objects.filter(conference=conference).order_by("pk"))
    points = list(conference.points.order_by("pk")[: args.reports])  # type: ignore[attr-defined]
    urls = [
        reverse("conferences:report", args=[selectors.point_link(point=p, conference=conference)])
        for p in points
    ]
    redis_commands = 0
    original = Redis.execute_command

    def counted(self, *a, **k):  # type: ignore[no-untyped-def]
        nonlocal redis_commands
        redis_commands += 1
        return original(self, *a, **k)

    Redis.execute_command = counted  # type: ignore[method-assign]
    from redis.client import Pipeline

    original_pipe = Pipeline.execute

    def counted_pipe(self, *a, **k):  # type: ignore[no-untyped-def]
        nonlocal redis_commands
        redis_commands += 1
        return original_pipe(self, *a, **k)

    Pipeline.execute = counted_pipe  # type: ignore[method-assign]

    def send(n: int, people: int) -> None:
        client = Client(HTTP_X_FORWARDED_FOR=f"10.9.{n // 250}.{n % 250}")
        data = {"link_test": "ok", "linked": "on"}
        for c, share in zip(
            categories, (people // 2, people // 3, people - people // 2 - people // 3), strict=True
        ):
            data[f"cat_{c.pk}"] = str(share)
        response = client.post(urls[n], data)
        assert response.status_code == 302, (response.status_code, response.content[:300])

    for n in range(min(10, len(urls))):  # warm: connections, templates, caches
        send(n, 30 + n % 7)
    # Each report changes the point's attendance (a write, as on the day), whatever the
    # database held before this run.
    totals = dict(conference.points.values_list("pk", "attendance_total"))  # type: ignore[attr-defined]
    people = [40 + (totals[p.pk] - 39) % 30 for p in points]
    profile = cProfile.Profile()
    redis_commands = 0
    started = time.perf_counter()
    with CaptureQueriesContext(connection) as queries:
        profile.enable()
        for n in range(len(urls)):
            send(n, people[n])
        profile.disable()
    elapsed = time.perf_counter() - started
    count = len(urls)
    stats = pstats.Stats(profile)

    def cumulative(match: str) -> float:
        return sum(
            value[3]
            for (path, _line, name), value in stats.stats.items()  # type: ignore[attr-defined]
            if match in f"{path}:{name}"
        )

    print(f"{count} reports, {elapsed / count * 1000:.1f} ms each (profiled, wall)")
    print(f"PostgreSQL statements per report: {len(queries) / count:.2f}")
    for sql in {q["sql"][:90] for q in queries.captured_queries}:
        print(f"    {sql}")
    print(f"Redis round trips per report: {redis_commands / count:.2f}")
    per_report = {
        "time in PostgreSQL (psycopg execute)": cumulative("psycopg/cursor.py:execute"),
        "time in Redis": cumulative("redis/client.py:execute_command")
        + cumulative("redis/client.py:execute"),
        "the view (point_report)": cumulative("conferences/views.py:point_report"),
        "the rate limit": cumulative("core/services.py:rate_limit_exceeded"),
    }
    for what, seconds in per_report.items():
        print(f"{what} per report: {seconds / count * 1000:.2f} ms")
    out = io.StringIO()
    pstats.Stats(profile, stream=out).sort_stats("cumulative").print_stats(60)
    print(out.getvalue())
    del settings
    return 0


if __name__ == "__main__":
    sys.exit(main())
