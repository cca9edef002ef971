"""Any change to a code makes the cached answers of /q/… stale. (Publishing an edition queues
its print files and emails: tasks.py.)"""

from typing import Any

from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from . import services
from .models import QrCode


@receiver(post_save, sender=QrCode)
@receiver(post_delete, sender=QrCode)
def _code_changed(**kwargs: Any) -> None:
    # Now, for this transaction's own reads, and after the commit, for a request that cached
    # the old answer in between.
    services.codes_changed()
    transaction.on_commit(services.codes_changed)
