"""A teacher marks attendance on a phone that loses its network: the marks wait in the browser
and reach the server when the network is back."""

import datetime as dt

import pytest
from django.conf import settings as django_settings
from django.test import Client

from moduong.training.models import Attendance, Enrolment
from tests.factories import UserFactory
from tests.training.helpers import VN, learner, session, training_class

from .conftest import screenshot

pytestmark = pytest.mark.django_db(transaction=True)


def test_marks_made_offline_are_sent_when_the_phone_is_back_online(
    site, live_server, browser
) -> None:  # type: ignore[no-untyped-def]
    cls = training_class("t-offline")
    session(cls, dt.datetime(2020, 3, 2, 8, 0, tzinfo=VN))
    enrolment = Enrolment.objects.create(
        training_class=cls, learner=learner("12345678", "Nguyễn Văn An")
    )
    teacher = UserFactory(username="gv-offline")
    cls.teachers.add(teacher)
    client = Client()
    client.force_login(teacher)
    cookie = client.cookies[django_settings.SESSION_COOKIE_NAME].value
    context = browser.new_context(viewport={"width": 360, "height": 740}, locale="vi-VN")
    context.add_cookies(
        [{"name": django_settings.SESSION_COOKIE_NAME, "value": cookie, "url": live_server.url}]
    )
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(f"{live_server.url}/lop-boi-duong/lop/t-offline/buoi/1/diem-danh/")
    page.get_by_label("Đến muộn").check()
    context.set_offline(True)
    page.get_by_role("button", name="Lưu điểm danh").click()
    page.get_by_text("Mất kết nối").wait_for()
    assert not Attendance.objects.filter(enrolment=enrolment).exists()
    assert page.evaluate("Object.keys(localStorage).some(k => k.startsWith('moduong-attendance-'))")
    screenshot(page, "diem-danh-ngoai-tuyen-360")
    context.set_offline(False)
    page.get_by_text("đã được gửi").wait_for(timeout=15000)
    assert Attendance.objects.get(enrolment=enrolment).status == "late"
    assert page.evaluate("Object.keys(localStorage).length") == 0
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    assert errors == []
    context.close()
