"""Work kept off the hot path: the actual figure and the ranking after a round closes, the
dashboard's aggregates."""

from django_tasks import task

from . import selectors, services
from .models import Round, RoundJob


@task()
def round_results(round_id: int) -> int:
    """The actual figure, then the ranking; queued by the organiser (admin), after every
    disqualification, and by `moduong contest-results` (cron, after each round closes)."""
    return services.round_results_compute(round_id=round_id)


@task()
def round_job_run(job_id: int) -> str:
    """A round's job asked for by an organiser or another part (services.jobs): the ranking
    or an export. Returns the job's final state."""
    kind = RoundJob.objects.filter(pk=job_id).values_list("kind", flat=True).first()
    if kind == RoundJob.RANK:
        job = services.ranking_job_run(job_id=job_id)
    elif kind == RoundJob.EXPORT:
        job = services.export_job_run(job_id=job_id)
    else:
        return "gone"
    return job.state if job is not None else "taken"


@task()
def round_dashboard_refresh(round_id: int) -> None:
    selectors.dashboard_refresh(round=Round.objects.get(pk=round_id))


@task()
def round_suspicion_report(round_id: int) -> None:
    selectors.suspicion_report_refresh(round=Round.objects.get(pk=round_id))
