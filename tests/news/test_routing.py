"""The route of an address (site, page, view restrictions) is cached until the content
generation moves; a reader must never see a stale answer after an editor acts."""

import re

import pytest
from django.test import Client
from wagtail.models import PageViewRestriction

from moduong.news.models import ArticlePage, SectionPage

from .test_pages import _article

pytestmark = pytest.mark.django_db


def test_a_page_seen_before_is_served_without_routing_queries(
    site, client: Client, django_assert_max_num_queries
) -> None:  # type: ignore[no-untyped-def]
    article = _article()
    assert client.get(article.url).status_code == 200
    with django_assert_max_num_queries(1):
        response = client.get(article.url)
    assert response.status_code == 200
    assert article.title in response.content.decode()
    assert client.get("/").status_code == 200
    with django_assert_max_num_queries(0):
        assert client.get("/").status_code == 200


def test_a_retitled_article_shows_its_new_title_at_once(site, client: Client) -> None:
    article = _article()
    client.get(article.url)
    article.title = "Hội sách mùa thu kéo dài thêm hai ngày"
    article.save_revision().publish()
    assert "kéo dài thêm hai ngày" in client.get(article.url).content.decode()


def test_an_unpublished_article_is_gone_at_once(site, client: Client) -> None:
    article = _article()
    assert client.get(article.url).status_code == 200
    article.unpublish()
    assert client.get(article.url).status_code == 404


def test_a_moved_article_is_served_at_its_new_address(site, client: Client) -> None:
    article = _article()
    old_url = article.url
    client.get(old_url)
    target = SectionPage.objects.get(slug="tin-du-an")
    article.move(target, pos="last-child")
    article.refresh_from_db()
    assert article.url != old_url
    moved = client.get(old_url)  # Wagtail's automatic redirect, not the cached old route
    assert moved.status_code == 301 and moved["Location"] == article.url
    assert client.get(article.url).status_code == 200


def test_a_restriction_added_after_caching_applies_to_the_next_reader(site, client: Client) -> None:
    article = _article()
    assert client.get(article.url).status_code == 200
    restriction = PageViewRestriction.objects.create(page=article, restriction_type="login")
    response = client.get(article.url)
    assert response.status_code == 302 and "/tai-khoan/login/" in response["Location"]
    restriction.delete()
    assert client.get(article.url).status_code == 200


def test_a_restriction_on_a_section_covers_its_cached_articles(site, client: Client) -> None:
    article = _article()
    client.get(article.url)
    PageViewRestriction.objects.create(page=article.get_parent(), restriction_type="login")
    assert client.get(article.url).status_code == 302


def test_a_deleted_article_is_gone_at_once(site, client: Client) -> None:
    article = _article()
    url = article.url
    client.get(url)
    article.delete()
    assert client.get(url).status_code == 404


def test_a_site_moved_to_another_home_is_followed(site, client: Client) -> None:
    """The cached route remembers its site; editing the site must not leave it behind."""
    assert client.get("/").status_code == 200
    site.root_page = SectionPage.objects.get(slug="tin-tuc")
    site.save()
    response = client.get("/")
    assert response.status_code == 200
    assert "<h1>Tin tức</h1>" in response.content.decode()


def test_a_published_article_tops_its_section_at_once(site, client: Client) -> None:
    section = SectionPage.objects.get(slug="tin-tong-hop")
    before = client.get(section.url).content.decode()
    article = ArticlePage(title="Khai mạc triển lãm ảnh về biển đảo quê hương", lead="Tin ngắn.")
    section.add_child(instance=article)
    article.save_revision().publish()
    assert article.title not in before
    html = client.get(section.url).content.decode()
    first_card = html.index('class="card-title"')
    assert article.title in html[first_card : first_card + 400]
    assert article.title in client.get("/tin-tuc/tin-moi/").content.decode()


def test_a_section_listing_seen_before_costs_no_query(
    site, client: Client, django_assert_max_num_queries
) -> None:  # type: ignore[no-untyped-def]
    section = SectionPage.objects.get(slug="tin-moi")
    first = client.get(section.url).content.decode()
    with django_assert_max_num_queries(0):
        again = client.get(section.url).content.decode()
    # the same page, but for the Content-Security-Policy nonce each response has its own
    assert re.sub(r'nonce="[^"]+"', "", again) == re.sub(r'nonce="[^"]+"', "", first)
