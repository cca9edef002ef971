"""Two people registering the same name at the same instant, on the real PostgreSQL.

A pre_save hook holds every request at a barrier after its form has been validated and before
its INSERT, so the race the unique key must settle happens on every run, not by luck.
"""

import threading

import pytest
from django.db import connection
from django.db.models.signals import pre_save
from django.test import Client

from moduong.accounts.models import User
from tests.accounts.helpers import SIGNUP_URL, signup_data

pytestmark = pytest.mark.django_db(transaction=True)

VARIANTS = ["hoaibao", "HoaiBao", "HOAIBAO", "hoAIbao"]


def test_simultaneous_signups_of_one_name_create_one_account(site) -> None:
    assert connection.vendor == "postgresql"
    prepared = []
    for index, name in enumerate(VARIANTS):
        client = Client()
        prepared.append((client, signup_data(client, username=name, email=f"hb{index}@example.vn")))

    barrier = threading.Barrier(len(VARIANTS), timeout=20)

    def hold(sender, instance, **kwargs):  # type: ignore[no-untyped-def]
        if instance.pk is None:
            barrier.wait()

    results: list[int] = []
    errors: list[BaseException] = []

    def register(client: Client, data: dict[str, str]) -> None:
        try:
            response = client.post(SIGNUP_URL, data)
            results.append(response.status_code)
            if response.status_code == 200:
                assert "Tên truy cập này đã có người dùng" in response.content.decode()
        except BaseException as error:
            errors.append(error)
        finally:
            connection.close()

    pre_save.connect(hold, sender=User)
    try:
        threads = [threading.Thread(target=register, args=pair) for pair in prepared]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(30)
    finally:
        pre_save.disconnect(hold, sender=User)

    assert not errors, errors
    assert sorted(results) == [200, 200, 200, 302]
    assert User.objects.filter(username_key="hoaibao").count() == 1
