"""Background work: a pass over the due sources, and the alerts of new mentions."""

from django_tasks import task

from . import services


@task()
def sources_fetch() -> int:
    return services.sources_fetch().new_items


@task(queue_name="email")
def mentions_alert(match_ids: list[int]) -> int:
    return services.mentions_alert(match_ids=match_ids)


@task(queue_name="email")
def mentions_digest_send() -> int:
    return services.mentions_digest_send()


@task(queue_name="email")
def spike_alert_send(spike_id: int) -> bool:
    return services.spike_alert_send(spike_id=spike_id)
