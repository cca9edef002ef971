"""A reader reads a book online in the real browser: contents, next part, text size and dark
mode kept from part to part, and the reader's strict content policy breaks nothing."""

import pytest

from .conftest import screenshot

pytestmark = pytest.mark.django_db(transaction=True)

BOOK = "/sach-dien-tu/so-tay-chuyen-doi-so-o-xa-phuong/"


def test_reading_a_book_online(site, live_server, page) -> None:  # type: ignore[no-untyped-def]
    page.goto(live_server.url + BOOK)
    page.get_by_role("link", name="Đọc trực tuyến").click()
    page.wait_for_load_state()
    assert page.locator("article.reader-text h1").inner_text() == "Bắt đầu từ một việc nhỏ"

    page.get_by_role("button", name="Nền tối").click()
    page.get_by_role("button", name="A+").click()
    assert "reader-dark" in page.locator("html").get_attribute("class")
    size = page.locator(".reader").evaluate("e => e.style.getPropertyValue('--reader-size')")
    assert size == "1.25rem"

    page.get_by_role("link", name="Phần sau").click()
    page.wait_for_load_state()
    assert page.locator("article.reader-text h1").inner_text() == "Tiếp nhận phản ánh của người dân"
    # The settings stay with the reader from part to part.
    assert "reader-dark" in page.locator("html").get_attribute("class")
    assert page.get_by_role("button", name="Nền tối").get_attribute("aria-pressed") == "true"

    page.locator("details.reader-toc summary").click()
    page.get_by_role("link", name="Giữ an toàn dữ liệu").click()
    page.wait_for_load_state()
    assert "Phần 3/3" in page.locator("main").inner_text()
    assert page.console_errors == []
    screenshot(page, "doc-sach-nen-toi-1280")
