"""Two phones of one connection point report at the same instant, on the real PostgreSQL: the
gate holds the point's row, both requests queue behind it, then go at once. The last write
wins, visibly (the point shows its values and its revision), and nothing is lost: both reports
are in the history."""

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from moduong.conferences.models import ConnectionPoint, PointReport
from moduong.conferences.selectors import point_link
from tests.conferences.factories import categories, conference, point

from .test_contest_races import _race

pytestmark = pytest.mark.django_db(transaction=True)


def test_two_phones_of_one_point_report_at_once(site) -> None:  # type: ignore[no-untyped-def]
    assert connection.vendor == "postgresql"
    conf = conference()
    p = point(conf, capacity=200)
    party, staff, _ = categories(conf)
    url = reverse("conferences:report", args=[point_link(point=p, conference=conf)])
    statuses: list[int] = []

    def phone(people: int) -> object:
        def send() -> None:
            response = Client().post(
                url, {"linked": "on", f"cat_{party}": str(people), f"cat_{staff}": "10"}
            )
            statuses.append(response.status_code)

        return send

    errors = _race(
        "SELECT id FROM conferences_connectionpoint WHERE id = %s FOR UPDATE",
        [phone(50), phone(70)],
        (p.pk,),
    )
    assert not errors, errors
    assert statuses == [302, 302]
    history = list(PointReport.objects.filter(point=p).order_by("revision"))
    assert [h.revision for h in history] == [1, 2]
    # Both values were written, one after the other; the point keeps the second.
    totals = [h.changes["attendance_total"][1] for h in history]
    assert sorted(totals) == [60, 80]
    assert history[1].changes["attendance_total"][0] == totals[0]
    p.refresh_from_db()
    assert p.revision == 2 and p.attendance_total == totals[1] and p.is_linked
    assert "linked_at" in history[0].changes and "linked_at" not in history[1].changes
    assert ConnectionPoint.objects.filter(conference=conf).count() == 1
