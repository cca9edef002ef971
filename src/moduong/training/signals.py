"""Any change to what the roll-up counts makes the cached roll-up old: its generation moves at
once (a read in the same transaction sees the change) and again at commit (a read that raced
the transaction cannot keep a stale copy), and a refresh is queued."""

from typing import Any

from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from moduong.units.models import Unit

from . import events, selectors, tasks
from .models import Centre, Enrolment, Learner, Programme, TrainingClass


def _committed() -> None:
    selectors.rollup_generation_bump()
    tasks.rollup_refresh.enqueue()


@receiver(events.rollup_outdated)
def rollup_outdated(sender: Any = None, **kwargs: Any) -> None:
    selectors.rollup_generation_bump()
    # One refresh per transaction (per savepoint level), however many rows it saves: the demo
    # saves dozens in one. Entries of run_on_commit are (savepoint ids, callback, robust).
    connection = transaction.get_connection()
    level = set(connection.savepoint_ids)
    if not any(q[1] is _committed and q[0] == level for q in connection.run_on_commit):
        transaction.on_commit(_committed)


@receiver([post_save, post_delete], sender=Centre)
@receiver([post_save, post_delete], sender=Programme)
@receiver([post_save, post_delete], sender=TrainingClass)
@receiver([post_save, post_delete], sender=Enrolment)
@receiver([post_save, post_delete], sender=Learner)
@receiver([post_save, post_delete], sender=Unit)
def _counted_changed(sender: Any, update_fields: Any = None, **kwargs: Any) -> None:
    # Linking an account, or a class's capacity or teachers, changes no figure of the report.
    if update_fields is not None and set(update_fields) <= {"account", "capacity"}:
        return
    rollup_outdated()
