"""A report or an organiser's edit makes the cached roll-up old."""

from typing import Any

from django.core.cache import cache
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from . import events
from .models import Conference, ConnectionPoint, Delegate
from .selectors import rollup_key


@receiver(events.rollup_outdated)
def rollup_forget(sender: Any, conference_id: int, **kwargs: Any) -> None:
    cache.delete(rollup_key(conference_id))


@receiver(post_save, sender=ConnectionPoint)
@receiver(post_delete, sender=ConnectionPoint)
def _point_changed(sender: Any, instance: ConnectionPoint, **kwargs: Any) -> None:
    cache.delete(rollup_key(instance.conference_id))


@receiver(post_save, sender=Delegate)
@receiver(post_delete, sender=Delegate)
def _delegate_changed(sender: Any, instance: Delegate, **kwargs: Any) -> None:
    """A delegate added, edited or removed in the admin: the main hall's figures change."""
    cache.delete(rollup_key(instance.conference_id))


@receiver(post_save, sender=Conference)
def _conference_changed(sender: Any, instance: Conference, **kwargs: Any) -> None:
    cache.delete(rollup_key(instance.pk))
