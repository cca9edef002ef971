"""Attempts: start, save an answer, submit. The hot path:

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
- `attempt_submit`, the design's way, with the ticket and every question answered in the post:
  scored in Python from the ticket's draw and the process's copy of the paper (not checked
  against the cache: no round trip), closed by one conditional `UPDATE … WHERE id = %s AND
  user_id = %s AND submitted_at IS NULL AND key = … AND <on time and within the essay's limit
  by the round's row>` (on PostgreSQL a PL/pgSQL function, whose plan is kept). Otherwise
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

import contextlib
import datetime as dt
import json
from collections.abc import Callable, Iterable, Sequence
from contextlib import nullcontext
from dataclasses import dataclass
from typing import Any, NamedTuple

from django.db import IntegrityError, connection, transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from moduong.accounts.models import User
from moduong.core import vntext
from moduong.core.services import RateLimitHit, rate_limit_take

from .. import conf, scoring
from ..errors import AttemptNotFound, ContestError, LoginExpired
from ..models import Attempt, Contest, ParticipantProfile, Round
from ..paper import Paper, paper_draw, round_paper_held, round_paper_load
from ..tickets import Ticket
from .results import prediction_parse


class Participant(NamedTuple):
    """A logged-in user known by id alone (the API's start: the session's user id, its row
    not read). Whatever needs more of the user reads it."""

    pk: int


def _db_time(value: dt.datetime) -> Any:
    return connection.ops.adapt_datetimefield_value(value)


def attempt_start_login_holds(
    *, user_id: int, login_check: Callable[[str], bool] | None = None
) -> bool:
    """Whether the account is active and the caller's login still holds against its password
    hash (`login_check`, see attempt_start): a read of the user's row, for refusals only."""
    account = User.objects.filter(pk=user_id).values_list("is_active", "password").first()
    return account is not None and account[0] and (login_check is None or login_check(account[1]))


def _start_refusal(
    paper: Paper, user_id: int, login_check: Callable[[str], bool] | None
) -> ContestError:
    """Why the one INSERT inserted nothing (the slow path: a refusal, not a start). A caller
    whose login was not checked against the user's row yet (`login_check`) learns nothing
    before it is."""
    if not attempt_start_login_holds(user_id=user_id, login_check=login_check):
        return LoginExpired()
    contest_id = paper.contest_id
    if not ParticipantProfile.objects.filter(contest_id=contest_id, user_id=user_id).exists():
        return ContestError(
            _("Please fill in your registration for this contest first."), "not_registered"
        )
    if Contest.excluded_users.through.objects.filter(
        contest_id=contest_id, user_id=user_id
    ).exists():
        return ContestError(_("Organisers of this contest may not take part in it."), "excluded")
    return ContestError(
        _("You have used all %(n)d attempts allowed in this round.")
        % {"n": paper.attempts_allowed},
        "limit",
    )


# The start's statement. {name} stands for a value: a placeholder of the query as sent on
# SQLite, a parameter of the PL/pgSQL function below on PostgreSQL.
_START_SQL = """
INSERT INTO contests_attempt
    (round_id, user_id, seq, questions, answers, key, started_at, deadline, essay, late)
SELECT {round}, {user},
       COALESCE((SELECT MAX(seq) FROM contests_attempt
                 WHERE round_id = {round} AND user_id = {user}), 0) + 1,
       {questions}, {answers}, {key}, {started}, {deadline}, '', {false}
WHERE (SELECT COUNT(*) FROM contests_attempt
       WHERE round_id = {round} AND user_id = {user}) < {allowed}
  AND EXISTS (SELECT 1 FROM contests_participantprofile
              WHERE contest_id = {contest} AND user_id = {user})
  AND NOT EXISTS (SELECT 1 FROM contests_contest_excluded_users
                  WHERE contest_id = {contest} AND user_id = {user})
  AND EXISTS (SELECT 1 FROM accounts_user WHERE id = {user} AND is_active)
RETURNING id, seq{password}
"""
_START_VALUES = (
    *("round", "user", "contest", "allowed", "questions"),
    *("answers", "key", "started", "deadline", "false"),
)
_START_RETURNS_HASH = ", (SELECT password FROM accounts_user WHERE id = {user})"

