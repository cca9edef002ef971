"""The organisers' background work on a round (the ranking, exports): asked for here, done by
the task worker (tasks.round_job_run, queued by signals.py once the request commits).

One job of a kind per round is queued or running at a time: asking again meanwhile adds no
second job nor task (the partial unique constraint `contests_job_one_active` holds it under
any race); a change of the data while a ranking runs marks it to run once more at its end."""

from __future__ import annotations

import logging
from collections.abc import Callable
from functools import partial
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from moduong.accounts.models import User
from moduong.core.locks import is_lock_timeout, lock_timeout

from .. import events
from ..errors import ContestError
from ..models import Round, RoundJob

logger = logging.getLogger(__name__)


@transaction.atomic
def job_request(
    *,
    round: Round,
    kind: str,
    report: str = "",
    format: str = "",
    requested_by: User | None = None,
    again_if_running: bool = False,
) -> tuple[RoundJob, bool]:
    """The job queued or running for this work, or a new one queued: (job, whether new).
    With `again_if_running`, a running job runs once more when it ends (its data changed)."""
    lock_timeout()
    same = RoundJob.objects.filter(
        round=round, kind=kind, report=report, format=format, state__in=RoundJob.ACTIVE
    )
    for _try in range(3):
        active = same.select_for_update().first()
        if active is not None:
            break
        try:
            with transaction.atomic():
                job = RoundJob.objects.create(
                    round=round, kind=kind, report=report, format=format, requested_by=requested_by
                )
        except IntegrityError:
            # Another request queued it between our read and our insert: read it (unless it
            # has already ended, then ours is the next one).
            continue
        transaction.on_commit(partial(events.round_job_queued.send, sender=RoundJob, job_id=job.pk))
        return job, True
    else:
        raise ContestError(_("Too many requests at once: please try again."), "busy")
    if again_if_running and active.state == RoundJob.RUNNING and not active.again:
        active.again = True
        active.save(update_fields=["again"])
    return active, False


def job_claim(*, job_id: int, total: int | None = None) -> RoundJob | None:
    """The worker takes a queued job, or a running one: its task is handed out once, so a
    running job seen here is one whose worker died mid-run and whose task the queue runs again
    (core.taskworker); the work is done again from the start. None if it ended or is gone."""
    claimed = RoundJob.objects.filter(pk=job_id, state__in=RoundJob.ACTIVE).update(
        state=RoundJob.RUNNING, started_at=timezone.now(), done=0, total=total
    )
    if not claimed:
        return None
    return RoundJob.objects.select_related("round").get(pk=job_id)


def job_progress(*, job_id: int, done: int, total: int | None = None) -> None:
    """Shown on the dashboard while the job runs (written outside any transaction)."""
    fields: dict[str, Any] = {"done": done}
    if total is not None:
        fields["total"] = total
    RoundJob.objects.filter(pk=job_id).update(**fields)


@transaction.atomic
def job_finish(*, job_id: int, error: str = "", **fields: Any) -> bool:
    """The job done (or failed with `error`); whether it must run once more (asked again
    while it ran)."""
    lock_timeout()
    job = RoundJob.objects.select_for_update().get(pk=job_id)
    job.state = RoundJob.FAILED if error else RoundJob.DONE
    job.error = error
    job.finished_at = timezone.now()
    if not error and job.total is not None:
        job.done = job.total
    for name, value in fields.items():
        setattr(job, name, value)
    job.save()
    return job.again


def job_error_message(error: BaseException) -> str:
    """What the dashboard says of a failed job: never a traceback."""
    if isinstance(error, ContestError):
        return error.message
    if is_lock_timeout(error):
        return _("The round's data was locked by another task for too long. Please try again.")
    return _("The job stopped on an unexpected error; the technical team has been notified.")


def job_run(*, job_id: int, work: Callable[[RoundJob], dict[str, Any]]) -> RoundJob | None:
    """Claim the job, do `work` (which returns fields to save on the job), mark it done or
    failed. An unexpected error is logged and raised again, after the job is marked failed."""
    job = job_claim(job_id=job_id)
    if job is None:
        return None
    try:
        fields = work(job)
    except Exception as error:
        job_finish(job_id=job_id, error=job_error_message(error))
        if not isinstance(error, ContestError) and not is_lock_timeout(error):
            logger.exception("round job %s failed", job_id)
            raise
        return RoundJob.objects.get(pk=job_id)
    job_finish(job_id=job_id, **fields)
    return RoundJob.objects.get(pk=job_id)
