"""Contests, rounds and question banks for tests."""

import datetime as dt

import factory
from django.test import Client
from django.utils import timezone

from moduong.contests.models import Contest, Option, Question, Round
from moduong.contests.services import participant_register, round_bank_freeze
from tests.factories import UserFactory


class ContestFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Contest

    title = factory.Sequence(lambda n: f"Cuộc thi tìm hiểu lịch sử địa phương {n}")
    slug = factory.Sequence(lambda n: f"cuoc-thi-{n}")
    is_published = True
    require_province = False


class RoundFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Round

    contest = factory.SubFactory(ContestFactory)
    number = factory.Sequence(lambda n: n + 1)
    title = factory.LazyAttribute(lambda r: f"Tuần {r.number}")
    opens_at = factory.LazyFunction(lambda: timezone.now() - dt.timedelta(days=1))
    closes_at = factory.LazyFunction(lambda: timezone.now() + dt.timedelta(days=6))
    questions_per_attempt = 5
    time_limit_seconds = 600
    attempts_allowed = 2


def bank_add(contest: Contest, count: int = 8, options: int = 4, topic: str = "Lịch sử") -> list:
    """`count` questions; the correct option of each is the one whose text starts "Đúng"."""
    questions = []
    for n in range(count):
        question = Question.objects.create(
            contest=contest, text=f"Câu hỏi số {n + 1} về {topic.lower()}?", topic=topic
        )
        for k in range(options):
            Option.objects.create(
                question=question,
                text=("Đúng" if k == n % options else "Sai") + f" – phương án {k + 1}",
                is_correct=k == n % options,
                sort_order=k,
            )
        questions.append(question)
    return questions


def open_round(**kwargs) -> Round:  # type: ignore[no-untyped-def]
    """A round with a bank of questions, frozen (no attempt starts before the freeze)."""
    rnd = RoundFactory(**kwargs)
    bank_add(rnd.contest)
    return freeze(rnd)


def freeze(rnd: Round) -> Round:
    """The round with its bank frozen, as the organiser's action does."""
    round_bank_freeze(round_id=rnd.pk)
    rnd.refresh_from_db()
    return rnd


def participant(contest: Contest, **kwargs):  # type: ignore[no-untyped-def]
    user = UserFactory(**kwargs)
    participant_register(
        contest=contest,
        user=user,
        full_name="Nguyễn Văn An",
        date_of_birth=dt.date(1990, 5, 1),
        phone="0912345678",
        consent=True,
    )
    return user


def correct_answers(attempt) -> list[tuple[int, int]]:  # type: ignore[no-untyped-def]
    """(question id, correct option id) for every question of an attempt."""
    result = []
    for qid, order in attempt.questions:
        right = Option.objects.get(question_id=qid, is_correct=True).pk
        assert right in order
        result.append((qid, right))
    return result


def client_for(user) -> Client:  # type: ignore[no-untyped-def]
    """A browser logged in as `user`."""
    client = Client()
    client.force_login(user)
    return client
