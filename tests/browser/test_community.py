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
