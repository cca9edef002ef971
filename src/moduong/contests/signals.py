"""An organiser's edit of a round reaches every process's copy of its paper."""

from typing import Any

from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from . import events, tasks
from .models import Contest, Round, TopicQuota
from .paper import round_paper_forget
from .selectors import round_id_key


@receiver(post_save, sender=Round)
@receiver(post_delete, sender=Round)
def _round_changed(sender: Any, instance: Round, **kwargs: Any) -> None:
    round_pk = instance.pk
    round_paper_forget(round_id=round_pk)
    # Again once committed: a process that read the old row meanwhile cached its version.
    transaction.on_commit(lambda: round_paper_forget(round_id=round_pk))
    contest = Contest.objects.filter(pk=instance.contest_id).only("slug").first()
    if contest is not None:
        cache.delete(round_id_key(contest.slug, instance.number))


@receiver(post_save, sender=Contest)
@receiver(post_delete, sender=Contest)
def _contest_changed(sender: Any, instance: Contest, **kwargs: Any) -> None:
    """Published or not, renamed: every round's address is looked up again."""
    numbers = Round.objects.filter(contest_id=instance.pk).values_list("number", flat=True)
    cache.delete_many([round_id_key(instance.slug, n) for n in numbers])


@receiver(post_save, sender=TopicQuota)
@receiver(post_delete, sender=TopicQuota)
def _quota_changed(sender: Any, instance: TopicQuota, **kwargs: Any) -> None:
    round_paper_forget(round_id=instance.round_id)


@receiver(events.round_results_outdated)
def round_results_queue(sender: Any, round_id: int, **kwargs: Any) -> None:
    tasks.round_results.enqueue(round_id)


@receiver(events.dashboard_outdated)
def dashboard_refresh_queue(sender: Any, round_id: int, **kwargs: Any) -> None:
    tasks.round_dashboard_refresh.enqueue(round_id)


@receiver(events.ranking_requested)
def ranking_queue(sender: Any, round_id: int, **kwargs: Any) -> None:
    tasks.round_results.enqueue(round_id)


@receiver(events.suspicion_report_outdated)
def suspicion_report_queue(sender: Any, round_id: int, **kwargs: Any) -> None:
    tasks.round_suspicion_report.enqueue(round_id)
