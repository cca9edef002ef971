import time

import pytest

from moduong.community import services
from moduong.community.models import ExchangePage

from .conftest import screenshot

pytestmark = pytest.mark.django_db(transaction=True)

LIVE = "/giao-luu-truc-tuyen/dua-sach-ve-voi-thieu-nhi-vung-cao/"


def test_a_published_answer_appears_within_5_seconds_without_reload(
    site, live_server, page
) -> None:  # type: ignore[no-untyped-def]
    exchange = ExchangePage.objects.get(slug="dua-sach-ve-voi-thieu-nhi-vung-cao")
    page.goto(live_server.url + LIVE)
    page.evaluate("window.notReloaded = true")
    assert page.locator("#cac-cau-tra-loi .answer").count() == 1
    question = services.question_create(
        exchange=exchange, user=None, name="Minh Châu", place="", text="Bao giờ xe sách lên bản?"
    )
    services.question_pick(question=question, guest=exchange.guests.first())
    published = time.monotonic()
    services.answer_publish(question=question, answer="Ngay đầu tháng sau, thưa bạn.")
    answer = page.locator(f"#cau-hoi-{question.pk}")
    answer.wait_for(timeout=5000)
    assert time.monotonic() - published < 5
    assert "Ngay đầu tháng sau" in answer.inner_text()
    assert page.evaluate("window.notReloaded") is True
    assert page.locator("#cac-cau-tra-loi .answer").count() == 2
    assert page.console_errors == []
    screenshot(page, "giao-luu-truc-tuyen-1280")


LETTER = "/ban-doc-va-nxb/gui-thu/"


def _type_a_letter(page) -> None:  # type: ignore[no-untyped-def]
    page.get_by_label("Họ và tên").fill("Nguyễn Văn An")
    page.get_by_label("Email").fill("an.nguyen@example.vn")
    page.get_by_label("Tiêu đề").fill("Hỏi về sách hỏi đáp pháp luật")
    page.get_by_label("Nội dung thư").fill("Một bức thư dài, viết cẩn thận, không muốn gõ lại.")


def _assert_letter_kept(page) -> None:  # type: ignore[no-untyped-def]
    assert page.get_by_label("Họ và tên").input_value() == "Nguyễn Văn An"
    assert page.get_by_label("Email").input_value() == "an.nguyen@example.vn"
    assert page.get_by_label("Tiêu đề").input_value() == "Hỏi về sách hỏi đáp pháp luật"
    assert page.get_by_label("Nội dung thư").input_value().startswith("Một bức thư dài")


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
def test_the_captcha_in_words_keeps_the_letter_typed(
    site, live_server, browser, javascript
) -> None:  # type: ignore[no-untyped-def]
    from captcha.models import CaptchaStore

    from moduong.community.models import Letter

    context = browser.new_context(locale="vi-VN", java_script_enabled=javascript)
    page = context.new_page()
    page.goto(live_server.url + LETTER)
    page.evaluate("window.notReloaded = true") if javascript else None
    _type_a_letter(page)
    page.get_by_role("button", name="Không đọc được ảnh? Trả lời một câu hỏi bằng chữ").click()
    question = page.locator(".captcha-question")
    question.wait_for()
    assert question.inner_text().startswith("Gõ năm chữ số sau:")
    _assert_letter_kept(page)
    if javascript:
        assert page.evaluate("window.notReloaded") is True  # switched in place
    assert page.locator(".errorlist").count() == 0
    screenshot(page, f"thu-captcha-bang-chu-{'js' if javascript else 'khong-js'}")
    key = page.locator("input[name=captcha_0]").input_value()
    page.get_by_label("Mã xác nhận").fill(CaptchaStore.objects.get(hashkey=key).response)
    page.get_by_role("button", name="Gửi thư").click()
    page.get_by_text("Cảm ơn bạn: thư của bạn đã được nhận.").wait_for()
    assert Letter.objects.filter(email="an.nguyen@example.vn").count() == 1
    context.close()


def test_the_letter_counts_its_characters_as_the_reader_types(site, live_server, page) -> None:  # type: ignore[no-untyped-def]
    page.goto(live_server.url + LETTER)
    box = page.get_by_label("Nội dung thư")
    counter = page.locator(".char-count")
    assert counter.inner_text() == "0/5.000 ký tự"
    box.fill("Xin chào")
    assert counter.inner_text() == "8/5.000 ký tự"
    box.fill("a" * 5001)  # as a paste: nothing cut
    assert len(box.input_value()) == 5001
    assert counter.inner_text() == "5.001/5.000 ký tự"
    assert "is-over" in counter.get_attribute("class")
    assert page.console_errors == []
