import re

import pytest
from captcha.models import CaptchaStore

from .conftest import screenshot

pytestmark = pytest.mark.django_db(transaction=True)


def test_home_page_loads_without_console_errors(site, live_server, page) -> None:  # type: ignore[no-untyped-def]
    failed: list[str] = []
    page.on("requestfailed", lambda request: failed.append(request.url))
    page.goto(live_server.url + "/")
    assert page.title().endswith("Nhà xuất bản Mở Đường")
    assert (
        page.locator("nav[aria-label='Menu chính']")
        .get_by_role("link", name="Sách điện tử")
        .is_visible()
    )
    assert page.console_errors == []
    assert failed == []
    screenshot(page, "trang-chu-1280")


def test_phone_width_has_no_sideways_scroll_and_a_working_menu(site, live_server, browser) -> None:  # type: ignore[no-untyped-def]
    context = browser.new_context(viewport={"width": 360, "height": 740}, locale="vi-VN")
    page = context.new_page()
    article = "/tin-tuc/tin-tong-hop/ra-mat-tu-sach-phap-luat-cho-to-dan-pho/"
    for path in ("/", "/tai-khoan/signup/", "/gioi-thieu/", "/khong-co/", "/tin-tuc/", article):
        page.goto(live_server.url + path)
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 360, f"{path} is {width}px wide"
    page.goto(live_server.url + "/")
    menu_link = page.locator("#menu-chinh").get_by_role("link", name="Thư viện ảnh")
    assert not menu_link.is_visible()
    page.get_by_role("button", name="Danh mục").click()
    assert menu_link.is_visible()
    screenshot(page, "trang-chu-360-menu")
    context.close()


def test_skip_link_moves_focus_to_content(site, live_server, page) -> None:  # type: ignore[no-untyped-def]
    page.goto(live_server.url + "/")
    page.keyboard.press("Tab")
    assert (
        page.evaluate("document.activeElement.textContent").strip() == "Bỏ qua, đến nội dung chính"
    )
    page.keyboard.press("Enter")
    assert page.evaluate("location.hash") == "#noi-dung"


def test_register_confirm_log_in_and_see_your_name(site, live_server, page, mailoutbox) -> None:  # type: ignore[no-untyped-def]
    page.goto(live_server.url + "/")
    page.get_by_role("link", name="Đăng ký").click()
    page.get_by_label("Tên truy cập").fill("lehoa")
    page.get_by_label(re.compile(r"^Mật khẩu")).fill("Đọc-sách-mỗi-ngày-9")
    page.get_by_label("Xác nhận mật khẩu").fill("Đọc-sách-mỗi-ngày-9")
    page.get_by_label("Email").fill("lehoa@example.vn")
    page.get_by_label("Họ và tên").fill("Lê Thị Hoà")
    page.get_by_label("Số điện thoại").fill("0903 123 456")
    key = page.locator("input[name=captcha_0]").input_value()
    page.get_by_label("Mã xác nhận").fill(CaptchaStore.objects.get(hashkey=key).response)
    screenshot(page, "dang-ky")
    page.get_by_role("button", name="Đăng ký").click()
    page.wait_for_url("**/confirm-email/")
    assert page.get_by_role("heading", name="Hãy kiểm tra hộp thư").is_visible()

    link = re.search(r"https?://[^/\s]+(/tai-khoan/confirm-email/\S+/)", mailoutbox[0].body).group(
        1
    )
    page.goto(live_server.url + link)
    page.get_by_role("button", name="Xác nhận").click()

    page.goto(live_server.url + "/tai-khoan/login/")
    page.get_by_label("Tên đăng nhập hoặc email").fill("lehoa")
    page.get_by_label("Mật khẩu").fill("Đọc-sách-mỗi-ngày-9")
    page.get_by_role("button", name="Đăng nhập").click()
    header = page.locator("header .account-links")
    header.get_by_text("Lê Thị Hòa").wait_for()  # normalised on the way in: hoà → hòa
    assert page.console_errors == []
    screenshot(page, "da-dang-nhap")


def test_article_page_reads_well_and_prints(site, live_server, page) -> None:  # type: ignore[no-untyped-def]
    failed: list[str] = []
    page.on("requestfailed", lambda request: failed.append(request.url))
    page.goto(live_server.url + "/tin-tuc/tin-tong-hop/ra-mat-tu-sach-phap-luat-cho-to-dan-pho/")
    assert page.locator(".article-source").inner_text() == "(Theo Ngọc Mai/Báo Văn hóa Mẫu)"
    assert page.get_by_role("button", name="In bài").is_visible()
    page.emulate_media(media="print")
    assert not page.locator(".site-header").is_visible()
    page.emulate_media(media="screen")
    screenshot(page, "bai-viet-1280")
    assert page.console_errors == []
    assert failed == []


def test_search_from_the_header_without_marks(site, live_server, page) -> None:  # type: ignore[no-untyped-def]
    page.goto(live_server.url + "/")
    page.get_by_label("Tìm kiếm trên trang").fill("hoi sach mua thu")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/tim-kiem/\?q="))
    first = page.locator(".search-result").first
    assert first.locator("mark").first.inner_text() == "Hội"
    assert "Hội sách mùa thu" in first.locator("h2").inner_text()
    screenshot(page, "tim-kiem")
    page.get_by_label("Loại nội dung").select_option("page")
    page.get_by_role("button", name="Tìm kiếm", exact=True).last.click()
    assert "Hội sách mùa thu" not in page.locator("main").inner_text()
    assert page.console_errors == []
