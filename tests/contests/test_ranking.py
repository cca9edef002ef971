"""Ranking a closed round: the rules in order, one entry per person, exclusions and
disqualifications, the prediction's actual figure fixed after them."""

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone

from moduong.contests.models import Attempt, RankingEntry, Round, RoundJob
from moduong.contests.selectors import mask_name, mask_phone, winners
from moduong.contests.services import (
    ContestError,
    participant_disqualify,
    round_actual_compute,
    round_results_compute,
)
from tests.factories import UserFactory

from .factories import RoundFactory, bank_add, participant

pytestmark = pytest.mark.django_db


def closed_round(**kwargs) -> Round:  # type: ignore[no-untyped-def]
    now = timezone.now()
    rnd = RoundFactory(
        opens_at=now - dt.timedelta(days=7),
        closes_at=now - dt.timedelta(minutes=1),
        prediction_question="Có bao nhiêu người dự thi?",
        **kwargs,
    )
    bank_add(rnd.contest)
    return rnd


def add(
    rnd: Round, user, seq: int, score: int, seconds: int, prediction: int | None, at: int
) -> Attempt:  # type: ignore[no-untyped-def]
    start = rnd.opens_at + dt.timedelta(hours=at)
    return Attempt.objects.create(
        round=rnd,
        user=user,
        seq=seq,
        questions=[],
        answers="",
        started_at=start,
        deadline=start + dt.timedelta(minutes=10),
        submitted_at=start + dt.timedelta(seconds=seconds),
        score=score,
        duration_ms=seconds * 1000,
        prediction=prediction,
    )


def positions(rnd: Round) -> list[tuple[int, int]]:
    return list(
        RankingEntry.objects.filter(round=rnd)
        .order_by("position")
        .values_list("position", "attempt_id")
    )


def test_default_rules_best_attempt_per_person() -> None:
    rnd = closed_round()
    a, b, c, d = (participant(rnd.contest) for _ in range(4))
    a1 = add(rnd, a, 1, 4, 100, 4, at=1)
    a2 = add(rnd, a, 2, 5, 300, 10, at=2)  # a's best: the higher score
    b1 = add(rnd, b, 1, 5, 300, 4, at=3)  # same score and time as a2, closer prediction (4 people)
    c1 = add(rnd, c, 1, 5, 200, 10, at=4)  # same score and prediction gap as a2, faster
    d1 = add(rnd, d, 1, 5, 300, 10, at=5)  # ties a2 on all but submission time: later
    assert round_results_compute(round_id=rnd.pk) == 4
    rnd.refresh_from_db()
    assert rnd.prediction_actual == 4
    assert positions(rnd) == [(1, b1.pk), (2, c1.pk), (3, a2.pk), (4, d1.pk)]
    assert a1.pk not in {p for _, p in positions(rnd)}
    # Recomputing replaces, never duplicates.
    round_results_compute(round_id=rnd.pk)
    assert RankingEntry.objects.filter(round=rnd).count() == 4


def test_rules_are_configurable_and_every_attempt_can_be_ranked() -> None:
    rnd = closed_round(ranking_rules="duration,score", best_attempt_only=False)
    a, b = participant(rnd.contest), participant(rnd.contest)
    slow = add(rnd, a, 1, 5, 500, None, at=1)
    quick = add(rnd, a, 2, 1, 50, None, at=2)
    middle = add(rnd, b, 1, 3, 200, None, at=3)
    round_results_compute(round_id=rnd.pk)
    assert [p for _, p in positions(rnd)] == [quick.pk, middle.pk, slow.pk]


def test_which_prediction_counts_is_explicit() -> None:
    rnd = closed_round(
        prediction_counts=Round.PREDICTION_FIRST, prediction_target=Round.TARGET_ATTEMPTS
    )
    a, b = participant(rnd.contest), participant(rnd.contest)
    add(rnd, a, 1, 3, 100, 3, at=1)  # a's first prediction: exact (3 attempts)
    a2 = add(rnd, a, 2, 5, 100, 1000, at=2)  # best attempt, but its own prediction does not count
    b1 = add(rnd, b, 1, 5, 100, 2, at=3)
    round_results_compute(round_id=rnd.pk)
    assert [p for _, p in positions(rnd)] == [a2.pk, b1.pk]
    assert RankingEntry.objects.get(attempt=a2).prediction_gap == 0
    rnd.prediction_counts = Round.PREDICTION_OWN
    rnd.save()
    round_results_compute(round_id=rnd.pk)
    assert [p for _, p in positions(rnd)] == [b1.pk, a2.pk]


