"""Every write of the contests app.

The hot path:

- `attempt_start`: the round's paper (settings + frozen bank + answer key) comes from a
  process-local copy of the cache, never from a per-request query of the bank; the attempt,
  its drawn questions and option order go in with ONE `INSERT … SELECT … WHERE` whose
  conditions enforce, in the same statement, registration, exclusion and the attempts allowed.
  Two starts at the same instant compute the same next number; the unique (round, user, seq)
  key lets one in and the other is retried once, when it sees the first and stops at the limit.
  The same INSERT writes the attempt's answer key (its correct options, in its own shown
  order), which no page, export nor API response ever carries.
- The start's answer carries the attempt's token (contests.tickets): its owner, round, number,
  draw and times, signed. A participant's app sends it back with each save and the submit, so
  those need neither the session nor a read of the user's or the attempt's row.
- `attempt_answer_save`: one UPDATE of one character of the fixed-width answer string, placed
  by the ticket; without one, the row is read first.
- `attempt_submit`, DESIGN's way, with the ticket and every question answered in the post:
  scored in Python from the ticket's draw and the process's copy of the paper, closed by one
  conditional `UPDATE … WHERE id = %s AND user_id = %s AND submitted_at IS NULL`. Otherwise
  (the web page's form, or some questions left to what was saved), on PostgreSQL ONE
  `UPDATE … WHERE … <on time> AND <every posted answer is of the attempt> RETURNING …` merges
  the posted answers into the saved ones and scores them against the row's key in SQL.
- Only when that UPDATE changes nothing, one SELECT says why: submitted already (a second or
  retried submit gets the first result back, and changes nothing), late, not this person's,
  or a wrong answer. SQLite, without a ticket, always takes that way (SELECT, score in Python
  from the row's key, one conditional UPDATE). The time is the server's; a submission up to
  `grace_seconds` after the deadline is accepted as on time (network delay), later ones are
  refused or capped to the answers saved by the deadline, as the round says.

Everything else (ranking, the prediction's actual figure, statistics) runs off that path.
"""

from __future__ import annotations

import datetime as dt
import json
import random
import secrets
import threading
import time
from collections.abc import Iterable
from contextlib import nullcontext
from dataclasses import dataclass, field
from typing import Any

from django.core.cache import cache
from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from moduong.accounts.models import User
from moduong.core import vntext

from .models import (
    Attempt,
    Contest,
    Disqualification,
    Option,
    ParticipantProfile,
    Question,
    Round,
)
from .tickets import Ticket

#: Largest prediction accepted: far above any contest's participants, inside a BIGINT.
PREDICTION_MAX = 10**12
PAPER_LOCAL_SECONDS = 5.0
PAPER_CACHE_SECONDS = 3600


class ContestError(Exception):
    """A refusal a participant sees as it is: a sentence in Vietnamese. Nothing was changed."""

    def __init__(self, message: str, code: str = "invalid") -> None:
        super().__init__(message)
        self.message = message
        self.code = code


class AttemptNotFound(ContestError):
    def __init__(self) -> None:
        super().__init__(_("This attempt does not exist or is not yours."), "not_found")


# --- The round's paper: settings, frozen bank, answer key ------------------------------------


@dataclass(frozen=True)
class PaperQuestion:
    id: int
    text: str
    topic: str
    difficulty: int
    options: tuple[tuple[int, str], ...]  # (option id, text), in the bank's order
    correct: int  # index of the correct option in `options`


@dataclass(frozen=True)
class Paper:
    round_id: int
    contest_id: int
    opens_at: dt.datetime
    closes_at: dt.datetime
    questions_per_attempt: int
    time_limit_seconds: int
    attempts_allowed: int
    grace_seconds: int
    late_policy: str
    reveal_answers: bool
    essay_max_chars: int
    has_prediction: bool
    has_essay: bool
    questions: dict[int, PaperQuestion]
    quotas: tuple[tuple[str, int], ...]
    by_topic: dict[str, tuple[int, ...]] = field(default_factory=dict)

    def is_open(self, now: dt.datetime) -> bool:
        return self.opens_at <= now < self.closes_at

    def answers_may_show(self, now: dt.datetime) -> bool:
        # Not at the close itself: an attempt whose deadline is the close may still be
        # submitted (or, capped, saved) during the grace seconds, and the same person's other
        # attempt, already submitted, would show it the key.
        return self.reveal_answers and now >= self.closes_at + dt.timedelta(
            seconds=self.grace_seconds
        )


_local_papers: dict[int, tuple[float, Paper]] = {}
_local_lock = threading.Lock()


def _paper_cache_key(round_id: int) -> str:
    return f"contests:paper:{round_id}"


def round_paper_forget(*, round_id: int) -> None:
    """After an organiser saves a round: every process reloads its paper (each keeps its own
    copy at most PAPER_LOCAL_SECONDS)."""
    cache.delete(_paper_cache_key(round_id))
    with _local_lock:
        _local_papers.pop(round_id, None)


