"""Training benchmark on PostgreSQL: the city's roll-up over 2,000 classes and 320,000
enrolments, a 10,000-row Excel enrolment, and the QR check-in beside the one-row-insert view.

    .venv/bin/python bench/training.py [--requests 1500] [--rounds 3]

Needs PostgreSQL (BENCH_TRAINING_DATABASE_URL, default
postgres://postgres@127.0.0.1:5432/moduong_training_bench, recreated). Runs in one process with
the bench settings (production settings plus the baseline views): the roll-up and the import
call the app's own selector and service; the check-in and the baseline are requests through
Django's whole middleware stack by the same test client, as one logged-in learner, in
interleaved rounds (medians), so their ratio compares like with like. Appends to BENCHMARKS.md.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import io
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import record

ROOT = Path(__file__).resolve().parent.parent
DATABASE_URL = os.environ.get(
    "BENCH_TRAINING_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/moduong_training_bench"
)
# The cache and the sessions, as in production; flushed at the start (a db of its own).
REDIS_URL = os.environ.get("BENCH_TRAINING_REDIS_URL", "redis://127.0.0.1:6379/7")
CLASSES = 2000
ENROLMENTS = 320_000
LEARNERS = 200_000  # people: many attend two classes, so distinct < enrolments


def psql(sql: str, database: str = "postgres") -> None:
    base = DATABASE_URL.rsplit("/", 1)[0]
    subprocess.run(["psql", f"{base}/{database}", "-q", "-c", sql], check=True)


GENERATE = [
    """INSERT INTO units_unit (name, code, parent_id, contact_email)
       SELECT 'Đơn vị ' || g, 'bench-' || g, NULL, '' FROM generate_series(1, 60) g""",
    """INSERT INTO training_centre (unit_id, area)
       SELECT id, 'Khu vực ' || (id %% 5) FROM units_unit
       WHERE code LIKE 'bench-%%' AND id %% 3 = 0""",
    """INSERT INTO training_programme
         (name, kind, required_hours, min_attendance_percent, pass_mark, assignment_required)
       SELECT 'Chương trình ' || g, 'so-cap', 40, 80, 5, false FROM generate_series(1, 4) g""",
    """INSERT INTO training_trainingclass
         (code, name, centre_id, programme_id, starts_on, ends_on, place, capacity)
       SELECT 'b-' || g, 'Lớp ' || g,
         (SELECT id FROM training_centre ORDER BY id
          OFFSET g %% (SELECT count(*) FROM training_centre) LIMIT 1),
         (SELECT id FROM training_programme ORDER BY id OFFSET g %% 4 LIMIT 1),
         DATE '2026-01-05' + (g %% 360), DATE '2026-01-15' + (g %% 360), 'Hội trường', 500
       FROM generate_series(1, %(classes)s) g""",
    """INSERT INTO training_learner
         (full_name, name_key, date_of_birth, identifier, unit_id, created_at)
       SELECT 'Học viên ' || g, 'hoc vien ' || g, DATE '1970-01-01' + (g %% 12000),
         lpad((10000000 + g)::text, 8, '0'),
         (SELECT min(id) FROM units_unit WHERE code LIKE 'bench-%%') + g %% 60, now()
       FROM generate_series(1, %(learners)s) g""",
    """INSERT INTO training_enrolment
         (learner_id, training_class_id, enrolled_at, attendance_percent, completed)
       SELECT l.first + (g %% %(learners)s),
         c.first + ((g + g / %(learners)s) %% %(classes)s), now(), 90, g %% 5 <> 0
       FROM generate_series(0, %(enrolments)s - 1) g,
         (SELECT min(id) AS first FROM training_learner) l,
         (SELECT min(id) AS first FROM training_trainingclass) c""",
    "ANALYZE",
]


def generate() -> None:
    """The rows, made by PostgreSQL itself (generate_series), not one by one."""
    from django.db import connection

    sizes = {"classes": CLASSES, "learners": LEARNERS, "enrolments": ENROLMENTS}
    with connection.cursor() as cursor:
        for sql in GENERATE:
            cursor.execute(sql, None if sql == "ANALYZE" else sizes)


def _letters(number: int) -> str:
    """A name for the n-th person with no digit in it (names have none): 0 → "Aa"."""
    word = ""
    for _ in range(4):
        number, digit = divmod(number, 26)
        word = chr(97 + digit) + word
    return word.capitalize()


def timed(call, times: int = 3) -> float:  # type: ignore[no-untyped-def]
    durations = []
    for _ in range(times):
        start = time.perf_counter()
        call()
        durations.append(time.perf_counter() - start)
    return statistics.median(durations)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=1500)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    name = DATABASE_URL.rsplit("/", 1)[1]
    psql(f"DROP DATABASE IF EXISTS {name}")
    psql(f"CREATE DATABASE {name}")
    subprocess.run(["redis-cli", "-u", REDIS_URL, "flushdb"], check=True, capture_output=True)
    data_dir = tempfile.mkdtemp(prefix="moduong-training-bench-")
    os.environ.update(
        {
            "DATABASE_URL": DATABASE_URL,
            "DJANGO_SETTINGS_MODULE": "moduong.settings.bench",
            "MODUONG_DATA_DIR": data_dir,
            "SECRET_KEY": "bench-" + "x" * 50,
            "ALLOWED_HOSTS": "testserver,127.0.0.1",
            "REDIS_URL": REDIS_URL,
        }
    )
    import django

    django.setup()
    from django.conf import settings
    from django.test.utils import override_settings

    # No collectstatic for a benchmark run: pages name their static files unhashed.
    static = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
    override_settings(STORAGES={**settings.STORAGES, "staticfiles": static}).enable()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from openpyxl import Workbook

    from moduong.accounts.models import User
    from moduong.training import checkin, selectors, services
    from moduong.training.models import Enrolment, Learner, Session, TrainingClass

    call_command("migrate", interactive=False, verbosity=0)
    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE TABLE bench_baseline_row (id bigserial PRIMARY KEY, created timestamptz)"
        )
    started = time.perf_counter()
    generate()
    generated = time.perf_counter() - started

    from django.core.cache import cache

    @contextlib.contextmanager
    def counted() -> Iterator[list[str]]:
        """The SQL statements run inside the block."""
        statements: list[str] = []

        def wrapper(execute, sql, params, many, context):  # type: ignore[no-untyped-def]
            statements.append(sql)
            return execute(sql, params, many, context)

        with connection.execute_wrapper(wrapper):
            yield statements

    cache.clear()
    quarter = {"date_from": dt.date(2026, 3, 1), "date_to": dt.date(2026, 5, 31)}
    # Computed: what the refresh task does after a change, and the first reader of a period.
    compute_s = timed(selectors.rollup_compute)
    period_compute_s = timed(lambda: selectors.rollup_compute(**quarter))
    # Read: what the dashboard, the command and the API do (the task has run after the change).
    selectors.rollup_generation_bump()
    assert selectors.rollup_refresh() and not selectors.rollup_refresh()
    report = selectors.rollup()
    assert report["totals"]["classes"] == CLASSES and report["totals"]["enrolments"] == ENROLMENTS
    assert report["totals"] == selectors.rollup_compute()["totals"]
    with counted() as rollup_queries:
        selectors.rollup()
    rollup_s = timed(selectors.rollup, 7)
    selectors.rollup(**quarter)
    period_s = timed(lambda: selectors.rollup(**quarter), 7)

    # 10,000 new people in one class, from an Excel file.
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["Họ và tên", "Ngày sinh", "Số thẻ đảng viên hoặc CCCD", "Đơn vị"])
    for g in range(10_000):
        sheet.append(
            [
                f"Nguyễn Văn {_letters(g)}",
                f"{1 + g % 28:02d}/{1 + g % 12:02d}/{1970 + g % 30}",
                f"{80000000 + g}",
                "",
            ]
        )
    out = io.BytesIO()
    book.save(out)
    big = TrainingClass.objects.filter(code="b-1").first()
    assert big is not None
    big.capacity = 20_000
    big.save(update_fields=["capacity"])
    start = time.perf_counter()
    result = services.enrolment_import(
        training_class=big, data=out.getvalue(), today=dt.date(2026, 12, 31)
    )
    import_s = time.perf_counter() - start
    assert not result.errors and result.enrolled == 10_000, result.errors[:3]

    # The check-in: one learner with an account, a session under way.
    from django.utils import timezone

    account = User.objects.create_user("bench-learner", "b@example.vn", "x")
    learner = Learner.objects.get(identifier="80000000")
    learner.account = account
    learner.save(update_fields=["account"])
    now = timezone.now()
    lesson = Session.objects.create(
        training_class=big,
        topic="Bench",
        starts_at=now - dt.timedelta(minutes=5),
        ends_at=now + dt.timedelta(hours=4),
    )
    client = Client(SERVER_NAME="127.0.0.1")  # the bench settings' ALLOWED_HOSTS
    client.force_login(account)
    client.get("/__bench__/hello")  # the session cookie, the CSRF exemption: test client

    page = {"code": "", "ticket": ""}

    def checkin_post() -> None:
        """The tap on the page's button; the page itself (scanned, so loaded once per code)
        is fetched again when the code on the screen changes, every 30 seconds."""
        code = checkin.checkin_code(session_id=lesson.pk, now=timezone.now())
        if code != page["code"]:
            html = client.get(f"/lop-boi-duong/diem-danh/{code}/").content.decode()
            found = re.search(r'name="ve" value="([^"]+)"', html)
            assert found, html[:500]
            page.update(code=code, ticket=found.group(1))
        response = client.post(f"/lop-boi-duong/diem-danh/{code}/", {"ve": page["ticket"]})
        assert response.status_code == 302, response.status_code

    def checkins() -> float:
        start = time.perf_counter()
        for _ in range(args.requests):
            checkin_post()
        return args.requests / (time.perf_counter() - start)

    checkin_post()  # the page of the current code, and its ticket
    with counted() as checkin_queries:  # the tap only
        tap = client.post(f"/lop-boi-duong/diem-danh/{page['code']}/", {"ve": page["ticket"]})
    assert tap.status_code == 302, tap.status_code

    def inserts() -> float:
        start = time.perf_counter()
        for _ in range(args.requests):
            response = client.post("/__bench__/insert")
            assert response.status_code == 200
        return args.requests / (time.perf_counter() - start)

    pairs = [(checkins(), inserts()) for _ in range(args.rounds)]
    checkin_rate = statistics.median(p[0] for p in pairs)
    insert_rate = statistics.median(p[1] for p in pairs)
    ratio = statistics.median(p[0] / p[1] for p in pairs)
    assert Enrolment.objects.filter(learner=learner, attendances__session=lesson).count() == 1

    lines = [
        "",
        f"## {dt.date.today():%Y-%m-%d}: political-theory classes (training)",
        "",
        f"- Machine: {record.machine()}; PostgreSQL, bench settings, one process.",
        f"- Command: `python bench/training.py --requests {args.requests} --rounds {args.rounds}`"
        f" (PostgreSQL and Redis); data made by PostgreSQL in {generated:.1f} s.",
        f"- Data: {CLASSES:,} classes, {ENROLMENTS:,} enrolments, {LEARNERS:,} learners"
        f" (distinct learners in the roll-up: {report['totals']['learners']:,}).",
        "- Check-in and baseline: requests through Django's whole middleware stack by one"
        " logged-in test client, interleaved rounds, medians (no HTTP server in between).",
        "",
        "| measure | figure | target |",
        "|---|---:|---:|",
        f"| city roll-up as read (cache, kept by the refresh task; median of 7) |"
        f" {rollup_s * 1000:.1f} ms, {len(rollup_queries)} SQL queries | < 1 s |",
        f"| one quarter as read after its first reader (median of 7) |"
        f" {period_s * 1000:.1f} ms | |",
        f"| city roll-up computed (refresh task; median of 3) | {compute_s * 1000:.0f} ms | |",
        f"| one quarter computed (its first reader; median of 3) |"
        f" {period_compute_s * 1000:.0f} ms | |",
        f"| 10,000-row Excel enrolment (new people) | {import_s:.1f} s | < 60 s |",
        f"| QR check-in (POST with the page's ticket) | {checkin_rate:.0f} req/s,"
        f" {len(checkin_queries)} SQL statement(s) | |",
        f"| one-row-insert view (baseline) | {insert_rate:.0f} req/s | |",
        f"| check-in / baseline | {ratio:.2f}× | ≥ 0.6× |",
    ]
    print("\n".join(lines))
    record.append(lines)
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    sys.exit(main())
