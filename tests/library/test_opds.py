"""The OPDS 1.2 catalogue as e-reader apps read it: every feed valid against the OPDS schema
(checked by Debian's jing), navigation, acquisition links, covers, search, paging."""

from __future__ import annotations

import subprocess
from pathlib import Path
from xml.etree import ElementTree as ET  # our own feeds

import pytest

from tests.conftest import OPDS_SCHEMA

from .helpers import epub

pytestmark = pytest.mark.django_db

SCHEMA = OPDS_SCHEMA
A = "{http://www.w3.org/2005/Atom}"
FEEDS = [
    "/opds/",
    "/opds/the-loai/",
    "/opds/moi/",
    "/opds/doc-nhieu/",
    "/opds/the-loai/van-hoc/",
    "/opds/tim-kiem/?q=l%C3%A0ng",
    "/opds/moi/?trang=2",
]


def _jing(body: bytes, tmp_path: Path) -> subprocess.CompletedProcess[str]:
    path = tmp_path / "feed.xml"
    path.write_bytes(body)
    return subprocess.run(
        ["jing", "-c", str(SCHEMA), str(path)], capture_output=True, text=True, check=False
    )


@pytest.fixture
def catalogue(make_book, settings):  # type: ignore[no-untyped-def]
    settings.LIBRARY_OPDS_PAGE_SIZE = 3  # the demo's books and two more make two pages
    make_book("Chuyện làng ven sông", epub("Chuyện làng ven sông"))
    make_book("Làng nghề gốm bên sông", epub("Làng nghề gốm bên sông", authors=("Tạ Văn Bình",)))


@pytest.mark.tool("jing", schema=True)
@pytest.mark.parametrize("path", FEEDS)
def test_every_feed_is_valid_opds(client, catalogue, path, tmp_path) -> None:  # type: ignore[no-untyped-def]
    response = client.get(path)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml;profile=opds-catalog")
    result = _jing(response.content, tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.tool("jing", schema=True)
def test_an_invalid_feed_is_caught_by_the_check(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """The validation is real: a feed without its required id and title fails."""
    broken = b'<feed xmlns="http://www.w3.org/2005/Atom"><entry/></feed>'
    assert _jing(broken, tmp_path).returncode != 0


def test_navigation_root_leads_to_new_popular_and_categories(client, catalogue) -> None:  # type: ignore[no-untyped-def]
    root = ET.fromstring(client.get("/opds/").content)
    links = {
        e.find(f"{A}title").text: e.find(f"{A}link").get("href") for e in root.iter(f"{A}entry")
    }
    assert links["Sách mới"].endswith("/opds/moi/")
    assert links["Đọc nhiều"].endswith("/opds/doc-nhieu/")
    assert links["Thể loại"].endswith("/opds/the-loai/")
    rels = {link.get("rel"): link.get("href") for link in root.findall(f"{A}link")}
    assert rels["search"].endswith("/opds/tim-kiem.xml")
    assert rels["http://opds-spec.org/sort/popular"].endswith("/opds/doc-nhieu/")
    description = client.get(rels["search"].split("testserver")[1])
    assert b"{searchTerms}" in description.content


def test_acquisition_entries_have_download_cover_and_thumbnail(client, catalogue) -> None:  # type: ignore[no-untyped-def]
    feed = ET.fromstring(client.get("/opds/tim-kiem/?q=g%E1%BB%91m").content)
    entries = list(feed.iter(f"{A}entry"))
    assert [e.find(f"{A}title").text for e in entries] == ["Làng nghề gốm bên sông"]
    links = {link.get("rel"): link for link in entries[0].findall(f"{A}link")}
    download = links["http://opds-spec.org/acquisition/open-access"]
    assert download.get("type") == "application/epub+zip"
    path = download.get("href").split("testserver")[1]
    got = client.get(path)
    assert got.status_code == 200 and b"".join(got.streaming_content)[:2] == b"PK"
    for rel in ("http://opds-spec.org/image", "http://opds-spec.org/image/thumbnail"):
        image = client.get(links[rel].get("href").split("testserver")[1])
        assert image.status_code == 200
        assert b"".join(image.streaming_content)[:2] == b"\xff\xd8"  # a JPEG


def test_pages_are_linked(client, catalogue) -> None:  # type: ignore[no-untyped-def]
    first = ET.fromstring(client.get("/opds/moi/").content)
    rels = {link.get("rel"): link.get("href") for link in first.findall(f"{A}link")}
    assert rels["next"].endswith("/opds/moi/?trang=2") and "previous" not in rels
    second = ET.fromstring(client.get("/opds/moi/?trang=2").content)
    assert {link.get("rel") for link in second.findall(f"{A}link")} >= {"previous", "first"}
    assert client.get("/opds/moi/?trang=99").status_code == 404
    assert client.get("/opds/moi/?trang=x").status_code == 404
    assert client.get("/opds/the-loai/khong-co/").status_code == 404


def test_an_unpublished_book_leaves_the_catalogue(client, catalogue) -> None:  # type: ignore[no-untyped-def]
    from moduong.library.models import BookPage

    BookPage.objects.get(title="Làng nghề gốm bên sông").unpublish()
    assert "gốm".encode() not in client.get("/opds/moi/").content
    found = ET.fromstring(client.get("/opds/tim-kiem/?q=g%E1%BB%91m").content)
    assert list(found.iter(f"{A}entry")) == []


def test_links_follow_the_scheme_the_app_used(client, catalogue) -> None:  # type: ignore[no-untyped-def]
    """A feed kept for http is not handed to an app that came over https (its links would
    send the app to the insecure address)."""
    for path in ("/opds/", "/opds/moi/", "/opds/the-loai/"):
        plain = client.get(path).content.decode()
        secure = client.get(path, secure=True).content.decode()
        assert 'href="http://testserver/' in plain and "https://" not in plain, path
        assert 'href="https://testserver/' in secure and "http://testserver" not in secure, path
    search = client.get("/opds/tim-kiem/", {"q": "làng"})
    assert search["X-Content-Type-Options"] == "nosniff"
    description = client.get("/opds/tim-kiem.xml", secure=True).content.decode()
    assert 'template="https://testserver/opds/tim-kiem/?q={searchTerms}"' in description


@pytest.mark.parametrize("query", ["gốm", "gom", "LANG NGHE GOM", "Tạ Văn Bình", "ta van binh"])
def test_the_catalogue_search_finds_words_typed_with_or_without_marks(
    client, catalogue, query
) -> None:  # type: ignore[no-untyped-def]
    feed = ET.fromstring(client.get("/opds/tim-kiem/", {"q": query}).content)
    assert [e.find(f"{A}title").text for e in feed.iter(f"{A}entry")] == ["Làng nghề gốm bên sông"]


def test_the_catalogue_search_needs_every_word(client, catalogue) -> None:  # type: ignore[no-untyped-def]
    feed = ET.fromstring(client.get("/opds/tim-kiem/", {"q": "gốm sứ-không-có"}).content)
    assert list(feed.iter(f"{A}entry")) == []
