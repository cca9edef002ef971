"""No page, a reader's or the staff's, asks another host for anything: the site works on an
office network with no internet, and no outside service learns who reads or edits what (the
admin's avatars came from an avatar service, with a hash of each staff email)."""

import pytest

from .conftest import ADMIN, record_outside_requests
from .pages import PAGE_TYPES, WIDTHS

# The screens the office's staff open every day.
ADMIN_SCREENS = (
    "/admin/",
    "/admin/pages/",
    "/admin/account/",
    "/admin/images/",
    "/admin/documents/",
    "/admin/thu-ban-doc/",
    "/admin/cau-hoi-giao-luu/",
    "/admin/snippets/core/menuitem/",
    "/admin/users/",
)


@pytest.mark.parametrize("page_type", PAGE_TYPES, ids=lambda p: p.name)
def test_no_reader_page_asks_another_host(visits, page_type) -> None:  # type: ignore[no-untyped-def]
    for width in WIDTHS:
        assert visits[page_type.name, width].outside_requests == []


def test_no_admin_screen_asks_another_host(site_url: str, browser) -> None:  # type: ignore[no-untyped-def]
    context = browser.new_context(locale="vi-VN", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    outside: list[str] = []
    record_outside_requests(page, site_url, outside)
    page.goto(site_url + "/admin/login/")
    page.locator("input[name=username]").fill(ADMIN[0])
    page.locator("input[name=password]").fill(ADMIN[1])
    page.locator("form button[type=submit]").click()
    page.wait_for_url(site_url + "/admin/")
    seen = {}
    for path in ADMIN_SCREENS:
        response = page.goto(site_url + path)
        page.wait_for_load_state("networkidle")
        seen[path] = response.status
    context.close()
    assert set(seen.values()) == {200}, seen
    assert outside == []
