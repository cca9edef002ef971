"""Fair-play decisions racing each other on the real PostgreSQL: two staff members lifting the
same disqualification, or disqualifying the same person, or freezing the same bank, at the
same instant. The test's own connection holds the lock each decision takes, waits until both
are queued behind it, then lets them go together (as in test_contest_races)."""

import datetime as dt

import pytest
from django.db import connection
from django.utils import timezone

from moduong.contests.models import Disqualification, Round
from moduong.contests.services import (
    ContestError,
    disqualification_case_key,
    disqualification_lift,
    participant_disqualify,
    round_bank_freeze,
)
from tests.contests.factories import RoundFactory, bank_add, participant
from tests.contests.test_ranking import add
from tests.factories import UserFactory

from .test_contest_races import _race

pytestmark = pytest.mark.django_db(transaction=True)


def _closed_round() -> Round:
    now = timezone.now()
    rnd = RoundFactory(opens_at=now - dt.timedelta(days=7), closes_at=now - dt.timedelta(hours=1))
    bank_add(rnd.contest)
    return rnd


def _refusals(errors: list[BaseException]) -> list[BaseException]:
    unexpected = [e for e in errors if not isinstance(e, ContestError)]
    assert not unexpected, unexpected
    return errors


def test_two_staff_lifting_one_disqualification_log_one_lift(site) -> None:  # type: ignore[no-untyped-def]
    assert connection.vendor == "postgresql"
    rnd = _closed_round()
    person = participant(rnd.contest)
    add(rnd, person, 1, 5, 100, None, at=1)
    entry = participant_disqualify(round=rnd, user=person, reason="Thi hộ", decided_by=None)
    staff = [UserFactory(), UserFactory()]
    errors = _race(
        "SELECT pg_advisory_xact_lock(hashtext(%s))",
        [
            lambda s=s: disqualification_lift(
                disqualification_id=entry.pk, reason="Xác minh lại", decided_by=s
            )
            for s in staff
        ],
        (f"contests-dq:{entry.case_key}",),
    )
    assert len(_refusals(errors)) == 1
    assert "đã được khôi phục" in errors[0].message  # type: ignore[attr-defined]
    assert list(Disqualification.objects.order_by("id").values_list("action", flat=True)) == [
        "disqualify",
        "lift",
    ]


def test_two_staff_disqualifying_one_person_log_one_entry(site) -> None:  # type: ignore[no-untyped-def]
    rnd = _closed_round()
    person = participant(rnd.contest)
    add(rnd, person, 1, 5, 100, None, at=1)
    key = disqualification_case_key(round_id=rnd.pk, user_id=person.pk, attempt_ref=None)
    errors = _race(
        "SELECT pg_advisory_xact_lock(hashtext(%s))",
        [
            lambda: participant_disqualify(
                round=rnd, user=person, reason="Thi hộ", decided_by=None
            ),
            lambda: participant_disqualify(
                round=rnd, user=person, reason="Dùng nhiều tài khoản", decided_by=None
            ),
        ],
        (f"contests-dq:{key}",),
    )
    assert len(_refusals(errors)) == 1
    assert Disqualification.objects.count() == 1


def test_two_freezes_of_one_bank_freeze_it_once(site) -> None:  # type: ignore[no-untyped-def]
    rnd = RoundFactory(questions_per_attempt=5)
    bank_add(rnd.contest)
    errors = _race(
        "SELECT 1 FROM contests_round WHERE id = %s FOR UPDATE",
        [lambda: round_bank_freeze(round_id=rnd.pk) for _ in range(2)],
        (rnd.pk,),
    )
    assert len(_refusals(errors)) == 1
    assert "đã được chốt" in errors[0].message  # type: ignore[attr-defined]
    assert Round.objects.get(pk=rnd.pk).bank_snapshot is not None
