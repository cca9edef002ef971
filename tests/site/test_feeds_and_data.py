"""What partner sites, search engines and e-reader apps read: feeds (feedparser), the sitemap
(the sitemaps.org schema), OPDS catalogues (jing) and JSON-LD (extruct)."""

import shutil
import subprocess
import tempfile
from pathlib import Path

import extruct
import feedparser
import pytest
from lxml import etree

from tests.conftest import OPDS_SCHEMA

from .conftest import SITEMAP_XSD, http_get
from .pages import FEEDS, OPDS_FEEDS, STRUCTURED_DATA

SITEMAP_NS = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


@pytest.mark.parametrize("feed", FEEDS, ids=lambda f: f.name)
def test_feed_parses_and_carries_the_required_elements(site_url, feed) -> None:  # type: ignore[no-untyped-def]
    status, body, _url = http_get(site_url + feed.path)
    assert status == 200
    parsed = feedparser.parse(body)
    assert not parsed.bozo, parsed.get("bozo_exception")
    assert parsed.version == feed.kind
    assert parsed.feed.get("title")
    assert parsed.feed.get("link", "").startswith("http")
    if feed.kind == "atom10":
        assert parsed.feed.get("id") and parsed.feed.get("updated")
    else:
        assert parsed.feed.get("description")
    assert parsed.entries, "a feed of the demo site has stories"
    for entry in parsed.entries:
        assert entry.get("title") and entry.get("link", "").startswith(site_url), entry
        assert entry.get("id"), entry  # RSS guid / Atom id: readers use it to spot repeats
        assert entry.get("published_parsed") or entry.get("updated_parsed"), entry
        assert entry.get("summary"), entry


def test_every_advertised_feed_parses(site_url, crawl) -> None:  # type: ignore[no-untyped-def]
    """Each section's feeds too, found through the pages' <link rel="alternate">."""
    assert len(crawl.feeds) >= 4
    for url in sorted(crawl.feeds):
        status, body, _ = http_get(url)
        parsed = feedparser.parse(body)
        assert status == 200 and not parsed.bozo and parsed.version in {"rss20", "atom10"}, url


def test_sitemap_is_valid_against_the_sitemaps_org_schema(site_url) -> None:  # type: ignore[no-untyped-def]
    status, body, _url = http_get(site_url + "/sitemap.xml")
    assert status == 200
    schema = etree.XMLSchema(etree.parse(str(SITEMAP_XSD)))
    document = etree.fromstring(body)
    assert schema.validate(document), schema.error_log
    locations = [loc.text for loc in document.iter(f"{SITEMAP_NS}loc")]
    assert site_url + "/" in locations
    # The protocol accepts only addresses on the sitemap's own host.
    assert all(loc.startswith(site_url + "/") for loc in locations), locations
    assert any("/tin-tuc/tin-tong-hop/" in loc and loc.count("/") > 5 for loc in locations)


def test_robots_txt_points_at_the_sitemap(site_url) -> None:  # type: ignore[no-untyped-def]
    status, body, _url = http_get(site_url + "/robots.txt")
    assert status == 200
    assert "sitemap.xml" in body.decode()


if OPDS_FEEDS:  # The library module's catalogues; until then there is nothing to validate.

    @pytest.mark.tool("jing", schema=True)
    @pytest.mark.parametrize("path", OPDS_FEEDS)
    def test_opds_feed_is_valid(site_url, path) -> None:  # type: ignore[no-untyped-def]
        status, body, _url = http_get(site_url + path)
        assert status == 200
        folder = Path(tempfile.mkdtemp())
        (folder / "feed.xml").write_bytes(body)
        result = subprocess.run(
            ["jing", "-c", OPDS_SCHEMA, folder / "feed.xml"],
            capture_output=True,
            text=True,
            check=False,
        )
        shutil.rmtree(folder)
        assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize(
    ("page_name", "schema_type", "properties"), STRUCTURED_DATA, ids=lambda v: str(v)[:20]
)
def test_json_ld_carries_the_required_properties(
    visits, page_name, schema_type, properties
) -> None:  # type: ignore[no-untyped-def]
    visit = visits[page_name, 1280]
    items = extruct.extract(visit.html, base_url=visit.url, syntaxes=["json-ld"], errors="strict")
    found = [item for item in items["json-ld"] if item.get("@type") == schema_type]
    assert len(found) == 1, items["json-ld"]
    data = found[0]
    assert data["@context"] in {"https://schema.org", "http://schema.org"}
    missing = [name for name in properties if not data.get(name)]
    assert missing == []
    authors = data.get("author")
    for author in authors if isinstance(authors, list) else [authors]:
        if author is not None:
            assert author.get("name"), author
    if "publisher" in properties:
        assert data["publisher"].get("name")
