"""New mentions queue their alerts (events.py: services send, this queues)."""

from typing import Any

from django.dispatch import receiver

from . import events, tasks


@receiver(events.mentions_created)
def _mentions_created(match_ids: list[int], **kwargs: Any) -> None:
    tasks.mentions_alert.enqueue(match_ids)


@receiver(events.spike_started)
def _spike_started(spike_id: int, **kwargs: Any) -> None:
    tasks.spike_alert_send.enqueue(spike_id)
