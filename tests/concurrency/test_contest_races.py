"""Contest starts and submits racing each other on the real PostgreSQL, through real requests
in threads, each thread with its own database connection.

The race is made to happen on every run, not by luck: the test's own connection takes a lock
that the requests' INSERT (or UPDATE) must wait for, waits until every request is queued behind
it in PostgreSQL, then lets them all go at the same instant."""

import json
import threading
import time
from collections.abc import Callable

import psycopg
import pytest
from django.conf import settings
from django.core.cache import cache
from django.db import connection, transaction
from django.test import Client

from moduong.contests.models import Attempt
from moduong.contests.selectors import round_id_key, round_id_published
from tests.contests.factories import correct_answers, open_round, participant

pytestmark = pytest.mark.django_db(transaction=True)


def _dsn() -> str:
    db = settings.DATABASES["default"]
    return (
        f"host={db['HOST'] or '127.0.0.1'} port={db['PORT'] or 5432} "
        f"dbname={connection.settings_dict['NAME']} user={db['USER']}"
        + (f" password={db['PASSWORD']}" if db["PASSWORD"] else "")
    )


def _waiting(gate: psycopg.Connection, count: int) -> None:
    """Until `count` other sessions are blocked on a lock."""
    for _ in range(400):
        # Activity statistics are a snapshot per transaction: take a new one each time.
        gate.execute("SELECT pg_stat_clear_snapshot()")
        waiting = gate.execute(
            "SELECT count(*) FROM pg_stat_activity"
            " WHERE wait_event_type = 'Lock' AND datname = current_database()"
        ).fetchone()[0]
        if waiting >= count:
            return
        time.sleep(0.05)
    raise AssertionError(f"only {waiting} of {count} requests reached the lock")


def _race(
    lock_sql: str, requests: list[Callable[[], None]], params: tuple[int, ...] = ()
) -> list[BaseException]:
    errors: list[BaseException] = []

    def run(request: Callable[[], None]) -> None:
        try:
            request()
        except BaseException as error:
            errors.append(error)
        finally:
            connection.close()

    with psycopg.connect(_dsn()) as gate:
        gate.execute(lock_sql, params)
        threads = [threading.Thread(target=run, args=(r,)) for r in requests]
        for thread in threads:
            thread.start()
        _waiting(gate, len(requests))
        gate.commit()  # every request goes at once
    for thread in threads:
        thread.join(30)
    return errors


def test_simultaneous_starts_never_exceed_the_attempts_allowed(site, settings) -> None:  # type: ignore[no-untyped-def]
    assert connection.vendor == "postgresql"
    settings.CONTESTS_START_CAPTCHA = False
    settings.CONTESTS_START_RATE_PER_MINUTE = 0
    rnd = open_round(attempts_allowed=2)
    user = participant(rnd.contest)
    url = f"/cuoc-thi/{rnd.contest.slug}/vong-{rnd.number}/bat-dau/"
    # Each page visit loads the round's paper first, so the race is on the INSERT alone.
    warm = Client()
    warm.force_login(user)
    assert warm.get(url).status_code == 200
    statuses: list[int] = []
    refusals: list[str] = []

    def start() -> None:
        client = Client()
        client.force_login(user)
        response = client.post(url)
        statuses.append(response.status_code)
        if response.status_code == 200:
            refusals.append(response.content.decode())

    errors = _race("LOCK TABLE contests_attempt IN SHARE MODE", [start] * 6)
    assert not errors, errors
    assert sorted(statuses) == [200, 200, 200, 200, 302, 302]
    assert all("Bạn đã dùng hết 2 lượt thi của vòng này." in page for page in refusals)
    seqs = sorted(Attempt.objects.filter(user=user).values_list("seq", flat=True))
    assert seqs == [1, 2]


