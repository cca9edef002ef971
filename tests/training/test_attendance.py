"""Teachers mark attendance (also from a phone that was offline); learners check in with the
rotating code. Times are fixed: nothing depends on the day the tests run."""

import datetime as dt
import re

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client
from django.utils import timezone

from moduong.training import checkin
from moduong.training.models import Attendance, Enrolment
from moduong.training.services import TrainingError, attendance_checkin, attendance_mark
from tests.factories import UserFactory

from .helpers import VN, learner, session, training_class

pytestmark = pytest.mark.django_db
START = dt.datetime(2020, 3, 2, 8, 0, tzinfo=VN)


def marks():  # type: ignore[no-untyped-def]
    """The marks of this test's classes (the demo's have their own)."""
    return Attendance.objects.exclude(session__training_class__code__startswith="bd-demo")


@pytest.fixture
def world():  # type: ignore[no-untyped-def]
    cls = training_class()
    first = session(cls, START)
    other_class = training_class("t-khac")
    other = session(other_class, START)
    teacher = UserFactory(username="giangvien")
    cls.teachers.add(teacher)
    account = UserFactory(username="hv-an")
    an = learner("12345678")
    an.account = account
    an.save()
    enrolment = Enrolment.objects.create(training_class=cls, learner=an)
    return {
        "cls": cls,
        "session": first,
        "other": other,
        "teacher": teacher,
        "account": account,
        "enrolment": enrolment,
    }


def test_a_teacher_marks_and_marks_again(world) -> None:  # type: ignore[no-untyped-def]
    e = world["enrolment"]
    attendance_mark(session=world["session"], marks={e.pk: "late"}, by=world["teacher"], now=START)
    attendance_mark(
        session=world["session"], marks={e.pk: "present"}, by=world["teacher"], now=START
    )
    mark = marks().get(enrolment=e)
    assert mark.status == "present" and mark.method == "teacher"


def test_attendance_for_a_session_that_has_not_started_is_refused(world) -> None:  # type: ignore[no-untyped-def]
    e = world["enrolment"]
    with pytest.raises(TrainingError, match=r"chưa bắt đầu"):
        attendance_mark(
            session=world["session"],
            marks={e.pk: "present"},
            by=world["teacher"],
            now=START - dt.timedelta(days=1),
        )
    assert not marks().exists()


def test_a_learner_of_another_class_or_a_wrong_status_changes_nothing(world) -> None:  # type: ignore[no-untyped-def]
    stranger = Enrolment.objects.create(
        training_class=world["other"].training_class, learner=learner("87654321", "Lê Văn Cường")
    )
    for sheet in ({stranger.pk: "present"}, {world["enrolment"].pk: "sleeping"}):
        with pytest.raises(TrainingError):
            attendance_mark(session=world["session"], marks=sheet, by=world["teacher"], now=START)
    assert not marks().exists()


def _code(session_id: int, at: dt.datetime) -> str:
    return checkin.checkin_code(session_id=session_id, now=at)


def test_a_learner_checks_in_with_the_current_code(world) -> None:  # type: ignore[no-untyped-def]
    at = START + dt.timedelta(minutes=5)
    attendance_checkin(code=_code(world["session"].pk, at), user=world["account"], now=at)
    mark = marks().get()
    assert (mark.status, mark.method) == ("present", "qr")
    # A second scan changes nothing.
    attendance_checkin(
        code=_code(world["session"].pk, at),
        user=world["account"],
        now=at + dt.timedelta(seconds=40),
    )
    assert marks().count() == 1


def test_a_late_check_in_is_marked_late(world) -> None:  # type: ignore[no-untyped-def]
    at = START + dt.timedelta(minutes=40)
    attendance_checkin(code=_code(world["session"].pk, at), user=world["account"], now=at)
    assert marks().get().status == "late"


def test_an_old_code_a_photo_sent_to_a_friend_is_refused(world) -> None:  # type: ignore[no-untyped-def]
    shown = START + dt.timedelta(minutes=5)
    with pytest.raises(TrainingError) as error:
        attendance_checkin(
            code=_code(world["session"].pk, shown),
            user=world["account"],
            now=shown + dt.timedelta(seconds=75),
        )
    assert error.value.code == "expired"
    assert not marks().exists()


