import xml.etree.ElementTree as ET

import pytest
from django.test import Client

from moduong.news.models import ArticlePage, SectionPage

pytestmark = pytest.mark.django_db
ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.mark.parametrize("url", ["/rss.xml", "/tin-tuc/rss/", "/tin-tuc/tin-tong-hop/rss/"])
def test_rss_feeds(site, client: Client, url: str) -> None:
    response = client.get(url)
    assert response["Content-Type"].startswith("application/rss+xml")
    channel = ET.fromstring(response.content).find("channel")
    assert channel.find(f"{ATOM}link").get("rel") == "self"
    assert channel.find(f"{ATOM}link").get("href") == f"http://testserver{url}"
    items = channel.findall("item")
    assert items
    for item in items:
        assert item.find("title").text and item.find("link").text.startswith("http://testserver/")
        assert item.find("pubDate").text.endswith("+0700")
        guid = item.find("guid")
        assert guid.get("isPermaLink") == "false" and guid.text.startswith("tag:testserver,2026:")


def test_section_feed_lists_only_its_section(site, client: Client) -> None:
    section = SectionPage.objects.get(slug="cac-bai-viet")
    root = ET.fromstring(client.get("/cac-bai-viet/rss/").content)
    titles = {item.find("title").text for item in root.iter("item")}
    assert titles == set(
        ArticlePage.objects.child_of(section).live().values_list("title", flat=True)
    )


def test_atom_feed(site, client: Client) -> None:
    response = client.get("/atom.xml")
    assert response["Content-Type"].startswith("application/atom+xml")
    feed = ET.fromstring(response.content)
    assert feed.find(f"{ATOM}link[@rel='self']").get("href") == "http://testserver/atom.xml"
    entries = feed.findall(f"{ATOM}entry")
    assert entries
    assert all(e.find(f"{ATOM}updated").text.endswith("+07:00") for e in entries)


def test_guid_stays_when_an_article_is_renamed(site, client: Client) -> None:
    first = ET.fromstring(client.get("/rss.xml").content).find("channel/item")
    before = first.find("guid").text
    # The feed's first article, whichever of several of the same day the feed put first.
    article = ArticlePage.objects.get(title=first.find("title").text)
    article.title = "Tiêu đề mới hoàn toàn"
    article.slug = "tieu-de-moi-hoan-toan"
    article.save_revision().publish()
    after = ET.fromstring(client.get("/rss.xml").content).find("channel/item")
    assert after.find("title").text == "Tiêu đề mới hoàn toàn"
    assert after.find("guid").text == before


def test_sitemap_has_articles_with_lastmod(site, client: Client) -> None:
    root = ET.fromstring(client.get("/sitemap.xml").content)
    ns = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
    urls = {u.find(f"{ns}loc").text: u.find(f"{ns}lastmod") for u in root.iter(f"{ns}url")}
    article = ArticlePage.objects.first()
    matching = [loc for loc in urls if loc.endswith(article.url)]
    assert matching and urls[matching[0]] is not None


def test_sitemap_lists_addresses_on_the_host_it_was_fetched_from(site, client: Client) -> None:
    """The sitemaps protocol rejects addresses on another host; the Site record says localhost."""
    root = ET.fromstring(client.get("/sitemap.xml", HTTP_HOST="bao.example.vn").content)
    ns = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
    locations = [loc.text for loc in root.iter(f"{ns}loc")]
    assert "http://bao.example.vn/" in locations
    assert all(loc.startswith("http://bao.example.vn/") for loc in locations)