def test_starts_of_withdrawn_sessions_racing_the_owners_leave_nothing_behind(
    site, settings
) -> None:  # type: ignore[no-untyped-def]
    """The API's start checks the session's login in its one INSERT (the account's password
    hash comes back with the new row) and takes the row out again if the login no longer
    holds. Old sessions of a changed password, starting at the same instant as the owner's
    own session: each is refused (401), none leaves an attempt, and the owner's starts never
    exceed the attempts allowed."""
    assert connection.vendor == "postgresql"
    settings.CONTESTS_START_CAPTCHA = False
    settings.CONTESTS_START_RATE_PER_MINUTE = 0
    rnd = open_round(attempts_allowed=2)
    user = participant(rnd.contest)
    url = f"/api/v1/contests/{rnd.contest.slug}/rounds/{rnd.number}/attempts"
    withdrawn = [Client() for _ in range(3)]
    for client in withdrawn:
        client.force_login(user)
    user.set_password("Mot-mat-khau-moi-2026")
    user.save()
    owner = [Client() for _ in range(3)]
    for client in owner:
        client.force_login(user)
    # The round's paper is loaded by a start first, so the race is on the INSERT alone.
    assert owner[0].post(url, "{}", content_type="application/json").status_code == 201
    Attempt.objects.all().delete()
    statuses: dict[str, list[int]] = {"withdrawn": [], "owner": []}

    def start(client: Client, whose: str) -> Callable[[], None]:
        def request() -> None:
            response = client.post(url, "{}", content_type="application/json")
            statuses[whose].append(response.status_code)

        return request

    requests = [start(c, "withdrawn") for c in withdrawn] + [start(c, "owner") for c in owner]
    errors = _race("LOCK TABLE contests_attempt IN SHARE MODE", requests)
    assert not errors, errors
    assert statuses["withdrawn"] == [401, 401, 401]
    started = statuses["owner"].count(201)
    assert 1 <= started <= 2
    assert sorted(statuses["owner"]) == [201] * started + [409] * (3 - started)
    seqs = sorted(Attempt.objects.filter(user=user).values_list("seq", flat=True))
    assert len(seqs) == started


@pytest.mark.parametrize("way", ["session", "token", "both"])
def test_double_submit_counts_once_and_returns_the_first_result(site, way) -> None:  # type: ignore[no-untyped-def]
    """Six submits of one attempt at the same instant: with the session (scored in SQL), with
    the attempt's token (scored in Python, the design's way), or three of each."""
    assert connection.vendor == "postgresql"
    rnd = open_round()
    user = participant(rnd.contest)
    client = Client()
    client.force_login(user)
    from moduong.contests.services import attempt_start
    from moduong.contests.tickets import attempt_token

    attempt = attempt_start(user=user, round_id=rnd.pk)
    token = attempt_token(attempt)
    right = correct_answers(attempt)
    url = f"/api/v1/contests/attempts/{attempt.pk}/submit"
    results: list[dict] = []

    def submitter(all_right: bool, prediction: int, with_token: bool) -> Callable[[], None]:
        answers = (
            right
            if all_right
            else [
                (q, next(o for o in order if o != r))
                for (q, order), (_, r) in zip(attempt.questions, right, strict=True)
            ]
        )

        def submit() -> None:
            c = Client(headers={"X-Attempt-Token": token} if with_token else {})
            if not with_token:
                c.force_login(user)
            response = c.post(
                url,
                json.dumps(
                    {
                        "answers": [{"question_id": q, "option_id": o} for q, o in answers],
                        "prediction": prediction,
                    }
                ),
                content_type="application/json",
            )
            assert response.status_code == 200, response.content
            results.append(response.json())

        return submit

    tokens = {"session": [False] * 6, "token": [True] * 6, "both": [False, True] * 3}[way]
    requests = [submitter(n % 2 == 0, 1000 + n, tokens[n]) for n in range(6)]
    errors = _race(
        "SELECT id FROM contests_attempt WHERE id = %s FOR UPDATE", requests, (attempt.pk,)
    )
    assert not errors, errors
    stored = Attempt.objects.get(pk=attempt.pk)
    assert len(results) == 6
    assert sum(r["first_submission"] for r in results) == 1
    assert {r["score"] for r in results} == {stored.score}
    assert {r["submitted_at"] for r in results} == {results[0]["submitted_at"]}
    # The row is one submit's, whole: the prediction and the score of the same request
    # (even predictions came with every answer right, odd ones with every answer wrong).
    assert stored.score == (5 if stored.prediction % 2 == 0 else 0)
    assert stored.answers.count("-") == 0
    # A retry long after gets the same answer and changes nothing.
    again = client.post(url, json.dumps({"answers": []}), content_type="application/json").json()
    assert (again["score"], again["first_submission"]) == (stored.score, False)
    assert Attempt.objects.get(pk=attempt.pk).submitted_at == stored.submitted_at


def test_a_round_address_read_while_its_contest_is_unpublished_is_forgotten_at_the_commit(
    site,
) -> None:  # type: ignore[no-untyped-def]
    """A start that looks the round up while the organiser's unpublish is not yet committed
    still finds it published, and keeps its id in the cache: the commit must forget it, or
    starts go on for a minute in a contest no longer published."""
    rnd = open_round()
    contest = rnd.contest
    found: list[int | None] = []

    def start_looks_up() -> None:
        try:
            found.append(round_id_published(slug=contest.slug, number=rnd.number))
        finally:
            connection.close()

    with transaction.atomic():
        contest.is_published = False
        contest.save()
        thread = threading.Thread(target=start_looks_up)
        thread.start()
        thread.join(30)
    assert found == [rnd.pk]  # the lookup came before the commit: still published then

    assert cache.get(round_id_key(contest.slug, rnd.number)) is None
    assert round_id_published(slug=contest.slug, number=rnd.number) is None
