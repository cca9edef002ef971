"""After the round: the prediction, the disqualification log, the actual figure, the ranking,
the staff's decisions on the suspicious-attempts report."""

from __future__ import annotations

import logging
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _

from moduong.accounts.models import User
from moduong.core import vntext
from moduong.core.locks import lock_timeout
from moduong.core.services import page_cache_invalidate

from .. import conf, events
from ..errors import ContestError
from ..models import Attempt, Contest, Disqualification, Round, RoundJob, Suspicion
from .jobs import job_progress, job_request, job_run

logger = logging.getLogger(__name__)

#: Largest prediction accepted: far above any contest's participants, inside a BIGINT.
PREDICTION_MAX = 10**12


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


def disqualification_case_key(*, round_id: int, user_id: int, attempt_ref: int | None) -> str:
    """The pseudonym of a disqualification case: a keyed hash (the site's secret) of the
    round, the person and the attempt (or the whole person). It names nobody once the
    account is gone, yet ties the case's entries together."""
    value = f"{round_id}:{user_id}:{attempt_ref if attempt_ref is not None else '*'}"
    return salted_hmac("moduong.contests.disqualification", value, algorithm="sha256").hexdigest()


def _case_lock(round_id: int, case_key: str) -> None:
    """One decision on a case at a time (PostgreSQL: a transaction's advisory lock, waited
    for at most the setting LOCK_TIMEOUT_SECONDS; SQLite has one writer anyway)."""
    if connection.vendor == "postgresql":
        lock_timeout()
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT pg_advisory_xact_lock(hashtext(%s))", [f"contests-dq:{case_key}"]
            )


def _latest(round_id: int, case_key: str) -> Disqualification | None:
    return (
        Disqualification.objects.filter(round_id=round_id, case_key=case_key)
        .order_by("-id")
        .first()
    )


def _reason(reason: str, message: str) -> str:
    cleaned = vntext.normalize(reason or "").strip()
    if not cleaned:
        raise ContestError(message, "reason")
    return cleaned


def _name(user: User | None) -> str:
    """Who decided, as the log keeps it after the staff account is gone."""
    if user is None:
        return ""
    username = user.get_username()
    display = user.display_name or username
    return (display if display == username else f"{display} ({username})")[:150]


@transaction.atomic
def participant_disqualify(
    *,
    round: Round,
    user: User,
    reason: str,
    decided_by: User | None,
    attempt: Attempt | None = None,
) -> Disqualification:
    """Take a person (or one of their attempts) out of the round's ranking: a new entry of
    the log. After the close the ranking is made again (queued) and the winners follow."""
    reason = _reason(reason, _("Please give the reason for the disqualification."))
    attempts = Attempt.objects.filter(round=round, user=user)
    if attempt is not None:
        attempts = attempts.filter(pk=attempt.pk)
    if not attempts.exists():
        # A log of people disqualified from a round they never took part in would only
        # mislead whoever reads it later (and a mistyped username would pass unnoticed).
        raise ContestError(_("This person has no attempt in this round."), "not_participant")
    attempt_ref = attempt.pk if attempt is not None else None
    case_key = disqualification_case_key(
        round_id=round.pk, user_id=user.pk, attempt_ref=attempt_ref
    )
    _case_lock(round.pk, case_key)
    latest = _latest(round.pk, case_key)
    if latest is not None and latest.action == Disqualification.DISQUALIFY:
        raise ContestError(_("This person is already disqualified in this round."), "already")
    entry = Disqualification.objects.create(
        round=round,
        action=Disqualification.DISQUALIFY,
        case_key=case_key,
        user=user,
        attempt_ref=attempt_ref,
        reason=reason,
        decided_by=decided_by,
        decided_by_name=_name(decided_by),
        created_at=timezone.now(),
    )
    _results_follow(round)
    return entry


def _results_follow(rnd: Round) -> None:
    """After the close, a change to who counts makes the ranking again (in the background)."""
    if timezone.now() >= rnd.closes_at:
        round_pk = rnd.pk
        transaction.on_commit(
            lambda: events.ranking_requested.send(sender=Round, round_id=round_pk)
        )


