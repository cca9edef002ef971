import json
import re

import pytest
from bs4 import BeautifulSoup
from django.test import Client, override_settings

from moduong.core.services import page_cache_invalidate
from moduong.news.models import ArticlePage, SectionPage

pytestmark = pytest.mark.django_db


def _soup(response) -> BeautifulSoup:  # type: ignore[no-untyped-def]
    return BeautifulSoup(response.content, "html.parser")


def _article(slug: str = "hoi-sach-mua-thu-don-hon-hai-muoi-nghin-luot-ban-doc") -> ArticlePage:
    return ArticlePage.objects.get(slug=slug)


def test_home_shows_featured_latest_sections_and_most_read(site, client: Client) -> None:
    soup = _soup(client.get("/"))
    featured = [a.get_text(strip=True) for a in soup.select(".featured .card-title a")]
    assert featured[0] == "Hội sách mùa thu đón hơn hai mươi nghìn lượt bạn đọc"
    assert soup.find("h2", string="Tin mới nhất")
    section_titles = [h.get_text(strip=True) for h in soup.select(".home-main h2.section-title")]
    assert "Tin tức" in section_titles and "Các bài viết" in section_titles
    most_read = [a.get_text(strip=True) for a in soup.select(".most-read a")]
    expected = list(ArticlePage.objects.order_by("-read_count").values_list("title", flat=True)[:5])
    assert most_read == expected


def test_article_page_has_date_source_and_breadcrumb(site, client: Client) -> None:
    article = _article("ra-mat-tu-sach-phap-luat-cho-to-dan-pho")
    assert article.source_outlet
    soup = _soup(client.get(article.url))
    assert re.fullmatch(
        r"(Thứ (hai|ba|tư|năm|sáu|bảy)|Chủ nhật), \d\d/\d\d/\d{4} \d\d:\d\d",
        soup.select_one(".article-date").get_text(strip=True),
    )
    assert soup.h1.get_text(strip=True) == article.title
    assert soup.select_one(".article-source").get_text(strip=True) == (
        "(Theo Ngọc Mai/Báo Văn hóa Mẫu)"
    )
    assert soup.select_one(".article-source-link a")["href"] == article.source_url
    crumbs = [li.get_text(strip=True) for li in soup.select(".breadcrumbs li")]
    assert crumbs[:3] == ["Trang chủ", "Tin tức", "Tin tổng hợp"]
    assert "phút đọc" in soup.select_one(".article .meta").get_text()


def test_article_metadata_for_search_engines_and_social(site, client: Client) -> None:
    article = _article()
    soup = _soup(client.get(article.url))
    assert soup.find("link", rel="canonical")["href"] == f"http://testserver{article.url}"
    assert soup.find("meta", property="og:title")["content"] == article.title
    assert soup.find("meta", property="og:image")["content"].startswith("http://testserver/")
    assert soup.find("meta", attrs={"name": "twitter:card"})["content"] == "summary_large_image"
    data = json.loads(soup.find("script", type="application/ld+json").string)
    assert data["@type"] == "NewsArticle"
    assert data["headline"] == article.title
    assert data["author"] == [{"@type": "Person", "name": "Minh Anh"}]
    assert data["datePublished"].endswith("+07:00")
    assert data["publisher"]["name"] == "Nhà xuất bản Mở Đường"
    assert data["image"][0].startswith("http://testserver/")


def test_article_page_costs_at_most_ten_queries(
    site, client: Client, django_assert_max_num_queries
) -> None:  # type: ignore[no-untyped-def]
    article = _article()
    client.get(article.url)  # renditions are made on the first view
    with django_assert_max_num_queries(10):
        response = client.get(article.url)
    assert response.status_code == 200


def test_related_previous_and_next(site, client: Client) -> None:
    section = SectionPage.objects.get(slug="tin-tong-hop")
    articles = list(ArticlePage.objects.child_of(section).order_by("date"))
    middle = articles[1]
    soup = _soup(client.get(middle.url))
    assert soup.select_one(".article-nav .prev")["href"] == articles[0].url
    assert soup.select_one(".article-nav .next")["href"] == articles[2].url
    assert soup.select(".related .card-title a")


