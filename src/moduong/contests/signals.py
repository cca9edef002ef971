"""An organiser's edit of a round reaches every process's copy of its paper, and every
reader's next page: the anonymous page cache (core.caching) is made stale once the change is
committed. A contest is a snippet, not a Wagtail page, so no page_published moves the cache's
generation for it: its saves, and every contest object the admin creates, edits or deletes,
do it here. (A participant's own writes, attempts and registrations, do not: a million of them
would empty the cache all day, and no public page shows one before the ranking, which moves
the generation itself.)"""

import contextlib
from functools import partial
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import post_delete, post_save, pre_delete
from django.dispatch import receiver
from wagtail import hooks

from moduong.core.services import page_cache_invalidate

from . import events, services, tasks
from .models import Contest, Round, TopicQuota
from .paper import round_paper_forget
from .selectors import round_id_key, rounds_ranked_with


@receiver(post_save, sender=Round)
@receiver(post_delete, sender=Round)
def _round_changed(sender: Any, instance: Round, **kwargs: Any) -> None:
    round_pk = instance.pk
    round_paper_forget(round_id=round_pk)
    # Again once committed: a process that read the old row meanwhile cached its version.
    transaction.on_commit(lambda: round_paper_forget(round_id=round_pk))
    contest = Contest.objects.filter(pk=instance.contest_id).only("slug").first()
    if contest is not None:
        key = round_id_key(contest.slug, instance.number)
        cache.delete(key)
        # Again once committed: a start meanwhile read the old row and kept its id (60 s).
        transaction.on_commit(lambda: cache.delete(key), robust=True)


@receiver(post_save, sender=Contest)
@receiver(post_delete, sender=Contest)
def _contest_changed(sender: Any, instance: Contest, **kwargs: Any) -> None:
    """Published or not, renamed: every round's address is looked up again."""
    numbers = Round.objects.filter(contest_id=instance.pk).values_list("number", flat=True)
    keys = [round_id_key(instance.slug, n) for n in numbers]
    cache.delete_many(keys)
    # Again once committed: a start meanwhile read the old rows and kept their ids (60 s).
    transaction.on_commit(lambda: cache.delete_many(keys), robust=True)


@receiver(post_save, sender=Contest)
@receiver(post_delete, sender=Contest)
@receiver(post_save, sender=Round)
@receiver(post_delete, sender=Round)
def _public_pages_changed(sender: Any, **kwargs: Any) -> None:
    """The list of contests, a contest's page and its rounds' dates: the next request of
    any reader shows the change (after the commit, so no request caches the old state
    again under the new generation)."""
    transaction.on_commit(page_cache_invalidate, robust=True)


def _admin_change(request: Any, instance: Any) -> None:
    if instance._meta.app_label == "contests":
        transaction.on_commit(page_cache_invalidate, robust=True)


# Every contest object an organiser edits in the admin (a participant's name on the winners
# list, a disqualification on the certificate check, a question): visible at the next request.
hooks.register("after_create_snippet", _admin_change)
hooks.register("after_edit_snippet", _admin_change)


def _admin_delete(request: Any, instances: Any) -> None:
    for instance in instances:
        _admin_change(request, instance)


hooks.register("after_delete_snippet", _admin_delete)


@receiver(post_save, sender=TopicQuota)
@receiver(post_delete, sender=TopicQuota)
def _quota_changed(sender: Any, instance: TopicQuota, **kwargs: Any) -> None:
    round_paper_forget(round_id=instance.round_id)


@receiver(pre_delete, sender=settings.AUTH_USER_MODEL)
def _account_deleted(sender: Any, instance: Any, **kwargs: Any) -> None:
    """A deleted account's entries stay in the rankings that list it (the table has no key
    that would find them, models.RankingEntry) and are skipped by every reader; once the
    deletion is committed, each such round is ranked again, so its positions close up."""
    for round_id in rounds_ranked_with(user_id=instance.pk):
        transaction.on_commit(partial(_rank_again, round_id), robust=True)


def _rank_again(round_id: int) -> None:
    events.ranking_requested.send(sender=Round, round_id=round_id)


@receiver(events.ranking_requested)
@receiver(events.round_results_outdated)
def ranking_queue(sender: Any, round_id: int, **kwargs: Any) -> None:
    """A re-rank asked by another part (a disqualification): one job, one task. An open round
    is ranked after it closes (by the command contest-results), not now."""
    with contextlib.suppress(services.ContestError):
        services.ranking_request(round_id=round_id, again_if_running=True)


@receiver(events.round_job_queued)
def round_job_queue(sender: Any, job_id: int, **kwargs: Any) -> None:
    tasks.round_job_run.enqueue(job_id)


@receiver(events.dashboard_outdated)
def dashboard_refresh_queue(sender: Any, round_id: int, **kwargs: Any) -> None:
    tasks.round_dashboard_refresh.enqueue(round_id)


@receiver(events.suspicion_report_outdated)
def suspicion_report_queue(sender: Any, round_id: int, **kwargs: Any) -> None:
    tasks.round_suspicion_report.enqueue(round_id)
