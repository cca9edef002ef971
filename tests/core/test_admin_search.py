"""Every admin listing with a search box answers a search: a moderator looking for "an" in the
letters queue gets the letters, not a server error."""

import pytest
from django.test import Client
from django.urls import NoReverseMatch, reverse
from wagtail.admin.viewsets import viewsets

from moduong.community.models import Letter, LettersPage
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _searchable_listings() -> list[str]:
    urls = []
    for viewset in viewsets.viewsets:
        if not getattr(viewset, "search_fields", None) or not hasattr(viewset, "get_url_name"):
            continue
        try:
            urls.append(reverse(viewset.get_url_name("index")))
        except NoReverseMatch:
            continue
    return urls


def test_every_admin_search_box_answers(site, client: Client) -> None:
    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    urls = _searchable_listings()
    assert {"/admin/thu-ban-doc/", "/admin/cau-hoi-giao-luu/"} <= set(urls), urls
    for url in urls:
        response = client.get(url, {"q": "an"})
        assert response.status_code == 200, url


def test_moderator_finds_a_letter_by_its_writer(site, client: Client) -> None:
    page = LettersPage.objects.get()
    for name, subject in (("Nguyễn Văn An", "Về giờ mở cửa"), ("Lê Thị Bình", "Sách mới")):
        Letter.objects.create(
            page=page,
            name=name,
            email="ban.doc@example.vn",
            subject=subject,
            message="Xin hỏi.",
            writer_key=name,
            text_key=subject,
        )
    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    body = client.get("/admin/thu-ban-doc/", {"q": "Nguyễn Văn An"}).content.decode()
    assert "Về giờ mở cửa" in body
    assert "Sách mới" not in body
