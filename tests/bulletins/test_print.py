import contextlib
import io
import os
import time
import unicodedata
from pathlib import Path
from urllib.parse import urlsplit

import pypdfium2
import pytest
import zxingcpp
from django.conf import settings
from django.test import Client
from pypdf import PdfReader

from moduong.bulletins import services
from moduong.bulletins.models import EditionPage, EditionPrint
from moduong.core.fonts import bold_font_file, font_file

pytestmark = pytest.mark.django_db


def _pdf(client: Client, edition: EditionPage, size: str) -> bytes:
    response = client.get(f"{edition.url}ban-in/{size}/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    return b"".join(response.streaming_content)


def test_web_edition_links_both_print_sizes(latest, client: Client) -> None:  # type: ignore[no-untyped-def]
    html = client.get(latest.url).content.decode()
    assert f'href="{latest.url}ban-in/a4/"' in html
    assert f'href="{latest.url}ban-in/a5/"' in html


def test_pdf_text_has_the_vietnamese_title_in_nfc_contents_and_page_numbers(latest, client) -> None:  # type: ignore[no-untyped-def]
    reader = PdfReader(io.BytesIO(_pdf(client, latest, "a4")))
    cover = reader.pages[0].extract_text()
    assert "Học tập và làm theo nghị quyết" in cover
    assert unicodedata.is_normalized("NFC", cover)
    assert "Số 1, tháng 1/2026" in cover
    contents = reader.pages[1].extract_text()
    assert "Mục lục" in contents and "Câu hỏi thảo luận" in contents
    total = len(reader.pages)
    assert f"Trang {total}/{total}" in reader.pages[-1].extract_text()
    fonts = {
        str(font["/BaseFont"])
        for page in reader.pages
        for font in page["/Resources"]["/Font"].values()
    }
    assert fonts and all("NotoSans" in name for name in fonts)
    assert all(
        "/FontFile2" in f.get_object()["/DescendantFonts"][0].get_object()["/FontDescriptor"]
        for page in reader.pages[:1]
        for f in page["/Resources"]["/Font"].values()
    )


@pytest.mark.parametrize("size", ["a4", "a5"])
def test_qr_code_on_the_cover_leads_to_the_web_edition(latest, client: Client, size: str) -> None:  # type: ignore[no-untyped-def]
    document = pypdfium2.PdfDocument(_pdf(client, latest, size))
    cover = document[0].render(scale=2).to_pil()
    found = zxingcpp.read_barcodes(cover)
    assert len(found) == 1
    address = urlsplit(found[0].text)
    assert f"{address.scheme}://{address.netloc}" == settings.WAGTAILADMIN_BASE_URL
    response = client.get(address.path)
    assert response.status_code == 200
    assert "Học tập và làm theo nghị quyết" in response.content.decode()


def test_text_typed_in_nfd_prints_in_nfc(latest) -> None:  # type: ignore[no-untyped-def]
    latest.title = unicodedata.normalize("NFD", "Nghị quyết về thuế")
    latest.save_revision().publish()
    printed = services.edition_print_build(edition_id=latest.pk)
    assert printed.status == EditionPrint.Status.READY
    text = PdfReader(printed.pdf_a4.path).pages[0].extract_text()
    assert "Nghị quyết về thuế" in text


def test_a_hundred_page_edition_builds_within_the_tasks_limit(latest) -> None:  # type: ignore[no-untyped-def]
    paragraph = (
        "<p>"
        + "Chi bộ tổ chức học tập nghị quyết, thảo luận cách làm phù hợp với địa bàn. " * 12
        + "</p>"
    )
    latest.body = [("text", paragraph)] * 450 + [
        ("discussion", {"heading": "Câu hỏi thảo luận", "questions": ["Một?", "Hai?"]})
    ]
    latest.save_revision().publish()
    started = time.monotonic()
    printed = services.edition_print_build(edition_id=latest.pk)
    elapsed = time.monotonic() - started
    assert printed.status == EditionPrint.Status.READY, printed.message
    assert printed.pages >= 100
    assert elapsed < settings.BULLETINS_PRINT_SECONDS


def test_too_slow_a_build_fails_with_a_message_and_keeps_the_last_files(latest, settings) -> None:  # type: ignore[no-untyped-def]
    before = EditionPrint.objects.get(edition=latest)
    assert before.status == EditionPrint.Status.READY
    settings.BULLETINS_PRINT_SECONDS = 0
    opened = _font_files_open()
    printed = services.edition_print_build(edition_id=latest.pk)
    assert printed.status == EditionPrint.Status.FAILED
    assert "Quá thời gian" in printed.message
    assert printed.pdf_a4.name == before.pdf_a4.name
    # The build given up half made closed its font files: a worker keeps none open after it.
    assert _font_files_open() == opened


def _font_files_open() -> int:
    """How many of this process's open files are the PDFs' font files."""
    fonts = {str(font_file()), str(bold_font_file())}
    found = 0
    for fd in Path("/proc/self/fd").iterdir():
        with contextlib.suppress(OSError):
            found += os.readlink(fd) in fonts
    return found


def test_progress_is_shown_while_the_print_edition_is_made(latest, client: Client) -> None:  # type: ignore[no-untyped-def]
    EditionPrint.objects.filter(edition=latest).update(
        status=EditionPrint.Status.BUILDING, progress=40
    )
    html = client.get(latest.url).content.decode()
    assert "Bản in đang được tạo: 40%" in html
    assert 'hx-trigger="every 3s"' in html
    assert client.get(f"{latest.url}ban-in/a4/").status_code == 404
    fragment = client.get(f"{latest.url}ban-in/trang-thai/").content.decode()
    assert "40%" in fragment


def test_publishing_queues_the_print_build(latest, django_capture_on_commit_callbacks) -> None:  # type: ignore[no-untyped-def]
    EditionPrint.objects.filter(edition=latest).delete()
    latest.title = "Số sửa lại"
    with django_capture_on_commit_callbacks(execute=True):
        latest.save_revision().publish()
    printed = EditionPrint.objects.get(edition=latest)
    assert printed.status == EditionPrint.Status.READY
    assert "Số sửa lại" in PdfReader(printed.pdf_a5.path).pages[0].extract_text()
