"""Where a point's report spends its time: reports sent through Django's WSGI handler (every
middleware, as gunicorn runs it; no HTTP server), on the database bench/conferences.py leaves
behind (run it first), with the bench settings.

    BENCH_CONFERENCES_DATABASE_URL=postgres://postgres@127.0.0.1:5432/moduong_h2_bench \\
    BENCH_REDIS_URL=redis://127.0.0.1:6379/4 \\
    .venv/bin/python bench/conferences_profile.py [--reports 120] [--batches 5]

Prints the CPU time of this process a request (time.process_time: on a shared machine a
request's waits are other people's work, its CPU is what limits a worker), for the report and
for the one-row-insert view, in interleaved batches (median); then, per report: the wall time,
the PostgreSQL statements and the Redis commands it sent, and the time spent in each
(cumulative, from a profile of CPU time), then the profile's top functions.
To profile another tree's code (a "before"), put its `src` first on PYTHONPATH."""

from __future__ import annotations

import argparse
import cProfile
import io
import os
import pstats
import statistics
import sys
import tempfile
import time


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--reports", type=int, default=120)
    parser.add_argument("--batches", type=int, default=5)
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
    from django.core.handlers.wsgi import WSGIHandler
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

    handler = WSGIHandler()
    csrf = "benchcsrfbenchcsrfbenchcsrfbench"  # as bench/conferences.py sends it

    def call(method: str, path: str, body: bytes = b"", address: str = "") -> tuple[int, bytes]:
        environ = {
            "REQUEST_METHOD": method,
            "PATH_INFO": path,
            "QUERY_STRING": "",
            "SERVER_NAME": "testserver",
            "SERVER_PORT": "80",
            "REMOTE_ADDR": "127.0.0.1",
            "HTTP_HOST": "testserver",
            "HTTP_COOKIE": f"csrftoken={csrf}",
            "CONTENT_TYPE": "application/x-www-form-urlencoded",
            "CONTENT_LENGTH": str(len(body)),
            "wsgi.input": io.BytesIO(body),
            "wsgi.url_scheme": "http",
            "wsgi.errors": sys.stderr,
        }
        if address:
            environ["HTTP_X_FORWARDED_FOR"] = address
        status: list[str] = []
        chunks = handler(environ, lambda s, h: status.append(s))
        content = b"".join(chunks)
        getattr(chunks, "close", lambda: None)()
        return int(status[0].split()[0]), content

    def send(n: int, people: int) -> None:
        fields = [f"csrfmiddlewaretoken={csrf}", "link_test=ok", "linked=on"]
        for c, share in zip(
            categories, (people // 2, people // 3, people - people // 2 - people // 3), strict=True
        ):
            fields.append(f"cat_{c.pk}={share}")
        status, content = call(
            "POST", urls[n], "&".join(fields).encode(), address=f"10.9.{n // 250}.{n % 250}"
        )
        assert status == 302, (status, content[:300])

    def insert() -> None:
        status, content = call("GET", "/__bench__/insert")
        assert status == 200, (status, content[:300])

    for n in range(min(10, len(urls))):  # warm: connections, templates, caches
        send(n, 30 + n % 7)
    # Each report changes the point's attendance (a write, as on the day), whatever the
    # database held before this run.
    totals = dict(conference.points.values_list("pk", "attendance_total"))  # type: ignore[attr-defined]
    sent = 0

    def people(n: int) -> int:
        return 40 + (totals[points[n].pk] - 39 + sent) % 30

    cpu: dict[str, list[float]] = {"insert": [], "report": []}
    for _ in range(args.batches):
        sent += 1
        started = time.process_time()
        for n in range(len(urls)):
            send(n, people(n))
        cpu["report"].append((time.process_time() - started) / len(urls) * 1000)
        started = time.process_time()
        for _n in range(len(urls)):
            insert()
        cpu["insert"].append((time.process_time() - started) / len(urls) * 1000)
    for name, values in cpu.items():
        print(
            f"{name}: {statistics.median(values):.2f} ms of CPU a request in this process"
            " (median of batches: " + ", ".join(f"{v:.2f}" for v in values) + ")"
        )
    sent += 1
    profile = cProfile.Profile(time.process_time)
    redis_commands = 0
    started = time.perf_counter()
    with CaptureQueriesContext(connection) as queries:
        profile.enable()
        for n in range(len(urls)):
            send(n, people(n))
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
    for sql in {q["sql"].split("(", 1)[0][:90] for q in queries.captured_queries}:
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
