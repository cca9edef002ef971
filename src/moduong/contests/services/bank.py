"""The question bank: importing it, and freezing a round's copy of it, the organiser's explicit
act without which no attempt of the round starts."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from moduong.accounts.models import User
from moduong.core import vntext

from ..errors import ContestError
from ..excel import bank_read
from ..models import Contest, Option, Question, Round
from ..paper import bank_snapshot_build, round_paper_forget


@dataclass
class BankImport:
    created: int
    errors: list[tuple[int, str]]


@transaction.atomic
def question_bank_import(*, contest: Contest, data: bytes) -> BankImport:
    """Questions from an Excel file in the template's format. All or nothing: if any row is
    wrong, nothing is imported and every wrong row is reported with its number. A question
    whose code is already in the bank is replaced (rounds already frozen keep their copy)."""
    read = bank_read(data)
    if read.errors:
        return BankImport(created=0, errors=read.errors)
    for row in read.rows:
        question = None
        if row.code:
            question = Question.objects.filter(contest=contest, code=row.code).first()
        if question is None:
            question = Question(contest=contest, code=row.code)
        question.text = vntext.normalize(row.text)
        question.topic = row.topic
        question.difficulty = row.difficulty
        question.is_active = True
        question.save()
        question.options.all().delete()
        Option.objects.bulk_create(
            Option(
                question=question,
                text=vntext.normalize(text),
                is_correct=index == row.correct,
                sort_order=index,
            )
            for index, text in enumerate(row.options)
        )
    return BankImport(created=len(read.rows), errors=[])


def bank_quota_problems(*, round: Round, snapshot: dict | None = None) -> list[str]:
    """Why the contest's bank cannot serve the round now, one sentence per problem (empty
    when every topic quota and the attempt's size can be met)."""
    snapshot = snapshot or bank_snapshot_build(round.contest_id)
    per_topic: dict[str, int] = {}
    for question in snapshot["questions"]:
        per_topic[question["topic"]] = per_topic.get(question["topic"], 0) + 1
    problems = []
    for quota in round.quotas.order_by("topic"):
        have = per_topic.get(quota.topic, 0)
        if have < quota.count:
            problems.append(
                _(
                    'The topic "%(topic)s" needs %(need)d questions per attempt but the bank'
                    " has only %(have)d complete questions in it."
                )
                % {"topic": quota.topic, "need": quota.count, "have": have}
            )
    total = len(snapshot["questions"])
    if total < round.questions_per_attempt:
        problems.append(
            _(
                "An attempt has %(need)d questions but the bank has only %(have)d complete"
                " questions."
            )
            % {"need": round.questions_per_attempt, "have": total}
        )
    return problems


@transaction.atomic
def round_bank_freeze(*, round_id: int, frozen_by: User | None = None) -> Round:
    """Freeze the round's paper: a copy of the contest's bank, its topic quotas and its size,
    from which every attempt of the round is drawn, shown and scored. Refused, with a sentence
    naming the topic, when a quota cannot be met; refused once frozen (a frozen bank never
    moves: editing the bank afterwards changes later rounds only)."""
    rnd = Round.objects.select_for_update().get(pk=round_id)
    if rnd.bank_snapshot is not None:
        raise ContestError(
            _("The question bank of this round was frozen at %(when)s and cannot change.")
            % {"when": vntext.format_datetime(rnd.bank_frozen_at)},
            "frozen",
        )
    snapshot = bank_snapshot_build(rnd.contest_id)
    problems = bank_quota_problems(round=rnd, snapshot=snapshot)
    if problems:
        raise ContestError(" ".join(problems), "quota")
    snapshot["quotas"] = [[q.topic, q.count] for q in rnd.quotas.order_by("id")]
    snapshot["questions_per_attempt"] = rnd.questions_per_attempt
    rnd.bank_snapshot = snapshot
    rnd.bank_frozen_at = timezone.now()
    rnd.bank_frozen_by = frozen_by
    rnd.save(update_fields=["bank_snapshot", "bank_frozen_at", "bank_frozen_by", "updated_at"])
    transaction.on_commit(lambda: round_paper_forget(round_id=round_id))
    return rnd