def test_disqualified_and_excluded_people_are_not_ranked_nor_counted() -> None:
    rnd = closed_round(prediction_target=Round.TARGET_PERFECT)
    a, b, c, d = (participant(rnd.contest) for _ in range(4))
    add(rnd, a, 1, 5, 100, 2, at=1)
    b1 = add(rnd, b, 1, 5, 120, 2, at=2)
    add(rnd, c, 1, 5, 130, 2, at=3)
    d1 = add(rnd, d, 1, 2, 140, 2, at=4)
    rnd.contest.excluded_users.add(c)
    participant_disqualify(
        round=rnd, user=a, reason="Dùng nhiều tài khoản", decided_by=UserFactory()
    )
    # The task queued on commit ran (tests run tasks at once): actual = perfect scores left.
    assert round_actual_compute(round_id=rnd.pk) == 1
    round_results_compute(round_id=rnd.pk)
    assert [p for _, p in positions(rnd)] == [b1.pk, d1.pk]
    with pytest.raises(ContestError):
        participant_disqualify(round=rnd, user=b, reason="   ", decided_by=None)
    # Someone registered who never took part in this round cannot be disqualified from it.
    with pytest.raises(ContestError, match="không có lượt thi nào trong vòng này"):
        participant_disqualify(
            round=rnd, user=participant(rnd.contest), reason="Nhầm tên", decided_by=None
        )
    assert rnd.disqualifications.count() == 1


def test_ranking_waits_for_the_round_to_close() -> None:
    rnd = RoundFactory()
    with pytest.raises(ContestError, match="sau khi vòng thi kết thúc"):
        round_results_compute(round_id=rnd.pk)


def test_winners_list_masks_personal_data() -> None:
    rnd = closed_round(prize_count=1)
    a, b = participant(rnd.contest), participant(rnd.contest)
    add(rnd, a, 1, 5, 100, None, at=1)
    add(rnd, b, 1, 4, 100, None, at=1)
    round_results_compute(round_id=rnd.pk)
    rnd.refresh_from_db()
    listed = winners(round=rnd)
    assert [(w.position, w.name, w.phone) for w in listed] == [(1, "Nguyễn V. A.", "09xx xxx 678")]
    assert mask_name("  trần   thị  bình ") == "trần T. B."
    assert mask_phone("12") == ""


def test_the_public_winners_page_shows_masked_data_only(site) -> None:  # type: ignore[no-untyped-def]
    rnd = closed_round(prize_count=2)
    a, b, c = (participant(rnd.contest) for _ in range(3))
    add(rnd, a, 1, 5, 100, None, at=1)
    add(rnd, b, 1, 4, 100, None, at=1)
    add(rnd, c, 1, 3, 100, None, at=1)
    url = f"/cuoc-thi/{rnd.contest.slug}/vong-{rnd.number}/giai-thuong/"
    before = Client().get(url).content.decode()
    assert "Danh sách đoạt giải được công bố sau khi vòng thi kết thúc." in before
    round_results_compute(round_id=rnd.pk)
    page = Client().get(url).content.decode()
    assert page.count("Nguyễn V. A.") == 2  # the prize count, not everyone ranked
    assert page.count("09xx xxx 678") == 2
    assert "Nguyễn Văn An" not in page
    assert "0912345678" not in page and "912345678" not in page


def test_the_command_ranks_closed_rounds_once() -> None:
    from io import StringIO

    from django.core.management import call_command

    rnd = closed_round()
    just_closed = closed_round()  # closed a minute ago: late submissions may still arrive
    rnd.closes_at = timezone.now() - dt.timedelta(minutes=11)
    rnd.save()
    add(rnd, participant(rnd.contest), 1, 5, 100, 1, at=1)
    open_one = RoundFactory()
    out = StringIO()
    call_command("contest-results", stdout=out)
    assert "Đã xếp lịch xếp hạng 1 vòng thi." in out.getvalue()
    assert RankingEntry.objects.filter(round=rnd).count() == 1
    assert not RankingEntry.objects.filter(round__in=[open_one, just_closed]).exists()
    out = StringIO()
    call_command("contest-results", stdout=out)
    assert "Đã xếp lịch xếp hạng 0 vòng thi." in out.getvalue()


def test_one_prize_per_person_even_when_every_attempt_is_ranked() -> None:
    rnd = closed_round(best_attempt_only=False, prize_count=2)
    a, b = participant(rnd.contest), participant(rnd.contest)
    add(rnd, a, 1, 5, 100, None, at=1)
    add(rnd, a, 2, 5, 110, None, at=2)
    add(rnd, b, 1, 4, 100, None, at=3)
    round_results_compute(round_id=rnd.pk)
    rnd.refresh_from_db()
    assert RankingEntry.objects.filter(round=rnd).count() == 3
    assert [(w.position, w.score) for w in winners(round=rnd)] == [(1, 5), (2, 4)]


def test_a_deleted_account_leaves_the_ranking_when_it_is_made_again(
    django_capture_on_commit_callbacks,  # type: ignore[no-untyped-def]
) -> None:
    """The ranking's keys are not checked nor indexed (0008, 0009): deleting an account
    queues the ranking of each round that lists it, and the positions close up."""
    rnd = closed_round()
    gone, stays = participant(rnd.contest), participant(rnd.contest)
    add(rnd, gone, 1, 20, 60, None, 1)
    kept = add(rnd, stays, 1, 18, 60, None, 2)
    round_results_compute(round_id=rnd.pk)
    assert [entry[1] for entry in positions(rnd)][-1] == kept.pk

    with django_capture_on_commit_callbacks(execute=True):
        gone.delete()

    assert positions(rnd) == [(1, kept.pk)]
    assert not RankingEntry.objects.filter(user_id=gone.pk).exists()


