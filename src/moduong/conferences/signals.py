"""A report or an organiser's edit makes the cached roll-up old."""

import uuid
from typing import Any

from django.core.cache import cache
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from . import events
from .models import Conference, ConnectionPoint, Delegate
from .selectors import rollup_version_key


def _forget(conference_id: int) -> None:
    # A new token: figures stored under the old one, even after this, are never read again.
    cache.set(rollup_version_key(conference_id), uuid.uuid4().hex, None)


@receiver(events.rollup_outdated)
def rollup_forget(sender: Any, conference_id: int, **kwargs: Any) -> None:
    _forget(conference_id)


@receiver(post_save, sender=ConnectionPoint)
@receiver(post_delete, sender=ConnectionPoint)
def _point_changed(sender: Any, instance: ConnectionPoint, **kwargs: Any) -> None:
    _forget(instance.conference_id)


@receiver(post_save, sender=Delegate)
@receiver(post_delete, sender=Delegate)
def _delegate_changed(sender: Any, instance: Delegate, **kwargs: Any) -> None:
    """A delegate added, edited or removed in the admin: the main hall's figures change."""
    _forget(instance.conference_id)


@receiver(post_save, sender=Conference)
def _conference_changed(sender: Any, instance: Conference, **kwargs: Any) -> None:
    _forget(instance.pk)