@transaction.atomic
def disqualification_lift(
    *, disqualification_id: int, reason: str, decided_by: User | None
) -> Disqualification:
    """Lift a disqualification: a new entry of the log for the same case, with who, when and
    why; the person counts again, and after the close the ranking is made again."""
    reason = _reason(reason, _("Please give the reason for lifting the disqualification."))
    entry = Disqualification.objects.select_related("round").filter(pk=disqualification_id).first()
    if entry is None:
        raise ContestError(_("This disqualification does not exist."), "not_found")
    _case_lock(entry.round_id, entry.case_key)
    latest = _latest(entry.round_id, entry.case_key)
    if latest is None or latest.action != Disqualification.DISQUALIFY:
        raise ContestError(_("This disqualification has already been lifted."), "lifted")
    lift = Disqualification.objects.create(
        round_id=entry.round_id,
        action=Disqualification.LIFT,
        case_key=entry.case_key,
        user_id=entry.user_id,
        attempt_ref=entry.attempt_ref,
        reason=reason,
        decided_by=decided_by,
        decided_by_name=_name(decided_by),
        created_at=timezone.now(),
    )
    logger.info(
        "disqualification case %s in round %s lifted by %s",
        entry.case_key[:12],
        entry.round_id,
        getattr(decided_by, "pk", None),
    )
    _results_follow(entry.round)
    return lift


@transaction.atomic
def essay_mark(*, attempt_id: int, mark: Decimal | None, marked_by: User | None) -> Attempt:
    """The staff's mark of a submitted attempt's essay (None takes it back). The staff's admin
    form comes here."""
    lock_timeout()
    attempt = Attempt.objects.select_for_update().select_related("round").get(pk=attempt_id)
    if mark is not None:
        if attempt.submitted_at is None:
            raise ContestError(_("An essay is marked once its attempt is submitted."), "open")
        if not attempt.round.essay_prompt:
            raise ContestError(_("This round has no essay to mark."), "no_essay")
        if mark < 0:
            raise ContestError(_("A mark cannot be negative."), "invalid_mark")
    attempt.essay_score = mark
    try:
        attempt.clean_fields(
            exclude=[f.name for f in Attempt._meta.concrete_fields if f.name != "essay_score"]
        )
    except ValidationError as error:
        raise ContestError(" ".join(error.messages), "invalid_mark") from error
    attempt.save(update_fields=["essay_score"])
    logger.info(
        "essay of attempt %s marked %s by %s", attempt.pk, mark, getattr(marked_by, "pk", None)
    )
    return attempt


_SUBMITTED = "a.round_id = %(round)s AND a.submitted_at IS NOT NULL"
_NOT_DISQUALIFIED = """
    AND NOT EXISTS (SELECT 1 FROM contests_disqualification d
                    WHERE d.round_id = a.round_id AND d.user_id = a.user_id
                      AND d.action = 'disqualify'
                      AND (d.attempt_ref IS NULL OR d.attempt_ref = a.id)
                      AND NOT EXISTS (SELECT 1 FROM contests_disqualification l
                                      WHERE l.round_id = d.round_id
                                        AND l.case_key = d.case_key AND l.id > d.id))
"""
_NOT_EXCLUDED = """
    AND NOT EXISTS (SELECT 1 FROM contests_contest_excluded_users x
                    WHERE x.contest_id = %(contest)s AND x.user_id = a.user_id)
"""


def _eligible(rnd: Round) -> str:
    """Which attempts count (WHERE, over `contests_attempt a`): submitted, in the round, not
    disqualified, not of a person the contest excludes. A test that cannot exclude anything
    is left out: each costs a probe per attempt (0.7 s of a million attempts' count when the
    round has no disqualification and the contest no exclusion, the usual case). A
    disqualification decided meanwhile queues the ranking again once it is committed."""
    sql = _SUBMITTED
    if Disqualification.objects.filter(
        round_id=rnd.pk, action=Disqualification.DISQUALIFY
    ).exists():
        sql += _NOT_DISQUALIFIED
    if Contest.excluded_users.through.objects.filter(contest_id=rnd.contest_id).exists():
        sql += _NOT_EXCLUDED
    return sql


def _eligible_params(rnd: Round) -> dict[str, Any]:
    """The parameters `_eligible` names."""
    return {"round": rnd.pk, "contest": rnd.contest_id}


