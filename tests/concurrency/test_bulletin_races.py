"""Two runs of an edition's mailing at once (two workers, or a task run again while the first
still sends), on the real PostgreSQL.

Each run's INSERT of its deliveries is held at a barrier until the other's is ready too, so
both have read the same subscribers still to be sent before either claims them, on every run
and not by luck: each subscriber gets the edition once."""

from collections import Counter

import pytest
from django.core import mail
from django.db import connection

from moduong.bulletins import services
from moduong.bulletins.models import Delivery, EditionPage, SeriesPage, Subscriber
from tests.concurrency import held_together

pytestmark = pytest.mark.django_db(transaction=True)


def test_two_runs_of_one_mailing_at_once_send_each_subscriber_one_copy(site) -> None:  # type: ignore[no-untyped-def]
    assert connection.vendor == "postgresql"
    series = SeriesPage.objects.get(slug="ban-tin-sinh-hoat-chi-bo")
    edition = EditionPage.objects.child_of(series).live().order_by("-issue_date").first()
    for n in range(6):
        Subscriber.objects.create(
            series=series, email=f"dua{n}@example.vn", token=f"d{n}" * 10, status="active"
        )
    active = set(
        Subscriber.objects.filter(series=series, status="active").values_list("email", flat=True)
    )
    Delivery.objects.filter(edition=edition).delete()
    mail.outbox = []

    # One batch holds them all: each run claims at most once, so the barrier is met once.
    results, errors = held_together(
        [
            lambda: services.edition_mail_send(edition_id=edition.pk, batch_size=100),
            lambda: services.edition_mail_send(edition_id=edition.pk, batch_size=100),
        ],
        at="INSERT INTO bulletins_delivery",
    )

    assert errors == []
    copies = Counter(message.to[0] for message in mail.outbox)
    assert set(copies) == active
    assert max(copies.values()) == 1, copies
    assert sorted(results) == [0, len(active)]
    assert Delivery.objects.filter(edition=edition).count() == len(active)