# On PostgreSQL the statement runs inside this function: PL/pgSQL keeps its plan for the
# connection, where the statement sent as text was planned again on every start, which cost
# about as much as running it (pgbench: 1,000–1,700 starts/s as text, 1,800 in the function).
# A prepared statement would keep the plan too, but not behind pgbouncer in transaction mode
# (the cluster); a function call is a plain query. Installed by the migrations that call
# start_function_install (0010); test_start_function checks the installed body is this one.
_START_FUNCTION = """
CREATE OR REPLACE FUNCTION contests_attempt_start(
    p_round bigint, p_user bigint, p_contest bigint, p_allowed integer, p_questions jsonb,
    p_answers varchar, p_key varchar, p_started timestamptz, p_deadline timestamptz,
    p_with_password boolean
) RETURNS TABLE (o_id bigint, o_seq smallint, o_password varchar)
LANGUAGE plpgsql AS $function$
BEGIN
    RETURN QUERY {statement};
END
$function$
"""


def _start_function_body() -> str:
    values = {name: f"p_{name}" for name in _START_VALUES} | {"false": "false"}
    password = _START_RETURNS_HASH.format(**values).replace(
        ", (SELECT", ", CASE WHEN p_with_password THEN (SELECT", 1
    )
    return _START_SQL.format(**values, password=password + " END").strip()


def start_function_install(schema_editor: Any) -> None:
    """Install (again) the start's function on PostgreSQL: every migration that changes the
    start's statement calls this."""
    if schema_editor.connection.vendor == "postgresql":
        # Dropped first: CREATE OR REPLACE cannot change the parameters or the result.
        start_function_drop(schema_editor)
        schema_editor.execute(_START_FUNCTION.format(statement=_start_function_body()))


def start_function_drop(schema_editor: Any) -> None:
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP FUNCTION IF EXISTS contests_attempt_start")


def _start_statement(with_password: bool) -> str:
    if connection.vendor == "postgresql":
        return (
            "SELECT * FROM contests_attempt_start(%(round)s, %(user)s, %(contest)s,"
            " %(allowed)s, %(questions)s::jsonb, %(answers)s, %(key)s, %(started)s,"
            " %(deadline)s, %(with_password)s)"
        )
    values = {name: f"%({name})s" for name in _START_VALUES}
    password = _START_RETURNS_HASH.format(**values) if with_password else ""
    return _START_SQL.format(**values, password=password)


def _key(paper: Paper, draw: list[list[Any]]) -> str:
    """The correct option of each drawn question, as its index in the attempt's shown order."""
    return "".join(
        str(order.index(paper.questions[qid].options[paper.questions[qid].correct][0]))
        for qid, order in draw
    )


def attempt_start_rate_take(
    *, request: HttpRequest, user: User | Participant, reads: Sequence[str] = ()
) -> RateLimitHit | None:
    """A minute's window per person for starting attempts (the shared cache), for the page
    and the API alike: the start counted (None: over the limit, not counted). Counted before
    the captcha is checked, so each guess at a captcha costs one of the person's starts; a
    caller that finds afterwards that the request was not the person's (a withdrawn
    session) takes its hit back. `reads`: cache keys read in the same round trip (hit.read)."""
    per_minute = conf.start_rate_per_minute()
    return rate_limit_take(
        request=request,
        action="contest-start",
        rate=f"{per_minute}/m/user" if per_minute else "",
        user=user,
        reads=reads,
    )


def attempt_start_rate_exceeded(*, request: HttpRequest, user: User | Participant) -> bool:
    """`attempt_start_rate_take` for a caller whose login is already checked (the page)."""
    return attempt_start_rate_take(request=request, user=user) is None


