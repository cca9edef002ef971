import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from moduong.contests.models import Attempt, Option, Question, Round, TopicQuota
from moduong.contests.services import (
    ContestError,
    attempt_answer_save,
    attempt_start,
    attempt_submit,
    round_paper_load,
)
from moduong.contests.services import attempts as attempts_service
from tests.factories import UserFactory

from .factories import (
    ContestFactory,
    RoundFactory,
    bank_add,
    correct_answers,
    freeze,
    open_round,
    participant,
)

pytestmark = pytest.mark.django_db


def statements(queries: CaptureQueriesContext) -> list[str]:
    """The statements a request would send outside a test's transaction."""
    return [q["sql"] for q in queries if "SAVEPOINT" not in q["sql"]]


def test_start_draws_from_the_bank_and_inserts_one_row() -> None:
    rnd = open_round()
    user = participant(rnd.contest)
    round_paper_load(round_id=rnd.pk)  # the paper is cached once per round
    with CaptureQueriesContext(connection) as queries:
        attempt = attempt_start(user=user, round_id=rnd.pk)
    assert len(statements(queries)) == 1, statements(queries)
    # On PostgreSQL the INSERT runs inside the start's function (test_start_function_...).
    assert any(
        writes in statements(queries)[0]
        for writes in ("INSERT INTO contests_attempt", "contests_attempt_start(")
    )
    stored = Attempt.objects.get(pk=attempt.pk)
    assert len(stored.questions) == 5
    assert len({q for q, _ in stored.questions}) == 5
    assert stored.answers == "-----"
    assert stored.deadline == stored.started_at + dt.timedelta(seconds=600)