def test_a_forged_code_is_refused(world) -> None:  # type: ignore[no-untyped-def]
    at = START + dt.timedelta(minutes=5)
    genuine = _code(world["session"].pk, at)
    session_id, window, signature = genuine.split("-")
    for forged in (
        f"{session_id}-{window}-{'0' * len(signature)}",
        f"{world['other'].pk}-{window}-{signature}",  # another session's number, this signature
        f"{session_id}-{int(window) + 1}-{signature}",
        "xin-chao",
        "",
    ):
        with pytest.raises(TrainingError) as error:
            attendance_checkin(code=forged, user=world["account"], now=at)
        assert error.value.code == "forged"
    assert not marks().exists()


def test_another_sessions_code_or_someone_not_enrolled_is_refused(world) -> None:  # type: ignore[no-untyped-def]
    at = START + dt.timedelta(minutes=5)
    with pytest.raises(TrainingError) as error:
        attendance_checkin(code=_code(world["other"].pk, at), user=world["account"], now=at)
    assert error.value.code == "not_enrolled"
    with pytest.raises(TrainingError) as error:
        attendance_checkin(
            code=_code(world["session"].pk, at), user=UserFactory(username="nguoi-ngoai"), now=at
        )
    assert error.value.code == "not_enrolled"
    assert not marks().exists()


def test_a_code_before_the_session_starts_or_after_it_ends_is_refused(world) -> None:  # type: ignore[no-untyped-def]
    for at in (START - dt.timedelta(minutes=10), START + dt.timedelta(hours=5)):
        with pytest.raises(TrainingError) as error:
            attendance_checkin(code=_code(world["session"].pk, at), user=world["account"], now=at)
        assert error.value.code == "closed"
    assert not marks().exists()


def test_the_check_in_page_refuses_in_vietnamese_without_a_trace(world) -> None:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(world["account"])
    response = client.post("/lop-boi-duong/diem-danh/1-2-3/")
    assert response.status_code == 400
    assert 'role="alert"' in response.content.decode()
    assert "Traceback" not in response.content.decode()


def test_the_teachers_sheet_takes_a_send_from_an_offline_phone_as_json(world) -> None:  # type: ignore[no-untyped-def]
    """What attendance.js sends once the phone is online again; a session that has started
    (the fixed 2020 session is long past, so "now" is after its start)."""
    client = Client()
    client.force_login(world["teacher"])
    url = "/lop-boi-duong/lop/t-2020-01/buoi/1/diem-danh/"
    page = client.get(url)
    assert page.status_code == 200 and "Nguyễn Văn An" in page.content.decode()
    assert "attendance.js" in page.content.decode()
    e = world["enrolment"]
    response = client.post(url, {f"m-{e.pk}": "excused"}, HTTP_ACCEPT="application/json")
    assert response.status_code == 200 and response.json() == {"ok": True, "saved": 1}
    assert marks().get(enrolment=e).status == "excused"
    bad = client.post(url, {f"m-{e.pk}": "nope"}, HTTP_ACCEPT="application/json")
    assert bad.status_code == 400 and bad.json()["ok"] is False


def test_only_the_classes_teachers_reach_the_sheet_and_the_screen(world) -> None:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(world["account"])
    assert client.get("/lop-boi-duong/lop/t-2020-01/buoi/1/diem-danh/").status_code == 403
    assert client.get("/lop-boi-duong/lop/t-2020-01/buoi/1/ma-qr.svg").status_code == 403
    client.force_login(world["teacher"])
    svg = client.get("/lop-boi-duong/lop/t-2020-01/buoi/1/ma-qr.svg")
    assert svg.status_code == 200 and svg["Content-Type"] == "image/svg+xml"
    assert svg.content.startswith(b"<svg") and b'xmlns="http://www.w3.org/2000/svg"' in svg.content
    assert "no-store" in svg["Cache-Control"]


def test_a_teacher_finds_the_sessions_on_their_record_page(world) -> None:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(world["teacher"])
    page = client.get("/lop-boi-duong/ho-so-cua-toi/").content.decode()
    assert 'href="/lop-boi-duong/lop/t-2020-01/buoi/1/diem-danh/"' in page
    assert client.get("/lop-boi-duong/lop/t-2020-01/buoi/2/diem-danh/").status_code == 404
    assert client.get("/lop-boi-duong/lop/t-2020-01/buoi/0/ma-qr/").status_code == 404


