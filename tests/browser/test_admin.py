"""The admin as the office's staff use it, in the real browser."""

import pytest
from playwright.sync_api import expect

from moduong.news.models import ArticlePage, SectionPage
from tests.factories import UserFactory

from .conftest import screenshot

pytestmark = pytest.mark.django_db(transaction=True)

PASSWORD = "Biên-tập-mỗi-ngày-7"


def admin_login(page, live_server, username: str) -> None:  # type: ignore[no-untyped-def]
    page.goto(live_server.url + "/admin/login/")
    page.locator("input[name=username]").fill(username)
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("form button[type=submit]").click()
    page.wait_for_url(live_server.url + "/admin/")


def test_a_title_typed_in_the_admin_gives_the_vietnamese_slug(site, live_server, page) -> None:  # type: ignore[no-untyped-def]
    user = UserFactory(username="quantri", is_superuser=True, is_staff=True)
    user.set_password(PASSWORD)
    user.save()
    section = SectionPage.objects.get(slug="tin-tong-hop")
    admin_login(page, live_server, "quantri")
    page.goto(f"{live_server.url}/admin/pages/add/news/articlepage/{section.pk}/")
    title = "Thành phố khai trương không gian đọc sách 24 giờ tại phường Hoàn Kiếm"
    page.locator("#id_title").press_sequentially(title)
    slug = page.locator("#id_slug")
    expected = "thanh-pho-khai-truong-khong-gian-doc-sach-24-gio-tai-phuong-hoan-kiem"
    expect(slug).to_have_value(expected)
    page.locator("#id_lead").fill("Không gian mở cửa suốt ngày đêm cho mọi người dân.")
    screenshot(page, "quan-tri-bai-moi")
    page.locator("footer [data-w-dropdown-target=toggle]").click()
    page.locator("button[name=action-publish]").click()
    page.wait_for_url("**/admin/pages/*/")
    article = ArticlePage.objects.get(title=title)
    assert article.live
    assert article.url_path.endswith(f"/tin-tuc/tin-tong-hop/{expected}/")
    response = page.goto(f"{live_server.url}/tin-tuc/tin-tong-hop/{expected}/")
    assert response.status == 200


def test_a_slug_the_editor_types_is_cleaned_the_same_way(site, live_server, page) -> None:  # type: ignore[no-untyped-def]
    user = UserFactory(username="quantri", is_superuser=True, is_staff=True)
    user.set_password(PASSWORD)
    user.save()
    section = SectionPage.objects.get(slug="tin-tong-hop")
    admin_login(page, live_server, "quantri")
    page.goto(f"{live_server.url}/admin/pages/add/news/articlepage/{section.pk}/")
    page.locator("#id_title").fill("Tin ngắn")
    page.locator("#id_lead").fill("Một tin ngắn.")
    slug = page.locator("#id_slug")
    # The title's blur copies it into the slug after Wagtail's 100 ms debounce: wait for that
    # copy, or it lands after the slug typed below and overwrites it.
    expect(slug).to_have_value("tin-ngan")
    page.get_by_role("tab", name="Quảng bá").click()
    slug.fill("Đường phố Hà Nội: đẹp & sạch")
    slug.blur()
    expect(slug).to_have_value("duong-pho-ha-noi-dep-sach")
    # A browser without the script sends what was typed; the server cleans it the same way.
    page.evaluate(
        "() => { const s = document.querySelector('#id_slug'); s.value = 'Đường phố Hà Nội'; }"
    )
    page.get_by_role("button", name="Lưu bản nháp").click()
    page.wait_for_url("**/admin/pages/*/edit/")
    assert ArticlePage.objects.get(title="Tin ngắn").slug == "duong-pho-ha-noi"
