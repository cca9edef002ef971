"""Background work for accounts, run by `moduong worker`."""

from captcha.models import CaptchaStore
from django.utils import timezone
from django_tasks import task


@task(queue_name="default")
def captcha_prune() -> int:
    """Delete expired captcha challenges; every registration form shown leaves one behind."""
    deleted, _ = CaptchaStore.objects.filter(expiration__lte=timezone.now()).delete()
    return deleted
