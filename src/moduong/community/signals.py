"""A reader who deletes the account takes the personal data of the letters and questions with
it (Decree 13/2023/NĐ-CP); what was published stays, signed "Bạn đọc". A letter deleted in the
admin takes its attachment with it: nothing else would ever remove the file. An exchange taken
off the site stops answering polls."""

from functools import partial
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models.signals import post_delete, post_save, pre_delete
from django.dispatch import receiver
from wagtail.models import Page, PageViewRestriction
from wagtail.signals import page_unpublished

from . import events, services, tasks
from .models import ExchangePage, Letter


@receiver(pre_delete, sender=settings.AUTH_USER_MODEL)
def _forget_writer(sender: type, instance: Any, **kwargs: object) -> None:
    services.writer_forget(user_id=instance.pk)


@receiver(post_delete, sender=Letter)
def _delete_attachment(sender: type, instance: Letter, **kwargs: object) -> None:
    if instance.attachment:
        transaction.on_commit(
            partial(services.attachments_delete, names=[str(instance.attachment.name)]), robust=True
        )


@receiver([post_save, post_delete], sender=PageViewRestriction)
def _restriction_changed(sender: type, instance: PageViewRestriction, **kwargs: object) -> None:
    """An exchange made private (or public again), itself or through a page above it: its
    polls must follow at once, not when the kept number expires."""
    path = Page.objects.filter(pk=instance.page_id).values_list("path", flat=True).first()
    if path is None:
        return
    for exchange_id in ExchangePage.objects.filter(path__startswith=path).values_list(
        "pk", flat=True
    ):
        transaction.on_commit(
            partial(services.answers_version_forget, exchange_id=exchange_id), robust=True
        )


@receiver(page_unpublished, sender=ExchangePage)
def _stop_polls(sender: type, instance: ExchangePage, **kwargs: object) -> None:
    transaction.on_commit(
        partial(services.answers_version_forget, exchange_id=instance.pk), robust=True
    )


@receiver(events.letter_answered)
def letter_answered_email_queue(sender: Any, letter_id: int, **kwargs: Any) -> None:
    tasks.letter_answered_email.enqueue(letter_id)
