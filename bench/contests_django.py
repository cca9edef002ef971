"""The parts of bench/contests.py that run inside Django (`moduong shell`), on the benchmark's
database: the contest, its participants and their sessions; the round of 1,000,000 attempts."""

from __future__ import annotations

import datetime as dt
import json
import statistics
import time
from importlib import import_module
from pathlib import Path

from django.conf import settings
from django.db import connection
from django.utils import timezone

from moduong.accounts.models import User
from moduong.contests.models import Contest, Option, Question, Round
from moduong.contests.selectors import dashboard as dashboard_read
from moduong.contests.selectors import dashboard_compute, dashboard_refresh
from moduong.contests.services import round_bank_freeze, round_results_compute

SLUG = "cuoc-thi-do-tai"

_USERS_SQL = """
INSERT INTO accounts_user (password, is_superuser, username, first_name, last_name, email,
                           is_staff, is_active, date_joined, username_key, full_name, phone,
                           address, username_skeleton)
SELECT '!', false, %(prefix)s || g, '', '', %(prefix)s || g || '@example.vn', false, true, now(),
       %(prefix)s || g, 'Người Dự Thi', '', '', %(prefix)s || g
FROM generate_series(1, %(count)s) g
"""

_MILLION_SQL = """
INSERT INTO contests_attempt (round_id, user_id, seq, questions, answers, started_at, deadline,
                              submitted_at, score, duration_ms, prediction, essay, late)
SELECT %(round)s, %(first)s + (g %% 250000), g / 250000 + 1, '[]'::jsonb, '', ts,
       ts + interval '20 minutes', ts + (g %% 1200) * interval '1 second', (g::bigint * 7919) %% 21,
       (g %% 1200) * 1000 + g %% 997, (g::bigint * 104729) %% 500000, '', false
FROM (SELECT g, %(opens)s::timestamptz + (g %% 600000) * interval '1 second' AS ts
      FROM generate_series(0, 999999) g) s
"""


def setup(users: int, keys_path: str) -> None:
    now = timezone.now()
    contest = Contest.objects.create(
        title="Cuộc thi đo tải",
        slug=SLUG,
        is_published=True,
        require_province=False,
        require_phone=False,
        require_date_of_birth=False,
    )
    for n in range(60):
        question = Question.objects.create(
            contest=contest,
            text=f"Câu hỏi đo tải số {n}?",
            topic=["Lịch sử", "Pháp luật", "Địa lý"][n % 3],
        )
        Option.objects.bulk_create(
            Option(question=question, text=f"Phương án {k}", is_correct=k == n % 4, sort_order=k)
            for k in range(4)
        )
    load_round = Round.objects.create(
        contest=contest,
        number=1,
        title="Tuần đo tải",
        opens_at=now - dt.timedelta(days=1),
        closes_at=now + dt.timedelta(days=1),
        questions_per_attempt=20,
        time_limit_seconds=3600,
        attempts_allowed=20,
        prediction_question="Có bao nhiêu người dự thi?",
    )
    round_bank_freeze(round_id=load_round.pk)  # no attempt starts before the freeze
    with connection.cursor() as cursor:
        cursor.execute(_USERS_SQL, {"prefix": "dotai", "count": users})
        cursor.execute(
            "INSERT INTO contests_participantprofile (contest_id, user_id, full_name, gender,"
            " phone, id_number, consent_at, created_at)"
            " SELECT %s, id, full_name, '', '', '', now(), now() FROM accounts_user"
            " WHERE username LIKE 'dotai%%'",
            [contest.pk],
        )
    keys = []
    for user in User.objects.filter(username__startswith="dotai").only("id", "password"):
        # The site's own session engine (cached_db on Redis: a session only in the cache's
        # own keys would not be found).
        session = import_module(settings.SESSION_ENGINE).SessionStore()
        session["_auth_user_id"] = str(user.pk)
        session["_auth_user_backend"] = "django.contrib.auth.backends.ModelBackend"
        session["_auth_user_hash"] = user.get_session_auth_hash()
        session.set_expiry(86400)
        session.create()
        keys.append(session.session_key)
    Path(keys_path).write_text(json.dumps(keys))


def million(out_path: str) -> None:
    contest = Contest.objects.get(slug=SLUG)
    now = timezone.now()
    rnd = Round.objects.create(
        contest=contest,
        number=2,
        title="Tuần một triệu lượt",
        opens_at=now - dt.timedelta(days=7),
        closes_at=now - dt.timedelta(minutes=1),
        questions_per_attempt=20,
        attempts_allowed=4,
        prediction_question="Có bao nhiêu người dự thi?",
    )
    with connection.cursor() as cursor:
        cursor.execute(_USERS_SQL, {"prefix": "trieu", "count": 250_000})
        cursor.execute("SELECT min(id) FROM accounts_user WHERE username LIKE 'trieu%%'")
        first = cursor.fetchone()[0]
        started = time.perf_counter()
        cursor.execute(_MILLION_SQL, {"round": rnd.pk, "first": first, "opens": rnd.opens_at})
        generated = time.perf_counter() - started
        cursor.execute("ANALYZE contests_attempt")
        cursor.execute("ANALYZE accounts_user")
    ranking, dashboard = [], []
    entries = 0
    for _ in range(3):
        started = time.perf_counter()
        entries = round_results_compute(round_id=rnd.pk)
        ranking.append(time.perf_counter() - started)
    rnd.refresh_from_db()
    figures: dict = {}
    for _ in range(5):
        started = time.perf_counter()
        figures = dashboard_compute(round=rnd)
        dashboard.append(time.perf_counter() - started)
    served = []
    dashboard_refresh(round=rnd)
    for _ in range(20):
        started = time.perf_counter()
        dashboard_read(round=rnd)
        served.append(time.perf_counter() - started)
    Path(out_path).write_text(
        json.dumps(
            {
                "generated": generated,
                "ranking": ranking,
                "entries": entries,
                "actual": rnd.prediction_actual,
                "dashboard": dashboard,
                "dashboard_median": statistics.median(dashboard),
                "served": served,
                "attempts": figures["attempts"],
            }
        )
    )
