"""Editors upload e-book files in the admin: a good file is stored with what was read from it;
each kind of bad file is refused with a clear Vietnamese message and nothing is stored."""

from __future__ import annotations

import io
import zipfile

import pytest
from django.core.files.uploadedfile import UploadedFile
from django.urls import reverse

from moduong.library import ebooks, services
from moduong.library.models import BookFile, BookPage

from .helpers import (
    epub,
    pdf,
    pdf_with_javascript,
    pdf_with_launch_action,
    upload,
    with_entry,
    zip_of,
)

pytestmark = pytest.mark.django_db

ADD = "wagtailsnippets_library_bookfile:add"


def _post(client, book: BookPage, content: bytes, name: str = "sach.epub", **extra):  # type: ignore[no-untyped-def]
    data = {"book": book.pk, "upload": upload(content, name), "label": "", **extra}
    return client.post(reverse(ADD), data)


@pytest.fixture
def book(library):  # type: ignore[no-untyped-def]
    return services.book_create(library=library, title="Chuyện làng ven sông", publish=False)


def test_a_good_epub_is_stored_with_its_chapters_metadata_and_cover(
    client, editor, book, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    client.force_login(editor)
    with django_capture_on_commit_callbacks(execute=True):
        response = _post(client, book, epub(identifier="urn:isbn:9786040000019"),
                         apply_metadata="on", epubcheck="")  # fmt: skip
    assert response.status_code == 302
    stored = BookFile.objects.get(book=book)
    assert stored.kind == "epub"
    assert [c["title"] for c in stored.chapters] == ["Mở đầu", "Mùa gặt", "Ngày hội"]
    assert "sông Đáy" in stored.text
    # The EPUBCheck task ran (the test task backend runs it at once) and left its report.
    assert stored.check_status in {"passed", "warnings"}, stored.check_report
    assert "Lỗi nghiêm trọng: 0, lỗi: 0" in stored.check_report
    # The book was a draft: its empty fields and its cover were filled from the file.
    book.refresh_from_db()
    assert book.authors == "Phan Thị Lụa"
    assert book.isbn == "9786040000019"
    assert book.summary.startswith("Những mẩu chuyện")
    assert book.cover is not None
    assert "Mở đầu" in book.table_of_contents
    # The editor sees the report on the file's page.
    page = client.get(reverse("wagtailsnippets_library_bookfile:inspect", args=[stored.pk]))
    assert "Lỗi nghiêm trọng: 0" in page.content.decode()


def test_metadata_offered_to_a_published_book_waits_as_a_draft(client, editor, library) -> None:  # type: ignore[no-untyped-def]
    book = services.book_create(library=library, title="Chuyện làng ven sông")
    client.force_login(editor)
    response = _post(client, book, epub(), apply_metadata="on")
    assert response.status_code == 302
    book.refresh_from_db()
    assert book.authors == ""  # readers see the page as published
    assert book.has_unpublished_changes
    assert book.get_latest_revision_as_object().authors == "Phan Thị Lụa"


BAD_CASES = {
    "not-a-zip": (b"PK\x03\x04 this is not really a zip", "is not a valid zip archive"),
    "zip-not-epub": (zip_of({"ghi-chu.txt": "Một tệp văn bản."}), "has no META-INF/container.xml"),
    "dot-dot": (with_entry(epub(), "../../etc/cron.d/xau", "* * * * * root sh"), "leaves the book"),
    "absolute": (with_entry(epub(), "/etc/xau.sh", "echo"), "leaves the book"),
    "bomb": (with_entry(epub(), "OEBPS/rong.xhtml", b"\0" * (40 * 1024 * 1024)), "zip bomb"),
    "random": (b"\x89PNG\r\n\x1a\n not a book", "neither an EPUB nor a PDF"),
    "no-spine": (
        zip_of(
            {
                "mimetype": "application/epub+zip",
                "META-INF/container.xml": '<container xmlns="urn:oasis:names:tc:opendocument:'
                'xmlns:container" version="1.0"><rootfiles><rootfile full-path="a.opf"/>'
                "</rootfiles></container>",
                "a.opf": '<package xmlns="http://www.idpf.org/2007/opf" version="3.0">'
                "<metadata/><manifest/></package>",
            }
        ),
        "has no spine",
    ),
    "chapter-outside": (
        zip_of(
            {
                "META-INF/container.xml": '<container xmlns="urn:oasis:names:tc:opendocument:'
                'xmlns:container" version="1.0"><rootfiles><rootfile full-path="a.opf"/>'
                "</rootfiles></container>",
                "a.opf": '<package xmlns="http://www.idpf.org/2007/opf" version="3.0"><metadata/>'
                '<manifest><item id="c" href="../../c.xhtml" media-type="application/xhtml+xml"/>'
                '</manifest><spine><itemref idref="c"/></spine></package>',
            }
        ),
        "points outside the book",
    ),
    "xml-entities": (
        zip_of(
            {
                "META-INF/container.xml": '<?xml version="1.0"?><!DOCTYPE c [<!ENTITY a "aaaa">'
                '<!ENTITY b "&a;&a;&a;&a;">]><container xmlns="urn:oasis:names:tc:opendocument:'
                'xmlns:container">&b;</container>',
            }
        ),
        "not well-formed XML",
    ),
    "pdf-javascript": (pdf_with_javascript(), "contains JavaScript"),
    "pdf-open-action": (pdf_with_javascript(on_open=True), "contains JavaScript"),
    "pdf-launch": (pdf_with_launch_action(), "contains JavaScript or actions"),
    "pdf-damaged": (b"%PDF-1.7\n garbage that is no PDF", "damaged"),
}


@pytest.mark.parametrize("case", sorted(BAD_CASES))
def test_bad_files_are_refused_with_a_message_and_nothing_is_stored(
    client, editor, book, case, settings
) -> None:  # type: ignore[no-untyped-def]
    settings.LANGUAGE_CODE = "en"  # the messages below are the English msgids
    content, message = BAD_CASES[case]
    client.force_login(editor)
    response = client.post(
        reverse(ADD),
        {"book": book.pk, "upload": upload(content, f"{case}.epub")},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 200  # the form again, never an error page
    assert message in response.content.decode().replace("&#x27;", "'"), case
    assert not BookFile.objects.filter(book=book).exists()


def test_the_refusal_is_in_vietnamese_for_the_editor(client, editor, book) -> None:  # type: ignore[no-untyped-def]
    client.force_login(editor)
    response = client.post(
        reverse(ADD), {"book": book.pk, "upload": upload(pdf_with_javascript(), "x.pdf")}
    )
    assert response.status_code == 200
    page = response.content.decode()
    # Once, whole: the catalogue once held this message three times over.
    assert page.count("Tệp PDF có chứa JavaScript hoặc lệnh tự chạy khi mở") == 1
    assert "rồi tải bản đó lên." in page
    assert not BookFile.objects.filter(book=book).exists()


def test_an_upload_over_the_limit_is_refused_before_it_is_read(
    client, editor, book, settings, tmp_path
) -> None:  # type: ignore[no-untyped-def]
    # The default limit is 500 MB: a sparse file of that size plus one byte is refused by its
    # size alone, without reading it.
    big = tmp_path / "rat-lon.epub"
    with big.open("wb") as handle:
        handle.truncate(500 * 1024 * 1024 + 1)
    with big.open("rb") as handle, pytest.raises(ebooks.Rejected, match="500"):
        services.book_file_inspect(
            stream=UploadedFile(handle, big.name, size=big.stat().st_size),
            size=big.stat().st_size,
        )
    # Through the admin, with the limit lowered so the test sends little.
    settings.LIBRARY_MAX_UPLOAD_BYTES = 64 * 1024
    client.force_login(editor)
    response = _post(client, book, epub() + b"\0" * 70 * 1024)
    assert response.status_code == 200
    assert "tệp lớn nhất được nhận là 64,0\xa0KB" in response.content.decode()
    assert not BookFile.objects.filter(book=book).exists()


def test_a_declared_unpacked_size_over_the_limit_is_a_bomb(settings) -> None:
    settings.LIBRARY_MAX_UNPACKED_BYTES = 100 * 1024
    settings.LANGUAGE_CODE = "en"
    text = " ".join(f"câu {n} về làng" for n in range(40000))  # compresses only a few times
    content = with_entry(epub(), "OEBPS/dai.xhtml", text)
    with pytest.raises(ebooks.Rejected, match="zip bomb"):
        ebooks.inspect(io.BytesIO(content), len(content))


def test_the_same_file_twice_is_refused(client, editor, book, library) -> None:  # type: ignore[no-untyped-def]
    client.force_login(editor)
    content = epub()
    assert _post(client, book, content).status_code == 302
    other = services.book_create(library=library, title="Một cuốn khác")
    response = _post(client, other, content)
    assert response.status_code == 200
    assert "Chuyện làng ven sông" in response.content.decode()
    assert not BookFile.objects.filter(book=other).exists()


def test_a_clean_pdf_is_accepted_with_its_text(client, editor, book) -> None:  # type: ignore[no-untyped-def]
    client.force_login(editor)
    response = _post(client, book, pdf(pages=["Nội dung trang đầu tiên."]), "tai-lieu.pdf")
    assert response.status_code == 302
    stored = BookFile.objects.get(book=book)
    assert stored.kind == "pdf" and stored.check_status == "not_run"
    assert stored.metadata["page_count"] == 1


def test_an_epub_2_with_only_an_ncx_is_read(library) -> None:  # type: ignore[no-untyped-def]
    content = epub()
    source = zipfile.ZipFile(io.BytesIO(content))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for info in source.infolist():
            data = source.read(info)
            if info.filename == "OEBPS/content.opf":
                data = data.replace(b'version="3.0"', b'version="2.0"').replace(
                    b' properties="nav"', b""
                )
            archive.writestr(info, data)
    inspection = ebooks.inspect(io.BytesIO(buffer.getvalue()), len(buffer.getvalue()))
    assert inspection.structure["version"] == "2.0"
    assert [entry["title"] for entry in inspection.structure["toc"]][:3] == [
        "Mở đầu",
        "Mùa gặt",
        "Ngày hội",
    ]


def test_the_editor_pages_of_files_open(client, editor, make_book) -> None:  # type: ignore[no-untyped-def]
    book = make_book()
    stored = book.files.get()
    client.force_login(editor)
    assert client.get(reverse(ADD)).status_code == 200
    listing = client.get(reverse("wagtailsnippets_library_bookfile:list"))
    assert listing.status_code == 200 and "Chuyện làng ven sông" in listing.content.decode()
    edit_url = reverse("wagtailsnippets_library_bookfile:edit", args=[stored.pk])
    edit = client.get(edit_url)
    assert edit.status_code == 200 and 'name="upload"' not in edit.content.decode()
    response = client.post(edit_url, {"label": "Bản EPUB"})
    assert response.status_code == 302
    stored.refresh_from_db()
    assert stored.label == "Bản EPUB" and stored.sha256  # the file itself is untouched
    delete_url = reverse("wagtailsnippets_library_bookfile:delete", args=[stored.pk])
    assert client.post(delete_url).status_code == 302
    assert not BookFile.objects.filter(pk=stored.pk).exists()


def test_a_chapter_built_to_stall_the_parser_is_read_quickly() -> None:
    """Many unclosed headings and bodies once made the heading and body search retry from
    each of them to the end (minutes for a few hundred kilobytes, on upload and on each
    reader's request). Now a megabyte of them takes well under the time a request may."""
    import time

    trap = "<h1><body>" * 100_000
    content = epub(chapters=[("Bẫy", ())], chapter_html=[trap])
    started = time.monotonic()
    inspection = ebooks.inspect(io.BytesIO(content), len(content))
    ebooks.render_chapter(
        trap, path="OEBPS/c1.xhtml", resource_url=lambda name: None, chapter_url=lambda name: None
    )
    assert time.monotonic() - started < 10
    assert len(inspection.structure["chapters"]) == 1


def test_a_book_of_too_many_megabytes_of_chapters_is_refused_at_once() -> None:
    """900 chapters of a megabyte each (a zip of about a megabyte) once kept the upload's request
    busy for 49 s: each chapter is under the per-file limits, only the total gives it away."""
    import time

    megabyte = "<p>" + "a" * 999_000 + "</p>"  # each entry under the 1 MiB bomb check
    chapters = [(f"Chương {n}", ()) for n in range(1, 71)]
    content = epub(chapters=chapters, chapter_html=[megabyte] * len(chapters))
    assert len(content) < 2 * 1024 * 1024
    started = time.monotonic()
    with pytest.raises(ebooks.Rejected, match="tối đa 64,0\xa0MB"):
        ebooks.inspect(io.BytesIO(content), len(content))
    assert time.monotonic() - started < 5


def test_the_text_of_a_book_is_read_by_a_background_task(
    client, editor, book, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    first = '<h1>Mở đầu</h1><p>Làng ven sông Đáy.</p><img src="https://x.vn/a.png" alt="">'
    content = epub(chapter_html=[first, "<p>Mùa gặt.</p>", "<p>Ngày hội.</p>"])
    inspection = ebooks.inspect(io.BytesIO(content), len(content))
    assert inspection.text == ""  # nothing of the chapters' text is read while the editor waits
    assert inspection.structure["chapters"][0]["title"] == "Mở đầu"
    client.force_login(editor)
    with django_capture_on_commit_callbacks(execute=True):
        assert _post(client, book, content, epubcheck="").status_code == 302
    stored = BookFile.objects.get(book=book)
    assert "sông Đáy" in stored.text
    assert "tham chiếu đến trang khác" in stored.notes