def _snapshot_build(contest_id: int) -> dict[str, Any]:
    questions = []
    options: dict[int, list[Option]] = {}
    for option in Option.objects.filter(
        question__contest_id=contest_id, question__is_active=True
    ).order_by("question_id", "sort_order", "id"):
        options.setdefault(option.question_id, []).append(option)
    for question in Question.objects.filter(contest_id=contest_id, is_active=True).order_by("id"):
        opts = options.get(question.pk, [])
        correct = [i for i, o in enumerate(opts) if o.is_correct]
        if not 2 <= len(opts) <= 6 or len(correct) != 1:
            continue  # an incomplete question never reaches a participant
        questions.append(
            {
                "id": question.pk,
                "text": question.text,
                "topic": question.topic,
                "difficulty": question.difficulty,
                "options": [[o.pk, o.text] for o in opts],
                "correct": correct[0],
            }
        )
    return {"questions": questions}


@transaction.atomic
def round_bank_freeze(*, round_id: int) -> Round:
    """Copy the contest's bank into the round. Done once, by the first start (or by the
    organiser): from then on the round draws, shows and scores from this copy only."""
    rnd = Round.objects.select_for_update().get(pk=round_id)
    if rnd.bank_snapshot is None:
        rnd.bank_snapshot = _snapshot_build(rnd.contest_id)
        rnd.bank_frozen_at = timezone.now()
        rnd.save(update_fields=["bank_snapshot", "bank_frozen_at"])
    return rnd


def _paper_build(rnd: Round) -> Paper:
    snapshot = rnd.bank_snapshot or {"questions": []}
    questions = {
        q["id"]: PaperQuestion(
            id=q["id"],
            text=q["text"],
            topic=q["topic"],
            difficulty=q["difficulty"],
            options=tuple((o[0], o[1]) for o in q["options"]),
            correct=q["correct"],
        )
        for q in snapshot["questions"]
    }
    by_topic: dict[str, list[int]] = {}
    for q in questions.values():
        by_topic.setdefault(q.topic, []).append(q.id)
    return Paper(
        round_id=rnd.pk,
        contest_id=rnd.contest_id,
        opens_at=rnd.opens_at,
        closes_at=rnd.closes_at,
        questions_per_attempt=rnd.questions_per_attempt,
        time_limit_seconds=rnd.time_limit_seconds,
        attempts_allowed=rnd.attempts_allowed,
        grace_seconds=rnd.grace_seconds,
        late_policy=rnd.late_policy,
        reveal_answers=rnd.reveal_answers,
        essay_max_chars=rnd.essay_max_chars,
        has_prediction=bool(rnd.prediction_question),
        has_essay=bool(rnd.essay_prompt),
        questions=questions,
        quotas=tuple((q.topic, q.count) for q in rnd.quotas.all()),
        by_topic={k: tuple(v) for k, v in by_topic.items()},
    )


def round_paper_load(*, round_id: int, freeze: bool = True) -> Paper:
    """The round's paper from this process's copy, else the shared cache, else the database
    (freezing the bank on first use when `freeze`)."""
    now = time.monotonic()
    with _local_lock:
        found = _local_papers.get(round_id)
    if found and found[0] > now:
        return found[1]
    paper = cache.get(_paper_cache_key(round_id))
    if paper is None:
        try:
            rnd = Round.objects.prefetch_related("quotas").get(pk=round_id)
        except Round.DoesNotExist as error:
            raise ContestError(_("This round does not exist."), "not_found") from error
        if rnd.bank_snapshot is None and freeze:
            round_bank_freeze(round_id=round_id)
            rnd = Round.objects.prefetch_related("quotas").get(pk=round_id)
        paper = _paper_build(rnd)
        if rnd.bank_snapshot is None:
            # Not frozen yet (a look without `freeze`): kept nowhere, or a start in this
            # process would find no questions until the copy expired.
            return paper
        cache.set(_paper_cache_key(round_id), paper, PAPER_CACHE_SECONDS)
    with _local_lock:
        _local_papers[round_id] = (now + PAPER_LOCAL_SECONDS, paper)
    return paper


def paper_draw(paper: Paper, rng: random.Random | None = None) -> list[list[Any]]:
    """Questions for one attempt: each topic quota first, the rest from the whole bank, then
    the questions and each question's options shuffled."""
    # One generator per attempt, seeded with 128 fresh bits from the operating system: an
    # attempt's draw, which its participant sees whole anyway, tells nothing of any other's,
    # and the ~100 picks cost no system call each (SystemRandom's did).
    rng = rng or random.Random(secrets.randbits(128))  # noqa: S311
    chosen: list[int] = []
    taken: set[int] = set()
    for topic, count in paper.quotas:
        pool = [q for q in paper.by_topic.get(topic, ()) if q not in taken]
        picked = rng.sample(pool, min(count, len(pool)))
        chosen += picked
        taken.update(picked)
    remaining = paper.questions_per_attempt - len(chosen)
    if remaining > 0:
        pool = [q for q in paper.questions if q not in taken]
        chosen += rng.sample(pool, min(remaining, len(pool)))
    chosen = chosen[: paper.questions_per_attempt]
    rng.shuffle(chosen)
    draw = []
    for qid in chosen:
        order = [o[0] for o in paper.questions[qid].options]
        rng.shuffle(order)
        draw.append([qid, order])
    return draw


