"""Two devices marking the same learner at the same instant, on the real PostgreSQL.

Each thread's INSERT into the attendance table is held at a barrier until the other's is
ready too, so both statements meet the unique (session, enrolment) key on every run, not by
luck: one mark stays, no request fails, nothing doubles."""

import datetime as dt

import pytest
from django.db import connection

from moduong.training import checkin
from moduong.training.models import Attendance, Enrolment
from moduong.training.services import attendance_checkin, attendance_mark
from tests.concurrency import held_together
from tests.factories import UserFactory
from tests.training.helpers import VN, learner, session, training_class

pytestmark = pytest.mark.django_db(transaction=True)
START = dt.datetime(2020, 3, 2, 8, 0, tzinfo=VN)
# The ORM quotes the table's name, the check-in's own statement does not (and on PostgreSQL
# its INSERT sits inside a WITH): held_together leaves quotes out.
ATTENDANCE_INSERT = "INSERT INTO training_attendance"


def test_two_teachers_marking_one_learner_at_once_leave_one_mark(site) -> None:  # type: ignore[no-untyped-def]
    assert connection.vendor == "postgresql"
    cls = training_class("race-1")
    lesson = session(cls, START)
    phone, tablet = UserFactory(username="gv-mot"), UserFactory(username="gv-hai")
    enrolment = Enrolment.objects.create(training_class=cls, learner=learner("12345678"))
    _, errors = held_together(
        [
            lambda: attendance_mark(
                session=lesson, marks={enrolment.pk: "late"}, by=phone, now=START
            ),
            lambda: attendance_mark(
                session=lesson, marks={enrolment.pk: "present"}, by=tablet, now=START
            ),
        ],
        at=ATTENDANCE_INSERT,
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
    _, errors = held_together(
        [
            lambda: attendance_mark(
                session=lesson, marks={enrolment.pk: "excused"}, by=teacher, now=at
            ),
            lambda: attendance_checkin(code=code, user=account, now=at),
        ],
        at=ATTENDANCE_INSERT,
    )
    assert errors == []
    marks = list(Attendance.objects.filter(enrolment=enrolment))
    assert len(marks) == 1
