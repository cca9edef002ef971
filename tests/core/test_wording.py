"""Words a Vietnamese reader would not write: each page says things once and in Vietnamese."""

import re

import pytest
from bs4 import BeautifulSoup
from django.test import Client

pytestmark = pytest.mark.django_db


def _page(client: Client, url: str) -> BeautifulSoup:
    response = client.get(url)
    assert response.status_code == 200
    return BeautifulSoup(response.content, "html.parser")


def test_the_home_page_title_names_the_office_once(site, client: Client) -> None:  # type: ignore[no-untyped-def]
    assert _page(client, "/").title.get_text() == "Nhà xuất bản Mở Đường"
    # Other pages keep their own title before the office's name.
    assert _page(client, "/tin-tuc/").title.get_text() == "Tin tức · Nhà xuất bản Mở Đường"


def test_the_menu_button_is_in_vietnamese(site, client: Client) -> None:  # type: ignore[no-untyped-def]
    assert _page(client, "/").select_one(".nav-toggle").get_text(strip=True) == "Danh mục"


def test_the_login_page_offers_forgot_password_once(site, client: Client) -> None:  # type: ignore[no-untyped-def]
    page = _page(client, "/tai-khoan/login/")
    assert len(page.find_all(string=re.compile("Quên mật khẩu"))) == 1
