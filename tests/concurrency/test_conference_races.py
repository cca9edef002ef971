"""Two phones of one connection point report at the same instant, on the real PostgreSQL: the
gate holds the point's row, both requests queue behind it, then go at once. The last write
wins, visibly (the point shows its values and its revision), and nothing is lost: both reports
are in the history. Then a report against the organisers closing the reporting, and an
organiser's change against a roll-up poll, each on its own connection."""

import threading
from collections.abc import Callable

import psycopg
import pytest
from django.db import connection, transaction
from django.test import Client
from django.urls import reverse

from moduong.conferences.models import Conference, ConnectionPoint, PointReport
from moduong.conferences.selectors import point_link, rollup
from moduong.conferences.services import conference_reporting_set, delegate_register
from tests.conferences.factories import categories, conference, point

from .test_contest_races import _dsn, _race, _waiting

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


def _in_thread(work: Callable[[], None]) -> threading.Thread:
    """`work` on its own thread, hence its own database connection (closed at the end)."""

    def run() -> None:
        try:
            work()
        finally:
            connection.close()

    thread = threading.Thread(target=run)
    thread.start()
    return thread


def test_a_report_under_way_when_the_reporting_closes_is_refused(site) -> None:  # type: ignore[no-untyped-def]
    """A phone's report has started (it waits for the point's row, held here by the gate as a
    second phone's report would) when the organisers close the reporting. Once the closing has
    committed, the report must not be accepted: the organisers' figures after the closing are
    final."""
    assert connection.vendor == "postgresql"
    conf = conference()
    p = point(conf, capacity=200)
    party, _staff, _guests = categories(conf)
    url = reverse("conferences:report", args=[point_link(point=p, conference=conf)])
    statuses: list[int] = []

    def report() -> None:
        statuses.append(Client().post(url, {"linked": "on", f"cat_{party}": "50"}).status_code)

    def close() -> None:
        conference_reporting_set(conference=Conference.objects.get(pk=conf.pk), closed=True)

    with psycopg.connect(_dsn()) as gate:
        gate.execute("SELECT id FROM conferences_connectionpoint WHERE id = %s FOR UPDATE", (p.pk,))
        phone = _in_thread(report)
        _waiting(gate, 1)
        closing = _in_thread(close)
        closing.join(5)
        closed_while_waiting = not closing.is_alive()
        gate.commit()
    phone.join(30)
    closing.join(30)
    p.refresh_from_db()
    assert Conference.objects.get(pk=conf.pk).reporting_closed
    # The report waits for the point before it holds the conference, so the closing does not
    # wait for it: the closing commits first, and the report then sees it.
    assert closed_while_waiting
    assert statuses == [400]
    assert not p.is_linked and p.attendance_total == 0 and p.revision == 0
    assert not PointReport.objects.filter(point=p).exists()


@pytest.mark.parametrize("change", ["delegate registered", "point edited"])
def test_a_poll_before_a_change_commits_does_not_keep_the_old_figures(
    site, settings, change
) -> None:  # type: ignore[no-untyped-def]
    """An organiser's screen polls the roll-up while a change (a delegate registered, a point
    edited in the admin) is written but not yet committed: the poll sees the rows before the
    change. Once the change commits, the next poll shows it; the figures from before must not
    be kept as if they were current."""
    assert connection.vendor == "postgresql"
    settings.CONFERENCES_ROLLUP_REFRESH_SECONDS = 0
    conf = conference()
    p = point(conf, expected_attendance=40)
    before = rollup(conference=conf)
    assert (before.hall_registered, before.expected) == (0, 40)
    seen: list[tuple[int, int]] = []

    def poll() -> None:
        figures = rollup(conference=Conference.objects.get(pk=conf.pk))
        seen.append((figures.hall_registered, figures.expected))

    with transaction.atomic():
        if change == "delegate registered":
            delegate_register(conference=conf, full_name="Nguyễn Văn An")
        else:
            p.expected_attendance = 60
            p.save(update_fields=["expected_attendance"])
        _in_thread(poll).join(30)
    assert seen == [(0, 40)]  # the poll on its own connection: the rows before the change
    after = rollup(conference=conf)
    expected = (1, 40) if change == "delegate registered" else (0, 60)
    assert (after.hall_registered, after.expected) == expected
