"""Two devices marking the same learner at the same instant, on the real PostgreSQL.

Each thread's INSERT into the attendance table is held at a barrier until the other's is
ready too, so both statements meet the unique (session, enrolment) key on every run, not by
luck: one mark stays, no request fails, nothing doubles."""

import datetime as dt
import threading
from collections.abc import Callable
from typing import Any

import pytest
from django.db import close_old_connections, connection

from moduong.training import checkin
from moduong.training.models import Attendance, Enrolment
from moduong.training.services import attendance_checkin, attendance_mark
from tests.factories import UserFactory
from tests.training.helpers import VN, learner, session, training_class

pytestmark = pytest.mark.django_db(transaction=True)
START = dt.datetime(2020, 3, 2, 8, 0, tzinfo=VN)


def _together(calls: list[Callable[[], Any]]) -> list[BaseException]:
    barrier = threading.Barrier(len(calls), timeout=20)
    errors: list[BaseException] = []

    def held(execute, sql, params, many, context):  # type: ignore[no-untyped-def]
        # The ORM quotes the table's name, the check-in's own statement does not (and on
        # PostgreSQL its INSERT sits inside a WITH).
        if "INSERT INTO training_attendance" in sql.replace('"', ""):
            barrier.wait()
        return execute(sql, params, many, context)

    def run(call: Callable[[], Any]) -> None:
        try:
            with connection.execute_wrapper(held):
                call()
        except BaseException as error:
            errors.append(error)
        finally:
            close_old_connections()
            connection.close()

    threads = [threading.Thread(target=run, args=(call,)) for call in calls]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    return errors


def test_two_teachers_marking_one_learner_at_once_leave_one_mark(site) -> None:  # type: ignore[no-untyped-def]
    assert connection.vendor == "postgresql"
    cls = training_class("race-1")
    lesson = session(cls, START)
    phone, tablet = UserFactory(username="gv-mot"), UserFactory(username="gv-hai")
    enrolment = Enrolment.objects.create(training_class=cls, learner=learner("12345678"))
    errors = _together(
        [
            lambda: attendance_mark(
                session=lesson, marks={enrolment.pk: "late"}, by=phone, now=START
            ),
            lambda: attendance_mark(
                session=lesson, marks={enrolment.pk: "present"}, by=tablet, now=START
            ),
        ]
    )
    assert errors == []
    marks = list(Attendance.objects.filter(enrolment=enrolment))
    assert len(marks) == 1 and marks[0].status in {"late", "present"}


def test_a_scan_and_a_teachers_mark_at_once_leave_the_teachers_mark(site) -> None:  # type: ignore[no-untyped-def]
    cls = training_class("race-2")
    lesson = session(cls, START)
    teacher, account = UserFactory(username="gv-ba"), UserFactory(username="hv-race")
    person = learner("87654321", "Lê Văn Cường")
    person.account = account
    person.save()
    enrolment = Enrolment.objects.create(training_class=cls, learner=person)
    at = START + dt.timedelta(minutes=3)
    code = checkin.checkin_code(session_id=lesson.pk, now=at)
    errors = _together(
        [
            lambda: attendance_mark(
                session=lesson, marks={enrolment.pk: "excused"}, by=teacher, now=at
            ),
            lambda: attendance_checkin(code=code, user=account, now=at),
        ]
    )
    assert errors == []
    marks = list(Attendance.objects.filter(enrolment=enrolment))
    assert len(marks) == 1
