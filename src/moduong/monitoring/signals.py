"""New mentions queue their alerts (events.py: services send, this queues)."""

from typing import Any

from django.dispatch import receiver

from . import events, tasks


@receiver(events.mentions_created)
def _mentions_created(match_ids: list[int], **kwargs: Any) -> None:
    tasks.mentions_alert.enqueue(match_ids)