def test_section_listing_is_paginated_with_page_numbers(site, client: Client) -> None:
    parent = SectionPage.objects.get(slug="tin-du-an")
    for n in range(14):
        parent.add_child(instance=ArticlePage(title=f"Tin ngắn số {n}", lead="Tin ngắn."))
    total = ArticlePage.objects.live().count()
    section = SectionPage.objects.get(slug="tin-moi")
    first = _soup(client.get(section.url))
    assert len(first.select(".card-title")) == 12
    assert first.select_one(".pagination [aria-current=page]").get_text() == "1"
    assert [a.get_text() for a in first.select(".pagination a")][-1] == "Trang sau"
    third = _soup(client.get(section.url + "?trang=3"))
    assert len(third.select(".card-title")) == total - 24
    assert third.select_one(".pagination [aria-current=page]").get_text() == "3"
    for bad in ("?trang=99", "?trang=abc", "?trang=-1"):
        response = client.get(section.url + bad)
        assert response.status_code == 404
        assert "Không tìm thấy trang" in response.content.decode()


def test_latest_lists_every_section_and_a_section_only_its_own(site, client: Client) -> None:
    latest = _soup(client.get("/tin-tuc/tin-moi/"))
    assert len(latest.select(".card-title")) == min(12, ArticlePage.objects.count())
    own = _soup(client.get("/cac-bai-viet/"))
    titles = {a.get_text(strip=True) for a in own.select(".card-title a")}
    expected = set(
        ArticlePage.objects.descendant_of(SectionPage.objects.get(slug="cac-bai-viet")).values_list(
            "title", flat=True
        )
    )
    assert titles == expected


def test_topic_and_month_archive(site, client: Client) -> None:
    soup = _soup(client.get("/chu-de/van-hoa-doc/"))
    assert soup.h1.get_text(strip=True) == "Chủ đề: Văn hóa đọc"
    titles = {a.get_text(strip=True) for a in soup.select(".card-title a")}
    assert titles == set(
        ArticlePage.objects.filter(tagged_topics__tag__slug="van-hoa-doc").values_list(
            "title", flat=True
        )
    )
    article = _article()
    month = article.date.astimezone(__import__("zoneinfo").ZoneInfo("Asia/Ho_Chi_Minh"))
    archive = client.get(f"/luu-tru/{month.year}/{month.month}/").content.decode()
    assert article.title in archive


@pytest.mark.parametrize(
    "url",
    [
        "/chu-de/khong-co/",
        "/luu-tru/2026/13/",
        "/tin-tuc/khong-co/rss/",
        "/khong-co/atom/",
        "/tin-tuc/tin-moi/trang-khong-co/",
    ],
)
def test_missing_feeds_and_listings_are_the_404_page(site, client: Client, url: str) -> None:
    response = client.get(url)
    assert response.status_code == 404
    assert "Không tìm thấy trang" in response.content.decode()


def test_slugs_are_vietnamese_ascii(site) -> None:
    section = SectionPage.objects.get(slug="tin-tong-hop")
    article = ArticlePage(title="Đà Nẵng đón đoàn đại biểu", lead="Tin ngắn.")
    section.add_child(instance=article)
    assert article.slug == "da-nang-don-doan-dai-bieu"


def test_reads_are_counted_without_a_write_per_view(
    site, client: Client, django_assert_max_num_queries
) -> None:  # type: ignore[no-untyped-def]
    from moduong.news import services

    article = _article()
    before = article.read_count
    client.get(article.url)
    for _ in range(services.FLUSH_EVERY - 2):
        client.get(article.url)
    article.refresh_from_db()
    assert article.read_count == before  # still only in the cache
    client.get(article.url)  # the 25th read hands the count to a background task
    article.refresh_from_db()
    assert article.read_count == before + services.FLUSH_EVERY
    from django.core.cache import cache

    assert cache.get(services.READS_KEY.format(article.pk)) == 0  # never counted twice


def test_publishing_an_older_revision_keeps_the_reads_counted_since(site) -> None:
    from moduong.news.services import article_reads_add

    article = _article()
    before = article.read_count
    article_reads_add(article_id=article.pk, reads=5)
    article.refresh_from_db()
    article.lead = "Tin ngắn đã sửa."
    revision = article.save_revision()  # an editor's draft, saved while readers keep reading
    article_reads_add(article_id=article.pk, reads=45)
    revision.publish()
    article.refresh_from_db()
    assert (article.lead, article.read_count) == ("Tin ngắn đã sửa.", before + 50)