# --- Registration ----------------------------------------------------------------------------


def _age_on(born: dt.date, day: dt.date) -> int:
    return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


@transaction.atomic
def participant_register(
    *,
    contest: Contest,
    user: User,
    full_name: str,
    date_of_birth: dt.date | None = None,
    gender: str = "",
    phone: str = "",
    unit_id: int | None = None,
    province_id: int | None = None,
    commune_id: int | None = None,
    id_number: str = "",
    consent: bool,
) -> ParticipantProfile:
    """The contest's registration fields, filled in once per contest."""
    if not consent:
        raise ContestError(
            _("Please agree to the processing of your personal data to take part."), "consent"
        )
    if contest.excluded_users.filter(pk=user.pk).exists():
        raise ContestError(_("Organisers of this contest may not take part in it."), "excluded")
    if (
        contest.min_age
        and date_of_birth is not None
        and _age_on(date_of_birth, timezone.localdate()) < contest.min_age
    ):
        raise ContestError(
            _("This contest is open to people aged %(age)d and over.") % {"age": contest.min_age},
            "too_young",
        )
    existing = ParticipantProfile.objects.filter(contest=contest, user=user).first()
    if existing is not None:
        return existing
    fields: dict[str, Any] = {
        "full_name": vntext.clean_line(full_name),
        "date_of_birth": date_of_birth,
        "gender": gender,
        "phone": phone,
        "unit_id": unit_id,
        "province_id": province_id,
        "commune_id": commune_id,
        "id_number": id_number,
        "consent_at": timezone.now(),
    }
    try:
        with transaction.atomic():
            return ParticipantProfile.objects.create(contest=contest, user=user, **fields)
    except IntegrityError:  # the same person's second tab registered at the same instant
        return ParticipantProfile.objects.get(contest=contest, user=user)


# --- Start -----------------------------------------------------------------------------------


def _db_time(value: dt.datetime) -> Any:
    return connection.ops.adapt_datetimefield_value(value)


def _start_refusal(paper: Paper, user: User) -> ContestError:
    """Why the one INSERT inserted nothing (the slow path: a refusal, not a start)."""
    contest_id = paper.contest_id
    if not ParticipantProfile.objects.filter(contest_id=contest_id, user_id=user.pk).exists():
        return ContestError(
            _("Please fill in your registration for this contest first."), "not_registered"
        )
    if Contest.excluded_users.through.objects.filter(
        contest_id=contest_id, user_id=user.pk
    ).exists():
        return ContestError(_("Organisers of this contest may not take part in it."), "excluded")
    return ContestError(
        _("You have used all %(n)d attempts allowed in this round.")
        % {"n": paper.attempts_allowed},
        "limit",
    )


_START_SQL = """
INSERT INTO contests_attempt
    (round_id, user_id, seq, questions, answers, key, started_at, deadline, essay, late)
SELECT %(round)s, %(user)s,
       COALESCE((SELECT MAX(seq) FROM contests_attempt
                 WHERE round_id = %(round)s AND user_id = %(user)s), 0) + 1,
       {questions}, %(answers)s, %(key)s, %(started)s, %(deadline)s, '', %(false)s
WHERE (SELECT COUNT(*) FROM contests_attempt
       WHERE round_id = %(round)s AND user_id = %(user)s) < %(allowed)s
  AND EXISTS (SELECT 1 FROM contests_participantprofile
              WHERE contest_id = %(contest)s AND user_id = %(user)s)
  AND NOT EXISTS (SELECT 1 FROM contests_contest_excluded_users
                  WHERE contest_id = %(contest)s AND user_id = %(user)s)
RETURNING id, seq
"""


def _key(paper: Paper, draw: list[list[Any]]) -> str:
    """The correct option of each drawn question, as its index in the attempt's shown order."""
    return "".join(
        str(order.index(paper.questions[qid].options[paper.questions[qid].correct][0]))
        for qid, order in draw
    )