def _work_mem() -> None:
    """The memory PostgreSQL may give each sort and hash of the ranking's transaction
    (conf.ranking_work_mem; the server's default, 4 MB, sends the sort of a million attempts'
    entries to disk), for the job's own transaction only."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            # SET LOCAL, with the value as a parameter (it comes from the environment).
            cursor.execute("SELECT set_config('work_mem', %s, true)", [conf.ranking_work_mem()])


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
    with transaction.atomic():
        _work_mem()
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT {expr} FROM contests_attempt a WHERE {_eligible(rnd)}", params)  # noqa: S608
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
    best attempt (or every attempt) ordered by the round's rules. Returns the entries made.

    Two rankings of a round never interleave: each holds the round's row. The lock is FOR NO
    KEY UPDATE, which a row referring to the round (an attempt, a disqualification) does not
    wait for, and it is given up after the project's lock timeout rather than waited for."""
    lock_timeout()
    rnd = Round.objects.select_for_update(no_key=True).get(pk=round_id)
    _work_mem()
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
            FROM contests_attempt a WHERE {_eligible(rnd)}
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


def round_results_compute(*, round_id: int, job_id: int | None = None) -> int:
    """After the round closes (and after every disqualification): the actual figure, then
    the ranking (steps shown as the progress of `job_id`, the job that runs it)."""
    rnd = Round.objects.get(pk=round_id)
    if timezone.now() < rnd.closes_at:
        raise ContestError(_("The ranking is made after the round closes."), "not_closed")
    if job_id is not None:
        job_progress(job_id=job_id, done=0, total=2)
    if rnd.prediction_question:
        round_actual_compute(round_id=round_id)
    if job_id is not None:
        job_progress(job_id=job_id, done=1)
    count = round_rank(round_id=round_id)
    # The winners page shows the ranking: no reader keeps the old one from the page cache.
    transaction.on_commit(page_cache_invalidate, robust=True)
    return count


def ranking_request(
    *, round_id: int, requested_by: User | None = None, again_if_running: bool = False
) -> tuple[RoundJob, bool]:
    """Queue the ranking of a closed round, unless one is queued or running already:
    (the job, whether it is new). `again_if_running` (the data changed: a disqualification)
    makes a running ranking run once more when it ends."""
    rnd = Round.objects.get(pk=round_id)
    if timezone.now() < rnd.closes_at:
        raise ContestError(_("The ranking is made after the round closes."), "not_closed")
    return job_request(
        round=rnd,
        kind=RoundJob.RANK,
        requested_by=requested_by,
        again_if_running=again_if_running,
    )


def ranking_job_run(*, job_id: int) -> RoundJob | None:
    """The worker's side of ranking_request; queues the next ranking if asked again meanwhile."""

    def work(job: RoundJob) -> dict[str, Any]:
        round_results_compute(round_id=job.round_id, job_id=job.pk)
        return {}

    job = job_run(job_id=job_id, work=work)
    if job is not None and job.again:
        ranking_request(round_id=job.round_id, requested_by=job.requested_by)
    return job


#: The kinds of flag of the suspicious-attempts report (selectors.suspicion_report).
FLAG_KINDS = ("fast", "twins", "phone", "id", "address", "burst")


@transaction.atomic
def suspicion_decide(
    *, round: Round, flag: str, decision: str, reason: str, decided_by: User | None
) -> Suspicion:
    """The staff's decision on one flag of the round's report: a new entry of the log (the
    latest one stands), with who, when and why. A flag only informs: taking someone out of
    the ranking is a disqualification, decided on its own."""
    if flag.split(":", 1)[0] not in FLAG_KINDS or len(flag) > 100 or ":" not in flag:
        raise ContestError(_("This flag is not part of the report."), "flag")
    if decision not in {Suspicion.CONFIRMED, Suspicion.DISMISSED}:
        raise ContestError(_("Please choose a decision."), "decision")
    reason = _reason(reason, _("Please give the reason for the decision."))
    return Suspicion.objects.create(
        round=round,
        flag=flag,
        decision=decision,
        reason=reason,
        decided_by=decided_by,
        decided_by_name=_name(decided_by),
        created_at=timezone.now(),
    )
