"""Book pages and listings as readers and editors meet them."""

from __future__ import annotations

import json
import re

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from moduong.library import isbn, services
from moduong.library.models import BookCategory, BookPage
from moduong.search.selectors import search

from .helpers import epub

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "code",
    ["978-604-0-00001-9", "9786040000026", "0-306-40615-2", "080442957X", "ISBN 978 0 306 40615 7"],
)
def test_valid_isbns(code: str) -> None:
    assert isbn.is_valid(code)
    isbn.validate_isbn(code)


@pytest.mark.parametrize("code", ["978-604-0-00001-8", "0-306-40615-3", "12345", "97860400000X9"])
def test_wrong_isbns_are_refused_with_a_message(code: str, library) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ValidationError) as caught:
        services.book_create(library=library, title="Sách thử", isbn=code)
    assert "isbn" in caught.value.message_dict
    assert not BookPage.objects.filter(title="Sách thử").exists()


def test_the_editor_sees_a_wrong_isbn_in_the_page_form(client, editor, library) -> None:  # type: ignore[no-untyped-def]
    client.force_login(editor)
    url = reverse("wagtailadmin_pages:add", args=["library", "bookpage", library.pk])
    response = client.post(
        url,
        {
            "title": "Sách có mã sai",
            "slug": "sach-co-ma-sai",
            "isbn": "978-604-0-00001-8",
            "language": "vi",
            "date": "2026-01-02 08:00",
            "comments-TOTAL_FORMS": "0",
            "comments-INITIAL_FORMS": "0",
            "comments-MIN_NUM_FORMS": "0",
            "comments-MAX_NUM_FORMS": "1000",
        },
    )
    assert response.status_code == 200
    assert "Chữ số kiểm tra của mã ISBN này không đúng" in response.content.decode()
    assert not BookPage.objects.filter(slug="sach-co-ma-sai").exists()


def test_book_page_shows_its_facts_files_and_json_ld(client, make_book) -> None:  # type: ignore[no-untyped-def]
    book = make_book(
        "Chuyện làng ven sông",
        epub(identifier="urn:isbn:9786040000019"),
        subtitle="Tản văn",
        translators="Ngô Minh",
        edition="In lần thứ hai",
        year=2024,
        page_count=212,
    )
    html = client.get(book.url).content.decode()
    for text in (
        "Tản văn",
        "Phan Thị Lụa",
        "Ngô Minh",
        "In lần thứ hai",
        "2024",
        "9786040000019",
        "212",
    ):
        assert text in html, text
    assert f'href="{book.url}doc/' in html and f'href="{book.url}tai-ve/' in html
    data = json.loads(
        re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S).group(1)
    )
    assert data["@type"] == "Book" and data["isbn"] == "9786040000019"
    assert data["author"][0]["name"] == "Phan Thị Lụa" and data["image"].startswith("http")


def _grid(html: str) -> str:
    return html[html.index("<h1") : html.index("library-aside")]


def test_listing_filters_by_category_year_and_author(client, library, make_book) -> None:  # type: ignore[no-untyped-def]
    history = BookCategory.objects.get(name="Lịch sử")
    local = BookCategory(name="Lịch sử địa phương", parent=history)
    local.full_clean()
    local.save()
    make_book("Đình làng Bát Tràng", epub("Đình làng Bát Tràng"), year=2021, categories=[local])
    make_book("Chợ quê ngày cũ", epub("Chợ quê ngày cũ", authors=("Lò Văn Pản",)), year=2022)
    # A sub-category's books are in its parent's listing.
    page = _grid(client.get(f"{library.url}the-loai/lich-su/").content.decode())
    assert "Đình làng Bát Tràng" in page and "Chợ quê ngày cũ" not in page
    page = _grid(client.get(library.url, {"nam": 2022}).content.decode())
    assert "Chợ quê ngày cũ" in page and "Đình làng Bát Tràng" not in page
    page = _grid(client.get(library.url, {"tac-gia": "Lò Văn Pản"}).content.decode())
    assert "Chợ quê ngày cũ" in page and "Sổ tay chuyển đổi số" not in page
    assert client.get(f"{library.url}the-loai/khong-co/").status_code == 404
    assert client.get(library.url, {"trang": "99"}).status_code == 404
    assert client.get(library.url, {"nam": "abc"}).status_code == 200  # ignored, not an error
    tree = client.get(f"{library.url}the-loai/").content.decode()
    assert tree.index("Lịch sử") < tree.index("Lịch sử địa phương")


