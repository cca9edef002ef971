"""Background work after an edition is published: its print files, then its emails."""

from typing import Any

from django.db import transaction
from django.dispatch import receiver
from django_tasks import task
from wagtail.signals import page_published

from . import services
from .models import EditionPage


@task()
def edition_print_build(edition_id: int) -> str:
    printed = services.edition_print_build(edition_id=edition_id)
    return printed.status if printed else "gone"


@task(queue_name="email")
def edition_mail_send(edition_id: int) -> int:
    return services.edition_mail_send(edition_id=edition_id)


@receiver(page_published, sender=EditionPage)
def _edition_published(instance: EditionPage, **kwargs: Any) -> None:
    services.edition_print_queue(edition=instance)
    transaction.on_commit(lambda: edition_print_build.enqueue(instance.pk))
    # Sent once: a correction published later finds every delivery recorded and sends nothing.
    transaction.on_commit(lambda: edition_mail_send.enqueue(instance.pk))
