"""Background work: the warning about points not linked before the start."""

from django_tasks import task

from . import services


@task()
def conference_alert(conference_id: int) -> int:
    return services.conference_alert_send(conference_id=conference_id)