def test_a_category_cannot_be_its_own_ancestor(db) -> None:  # type: ignore[no-untyped-def]
    parent = BookCategory.objects.get(name="Pháp luật")
    child = BookCategory.objects.get(name="Hỏi đáp pháp luật")
    parent.parent = child
    with pytest.raises(ValidationError):
        parent.full_clean()


def test_listing_costs_a_fixed_number_of_queries(client, library, make_book) -> None:  # type: ignore[no-untyped-def]
    client.get(library.url)  # warm the caches of the shell
    with CaptureQueriesContext(connection) as few:
        client.get(library.url)
    for n in range(4):
        make_book(f"Sách số {n} về làng", epub(f"Sách số {n} về làng"))
    client.get(library.url)
    with CaptureQueriesContext(connection) as many:
        client.get(library.url)
    assert len(many) == len(few), [q["sql"] for q in many]
    assert len(many) <= 14


def test_the_text_inside_a_book_is_found_by_the_portal_search(
    make_book, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    content = epub(chapters=[("Chương một", ("Cây gạo đầu làng nở hoa đỏ rực mỗi tháng ba.",))])
    with django_capture_on_commit_callbacks(execute=True):
        make_book("Chuyện làng ven sông", content)
    results = search(text="cay gao dau lang", page_size=20).results
    assert [r.title for r in results] == ["Chuyện làng ven sông"]
    assert results[0].kind == "book"


def test_the_most_read_books_come_first(client, library, make_book) -> None:  # type: ignore[no-untyped-def]
    quiet = make_book("Sách ít người đọc", epub("Sách ít người đọc"))
    loved = make_book("Sách nhiều người đọc", epub("Sách nhiều người đọc"))
    services.book_events_add(book_id=loved.pk, event="view", count=500)
    services.book_events_add(book_id=quiet.pk, event="view", count=3)
    page = _grid(client.get(library.url, {"sap-xep": "doc-nhieu"}).content.decode())
    assert page.index("Sách nhiều người đọc") < page.index("Sách ít người đọc")


def test_the_home_page_shows_the_newest_books(client, site) -> None:  # type: ignore[no-untyped-def]
    page = client.get("/").content.decode()
    assert "Sách điện tử mới" in page
    assert 'href="/sach-dien-tu/tai-lieu-hoc-tap-nghi-quyet-danh-cho-chi-bo/"' in page


def test_the_books_api(client, site) -> None:  # type: ignore[no-untyped-def]
    data = client.get("/api/v1/books", {"the_loai": "ky-nang"}).json()
    assert data["total"] == 1
    book = data["results"][0]
    assert book["title"] == "Sổ tay chuyển đổi số ở xã, phường"
    assert book["isbn"] == "9786040000019" and book["files"][0]["format"] == "epub"
    assert book["files"][0]["url"].startswith("http://testserver/sach-dien-tu/")
    assert client.get("/api/v1/books", {"the_loai": "khong-co"}).status_code == 404
    assert client.get("/api/v1/books", {"trang": 99}).status_code == 404
    assert client.get("/api/v1/books", {"nam": "abc"}).status_code == 422
    assert "/api/v1/books" in client.get("/api/v1/openapi.json").json()["paths"]


def test_book_page_costs_a_fixed_number_of_queries(client, make_book, library) -> None:  # type: ignore[no-untyped-def]
    book = make_book()
    client.get(book.url)
    with CaptureQueriesContext(connection) as queries:
        client.get(book.url)
    assert len(queries) <= 16, [q["sql"] for q in queries]


def test_both_category_trees_lead_to_the_listings(client, library) -> None:  # type: ignore[no-untyped-def]
    """The menu's "Thể loại sách" page and the library's own tree show the same categories,
    parents first, each leading to its books."""
    for url in ("/the-loai-sach/", f"{library.url}the-loai/"):
        html = client.get(url).content.decode()
        assert f'href="{library.url}the-loai/lich-su/">Lịch sử</a>' in html, url
        assert f'href="{library.url}">Tất cả sách</a>' in html, url
        assert client.get(f"{library.url}the-loai/lich-su/").status_code == 200