@override_settings(NEWS_READS_BUFFER=10, NEWS_READS_BUFFER_SECONDS=3600)
def test_reads_wait_in_the_process_before_reaching_the_shared_counter(site, client: Client) -> None:
    from django.core.cache import cache

    from moduong.news import services

    article = _article()
    key = services.READS_KEY.format(article.pk)
    for _ in range(9):
        client.get(article.url)
    assert cache.get(key) is None  # nine reads still in this process: no round trip yet
    client.get(article.url)
    assert cache.get(key) == 10
    client.get(article.url)
    services.article_reads_buffer_flush()  # as when the process exits
    assert cache.get(key) == 11


@override_settings(PAGE_CACHE_SECONDS=60)
def test_reads_are_counted_when_the_page_comes_from_the_cache(site, client: Client) -> None:
    from django.core.cache import cache

    from moduong.news.services import READS_KEY

    article = _article()
    page_cache_invalidate()
    assert client.get(article.url)["X-Page-Cache"] == "miss"
    assert client.get(article.url)["X-Page-Cache"] == "hit"
    assert cache.get(READS_KEY.format(article.pk)) == 2


@override_settings(PAGE_CACHE_SECONDS=60)
def test_an_article_made_private_leaves_cached_pages_and_listings(site, client: Client) -> None:
    from wagtail.models import PageViewRestriction

    article = _article()
    page_cache_invalidate()
    assert client.get(article.url)["X-Page-Cache"] == "miss"
    assert client.get(article.url)["X-Page-Cache"] == "hit"
    assert article.title in client.get("/").content.decode()
    PageViewRestriction.objects.create(page=article, restriction_type="login")
    response = client.get(article.url)
    assert response.status_code == 302 and "/tai-khoan/login/" in response["Location"]
    home = client.get("/").content.decode()
    assert article.title not in home
    assert article.title not in client.get("/rss.xml").content.decode()


def test_unpublished_article_leaves_most_read_and_listings(site, client: Client) -> None:
    top = ArticlePage.objects.order_by("-read_count").first()
    assert top.title in client.get("/").content.decode()
    top.unpublish()
    assert top.title not in client.get("/").content.decode()
    assert top.title not in client.get("/tin-tuc/tin-moi/").content.decode()


def test_a_moved_article_is_listed_at_its_new_address(site, client: Client) -> None:
    article = _article()
    client.get("/")
    article.move(SectionPage.objects.get(slug="cac-bai-viet"), pos="last-child")
    article.refresh_from_db()
    assert article.url.startswith("/cac-bai-viet/")
    assert f'href="{article.url}"' in client.get("/").content.decode()


def test_article_view_after_a_publish_costs_a_bounded_number_of_queries(
    site, client: Client, django_assert_max_num_queries
) -> None:  # type: ignore[no-untyped-def]
    article = _article()
    client.get(article.url)
    page_cache_invalidate()  # as after any publish: route, shell and neighbours, once
    with django_assert_max_num_queries(16):
        client.get(article.url)
    with django_assert_max_num_queries(1):
        client.get(article.url)


def test_atom_entries_without_authors_fall_back_to_the_office(site, client: Client) -> None:
    import xml.etree.ElementTree as ET

    article = _article()
    article.authors = ""
    article.save_revision().publish()
    feed = ET.fromstring(client.get("/atom.xml").content)
    ns = "{http://www.w3.org/2005/Atom}"
    assert feed.find(f"{ns}author/{ns}name").text == "Nhà xuất bản Mở Đường"


def test_article_meta_description_is_its_lead(site, client: Client) -> None:
    article = _article()
    soup = _soup(client.get(article.url))
    assert soup.find("meta", attrs={"name": "description"})["content"].startswith(article.lead[:40])
    assert soup.find("meta", property="og:site_name")["content"] == "Nhà xuất bản Mở Đường"


def test_reading_time_counts_the_words_of_the_body(site) -> None:
    section = SectionPage.objects.get(slug="tin-du-an")
    words = " ".join(["chữ"] * 660)
    article = ArticlePage(
        title="Bài dài",
        lead="Sa-pô.",
        body=[("paragraph", f"<p>{words}</p>"), ("heading", "Tiêu đề")],
    )
    section.add_child(instance=article)
    assert ArticlePage.objects.get(pk=article.pk).reading_minutes == 4  # 664 words / 220
