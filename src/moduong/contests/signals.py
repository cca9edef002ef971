"""An organiser's edit of a round reaches every process's copy of its paper."""

from typing import Any

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from .models import Round, TopicQuota
from .services import round_paper_forget


@receiver(post_save, sender=Round)
@receiver(post_delete, sender=Round)
def _round_changed(sender: Any, instance: Round, **kwargs: Any) -> None:
    round_paper_forget(round_id=instance.pk)


@receiver(post_save, sender=TopicQuota)
@receiver(post_delete, sender=TopicQuota)
def _quota_changed(sender: Any, instance: TopicQuota, **kwargs: Any) -> None:
    round_paper_forget(round_id=instance.round_id)