def attempt_start(
    *,
    user: User | Participant,
    round_id: int,
    now: dt.datetime | None = None,
    paper: Paper | None = None,
    login_check: Callable[[str], bool] | None = None,
) -> Attempt:
    """Start an attempt: one INSERT (see the module's docstring), which also refuses an
    account that is not active. `paper`: the round's paper when the caller loaded it already
    in this request.

    `login_check`: for a caller that knows only the user's id (the API's start reads it from
    the session, not the user's row): told the account's current password hash, which the
    same INSERT returns, it says whether the caller's login still holds (the session's hash,
    as Django's own login from the session checks it). If not, the attempt just inserted is
    deleted again (no one has seen it) and LoginExpired is raised."""
    if paper is None or paper.round_id != round_id:
        paper = round_paper_load(round_id=round_id)
    now = now or timezone.now()
    refusal = None
    if now < paper.opens_at:
        refusal = ContestError(
            _("This round opens at %(when)s.") % {"when": vntext.format_datetime(paper.opens_at)},
            "not_open",
        )
    elif now >= paper.closes_at:
        refusal = ContestError(_("This round has closed."), "closed")
    elif len(paper.questions) < paper.questions_per_attempt:
        refusal = ContestError(
            _("This round's questions are not ready yet. Please come back later."), "no_bank"
        )
    if refusal is not None:
        # As the INSERT's refusals: a withdrawn login learns nothing, and is told so.
        if login_check is not None and not attempt_start_login_holds(
            user_id=user.pk, login_check=login_check
        ):
            raise LoginExpired()
        raise refusal
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
    params["with_password"] = login_check is not None
    sql = _start_statement(login_check is not None)
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
        raise _start_refusal(paper, user.pk, login_check)
    if login_check is not None and not login_check(row[2]):
        # A session that a new password (or an account's other change of login) withdrew:
        # what Django's login from the session would have refused before the INSERT.
        with connection.cursor() as cursor:
            cursor.execute("DELETE FROM contests_attempt WHERE id = %s", [row[0]])
        raise LoginExpired()
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


def attempt_prediction_save(
    *,
    user: User | None = None,
    ticket: Ticket | None = None,
    attempt_id: int,
    prediction: Any,
    now: dt.datetime | None = None,
) -> int | None:
    """Save the prediction as it is typed, as answers are saved as they are chosen, so that a
    reload or a lost connection keeps it; the submit then sends it again. Typed once per
    attempt, off the rush's two requests: the row is read to say why a save is refused."""
    owner = _owner(user, ticket, attempt_id)
    now = now or timezone.now()
    attempt = _attempt_row(attempt_id, owner)
    paper = round_paper_load(round_id=attempt.round_id)
    if not paper.has_prediction:
        raise ContestError(_("This round asks for no prediction."), "no_prediction")
    predicted = prediction_parse(prediction)
    if attempt.submitted_at is not None:
        raise ContestError(_("This attempt has already been submitted."), "submitted")
    if now > attempt.deadline + dt.timedelta(seconds=paper.grace_seconds):
        raise ContestError(_("Time is up: answers can no longer be changed."), "late")
    saved = Attempt.objects.filter(
        pk=attempt.pk, user_id=owner, submitted_at__isnull=True, user__is_active=True
    ).update(prediction=predicted)
    if not saved:
        raise ContestError(_("This attempt has already been submitted."), "submitted")
    return predicted


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
    score = (SELECT COUNT(*) FROM {_DRAWN} WHERE {scoring.sql_right(_CHOSEN, "a.key", "q.n::int")}),
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


# The ticket's close: the attempt's own row, unsubmitted, with the key the post was scored
# against, on time by the round's grace and within its essay limit as the round's row says now
# (the process's copy of the paper is not checked against the cache for it). {name} stands for
# a value, as in _START_SQL; on PostgreSQL the statement is the function
# contests_attempt_close (installed by 0011), whose plan each connection keeps.
_TICKET_CLOSE_SQL = """
UPDATE contests_attempt
SET submitted_at = {now}, answers = {answers}, score = {score}, duration_ms = {duration},
    prediction = {prediction}, essay = {essay}, late = {late}
WHERE id = {id} AND user_id = {owner} AND submitted_at IS NULL AND key = {key}
  AND EXISTS (SELECT 1 FROM accounts_user u WHERE u.id = {owner} AND u.is_active)
  AND EXISTS (SELECT 1 FROM contests_round r
              WHERE r.id = contests_attempt.round_id
                AND r.grace_seconds * CAST(1000000 AS BIGINT) >= {late_us}
                AND r.essay_max_chars >= {essay_length})
"""
_TICKET_CLOSE_PARAMETERS = (
    ("id", "bigint"),
    ("owner", "bigint"),
    ("key", "varchar"),
    ("answers", "varchar"),
    ("score", "integer"),
    ("duration", "integer"),
    ("prediction", "bigint"),
    ("essay", "text"),
    ("late", "boolean"),
    ("now", "timestamptz"),
    ("late_us", "bigint"),
    ("essay_length", "integer"),
)
_TICKET_CLOSE_FUNCTION = """
CREATE OR REPLACE FUNCTION contests_attempt_close({parameters}) RETURNS boolean
LANGUAGE plpgsql AS $function$
BEGIN
    {statement};
    RETURN FOUND;
END
$function$
"""


def _close_function_body() -> str:
    values = {name: f"p_{name}" for name, _type in _TICKET_CLOSE_PARAMETERS}
    return _TICKET_CLOSE_SQL.format(**values).strip()


