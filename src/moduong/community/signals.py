"""A reader who deletes the account takes the personal data of the letters and questions with
it (Decree 13/2023/NĐ-CP); what was published stays, signed "Bạn đọc"."""

from typing import Any

from django.conf import settings
from django.db.models.signals import pre_delete
from django.dispatch import receiver

from . import services


@receiver(pre_delete, sender=settings.AUTH_USER_MODEL)
def _forget_writer(sender: type, instance: Any, **kwargs: object) -> None:
    services.writer_forget(user_id=instance.pk)
