"""Organisers' jobs on the real PostgreSQL: simultaneous clicks on "rank" queue one job and
one task; a lock held too long ends in a Vietnamese message, not a wait nor an error page."""

import threading
import time

import psycopg
import pytest
from django.db import connection, transaction
from django.test import Client
from django_tasks_db.models import DBTaskResult

from moduong.accounts.services import user_delete
from moduong.contests.models import Disqualification, RankingEntry, RoundJob
from moduong.contests.selectors import winners
from moduong.contests.services import (
    participant_disqualify,
    ranking_job_run,
    round_rank,
    round_results_compute,
)
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


def test_an_account_deleted_while_the_ranking_runs_wins_nothing(site, settings) -> None:  # type: ignore[no-untyped-def]
    """The ranking's INSERT … SELECT read the attempts before the account's deletion was
    committed, and commits after it: its entry of the deleted person stays. The winners skip
    it (the next person takes the prize), and the deletion queued the ranking again."""
    settings.TASKS = {
        "default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}
    }
    rnd = closed_round(prize_count=1)
    gone, stays = participant(rnd.contest), participant(rnd.contest)
    first = add(rnd, gone, 1, 20, 60, None, 1)
    add(rnd, stays, 1, 18, 60, None, 2)
    round_results_compute(round_id=rnd.pk)  # the round is ranked once: gone first
    ranked, go = threading.Event(), threading.Event()
    errors: list[BaseException] = []

    def ranking() -> None:
        try:
            with transaction.atomic():
                round_rank(round_id=rnd.pk)
                ranked.set()
                assert go.wait(30)
        except BaseException as error:
            errors.append(error)
            ranked.set()
        finally:
            connection.close()

    def deletion() -> None:
        try:
            user_delete(user=gone)
        except BaseException as error:
            errors.append(error)
        finally:
            connection.close()

    ranker = threading.Thread(target=ranking)
    ranker.start()
    assert ranked.wait(30)
    deleter = threading.Thread(target=deletion)
    deleter.start()
    # The ranking commits once the deletion has committed, or waits for a row the ranking
    # holds (it did, when the ranking's entries were deleted with the account).
    with psycopg.connect(_dsn(), autocommit=True) as gate:
        for _ in range(400):
            gate.execute("SELECT pg_stat_clear_snapshot()")
            blocked = gate.execute(
                "SELECT count(*) FROM pg_stat_activity"
                " WHERE wait_event_type = 'Lock' AND datname = current_database()"
            ).fetchone()[0]
            if blocked or not deleter.is_alive():
                break
            time.sleep(0.05)
    go.set()
    ranker.join(30)
    deleter.join(30)
    assert not errors
    assert RankingEntry.objects.filter(round=rnd, attempt_id=first.pk).exists()
    rnd.refresh_from_db()

    assert [(w.position, w.score) for w in winners(round=rnd)] == [(1, 18)]
    page = Client().get(f"/cuoc-thi/{rnd.contest.slug}/vong-{rnd.number}/giai-thuong/")
    assert page.content.decode().count("<tr><td>") == 1
    job = RoundJob.objects.get(round=rnd, kind=RoundJob.RANK, state=RoundJob.QUEUED)
    ranking_job_run(job_id=job.pk)
    assert list(RankingEntry.objects.filter(round=rnd).values_list("position", "user_id")) == [
        (1, stays.pk)
    ]