def attempt_start(*, user: User, round_id: int, now: dt.datetime | None = None) -> Attempt:
    """Start an attempt: one INSERT (see the module's docstring)."""
    paper = round_paper_load(round_id=round_id)
    now = now or timezone.now()
    if now < paper.opens_at:
        raise ContestError(
            _("This round opens at %(when)s.") % {"when": vntext.format_datetime(paper.opens_at)},
            "not_open",
        )
    if now >= paper.closes_at:
        raise ContestError(_("This round has closed."), "closed")
    if len(paper.questions) < paper.questions_per_attempt:
        raise ContestError(
            _("This round's questions are not ready yet. Please come back later."), "no_bank"
        )
    draw = paper_draw(paper)
    key = _key(paper, draw)
    deadline = min(now + dt.timedelta(seconds=paper.time_limit_seconds), paper.closes_at)
    params = {
        "round": round_id,
        "user": user.pk,
        "contest": paper.contest_id,
        "allowed": paper.attempts_allowed,
        "questions": json.dumps(draw, separators=(",", ":")),
        "answers": "-" * len(draw),
        "key": key,
        "started": _db_time(now),
        "deadline": _db_time(deadline),
        "false": False,
    }
    cast = "%(questions)s::jsonb" if connection.vendor == "postgresql" else "%(questions)s"
    sql = _START_SQL.format(questions=cast)
    row = None
    # Each failed try means another start of the same person got in, so this ends within
    # attempts_allowed + 1 tries.
    for _try in range(paper.attempts_allowed + 1):
        try:
            # In autocommit the statement is its own transaction; inside a caller's
            # transaction a savepoint keeps a refused INSERT from spoiling it.
            with (
                transaction.atomic() if connection.in_atomic_block else nullcontext(),
                connection.cursor() as cursor,
            ):
                cursor.execute(sql, params)
                row = cursor.fetchone()
            break
        except IntegrityError:
            # Another start of the same person took the same number an instant earlier:
            # once it has committed, the statement sees it and counts again.
            continue
    if row is None:
        raise _start_refusal(paper, user)
    return Attempt(
        pk=row[0],
        round_id=round_id,
        user_id=user.pk,
        seq=row[1],
        questions=draw,
        answers="-" * len(draw),
        key=key,
        started_at=now,
        deadline=deadline,
    )


# --- Answers and submission --------------------------------------------------------------------


def _owner(user: User | None, ticket: Ticket | None, attempt_id: Any) -> int:
    """Whose attempt this must be: the ticket's owner, else the logged-in user's. A ticket
    stands for its own attempt only, and only while its owner's account is active."""
    if ticket is not None:
        if ticket.attempt_id != attempt_id:
            raise AttemptNotFound()
        return ticket.user_id
    assert user is not None, "a participant or a ticket"
    return int(user.pk)


def _attempt_row(attempt_id: Any, owner: int) -> Attempt:
    try:
        attempt_id = int(attempt_id)
    except (TypeError, ValueError) as error:
        raise AttemptNotFound() from error
    if not 0 < attempt_id < 2**63:
        raise AttemptNotFound()
    attempt = (
        Attempt.objects.filter(pk=attempt_id, user_id=owner, user__is_active=True)
        .only(
            "id",
            "round_id",
            "user_id",
            "seq",
            "questions",
            "answers",
            "key",
            "started_at",
            "deadline",
            "submitted_at",
            "score",
            "duration_ms",
            "prediction",
            "late",
        )
        .first()
    )
    if attempt is None:
        raise AttemptNotFound()
    return attempt


Drawn = dict[int, tuple[int, list[int]]]  # question id → (position, option ids as shown)


def _drawn(draw: list[list[Any]]) -> Drawn:
    return {qid: (position, order) for position, (qid, order) in enumerate(draw)}


def _answer_index(drawn: Drawn, question_id: Any, option_id: Any) -> tuple[int, int]:
    """(position in the attempt, option index in the attempt's shown order) or a refusal."""
    try:
        question_id, option_id = int(question_id), int(option_id)
    except (TypeError, ValueError) as error:
        raise ContestError(_("This answer is not valid."), "invalid_answer") from error
    if question_id not in drawn:
        raise ContestError(_("This question is not part of your attempt."), "invalid_question")
    position, order = drawn[question_id]
    if option_id not in order:
        raise ContestError(_("This option does not belong to the question."), "invalid_option")
    return position, order.index(option_id)


# The owner's account is still active: what the session would have checked (a ticket outlives
# the session; not a deactivation).
_OWNER_ACTIVE = "EXISTS (SELECT 1 FROM accounts_user u WHERE u.id = %(owner)s AND u.is_active)"

_SAVE_SQL = f"""
UPDATE contests_attempt SET answers = SUBSTR(answers, 1, %(position)s) || %(index)s
                                      || SUBSTR(answers, %(position)s + 2)
WHERE id = %(id)s AND user_id = %(owner)s AND submitted_at IS NULL AND deadline >= %(earliest)s
  AND {_OWNER_ACTIVE}
"""  # noqa: S608 (constant fragments; values are parameters)


def _answer_write(
    *, owner: int, attempt_id: int, position: int, index: int, earliest: dt.datetime
) -> bool:
    with connection.cursor() as cursor:
        cursor.execute(
            _SAVE_SQL,
            {
                "position": position,
                "index": str(index),
                "id": attempt_id,
                "owner": owner,
                "earliest": _db_time(earliest),
            },
        )
        return cursor.rowcount == 1


