"""After an edition is published: queue its print files and its emails. Any change to a code
makes the cached answers of /q/… stale."""

from typing import Any

from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from wagtail.signals import page_published

from . import services, tasks
from .models import EditionPage, QrCode


@receiver(page_published, sender=EditionPage)
def _edition_published(instance: EditionPage, **kwargs: Any) -> None:
    services.edition_print_queue(edition=instance)
    transaction.on_commit(lambda: tasks.edition_print_build.enqueue(instance.pk))
    # Sent once: a correction published later finds every delivery recorded and sends nothing.
    transaction.on_commit(lambda: tasks.edition_mail_send.enqueue(instance.pk))


@receiver(post_save, sender=QrCode)
@receiver(post_delete, sender=QrCode)
def _code_changed(**kwargs: Any) -> None:
    # Now, for this transaction's own reads, and after the commit, for a request that cached
    # the old answer in between.
    services.codes_changed()
    transaction.on_commit(services.codes_changed)
