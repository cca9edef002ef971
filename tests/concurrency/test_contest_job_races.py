"""Organisers' jobs on the real PostgreSQL: simultaneous clicks on "rank" queue one job and
one task; a lock held too long ends in a Vietnamese message, not a wait nor an error page."""

import psycopg
import pytest
from django.test import Client
from django_tasks_db.models import DBTaskResult

from moduong.contests.models import Disqualification, RoundJob
from moduong.contests.services import participant_disqualify
from tests.contests.factories import participant
from tests.contests.test_ranking import add, closed_round
from tests.factories import UserFactory

from .test_contest_races import _dsn, _race

pytestmark = pytest.mark.django_db(transaction=True)


def _staff() -> Client:
    # Not the migration's staff group: an earlier transactional test flushes it.
    user = UserFactory(is_superuser=True, is_staff=True)
    client = Client()
    client.force_login(user)
    return client


def test_simultaneous_rank_clicks_queue_one_job_and_one_task(site, settings) -> None:  # type: ignore[no-untyped-def]
    settings.TASKS = {
        "default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}
    }
    rnd = closed_round()
    add(rnd, participant(rnd.contest), 1, 5, 100, None, at=1)
    clients = [_staff() for _ in range(4)]
    url = f"/admin/cuoc-thi/vong/{rnd.pk}/"
    statuses: list[int] = []
    errors = _race(
        # Every job's INSERT checks its round: FOR KEY SHARE waits behind this FOR UPDATE.
        "SELECT 1 FROM contests_round WHERE id = %s FOR UPDATE",
        [lambda c=c: statuses.append(c.post(url, {"action": "rank"}).status_code) for c in clients],
        (rnd.pk,),
    )
    assert not errors and statuses == [302] * 4
    assert RoundJob.objects.filter(round=rnd, kind=RoundJob.RANK).count() == 1
    assert DBTaskResult.objects.filter(task_path__endswith="round_job_run").count() == 1


def test_a_lock_held_too_long_is_a_vietnamese_message(site, settings) -> None:  # type: ignore[no-untyped-def]
    settings.LOCK_TIMEOUT_SECONDS = 0.5
    rnd = closed_round()
    user = participant(rnd.contest)
    add(rnd, user, 1, 5, 100, None, at=1)
    entry = participant_disqualify(round=rnd, user=user, reason="Thi hộ", decided_by=None)
    # Another staff member's decision on the same case holds its lock.
    with psycopg.connect(_dsn()) as gate:
        gate.execute(
            "SELECT pg_advisory_xact_lock(hashtext(%s))", (f"contests-dq:{entry.case_key}",)
        )
        response = _staff().post(
            f"/admin/cuoc-thi/vong/{rnd.pk}/cong-bang/",
            {"action": "lift", "disqualification": entry.pk, "reason": "Xem lại"},
        )
    assert response.status_code == 503
    assert "Chưa có gì thay đổi" in response.content.decode()
    assert not Disqualification.objects.filter(round=rnd, action=Disqualification.LIFT).exists()