def attempt_answer_save(
    *,
    user: User | None = None,
    ticket: Ticket | None = None,
    attempt_id: int,
    question_id: int | str,  # as posted by the page's form, checked here
    option_id: int | str,
    now: dt.datetime | None = None,
) -> None:
    """Save one chosen option, as the participant chooses it: one UPDATE of one character.
    With the attempt's ticket it is placed without reading anything; without one, or when
    that UPDATE changes nothing, the row is read first to place it or to say why not."""
    owner = _owner(user, ticket, attempt_id)
    now = now or timezone.now()
    if ticket is not None:
        position, index = _answer_index(_drawn(ticket.draw), question_id, option_id)
        grace = round_paper_load(round_id=ticket.round_id).grace_seconds
        earliest = now - dt.timedelta(seconds=grace)
        if _answer_write(
            owner=owner, attempt_id=attempt_id, position=position, index=index, earliest=earliest
        ):
            return
    attempt = _attempt_row(attempt_id, owner)
    paper = round_paper_load(round_id=attempt.round_id)
    position, index = _answer_index(_drawn(attempt.questions), question_id, option_id)
    if attempt.submitted_at is not None:
        raise ContestError(_("This attempt has already been submitted."), "submitted")
    if now > attempt.deadline + dt.timedelta(seconds=paper.grace_seconds):
        raise ContestError(_("Time is up: answers can no longer be changed."), "late")
    earliest = now - dt.timedelta(seconds=paper.grace_seconds)
    if not _answer_write(
        owner=owner, attempt_id=attempt.pk, position=position, index=index, earliest=earliest
    ):
        raise ContestError(_("This attempt has already been submitted."), "submitted")


def prediction_parse(value: Any) -> int | None:
    """A prediction as typed: empty, or a whole number from 0 to 10^12."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, bool):
        raise ContestError(_("The prediction must be a whole number."), "invalid_prediction")
    if isinstance(value, str):
        text = value.strip().replace(".", "").replace(" ", "")
        if not text.isdigit() or not text.isascii():
            raise ContestError(
                _("The prediction must be a whole number, for example 125.000."),
                "invalid_prediction",
            )
        value = int(text)
    if not isinstance(value, int):
        raise ContestError(_("The prediction must be a whole number."), "invalid_prediction")
    if not 0 <= value <= PREDICTION_MAX:
        raise ContestError(
            _("The prediction must be between 0 and %(max)s.")
            % {"max": vntext.format_number(PREDICTION_MAX)},
            "invalid_prediction",
        )
    return value


@dataclass(frozen=True)
class SubmitResult:
    attempt_id: int
    seq: int
    score: int
    total: int
    duration_ms: int
    submitted_at: dt.datetime
    late: bool
    first: bool  # False when this submit found the attempt already submitted


def _result_of(attempt: Attempt, first: bool) -> SubmitResult:
    assert attempt.submitted_at is not None
    return SubmitResult(
        attempt_id=attempt.pk,
        seq=attempt.seq,
        score=attempt.score or 0,
        total=len(attempt.questions),
        duration_ms=attempt.duration_ms or 0,
        submitted_at=attempt.submitted_at,
        late=attempt.late,
        first=first,
    )


def _merge_answers(
    draw: list[list[Any]], saved: str, answers: Iterable[tuple[Any, Any]] | None
) -> str:
    """The saved answers with the posted ones put in, or a refusal for any wrong one."""
    drawn = _drawn(draw)
    merged = list(saved)
    seen: set[int] = set()
    for question_id, option_id in answers or ():
        position, index = _answer_index(drawn, question_id, option_id)
        if position in seen:
            raise ContestError(_("A question was answered twice."), "duplicate_answer")
        seen.add(position)
        merged[position] = str(index)
    return "".join(merged)


def _score(answers: str, key: str) -> int:
    return sum(1 for chosen, right in zip(answers, key, strict=True) if chosen == right)


# The chosen option's index in the attempt's shown order at the drawn question `q` (position
# q.n): the posted one if any, else the one saved.
_CHOSEN = """COALESCE(
    (SELECT (o.k - 1)::text FROM jsonb_array_elements(q.value -> 1) WITH ORDINALITY o(id, k)
     WHERE o.id = %(posted)s::jsonb -> (q.value ->> 0)),
    SUBSTR(a.answers, q.n::int, 1))"""
_DRAWN = "jsonb_array_elements(a.questions) WITH ORDINALITY q(value, n)"
_SUBMIT_SQL = f"""
UPDATE contests_attempt a
SET submitted_at = %(now)s,
    answers = (SELECT string_agg({_CHOSEN}, '' ORDER BY q.n) FROM {_DRAWN}),
    score = (SELECT COUNT(*) FROM {_DRAWN} WHERE {_CHOSEN} = SUBSTR(a.key, q.n::int, 1)),
    duration_ms = GREATEST(
        0, FLOOR(EXTRACT(EPOCH FROM LEAST(%(now)s, a.deadline) - a.started_at) * 1000))::int,
    prediction = %(prediction)s, essay = %(essay)s, late = FALSE