def test_the_check_in_page_checks_in_and_says_so(world) -> None:  # type: ignore[no-untyped-def]
    now = timezone.now()
    lesson = session(world["cls"], now - dt.timedelta(minutes=10))
    client = Client()
    client.force_login(world["account"])
    code = checkin.checkin_code(session_id=lesson.pk, now=now)
    response = client.post(f"/lop-boi-duong/diem-danh/{code}/", follow=True)
    assert response.redirect_chain[-1][0] == "/lop-boi-duong/ho-so-cua-toi/?da-diem-danh=1"
    assert "Bạn đã điểm danh" in response.content.decode()
    assert marks().get(session=lesson).method == "qr"


def test_a_session_number_beyond_any_class_is_not_found(world) -> None:  # type: ignore[no-untyped-def]
    """The number in the address becomes an OFFSET: one too big for the database's integer
    must be a plain 404, not a server error."""
    client = Client(raise_request_exception=False)
    client.force_login(world["teacher"])
    for number in ("2", "99999999999999999999"):
        page = client.get(f"/lop-boi-duong/lop/t-2020-01/buoi/{number}/diem-danh/")
        assert page.status_code == 404


def _ticket(client: Client, url: str) -> str:
    found = re.search(r'name="ve" value="([^"]+)"', client.get(url).content.decode())
    assert found, "the check-in page carries its ticket"
    return found.group(1)


def test_the_tap_on_the_check_in_page_is_one_sql_statement(
    world, django_assert_num_queries
) -> None:  # type: ignore[no-untyped-def]
    """The request that writes (the benchmark's check-in) reads neither the session nor the
    account: the page's ticket stands for them. A second tap changes nothing, and on
    PostgreSQL still costs one statement (the write says what it found)."""
    now = timezone.now()
    lesson = session(world["cls"], now - dt.timedelta(minutes=10))
    client = Client()
    client.force_login(world["account"])
    url = f"/lop-boi-duong/diem-danh/{checkin.checkin_code(session_id=lesson.pk, now=now)}/"
    ticket = _ticket(client, url)
    with django_assert_num_queries(1):
        response = client.post(url, {"ve": ticket})
    assert response["Location"] == "/lop-boi-duong/ho-so-cua-toi/?da-diem-danh=1"
    assert marks().get(session=lesson).method == "qr"
    with django_assert_num_queries(1 if connection.vendor == "postgresql" else 2):
        assert client.post(url, {"ve": ticket}).status_code == 302
    assert marks().filter(session=lesson).count() == 1


def test_a_ticket_is_worth_nothing_in_another_browser_or_for_another_code(world) -> None:  # type: ignore[no-untyped-def]
    now = timezone.now()
    lesson = session(world["cls"], now - dt.timedelta(minutes=10))
    client = Client()
    client.force_login(world["account"])
    code = checkin.checkin_code(session_id=lesson.pk, now=now)
    ticket = _ticket(client, f"/lop-boi-duong/diem-danh/{code}/")
    # Sent on to a friend with the code: the friend's browser has another cookie.
    friend = Client()
    refused = friend.post(f"/lop-boi-duong/diem-danh/{code}/", {"ve": ticket})
    assert refused.status_code == 302 and "next=" in refused["Location"]
    friend.force_login(UserFactory(username="ban-cua-an"))
    assert friend.post(f"/lop-boi-duong/diem-danh/{code}/", {"ve": ticket}).status_code == 400
    assert not marks().filter(session=lesson).exists()
    cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    assert checkin.ticket_read(ticket, session_key=cookie, code=code) == world["account"].pk
    other_code = checkin.checkin_code(session_id=world["session"].pk, now=now)
    assert checkin.ticket_read(ticket, session_key=cookie, code=other_code) is None
    assert checkin.ticket_read(ticket[:-2] + "xx", session_key=cookie, code=code) is None
    assert checkin.ticket_read(ticket, session_key=cookie + "x", code=code) is None
