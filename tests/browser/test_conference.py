"""A connection point's staff report on a 360 px phone through their link, and the organisers'
roll-up, open in another browser, shows it within seconds without a reload."""

import pytest
from django.conf import settings as django_settings
from django.test import Client
from django.urls import reverse

from moduong.conferences.selectors import point_link
from moduong.conferences.services import delegate_register
from tests.conferences.factories import categories, conference, point
from tests.factories import UserFactory

from .conftest import screenshot

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_point_reports_on_a_phone_and_the_rollup_shows_it(site, live_server, browser) -> None:  # type: ignore[no-untyped-def]
    conf = conference()
    p = point(conf, capacity=150)
    point(conf, "HN-002")
    categories(conf)
    # A superuser: the staff group comes from a migration, and an earlier browser test of the
    # whole suite (transactional) flushes it; who may see the roll-up is tested in
    # tests/conferences.
    organiser = UserFactory(username="bantochuc", is_staff=True, is_superuser=True)
    client = Client()
    client.force_login(organiser)
    cookie = client.cookies[django_settings.SESSION_COOKIE_NAME].value
    desk = browser.new_context(viewport={"width": 1280, "height": 900}, locale="vi-VN")
    desk.add_cookies(
        [{"name": django_settings.SESSION_COOKIE_NAME, "value": cookie, "url": live_server.url}]
    )
    screen = desk.new_page()
    screen.goto(live_server.url + reverse("conferences_rollup", args=[conf.pk]))
    linked = screen.locator("[data-figure=linked]")
    assert linked.inner_text().startswith("0 / 2")

    phone = browser.new_context(viewport={"width": 360, "height": 740}, locale="vi-VN")
    page = phone.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(
        live_server.url + reverse("conferences:report", args=[point_link(point=p, conference=conf)])
    )
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    page.get_by_label("Tốt").check()
    page.get_by_label("Đã kết nối", exact=True).check()
    page.get_by_label("Đảng viên").fill("60")
    page.get_by_label("Cán bộ").fill("25")
    screenshot(page, "hoi-nghi-bao-cao-360")
    page.get_by_role("button", name="Gửi báo cáo").click()
    page.get_by_text("Cảm ơn: đã nhận báo cáo").wait_for()
    assert "85 người tham dự" in page.content()

    # The organisers' screen polls: no reload.
    screen.locator("[data-figure=linked]", has_text="1 / 2").wait_for(timeout=15000)
    assert screen.locator("[data-figure=delegates]").inner_text().startswith("85")
    screenshot(screen, "hoi-nghi-tong-hop-1280")
    assert errors == []
    phone.close()
    desk.close()


def test_an_organiser_checks_delegates_in_on_a_phone(site, live_server, browser) -> None:  # type: ignore[no-untyped-def]
    """The badge's QR code opens the check-in on the organiser's phone (the phone's camera
    reads it: the test opens the same address); one tap checks the delegate in, and the next
    badge is typed by its code when it will not scan."""
    conf = conference()
    an = delegate_register(
        conference=conf, full_name="Nguyễn Văn An", position="Bí thư", seat="A12"
    )
    binh = delegate_register(conference=conf, full_name="Trần Thị Bình")
    organiser = UserFactory(username="bantochuc", is_staff=True, is_superuser=True)
    client = Client()
    client.force_login(organiser)
    cookie = client.cookies[django_settings.SESSION_COOKIE_NAME].value
    phone = browser.new_context(viewport={"width": 360, "height": 740}, locale="vi-VN")
    phone.add_cookies(
        [{"name": django_settings.SESSION_COOKIE_NAME, "value": cookie, "url": live_server.url}]
    )
    page = phone.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(live_server.url + reverse("conferences_check_in_code", args=[conf.pk, an.code]))
    page.get_by_role("heading", name="Nguyễn Văn An").wait_for()
    assert "A12" in page.content()
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    screenshot(page, "hoi-nghi-diem-danh-the-360")
    page.get_by_role("button", name="Điểm danh").click()
    page.get_by_text("Đã điểm danh đại biểu Nguyễn Văn An.").wait_for()
    assert page.locator("[data-figure=hall]").inner_text().startswith("Đã điểm danh 1 / 2")

    page.get_by_label("Mã trên thẻ đại biểu").fill(binh.code.lower())
    page.get_by_role("button", name="Tìm đại biểu").click()
    page.get_by_role("heading", name="Trần Thị Bình").wait_for()
    page.get_by_role("button", name="Điểm danh").click()
    page.locator("[data-figure=hall]", has_text="Đã điểm danh 2 / 2").wait_for()
    screenshot(page, "hoi-nghi-diem-danh-360")

    # A badge scanned a second time says so, and counts once.
    page.goto(live_server.url + reverse("conferences_check_in_code", args=[conf.pk, an.code]))
    page.get_by_text("thẻ có thể bị dùng hai lần").wait_for()
    screenshot(page, "hoi-nghi-diem-danh-lan-hai-360")
    an.refresh_from_db()
    binh.refresh_from_db()
    assert an.is_checked_in and binh.is_checked_in
    assert errors == []
    phone.close()