FROM contests_round r
WHERE a.id = %(id)s AND a.user_id = %(owner)s AND a.submitted_at IS NULL AND {_OWNER_ACTIVE}
  AND r.id = a.round_id
  AND a.deadline >= %(now)s - r.grace_seconds * INTERVAL '1 second'
  AND %(essay_length)s <= r.essay_max_chars
  AND (SELECT COUNT(*) FROM jsonb_array_elements(a.questions) q(value),
                            jsonb_array_elements(q.value -> 1) o(id)
       WHERE o.id = %(posted)s::jsonb -> (q.value ->> 0)) = %(count)s
RETURNING a.seq, a.score, a.duration_ms, LENGTH(a.answers)
"""  # noqa: S608 (constant fragments; values are parameters)


def _submit_at_once(
    *,
    owner: int,
    attempt_id: Any,
    answers: list[tuple[Any, Any]],
    predicted: int | None,
    essay: str,
    now: dt.datetime,
) -> SubmitResult | None:
    """The one UPDATE that checks, scores and closes an attempt on time (PostgreSQL), or None
    where it changed nothing: submitted already, late, not this person's, or an answer not of
    the attempt; the caller then looks at the row to say which."""
    try:
        attempt_id = int(attempt_id)
        posted = {str(int(q)): int(o) for q, o in answers}
    except (TypeError, ValueError):
        return None
    if len(posted) != len(answers) or not 0 < attempt_id < 2**63:
        return None  # a question answered twice, a bad id: the slow path says which
    with connection.cursor() as cursor:
        cursor.execute(
            _SUBMIT_SQL,
            {
                "now": now,
                "id": attempt_id,
                "owner": owner,
                "posted": json.dumps(posted),
                "count": len(posted),
                "prediction": predicted,
                "essay": essay,
                "essay_length": len(essay),
            },
        )
        row = cursor.fetchone()
    if row is None:
        return None
    seq, score, duration_ms, total = row
    return SubmitResult(
        attempt_id=attempt_id,
        seq=seq,
        score=score,
        total=total,
        duration_ms=duration_ms,
        submitted_at=now,
        late=False,
        first=True,
    )


# `key`: the score was counted against this key, which must be the row's.
_CLOSE_SQL = f"""
UPDATE contests_attempt
SET submitted_at = %(now)s, answers = %(answers)s, score = %(score)s, duration_ms = %(duration)s,
    prediction = %(prediction)s, essay = %(essay)s, late = %(late)s
WHERE id = %(id)s AND user_id = %(owner)s AND submitted_at IS NULL AND key = %(key)s
  AND {_OWNER_ACTIVE}
