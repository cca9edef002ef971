"""Addresses a reader (or a robot) can type: bad numbers, unknown ids, HEAD requests, pages out
of range. Each gives a 404 (or the page), never a traceback."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.cache import cache

from moduong.library import services

pytestmark = pytest.mark.django_db

HUGE = "9" * 30


def test_bad_addresses_give_not_found(client, make_book, library) -> None:  # type: ignore[no-untyped-def]
    book = make_book()
    file_id = book.files.get().pk
    not_found = [
        f"{book.url}doc/{file_id}/0/",
        f"{book.url}doc/{file_id}/{HUGE}/",
        f"{book.url}doc/{HUGE}/1/",
        f"{book.url}doc/-1/1/",
        f"{book.url}xem/{file_id}/",  # an EPUB is not shown in the PDF viewer
        f"{book.url}xem/{HUGE}/",
        f"{book.url}tai-ve/{HUGE}/",
        f"/sach/tep/{HUGE}/OEBPS/bia.jpg",
        f"/sach/tep/{file_id}/",
        f"{library.url}?trang=x",
        f"{library.url}?trang=-1",
        f"{library.url}?trang=0",
        f"{library.url}?trang={HUGE}",
        f"{library.url}the-loai/khong-co/",
        "/opds/moi/?trang=-1",
        "/opds/moi/?trang=0",
        f"/opds/moi/?trang={HUGE}",
        "/opds/doc-nhieu/?trang=x",
        "/opds/tim-kiem/?q=l%C3%A0ng&trang=-5",
        "/opds/the-loai/khong-co/",
        f"/api/v1/books?trang={HUGE}",
        f"/ke-hoach-de-tai/{HUGE}/",
        "/ke-hoach-de-tai/0/",
    ]
    for url in not_found:
        response = client.get(url)
        assert response.status_code in {404, 422}, (url, response.status_code)
        assert b"Traceback" not in response.content


def test_odd_filters_are_ignored_not_errors(client, make_book, library) -> None:  # type: ignore[no-untyped-def]
    make_book()
    for query in ({"nam": HUGE}, {"nam": "-3"}, {"tac-gia": "x" * 500}, {"sap-xep": "<b>"}):
        response = client.get(library.url, query)
        assert response.status_code == 200, query
    assert client.get("/opds/tim-kiem/", {"q": "x" * 5000}).status_code == 200


def test_head_requests_are_answered(client, make_book, library) -> None:  # type: ignore[no-untyped-def]
    book = make_book()
    file_id = book.files.get().pk
    for url in (
        library.url,
        book.url,
        f"{book.url}doc/{file_id}/1/",
        f"{book.url}tai-ve/{file_id}/",
        "/opds/",
        "/opds/moi/",
        "/opds/tim-kiem.xml",
    ):
        response = client.head(url)
        assert response.status_code == 200, url
        if response.streaming:
            assert b"".join(response.streaming_content) == b""
        else:
            assert response.content == b""
    # A link checker's HEAD is not a reader: it counts neither a view nor a download.
    services.book_events_buffer_flush()
    assert cache.get(f"library:view:{book.pk}", 0) == 0
    assert cache.get(f"library:download:{book.pk}", 0) == 0


def test_the_place_cannot_be_saved_with_nonsense(client, make_book) -> None:  # type: ignore[no-untyped-def]
    from tests.factories import UserFactory

    book = make_book()
    client.force_login(UserFactory())
    for data in ({"tep": "x", "chuong": "1"}, {"tep": HUGE, "chuong": "1"}, {}):
        assert client.post(f"{book.url}vi-tri/", data).status_code == 404, data
    assert client.get(f"{book.url}vi-tri/").status_code == 405


def test_an_unpublished_book_can_be_neither_read_nor_downloaded(client, make_book) -> None:  # type: ignore[no-untyped-def]
    book = make_book()
    file_id = book.files.get().pk
    urls = [
        f"{book.url}doc/",
        f"{book.url}doc/{file_id}/1/",
        f"{book.url}tai-ve/{file_id}/",
        f"{book.url}tai-ve/{file_id}/?xem=1",
        f"/sach/tep/{file_id}/OEBPS/bia.jpg",
    ]
    for url in urls:
        response = client.get(url)
        assert response.status_code in {200, 302}, url
        if response.streaming:
            b"".join(response.streaming_content)
    book.unpublish()
    for url in urls:
        assert client.get(url).status_code == 404, url
    assert f"/tai-ve/{file_id}/" not in client.get("/opds/moi/").content.decode()


def test_book_files_have_no_public_address(client, make_book, settings) -> None:  # type: ignore[no-untyped-def]
    book = make_book()
    book_file = book.files.get()
    path = Path(book_file.file.path)
    # Not under MEDIA_ROOT, which nginx serves to anyone who guesses a name.
    assert not path.is_relative_to(Path(settings.MEDIA_ROOT))
    assert client.get(f"/media/{book_file.file.name}").status_code == 404
    settings.ACCEL_REDIRECT_PREFIX = "/_noi-bo/"
    response = client.get(f"{book.url}tai-ve/{book_file.pk}/")
    assert response["X-Accel-Redirect"] == f"/_noi-bo/private/{book_file.file.name}"
    assert response.content == b""
    book.unpublish()  # a draft's file: nothing, not even the redirect
    response = client.get(f"{book.url}tai-ve/{book_file.pk}/")
    assert response.status_code == 404 and "X-Accel-Redirect" not in response