def close_function_install(schema_editor: Any) -> None:
    """Install (again) the ticket's close as a function on PostgreSQL: every migration that
    changes _TICKET_CLOSE_SQL calls this (test_services checks the installed one is the
    code's)."""
    if schema_editor.connection.vendor == "postgresql":
        parameters = ", ".join(f"p_{name} {kind}" for name, kind in _TICKET_CLOSE_PARAMETERS)
        close_function_drop(schema_editor)  # as start_function_install
        schema_editor.execute(
            _TICKET_CLOSE_FUNCTION.format(parameters=parameters, statement=_close_function_body())
        )


def close_function_drop(schema_editor: Any) -> None:
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP FUNCTION IF EXISTS contests_attempt_close")


_TICKET_CLOSE_STATEMENT = _TICKET_CLOSE_SQL.format(
    **{name: f"%({name})s" for name, _type in _TICKET_CLOSE_PARAMETERS}
)
_TICKET_CLOSE_CALL = "SELECT contests_attempt_close({})".format(
    ", ".join(f"%({name})s" for name, _type in _TICKET_CLOSE_PARAMETERS)
)


def _ticket_key(paper: Paper, draw: list[list[Any]]) -> str | None:
    try:
        return _key(paper, draw)
    except (KeyError, ValueError):  # not the paper this attempt was drawn from
        return None


def _submit_by_ticket(
    *,
    ticket: Ticket,
    answers: list[tuple[Any, Any]],
    predicted: int | None,
    essay: str,
    now: dt.datetime,
) -> SubmitResult | None:
    """The design's hot path: every question answered in the post, on time, scored in Python from
    the ticket's draw and the paper's key, closed by one conditional statement. None for
    anything else (some questions left to what was saved, late, a wrong answer, too long an
    essay, submitted already): the caller then takes a path that reads the row.

    The paper is this process's copy as it stands, without the round trip to the cache that
    checks its version: what a save of the round can change and the submit depends on (the
    grace seconds, the essay's limit) is checked by the statement against the round's row, and
    the answer key, from the frozen bank, against the attempt's own key. A copy that is out of
    date can only send the submit down the slower paths, which read the current round."""
    draw = ticket.draw
    if len(answers) != len(draw):
        return None
    try:  # as many answers as questions and none twice: the post fills every place
        text = _merge_answers(draw, "-" * len(draw), answers)
    except ContestError:
        return None  # the row's path gives the refusal
    paper = round_paper_held(round_id=ticket.round_id)
    key = _ticket_key(paper, draw)
    if key is None:  # a copy from before the bank was frozen: the current one
        paper = round_paper_load(round_id=ticket.round_id)
        key = _ticket_key(paper, draw)
        if key is None:
            return None
    # As the statement will check them (it has the last word): spares a statement that would
    # change nothing.
    if len(essay) > paper.essay_max_chars or now > ticket.deadline + dt.timedelta(
        seconds=paper.grace_seconds
    ):
        return None
    score = scoring.score(text, key)
    duration_ms = _duration_ms(ticket.started_at, min(now, ticket.deadline))
    params = {
        "now": _db_time(now),
        "answers": text,
        "score": score,
        "duration": duration_ms,
        "prediction": predicted,
        "essay": essay,
        "late": False,
        "id": ticket.attempt_id,
        "owner": ticket.user_id,
        "key": key,
        # How long after the deadline, exactly (the grace is whole seconds).
        "late_us": (now - ticket.deadline) // dt.timedelta(microseconds=1),
        "essay_length": len(essay),
    }
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(_TICKET_CLOSE_CALL, params)
            closed = bool(cursor.fetchone()[0])
        else:
            cursor.execute(_TICKET_CLOSE_STATEMENT, params)
            closed = cursor.rowcount == 1
    if not closed:
        return None
    return SubmitResult(
        attempt_id=ticket.attempt_id,
        seq=ticket.seq,
        score=score,
        total=len(text),
        duration_ms=duration_ms,
        submitted_at=now,
        late=False,
        first=True,
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
            if done is None:
                # Perhaps this process's copy of the paper is out of date: brought up to date
                # here, on the slower path, so that the next submits do not pay for it too. A
                # round gone is the row's path to tell (the attempt went with it).
                with contextlib.suppress(ContestError):
                    round_paper_load(round_id=ticket.round_id)
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
    score = scoring.score(merged, attempt.key)
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
