"""Judges saving at the same instant, and two entries racing for a unit's last place, on the
real PostgreSQL through real requests in threads (each with its own connection).

As in test_contest_races, the race is made to happen: the test's own connection holds the row
lock each request needs (the score sheets; the award), waits until every request is queued
behind it, then lets them all go at once."""

import pytest
from django.db import connection
from django.test import Client

from moduong.awards import services
from moduong.awards.models import Assignment, Entry, Score, ScoreLog
from moduong.units.models import Unit
from tests.awards import factories as f
from tests.concurrency.test_contest_races import _race

pytestmark = pytest.mark.django_db(transaction=True)


def test_two_judges_saving_at_once_lose_nothing() -> None:
    assert connection.vendor == "postgresql"
    award = f.award()
    rnd = f.round_(award, judges_per_entry=2, criteria=((1, 0, 10), (2, 0, 10)))
    judges = [f.judge(award, rnd) for _ in range(2)]
    f.entry(award)
    services.round_assign(round=rnd)
    c1, c2 = rnd.criteria.all()
    assignments = list(Assignment.objects.filter(round=rnd).select_related("judge__user"))
    statuses: list[int] = []

    def saver(a: Assignment, criterion_id: int, value: str):  # type: ignore[no-untyped-def]
        def save() -> None:
            client = Client()
            client.force_login(a.judge.user)
            response = client.post(
                f"/giai-bao-chi/cham-diem/{a.pk}/tieu-chi-{criterion_id}/",
                {f"c{criterion_id}": value},
            )
            statuses.append(response.status_code)

        return save

    # Each judge saves both criteria at once (two tabs), while the other judge does the same.
    requests = [
        saver(a, c.pk, str(n + 2 * k))
        for k, a in enumerate(assignments)
        for n, c in enumerate((c1, c2), start=5)
    ]
    sheet_ids = [a.sheet.pk for a in assignments]
    errors = _race(
        "SELECT id FROM awards_scoresheet WHERE id IN (%s, %s) FOR UPDATE",
        requests,
        tuple(sheet_ids),
    )
    assert not errors, errors
    assert statuses == [200, 200, 200, 200]
    saved = {
        (s.sheet.assignment.judge_id, s.criterion_id): int(s.value)
        for s in Score.objects.filter(sheet__assignment__round=rnd).select_related(
            "sheet__assignment"
        )
    }
    by_judge = {a.pk: a.judge_id for a in assignments}
    expected = {
        (by_judge[a.pk], c.pk): n + 2 * k
        for k, a in enumerate(assignments)
        for n, c in enumerate((c1, c2), start=5)
    }
    assert saved == expected
    assert ScoreLog.objects.filter(action="saved", sheet__assignment__round=rnd).count() == 4
    assert {j.pk for j in judges} == {j for j, _ in saved}


def test_two_entries_racing_for_a_units_last_place_one_is_refused() -> None:
    assert connection.vendor == "postgresql"
    award = f.award(unit_max_per_category=1, author_max_entries=10)
    unit = Unit.objects.create(name="Đài Phát thanh huyện", code="dai-ph")
    users = [f.unit_account(unit), f.unit_account(unit)]
    statuses: list[int] = []

    def send(user):  # type: ignore[no-untyped-def]
        def post() -> None:
            client = Client()
            client.force_login(user)
            response = client.post(
                f"/giai-bao-chi/{award.slug}/gui-tac-pham/",
                {
                    "category": award.categories.first().pk,
                    "title": f"Phóng sự của {user.username}",
                    "authors": user.username,
                    "outlet": "Đài Phát thanh huyện",
                    "published_on": "01/06/2025",
                    "statement": "on",
                    "files": [f.upload()],
                },
            )
            statuses.append(response.status_code)

        return post

    errors = _race(
        "SELECT id FROM awards_award WHERE id = %s FOR UPDATE",
        [send(u) for u in users],
        (award.pk,),
    )
    assert not errors, errors
    assert sorted(statuses) == [302, 400]
    assert Entry.objects.filter(unit=unit).count() == 1
