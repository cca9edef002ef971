"""A participant on a phone: start, answers saved as chosen (a reload loses nothing), the
server's countdown, submit, result."""

import pytest
from django.conf import settings as django_settings
from django.test import Client

from moduong.contests.models import Attempt
from tests.contests.factories import open_round, participant

from .conftest import screenshot

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_participant_takes_a_round_on_a_phone(site, live_server, browser, settings) -> None:  # type: ignore[no-untyped-def]
    settings.CONTESTS_START_CAPTCHA = False
    settings.CONTESTS_START_RATE_PER_MINUTE = 0
    rnd = open_round(prediction_question="Dự đoán có bao nhiêu người dự thi tuần này?")
    user = participant(rnd.contest)
    client = Client()
    client.force_login(user)
    cookie = client.cookies[django_settings.SESSION_COOKIE_NAME].value
    context = browser.new_context(viewport={"width": 360, "height": 740}, locale="vi-VN")
    context.add_cookies(
        [{"name": django_settings.SESSION_COOKIE_NAME, "value": cookie, "url": live_server.url}]
    )
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(f"{live_server.url}/cuoc-thi/{rnd.contest.slug}/")
    page.get_by_role("link", name="Vào thi").click()
    page.get_by_role("button", name="Bắt đầu").click()
    page.wait_for_url("**/cuoc-thi/bai-thi/*/")
    attempt = Attempt.objects.get(user=user)
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    first = page.locator("fieldset").first
    first.locator("input[type=radio]").nth(1).check()
    first.get_by_text("Đã lưu").wait_for()
    # The save button is only for readers without the script.
    assert not page.get_by_role("button", name="Lưu câu trả lời").is_visible()
    countdown = page.locator(".countdown-value").inner_text()
    assert countdown.startswith(("09:", "10:"))
    screenshot(page, "cuoc-thi-lam-bai-360")
    page.reload()
    assert page.locator("fieldset").first.locator("input[type=radio]").nth(1).is_checked()
    assert Attempt.objects.get(pk=attempt.pk).answers.count("-") == 4
    box = page.get_by_label("Dự đoán có bao nhiêu người dự thi tuần này?")
    box.fill("1.500")
    page.locator(".prediction-status").get_by_text("Đã lưu").wait_for()
    page.reload()  # the prediction is kept as the answers are
    box = page.get_by_label("Dự đoán có bao nhiêu người dự thi tuần này?")
    assert box.input_value() == "1.500"
    assert Attempt.objects.get(pk=attempt.pk).prediction == 1500
    box.fill("abc")
    page.locator(".prediction-status.is-error").wait_for()
    assert "số nguyên" in page.locator(".prediction-status").inner_text()
    box.fill("1.500")
    page.locator(".prediction-status").get_by_text("Đã lưu").wait_for()
    page.get_by_role("button", name="Nộp bài").click()
    page.wait_for_url("**/ket-qua/")
    assert "Bạn trả lời đúng" in page.content()
    screenshot(page, "cuoc-thi-ket-qua-360")
    assert Attempt.objects.get(pk=attempt.pk).prediction == 1500
    assert errors == []
    context.close()


def test_the_contest_pages_fit_a_phone(site, live_server, browser) -> None:  # type: ignore[no-untyped-def]
    from moduong.contests.services import attempt_start, attempt_submit

    rnd = open_round(title="Vòng thi tuần thứ nhất: tìm hiểu lịch sử địa phương")
    user = participant(rnd.contest)
    for _ in range(2):
        attempt = attempt_start(user=user, round_id=rnd.pk)
        attempt_submit(user=user, attempt_id=attempt.pk, answers=[])
    client = Client()
    client.force_login(user)
    cookie = client.cookies[django_settings.SESSION_COOKIE_NAME].value
    context = browser.new_context(viewport={"width": 360, "height": 740}, locale="vi-VN")
    context.add_cookies(
        [{"name": django_settings.SESSION_COOKIE_NAME, "value": cookie, "url": live_server.url}]
    )
    page = context.new_page()
    for path in (
        f"/cuoc-thi/{rnd.contest.slug}/bai-thi-cua-toi/",
        f"/cuoc-thi/bai-thi/{attempt.pk}/ket-qua/",
        "/cuoc-thi/chung-nhan/",
        "/cuoc-thi/chung-nhan/ABCD-EFGH-JKLM/",
    ):
        page.goto(live_server.url + path)
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 360, f"{path} is {width}px wide"
    page.goto(f"{live_server.url}/cuoc-thi/{rnd.contest.slug}/bai-thi-cua-toi/")
    screenshot(page, "cuoc-thi-bai-thi-cua-toi-360")
    context.close()