"""  # noqa: S608 (constant fragments; values are parameters)


def _close(
    *,
    owner: int,
    attempt_id: int,
    seq: int,
    key: str,
    answers: str,
    score: int,
    duration_ms: int,
    predicted: int | None,
    essay: str,
    late: bool,
    now: dt.datetime,
) -> SubmitResult | None:
    """The conditional UPDATE that submits a scored attempt, and its result; None if it was
    submitted already."""
    with connection.cursor() as cursor:
        cursor.execute(
            _CLOSE_SQL,
            {
                "now": _db_time(now),
                "answers": answers,
                "score": score,
                "duration": duration_ms,
                "prediction": predicted,
                "essay": essay,
                "late": late,
                "id": attempt_id,
                "owner": owner,
                "key": key,
            },
        )
        if cursor.rowcount != 1:
            return None
    return SubmitResult(
        attempt_id=attempt_id,
        seq=seq,
        score=score,
        total=len(answers),
        duration_ms=duration_ms,
        submitted_at=now,
        late=late,
        first=True,
    )


def _duration_ms(started_at: dt.datetime, finished: dt.datetime) -> int:
    # Whole milliseconds, floored as PostgreSQL's path does (a float would lose one now and
    # then, and the time taken breaks ties in the ranking).
    return max(0, (finished - started_at) // dt.timedelta(milliseconds=1))


def _submit_by_ticket(
    *,
    ticket: Ticket,
    answers: list[tuple[Any, Any]],
    predicted: int | None,
    essay: str,
    now: dt.datetime,
) -> SubmitResult | None:
    """DESIGN's hot path: every question answered in the post, on time, scored in Python from
    the ticket's draw and the paper's key, closed by one conditional UPDATE. None for anything
    else (some questions left to what was saved, late, a wrong answer, too long an essay,
    submitted already): the caller then takes a path that reads the row."""
    draw = ticket.draw
    if len(answers) != len(draw):
        return None
    paper = round_paper_load(round_id=ticket.round_id)
    if len(essay) > paper.essay_max_chars or now > ticket.deadline + dt.timedelta(
        seconds=paper.grace_seconds
    ):
        return None
    try:
        key = _key(paper, draw)
    except (KeyError, ValueError):  # not the paper this attempt was drawn from
        return None
    try:  # as many answers as questions and none twice: the post fills every place
        text = _merge_answers(draw, "-" * len(draw), answers)
    except ContestError:
        return None  # the row's path gives the refusal
    score = _score(text, key)
    duration_ms = _duration_ms(ticket.started_at, min(now, ticket.deadline))
    return _close(
        owner=ticket.user_id,
        attempt_id=ticket.attempt_id,
        seq=ticket.seq,
        key=key,
        answers=text,
        score=score,
        duration_ms=duration_ms,
        predicted=predicted,
        essay=essay,
        late=False,
        now=now,
    )


def attempt_submit(
    *,
    user: User | None = None,
    ticket: Ticket | None = None,
    attempt_id: int,
    answers: Iterable[tuple[Any, Any]] | None = None,
    prediction: Any = None,
    essay: str = "",
    now: dt.datetime | None = None,
) -> SubmitResult:
    """Score and close an attempt by one UPDATE: scored in Python with the attempt's ticket
    when the post answers every question, else, on PostgreSQL, scored in SQL. Where that
    UPDATE changed nothing, one SELECT and one conditional UPDATE (module docstring)."""
    owner = _owner(user, ticket, attempt_id)
    answers = list(answers or ())
    now = now or timezone.now()
    try:
        predicted = prediction_parse(prediction)
    except ContestError:
        pass  # refused below, unless the attempt was submitted already
    else:
        text = vntext.normalize(essay or "").strip()
        done = None
        if ticket is not None:
            done = _submit_by_ticket(
                ticket=ticket, answers=answers, predicted=predicted, essay=text, now=now
            )
        if done is None and connection.vendor == "postgresql":
            done = _submit_at_once(
                owner=owner,
                attempt_id=attempt_id,
                answers=answers,
                predicted=predicted,
                essay=text,
                now=now,
            )
        if done is not None:
            return done
    attempt = _attempt_row(attempt_id, owner)
    if attempt.submitted_at is not None:
        return _result_of(attempt, first=False)
    paper = round_paper_load(round_id=attempt.round_id)
    predicted = prediction_parse(prediction)
    essay = vntext.normalize(essay or "").strip()
    if len(essay) > paper.essay_max_chars:
        raise ContestError(
            _("The essay may be at most %(n)s characters long; yours has %(m)s.")
            % {
                "n": vntext.format_number(paper.essay_max_chars),
                "m": vntext.format_number(len(essay)),
            },
            "essay_too_long",
        )
    merged = _merge_answers(attempt.questions, attempt.answers, answers)
    late = now > attempt.deadline + dt.timedelta(seconds=paper.grace_seconds)
    if late:
        if paper.late_policy == Round.LATE_REFUSE:
            raise ContestError(_("Time is up: this attempt can no longer be submitted."), "late")
        merged = attempt.answers  # only what was saved before the deadline counts
        finished = attempt.deadline
    else:
        finished = min(now, attempt.deadline)
    duration_ms = _duration_ms(attempt.started_at, finished)
    score = _score(merged, attempt.key)
    done = _close(
        owner=owner,
        attempt_id=attempt.pk,
        seq=attempt.seq,
        key=attempt.key,
        answers=merged,
        score=score,
        duration_ms=duration_ms,
        predicted=predicted,
        essay=essay,
        late=late,
        now=now,
    )
    # None: a double submit, whose first result stands.
    return done or _result_of(_attempt_row(attempt.pk, owner), first=False)


# --- After the round: disqualification, the actual figure, ranking -----------------------------


@transaction.atomic
def participant_disqualify(
    *,
    round: Round,
    user: User,
    reason: str,
    decided_by: User | None,
    attempt: Attempt | None = None,
) -> Disqualification:
    reason = vntext.normalize(reason).strip()
    if not reason:
        raise ContestError(_("Please give the reason for the disqualification."), "reason")
    attempts = Attempt.objects.filter(round=round, user=user)
    if attempt is not None:
        attempts = attempts.filter(pk=attempt.pk)
    if not attempts.exists():
        # A log of people disqualified from a round they never took part in would only
        # mislead whoever reads it later (and a mistyped username would pass unnoticed).
        raise ContestError(_("This person has no attempt in this round."), "not_participant")
    entry = Disqualification.objects.create(
        round=round, user=user, attempt=attempt, reason=reason, decided_by=decided_by
    )
    if timezone.now() >= round.closes_at:
        from .tasks import round_results

        round_pk = round.pk
        transaction.on_commit(lambda: round_results.enqueue(round_pk))
    return entry


_ELIGIBLE = """
    a.round_id = %(round)s AND a.submitted_at IS NOT NULL
    AND NOT EXISTS (SELECT 1 FROM contests_disqualification d
                    WHERE d.round_id = a.round_id AND d.user_id = a.user_id
                      AND d.lifted = %(false)s AND (d.attempt_id IS NULL OR d.attempt_id = a.id))
    AND NOT EXISTS (SELECT 1 FROM contests_contest_excluded_users x
                    WHERE x.contest_id = %(contest)s AND x.user_id = a.user_id)
