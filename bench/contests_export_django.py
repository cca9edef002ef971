"""The Django side of bench/contests_export.py, run by `moduong shell` (see there)."""

from __future__ import annotations

import datetime as dt
import json
import resource
import time
import zipfile
from pathlib import Path

from django.db import connection
from django.utils import timezone

from moduong.contests.models import Attempt, Contest, Round
from moduong.contests.services import (
    export_job_run,
    export_request,
    ranking_job_run,
    ranking_request,
)

_USERS_SQL = """
INSERT INTO accounts_user (password, is_superuser, username, first_name, last_name, email,
                           is_staff, is_active, date_joined, username_key, full_name, phone,
                           address, username_skeleton)
SELECT '!', false, 'xuat' || g, '', '', 'xuat' || g || '@example.vn', false, true, now(),
       'xuat' || g, 'Người Dự Thi', '', '', 'xuat' || g
FROM generate_series(1, %(people)s) g
"""

_ATTEMPTS_SQL = """
INSERT INTO contests_attempt (round_id, user_id, seq, questions, answers, started_at, deadline,
                              submitted_at, score, duration_ms, prediction, essay, late)
SELECT %(round)s, %(first)s + (g %% %(people)s), g / %(people)s + 1, '[]'::jsonb, '', ts,
       ts + interval '20 minutes', ts + (g %% 1200) * interval '1 second', (g::bigint * 7919) %% 21,
       (g %% 1200) * 1000 + g %% 997, (g::bigint * 104729) %% 500000, '', false
FROM (SELECT g, %(opens)s::timestamptz + (g %% 600000) * interval '1 second' AS ts
      FROM generate_series(0, %(last)s) g) s
"""


def fill(attempts: int) -> int:
    """A closed round of `attempts` attempts (4 per person), its people with profiles."""
    now = timezone.now()
    contest = Contest.objects.create(title="Cuộc thi xuất tệp", slug="cuoc-thi-xuat-tep")
    rnd = Round.objects.create(
        contest=contest,
        number=1,
        title="Vòng lớn",
        opens_at=now - dt.timedelta(days=7),
        closes_at=now - dt.timedelta(minutes=1),
        attempts_allowed=4,
        prediction_question="Có bao nhiêu người dự thi?",
    )
    people = max(1, attempts // 4)
    with connection.cursor() as cursor:
        cursor.execute(_USERS_SQL, {"people": people})
        cursor.execute("SELECT min(id) FROM accounts_user WHERE username LIKE 'xuat%%'")
        first = cursor.fetchone()[0]
        cursor.execute(
            "INSERT INTO contests_participantprofile (contest_id, user_id, full_name, gender,"
            " phone, id_number, consent_at, created_at)"
            " SELECT %s, id, full_name, '', '', '', now(), now() FROM accounts_user"
            " WHERE username LIKE 'xuat%%'",
            [contest.pk],
        )
        cursor.execute(
            _ATTEMPTS_SQL,
            {
                "round": rnd.pk,
                "first": first,
                "people": people,
                "opens": rnd.opens_at,
                "last": attempts - 1,
            },
        )
        cursor.execute("ANALYZE")
    return rnd.pk


def rank(round_id: int, out_path: str) -> None:
    job, _new = ranking_request(round_id=round_id)
    started = time.perf_counter()
    done = ranking_job_run(job_id=job.pk)
    seconds = time.perf_counter() - started
    Path(out_path).write_text(json.dumps({"seconds": seconds, "state": done.state}))  # type: ignore[union-attr]


def export(round_id: int, report: str, format: str, out_path: str) -> None:
    """One export, as the task worker runs it; this process's peak memory (the whole worker:
    Django, the models, the rows in flight)."""
    job, _new = export_request(round_id=round_id, report=report, format=format)
    started = time.perf_counter()
    done = export_job_run(job_id=job.pk)
    seconds = time.perf_counter() - started
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    sheets = 0
    if format == "xlsx":
        with done.file.open("rb") as handle, zipfile.ZipFile(handle) as book:  # type: ignore[union-attr]
            sheets = sum(n.startswith("xl/worksheets/sheet") for n in book.namelist())
    Path(out_path).write_text(
        json.dumps(
            {
                "seconds": seconds,
                "rows": done.done,  # type: ignore[union-attr]
                "state": done.state,  # type: ignore[union-attr]
                "peak_mb": peak_mb,
                "sheets": sheets,
                "bytes": done.file.size,  # type: ignore[union-attr]
            }
        )
    )


def dashboard(round_id: int, out_path: str) -> None:
    """The organiser's dashboard over the filled round: its aggregates as the background task
    computes them (median of 3), then the page as staff get it (GET, logged in, figures in
    the cache as the task leaves them; median of 20 after one warm-up)."""
    from django.contrib.auth import get_user_model
    from django.test import Client
    from django.urls import reverse

    from moduong.contests.selectors import dashboard_compute, dashboard_refresh

    rnd = Round.objects.get(pk=round_id)
    computed = []
    for _ in range(3):
        started = time.perf_counter()
        dashboard_compute(round=rnd)
        computed.append(time.perf_counter() - started)
    dashboard_refresh(round=rnd)
    staff = get_user_model().objects.create_superuser(
        username="bantochuc", email="btc@example.vn", password=None
    )
    client = Client(HTTP_HOST="localhost")
    client.force_login(staff)
    url = reverse("contests_round", args=[round_id])
    served = []
    for _ in range(21):
        started = time.perf_counter()
        response = client.get(url)
        served.append(time.perf_counter() - started)
        if response.status_code != 200:
            raise RuntimeError(f"dashboard answered {response.status_code}")
    Path(out_path).write_text(
        json.dumps(
            {
                "attempts": Attempt.objects.filter(round_id=round_id).count(),
                "computed": computed,
                "served": served[1:],
            }
        )
    )
