import datetime as dt

import pytest
from captcha.models import CaptchaStore
from django.core.management import call_command
from django.utils import timezone
from django_tasks import TaskResultStatus

from moduong.accounts.tasks import captcha_prune


@pytest.mark.django_db(transaction=True)  # the worker closes its connections as in production
def test_worker_runs_a_queued_task_from_the_database() -> None:
    CaptchaStore.objects.create(
        challenge="1", response="1", expiration=timezone.now() - dt.timedelta(minutes=1)
    )
    fresh = CaptchaStore.objects.create(challenge="2", response="2")
    result = captcha_prune.using(backend="database").enqueue()
    assert result.status == TaskResultStatus.READY
    assert CaptchaStore.objects.count() == 2  # nothing ran yet: it waits for the worker

    call_command("db_worker", "--backend", "database", "--batch", verbosity=0)

    result.refresh()
    assert result.status == TaskResultStatus.SUCCESSFUL
    assert result.return_value == 1
    assert list(CaptchaStore.objects.all()) == [fresh]