@pytest.mark.postgres
@pytest.mark.parametrize(
    ("function", "body"),
    [
        ("contests_attempt_start", attempts_service._start_function_body),
        ("contests_attempt_close", attempts_service._close_function_body),
    ],
)
def test_the_functions_installed_are_the_code_statements(function, body) -> None:  # type: ignore[no-untyped-def]
    """The start's and the ticket's close statements live in the code and, on PostgreSQL, in
    functions migrations installed: a change of a statement without a migration that installs
    it again would leave PostgreSQL running the old one while SQLite runs the new."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT prosrc FROM pg_proc WHERE proname = %s", [function])
        (installed,) = cursor.fetchone()
    assert body() in installed, f"{function} differs from the code: add a migration"


def test_attempts_allowed_is_enforced() -> None:
    rnd = open_round(attempts_allowed=2)
    user = participant(rnd.contest)
    attempt_start(user=user, round_id=rnd.pk)
    attempt_start(user=user, round_id=rnd.pk)
    with pytest.raises(ContestError) as refused:
        attempt_start(user=user, round_id=rnd.pk)
    assert refused.value.message == "Bạn đã dùng hết 2 lượt thi của vòng này."
    assert Attempt.objects.filter(user=user).count() == 2


def test_save_then_submit_scores_from_the_key() -> None:
    rnd = open_round()
    user = participant(rnd.contest)
    attempt = attempt_start(user=user, round_id=rnd.pk)
    right = correct_answers(attempt)
    for qid, oid in right[:3]:
        attempt_answer_save(user=user, attempt_id=attempt.pk, question_id=qid, option_id=oid)
    wrong = next(o for o in attempt.questions[3][1] if o != right[3][1])
    attempt_answer_save(user=user, attempt_id=attempt.pk, question_id=right[3][0], option_id=wrong)
    with CaptureQueriesContext(connection) as queries:
        result = attempt_submit(user=user, attempt_id=attempt.pk, prediction="1.200")
    # PostgreSQL: one UPDATE that scores in SQL; elsewhere a SELECT and an UPDATE.
    expected = 1 if connection.vendor == "postgresql" else 2
    assert len(statements(queries)) == expected, statements(queries)
    assert (result.score, result.total, result.first) == (3, 5, True)
    again = attempt_submit(user=user, attempt_id=attempt.pk, answers=right)
    assert (again.score, again.first, again.submitted_at) == (3, False, result.submitted_at)
    stored = Attempt.objects.get(pk=attempt.pk)
    assert stored.prediction == 1200 and stored.score == 3


def test_editing_the_bank_after_the_first_start_changes_nothing_for_the_round() -> None:
    rnd = open_round(questions_per_attempt=8)
    user = participant(rnd.contest)
    attempt = attempt_start(user=user, round_id=rnd.pk)
    right = correct_answers(attempt)
    # The organiser makes every option correct and adds questions: the round does not notice.
    Option.objects.filter(question__contest=rnd.contest).update(is_correct=False)
    bank_add(rnd.contest, count=3, topic="Mới")
    Round.objects.get(pk=rnd.pk).save()  # even after the round is saved again
    result = attempt_submit(user=user, attempt_id=attempt.pk, answers=right)
    assert result.score == 8
    second = attempt_start(user=user, round_id=rnd.pk)
    assert {q for q, _ in second.questions} == {
        q.pk for q in Question.objects.filter(contest=rnd.contest, topic="Lịch sử")
    }


def test_topic_quotas_are_drawn() -> None:
    rnd = RoundFactory(questions_per_attempt=4)
    bank_add(rnd.contest, count=6, topic="Lịch sử")
    bank_add(rnd.contest, count=6, topic="Pháp luật")
    TopicQuota.objects.create(round=rnd, topic="Pháp luật", count=3)
    freeze(rnd)
    user = participant(rnd.contest)
    attempt = attempt_start(user=user, round_id=rnd.pk)
    topics = [Question.objects.get(pk=q).topic for q, _ in attempt.questions]
    assert topics.count("Pháp luật") >= 3


def test_start_outside_the_round_is_refused() -> None:
    contest = ContestFactory()
    early = RoundFactory(contest=contest, opens_at=timezone.now() + dt.timedelta(hours=1))
    late = RoundFactory(
        contest=contest,
        opens_at=timezone.now() - dt.timedelta(days=2),
        closes_at=timezone.now() - dt.timedelta(days=1),
    )
    bank_add(contest)
    user = participant(contest)
    with pytest.raises(ContestError, match="Vòng thi này mở lúc"):
        attempt_start(user=user, round_id=early.pk)
    with pytest.raises(ContestError, match="Vòng thi này đã kết thúc"):
        attempt_start(user=user, round_id=late.pk)
    assert not Attempt.objects.exists()


def test_unregistered_and_excluded_people_cannot_start() -> None:
    rnd = open_round()
    stranger = UserFactory()
    with pytest.raises(ContestError, match="đăng ký"):
        attempt_start(user=stranger, round_id=rnd.pk)
    organiser = participant(rnd.contest)
    rnd.contest.excluded_users.add(organiser)
    with pytest.raises(ContestError, match="Ban tổ chức"):
        attempt_start(user=organiser, round_id=rnd.pk)
    assert not Attempt.objects.exists()


@pytest.mark.parametrize("policy", [Round.LATE_REFUSE, Round.LATE_CAP])
def test_late_submission_is_refused_or_capped(policy: str) -> None:
    rnd = open_round(late_policy=policy, time_limit_seconds=60, grace_seconds=10)
    user = participant(rnd.contest)
    attempt = attempt_start(user=user, round_id=rnd.pk)
    right = correct_answers(attempt)
    attempt_answer_save(
        user=user, attempt_id=attempt.pk, question_id=right[0][0], option_id=right[0][1]
    )
    within_grace = attempt.started_at + dt.timedelta(seconds=69)
    too_late = attempt.started_at + dt.timedelta(seconds=71)
    with pytest.raises(ContestError, match="Đã hết giờ"):
        attempt_answer_save(
            user=user,
            attempt_id=attempt.pk,
            question_id=right[1][0],
            option_id=right[1][1],
            now=too_late,
        )
    if policy == Round.LATE_REFUSE:
        with pytest.raises(ContestError, match="Đã hết giờ"):
            attempt_submit(user=user, attempt_id=attempt.pk, answers=right, now=too_late)
        assert Attempt.objects.get(pk=attempt.pk).submitted_at is None
        result = attempt_submit(user=user, attempt_id=attempt.pk, answers=right, now=within_grace)
        assert result.score == 5 and result.duration_ms == 60_000
    else:
        result = attempt_submit(user=user, attempt_id=attempt.pk, answers=right, now=too_late)
        assert (result.score, result.late, result.duration_ms) == (1, True, 60_000)


def test_posted_answers_override_the_saved_ones_and_are_scored_against_the_key() -> None:
    rnd = open_round()
    user = participant(rnd.contest)
    attempt = attempt_start(user=user, round_id=rnd.pk)
    right = correct_answers(attempt)
    for qid, oid in right[:2]:
        attempt_answer_save(user=user, attempt_id=attempt.pk, question_id=qid, option_id=oid)
    first_wrong = next(o for o in attempt.questions[0][1] if o != right[0][1])
    result = attempt_submit(
        user=user,
        attempt_id=attempt.pk,
        answers=[(right[0][0], first_wrong), right[2]],
        essay="  Bài viết ngắn.  ",
        now=attempt.started_at + dt.timedelta(seconds=42, microseconds=500),
    )
    # question 1 changed to a wrong option, 2 kept as saved, 3 posted right, 4 and 5 blank
    assert (result.score, result.total, result.duration_ms, result.late) == (2, 5, 42_000, False)
    stored = Attempt.objects.get(pk=attempt.pk)
    shown = [order for _qid, order in attempt.questions]
    assert stored.answers == (
        str(shown[0].index(first_wrong))
        + str(shown[1].index(right[1][1]))
        + str(shown[2].index(right[2][1]))
        + "--"
    )
    assert (stored.score, stored.duration_ms, stored.essay) == (2, 42_000, "Bài viết ngắn.")
    assert stored.key == "".join(
        str(order.index(r)) for order, (_q, r) in zip(shown, right, strict=True)
    )
