"""A newsroom under load: a publish makes stale only what it touches (core.caching), so the
pages nobody changed stay in the anonymous page cache while readers read."""

import json

import pytest
from django.test import Client, override_settings

from moduong.core.services import page_cache_invalidate
from moduong.news.models import ArticlePage, SectionPage
from moduong.news.selectors import article_list

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("site")]


def _newest_and_another() -> tuple[ArticlePage, ArticlePage]:
    newest = article_list().first()
    other = article_list().exclude(pk=newest.pk).last()
    return ArticlePage.objects.get(pk=newest.pk), ArticlePage.objects.get(pk=other.pk)


def _cache(client: Client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return str(response["X-Page-Cache"])


def _warm(client: Client, *urls: str) -> None:
    for url in urls:
        client.get(url)
        assert _cache(client, url) == "hit", url


@override_settings(PAGE_CACHE_SECONDS=60)
def test_publishing_an_article_leaves_the_other_articles_cached(client: Client) -> None:
    article, other = _newest_and_another()
    section = article.get_parent()
    page_cache_invalidate()
    _warm(client, article.url, other.url, section.url, "/")
    assert article.title in client.get("/rss.xml").content.decode()

    article.title = "Tin vừa sửa: phường mở thêm điểm đọc sách"
    article.save_revision().publish()

    assert _cache(client, other.url) == "hit"  # untouched: still served from the cache
    for url in (article.url, section.url, "/"):
        response = client.get(url)
        assert response["X-Page-Cache"] == "miss", url
        assert "phường mở thêm điểm đọc sách" in response.content.decode(), url
    assert "phường mở thêm điểm đọc sách" in client.get("/rss.xml").content.decode()
    assert _cache(client, article.url) == "hit"  # and cached again


@override_settings(PAGE_CACHE_SECONDS=60)
def test_an_unpublished_article_leaves_its_page_and_listings_at_once(client: Client) -> None:
    article, other = _newest_and_another()
    section = article.get_parent()
    page_cache_invalidate()
    _warm(client, article.url, other.url, section.url, "/")

    article.unpublish()

    assert client.get(article.url).status_code == 404
    for url in (section.url, "/"):
        assert article.title not in client.get(url).content.decode(), url
    assert _cache(client, other.url) == "hit"


@override_settings(PAGE_CACHE_SECONDS=60)
def test_publishing_a_section_refreshes_every_page_that_shows_the_menu(client: Client) -> None:
    article, other = _newest_and_another()
    section = SectionPage.objects.get(pk=article.get_parent().pk)
    page_cache_invalidate()
    _warm(client, other.url)

    section.title = "Thời sự địa phương"
    section.save_revision().publish()

    response = client.get(other.url)
    assert response["X-Page-Cache"] == "miss"


@override_settings(PAGE_CACHE_SECONDS=60)
def test_an_imported_article_reaches_listings_like_an_editors(client: Client) -> None:
    from moduong.news.importing import articles_import

    section = SectionPage.objects.get(slug="tin-tong-hop")
    other = article_list().exclude(pk__in=article_list(section=section).values("pk")).last()
    page_cache_invalidate()
    _warm(client, other.url, section.url, "/")
    row = {
        "external_id": "nhap-tu-dong-1",
        "section": "tin-tuc/tin-tong-hop",
        "title": "Bài nhập tự động từ hệ thống cũ",
        "lead": "Một bài được nhập.",
        "body_html": "<p>Nội dung.</p>",
        "published_at": "2099-01-30T08:03:00+07:00",
    }
    report = articles_import([json.dumps(row, ensure_ascii=False)])
    assert report.created == 1

    assert _cache(client, other.url) == "hit"
    for url in (section.url, "/"):
        assert "Bài nhập tự động từ hệ thống cũ" in client.get(url).content.decode(), url


def _rebuild_key(url: str) -> str:
    from django.test import RequestFactory

    from moduong.core.middleware import AnonymousPageCacheMiddleware

    key = AnonymousPageCacheMiddleware(lambda r: None)._key(RequestFactory().get(url))  # type: ignore[arg-type, return-value]
    assert key is not None
    return f"{key}:rebuild"


@override_settings(PAGE_CACHE_SECONDS=60)
def test_while_one_reader_remakes_a_published_page_the_others_get_the_copy_from_before(
    client: Client,
) -> None:
    from django.core.cache import cache

    article, _other = _newest_and_another()
    page_cache_invalidate()
    _warm(client, "/")
    article.title = "Tin vừa sửa: chợ đêm phố cổ mở thêm hai tuyến"
    article.save_revision().publish()

    cache.add(_rebuild_key("/"), 1, 10)  # another reader is making the home again
    waiting = client.get("/")
    assert waiting["X-Page-Cache"] == "stale"
    assert "chợ đêm phố cổ mở thêm hai tuyến" not in waiting.content.decode()

    cache.delete(_rebuild_key("/"))  # that reader is done (or its bound ran out)
    made = client.get("/")
    assert made["X-Page-Cache"] == "miss"
    assert "chợ đêm phố cổ mở thêm hai tuyến" in made.content.decode()
    assert _cache(client, "/") == "hit"


@override_settings(PAGE_CACHE_SECONDS=60)
def test_an_unpublished_article_is_never_served_from_its_stale_copy(client: Client) -> None:
    from django.core.cache import cache

    article, _other = _newest_and_another()
    page_cache_invalidate()
    _warm(client, article.url)
    article.unpublish()

    assert client.get(article.url).status_code == 404  # the first reader after: no copy kept
    cache.add(_rebuild_key(article.url), 1, 10)
    assert client.get(article.url).status_code == 404  # nor while another reader is at it


@override_settings(PAGE_CACHE_SECONDS=60)
def test_readers_who_come_while_the_first_renders_an_unpublished_article_get_no_old_copy(
    client: Client,
) -> None:
    """The first reader after an unpublish holds the rebuild lock while it renders the 404;
    those who come meanwhile must not be given the page from before the unpublish, nor the
    listings above it with its headline."""
    from django.core.cache import cache

    article, other = _newest_and_another()
    section = article.get_parent()
    page_cache_invalidate()
    _warm(client, article.url, other.url, section.url, "/")
    # A reader is already remaking each of them (the lock taken, its render not done yet).
    for url in (article.url, section.url, "/"):
        cache.add(_rebuild_key(url), 1, 10)

    article.unpublish()

    waiting = client.get(article.url)
    assert waiting.status_code == 404
    assert waiting.get("X-Page-Cache") != "stale"
    for url in (section.url, "/"):
        listing = client.get(url)
        assert listing.get("X-Page-Cache") != "stale", url
        assert article.title not in listing.content.decode(), url
    assert _cache(client, other.url) == "hit"  # an untouched page stays cached all the while


@override_settings(PAGE_CACHE_SECONDS=60)
def test_a_publish_after_an_unpublish_serves_stale_copies_again(client: Client) -> None:
    """The takedown keeps out the copies made before it, not those made after: a later publish
    is again served from the copy from before it while one reader remakes the page."""
    from django.core.cache import cache

    article, other = _newest_and_another()
    page_cache_invalidate()
    article.unpublish()
    _warm(client, "/")
    other.title = "Tin vừa sửa: phố đi bộ mở thêm tối thứ năm"
    other.save_revision().publish()

    cache.add(_rebuild_key("/"), 1, 10)
    waiting = client.get("/")
    assert waiting["X-Page-Cache"] == "stale"
    assert "phố đi bộ mở thêm tối thứ năm" not in waiting.content.decode()


@override_settings(PAGE_CACHE_SECONDS=60)
def test_a_restricted_article_is_never_served_from_its_stale_copy(client: Client) -> None:
    from django.core.cache import cache
    from wagtail.models import PageViewRestriction

    article, _other = _newest_and_another()
    page_cache_invalidate()
    _warm(client, article.url, "/")
    cache.add(_rebuild_key(article.url), 1, 10)  # a reader is remaking it

    PageViewRestriction.objects.create(page=article, restriction_type="login")

    waiting = client.get(article.url)
    assert waiting.get("X-Page-Cache") != "stale"
    assert waiting.status_code == 302  # sent to log in, not shown the article
