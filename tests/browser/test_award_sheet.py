"""A judge on a phone: each score is saved as it is typed (htmx), a score off the scale is
refused beside its field, a reload loses nothing, and the submitted sheet is locked."""

import pytest
from django.conf import settings as django_settings
from django.test import Client

from moduong.awards import services
from moduong.awards.models import Assignment, Score
from tests.awards import factories as f

from .conftest import screenshot

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_judge_marks_an_entry_on_a_phone(site, live_server, browser) -> None:  # type: ignore[no-untyped-def]
    award = f.award()
    rnd = f.round_(award, judges_per_entry=1, criteria=((2, 0, 10), (1, 0, 5)))
    judge = f.judge(award, rnd)
    f.entry(award, authors="Phạm Thu Hà")
    services.round_assign(round=rnd)
    assignment = Assignment.objects.get(round=rnd)
    c1, c2 = rnd.criteria.all()
    client = Client()
    client.force_login(judge.user)
    cookie = client.cookies[django_settings.SESSION_COOKIE_NAME].value
    context = browser.new_context(viewport={"width": 360, "height": 740}, locale="vi-VN")
    context.add_cookies(
        [{"name": django_settings.SESSION_COOKIE_NAME, "value": cookie, "url": live_server.url}]
    )
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(f"{live_server.url}/giai-bao-chi/cham-diem/")
    page.locator("main table a").first.click()
    page.wait_for_url(f"**/cham-diem/{assignment.pk}/")
    assert "Phạm Thu Hà" not in page.content()  # a blind round
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    page.locator(f"#c{c1.pk}").fill("8.5")
    page.locator(f"#c{c1.pk}").dispatch_event("change")
    page.locator(f"#saved-{c1.pk}").get_by_text("Đã lưu").wait_for()
    page.locator(f"#c{c2.pk}").fill("7")
    page.locator(f"#c{c2.pk}").dispatch_event("change")
    page.locator(f"#saved-{c2.pk}").get_by_text("từ 0 đến 5").wait_for()
    screenshot(page, "giai-bao-chi-phieu-cham-360")
    assert [float(s.value) for s in Score.objects.filter(sheet__assignment=assignment)] == [8.5]
    page.reload()
    assert page.locator(f"#c{c1.pk}").input_value() == "8.50"
    page.locator(f"#c{c2.pk}").fill("4")
    page.get_by_role("button", name="Nộp phiếu").click()
    page.wait_for_url(f"**/cham-diem/{assignment.pk}/")
    assert "không thể sửa nữa" in page.content()
    assert page.locator(f"#c{c1.pk}").count() == 0
    assert errors == []
    context.close()
