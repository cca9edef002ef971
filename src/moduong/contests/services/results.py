"""After the round: the prediction, disqualifications, the actual figure, the ranking."""

from __future__ import annotations

import logging
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from moduong.accounts.models import User
from moduong.core import vntext
from moduong.core.locks import lock_timeout
from moduong.core.services import page_cache_invalidate

from .. import events
from ..errors import ContestError
from ..models import Attempt, Disqualification, Round, RoundJob
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
    *, disqualification_id: int, lifted: bool, decided_by: User | None
) -> Disqualification:
    """Lift a disqualification (or put it back): the person counts again in the ranking,
    which is made again when the round has closed. The staff's admin form comes here."""
    lock_timeout()
    entry = (
        Disqualification.objects.select_for_update()
        .select_related("round")
        .get(pk=disqualification_id)
    )
    if entry.lifted == lifted:
        return entry
    entry.lifted = lifted
    entry.save(update_fields=["lifted"])
    logger.info(
        "disqualification %s of user %s in round %s %s by %s",
        entry.pk,
        entry.user_id,
        entry.round_id,
        "lifted" if lifted else "restored",
        getattr(decided_by, "pk", None),
    )
    _results_follow(entry.round)
    return entry


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
    best attempt (or every attempt) ordered by the round's rules. Returns the entries made.

    Two rankings of a round never interleave: each holds the round's row. The lock is FOR NO
    KEY UPDATE, which a row referring to the round (an attempt, a disqualification) does not
    wait for, and it is given up after the project's lock timeout rather than waited for."""
    lock_timeout()
    rnd = Round.objects.select_for_update(no_key=True).get(pk=round_id)
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