def test_an_account_deleted_during_a_rounds_first_ranking_has_it_ranked_again(
    django_capture_on_commit_callbacks,  # type: ignore[no-untyped-def]
) -> None:
    """A round being ranked for the first time has no ranked_at yet, and its job may have read
    the attempts before the deletion: the running job is told to rank once more."""
    rnd = closed_round()
    gone = participant(rnd.contest)
    add(rnd, gone, 1, 20, 60, None, 1)
    job = RoundJob.objects.create(round=rnd, kind=RoundJob.RANK, state=RoundJob.RUNNING)
    assert rnd.ranked_at is None

    with django_capture_on_commit_callbacks(execute=True):
        gone.delete()

    job.refresh_from_db()
    assert job.again


def test_an_account_deleted_while_the_ranking_ran_wins_nothing(site) -> None:  # type: ignore[no-untyped-def]
    """A ranking that read the attempts before an account's deletion was committed still
    lists it (tests/concurrency has the race itself): the winners list, the public page and
    the organiser's dashboard skip that entry, and the next person takes the prize."""
    rnd = closed_round(prize_count=1)
    gone, stays = participant(rnd.contest), participant(rnd.contest)
    first = add(rnd, gone, 1, 20, 60, None, 1)
    add(rnd, stays, 1, 18, 60, None, 2)
    round_results_compute(round_id=rnd.pk)
    entry = RankingEntry.objects.get(attempt_id=first.pk)
    gone.delete()
    # What the ranking's commit leaves when it ran across the deletion.
    entry.pk = None
    RankingEntry.objects.bulk_create([entry], ignore_conflicts=True)
    assert RankingEntry.objects.filter(round=rnd, position=1, attempt_id=first.pk).exists()
    rnd.refresh_from_db()

    listed = winners(round=rnd)

    assert [(w.position, w.name, w.score) for w in listed] == [(1, "Nguyễn V. A.", 18)]
    page = Client().get(f"/cuoc-thi/{rnd.contest.slug}/vong-{rnd.number}/giai-thuong/")
    assert page.status_code == 200
    assert page.content.decode().count("<tr><td>") == 1  # one winner's row, no empty one
    assert "<tr><td>1</td><td>Nguyễn V. A.</td>" in page.content.decode()
    staff = Client()
    staff.force_login(UserFactory(is_superuser=True, is_staff=True))
    board = staff.get(f"/admin/cuoc-thi/vong/{rnd.pk}/")
    assert board.status_code == 200
    assert f"#{first.pk}<" not in board.content.decode()


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)  # "only for it": the transaction must really end
def test_the_ranking_transaction_gets_the_work_mem_the_operator_set(settings) -> None:  # type: ignore[no-untyped-def]
    """CONTESTS_RANKING_WORK_MEM reaches PostgreSQL for the ranking's own transaction, and
    only for it; a value PostgreSQL does not take changes nothing."""
    from django.db import DatabaseError, connection, transaction

    from moduong.contests.services.results import _work_mem

    def shown() -> str:
        with connection.cursor() as cursor:
            cursor.execute("SHOW work_mem")
            return str(cursor.fetchone()[0])

    before = shown()
    settings.CONTESTS_RANKING_WORK_MEM = "24MB"
    with transaction.atomic():
        _work_mem()
        assert shown() == "24MB"
    assert shown() == before
    settings.CONTESTS_RANKING_WORK_MEM = "24MB'; DROP TABLE contests_attempt; --"
    with pytest.raises(DatabaseError), transaction.atomic():
        _work_mem()
    assert Attempt.objects.count() == 0 and shown() == before


@pytest.mark.parametrize(
    ("value", "refused"),
    [
        ("64MB", False),
        ("512 kB", False),
        ("2GB", False),
        ("4096", False),
        ("1.5GB", False),
        ("65536B", False),
        ("６４MB", True),
        ("64 MB'; --", True),
        ("nhiều", True),
        ("32kB", True),
        ("64mb", True),
        ("", True),
    ],
)
def test_moduong_check_refuses_a_ranking_work_mem_postgresql_would_not_take(
    settings, value: str, refused: bool
) -> None:  # type: ignore[no-untyped-def]
    """The operator hears of a mistyped CONTESTS_RANKING_WORK_MEM when the site is checked or
    started, in Vietnamese, not from a ranking that fails when a round's results are due."""
    from django.core.management import call_command
    from django.core.management.base import SystemCheckError

    settings.CONTESTS_RANKING_WORK_MEM = value
    if refused:
        with pytest.raises(SystemCheckError, match=r"contests\.E001.*CONTESTS_RANKING_WORK_MEM"):
            call_command("check")
    else:
        call_command("check")