"""


def _eligible_params(rnd: Round) -> dict[str, Any]:
    """The parameters `_ELIGIBLE` names."""
    return {"round": rnd.pk, "contest": rnd.contest_id, "false": False}


def round_actual_compute(*, round_id: int) -> int:
    """The prediction question's actual figure, counted once the round has closed, over
    eligible submitted attempts (after disqualifications and exclusions)."""
    rnd = Round.objects.get(pk=round_id)
    expr = {
        Round.TARGET_PEOPLE: "COUNT(DISTINCT a.user_id)",
        Round.TARGET_ATTEMPTS: "COUNT(*)",
        Round.TARGET_PERFECT: "COUNT(DISTINCT CASE WHEN a.score = %(full)s THEN a.user_id END)",
    }[rnd.prediction_target]
    params = {**_eligible_params(rnd), "full": rnd.questions_per_attempt}
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {expr} FROM contests_attempt a WHERE {_ELIGIBLE}", params)  # noqa: S608
        actual = int(cursor.fetchone()[0])
    Round.objects.filter(pk=round_id).update(prediction_actual=actual)
    return actual


_ORDER = {
    "score": "score DESC",
    "prediction": "gap ASC",
    "duration": "duration_ms ASC",
    "submitted": "submitted_at ASC",
    "id": "id ASC",
}
_BIG = 9_000_000_000_000_000_000


@transaction.atomic
def round_rank(*, round_id: int) -> int:
    """The round's ranking, in one statement with window functions: each eligible person's
    best attempt (or every attempt) ordered by the round's rules. Returns the entries made."""
    rnd = Round.objects.select_for_update().get(pk=round_id)
    rules = rnd.rules_list
    order = ", ".join([_ORDER[r] for r in rules] + ([] if "id" in rules else ["id ASC"]))
    if rnd.prediction_counts == Round.PREDICTION_FIRST:
        prediction = "FIRST_VALUE(a.prediction) OVER (PARTITION BY a.user_id ORDER BY a.seq)"
    else:
        prediction = "a.prediction"
    keep = "WHERE nth = 1" if rnd.best_attempt_only else ""
    sql = f"""
        WITH eligible AS (
            SELECT a.id, a.user_id, a.score, a.duration_ms, a.submitted_at,
                   {prediction} AS pred
            FROM contests_attempt a WHERE {_ELIGIBLE}
        ), gapped AS (
            SELECT id, user_id, score, duration_ms, submitted_at,
                   ABS(pred - %(actual)s) AS gap_raw,
                   COALESCE(ABS(pred - %(actual)s), {_BIG}) AS gap
            FROM eligible
        ), best AS (
            SELECT gapped.*, ROW_NUMBER() OVER (PARTITION BY user_id ORDER BY {order}) AS nth
            FROM gapped
        )
        INSERT INTO contests_rankingentry
            (round_id, position, attempt_id, user_id, score, prediction_gap, duration_ms,
             submitted_at)
        SELECT %(round)s, ROW_NUMBER() OVER (ORDER BY {order}), id, user_id, score, gap_raw,
               duration_ms, submitted_at
        FROM best {keep}
    """  # noqa: S608 (rule names map to constant SQL; values are parameters)
    params = {**_eligible_params(rnd), "actual": rnd.prediction_actual}
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM contests_rankingentry WHERE round_id = %s", [round_id])
        cursor.execute(sql, params)
        count = cursor.rowcount
        if count < 0:  # SQLite does not count the rows of an INSERT that starts with WITH
            cursor.execute(
                "SELECT COUNT(*) FROM contests_rankingentry WHERE round_id = %s", [round_id]
            )
            count = cursor.fetchone()[0]
    Round.objects.filter(pk=round_id).update(ranked_at=timezone.now())
    return count


def round_results_compute(*, round_id: int) -> int:
    """After the round closes (and after every disqualification): the actual figure, then
    the ranking."""
    rnd = Round.objects.get(pk=round_id)
    if timezone.now() < rnd.closes_at:
        raise ContestError(_("The ranking is made after the round closes."), "not_closed")
    if rnd.prediction_question:
        round_actual_compute(round_id=round_id)
    return round_rank(round_id=round_id)


@transaction.atomic
def essay_mark(*, attempt: Attempt, mark: Any) -> Attempt:
    attempt.essay_score = mark
    attempt.save(update_fields=["essay_score"])
    return attempt


@dataclass
class BankImport:
    created: int
    errors: list[tuple[int, str]]


@transaction.atomic
def question_bank_import(*, contest: Contest, data: bytes) -> BankImport:
    """Questions from an Excel file in the template's format. All or nothing: if any row is
    wrong, nothing is imported and every wrong row is reported with its number. A question
    whose code is already in the bank is replaced (rounds already frozen keep their copy)."""
    from .excel import bank_read

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
