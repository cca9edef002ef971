"""An organiser's edit, an import or the main hall's change makes the cached roll-up old (a
point's report is seen by the roll-up's own comparison: selectors.rollup)."""

import uuid
from typing import Any

from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from . import events
from .models import Conference, ConnectionPoint, Delegate
from .selectors import rollup_version_key


def _forget(conference_id: int) -> None:
    # A new token, once the change is committed: a poll that read the new token before the
    # commit would compute the rows before the change and keep them as current under it.
    def replace() -> None:
        cache.set(rollup_version_key(conference_id), uuid.uuid4().hex, None)

    transaction.on_commit(replace)


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
