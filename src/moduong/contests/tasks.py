"""Work kept off the hot path: the actual figure and the ranking after a round closes, the
dashboard's aggregates."""

from django_tasks import task

from . import selectors, services
from .models import Round


@task()
def round_results(round_id: int) -> int:
    """The actual figure, then the ranking; queued by the organiser (admin), after every
    disqualification, and by `moduong contest-results` (cron, after each round closes)."""
    return services.round_results_compute(round_id=round_id)


@task()
def round_dashboard_refresh(round_id: int) -> None:
    selectors.dashboard_refresh(round=Round.objects.get(pk=round_id))


@task()
def round_suspicion_report(round_id: int) -> None:
    selectors.suspicion_report_refresh(round=Round.objects.get(pk=round_id))
