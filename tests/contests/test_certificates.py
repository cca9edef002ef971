"""The certificate of participation: one A4 page with the office, the date line, the signature
block, and a code with its QR code to the public page that confirms it."""

import datetime as dt
import io

import pypdfium2
import pytest
import zxingcpp
from django.test import Client
from pypdf import PdfReader

from moduong.contests.models import Certificate
from moduong.contests.services import attempt_start, attempt_submit, participant_disqualify
from moduong.core import vntext

from .factories import client_for, correct_answers, open_round, participant

pytestmark = pytest.mark.django_db


@pytest.fixture
def submitted(site):  # type: ignore[no-untyped-def]
    rnd = open_round(title="Tuần 3")
    user = participant(rnd.contest)
    attempt = attempt_start(user=user, round_id=rnd.pk)
    attempt_submit(user=user, attempt_id=attempt.pk, answers=correct_answers(attempt)[:4])
    return attempt, client_for(user)


def _qr_texts(pdf: bytes) -> list[str]:
    """Render the page as a printer would and read its QR codes as a phone would."""
    page = pypdfium2.PdfDocument(pdf)[0]
    image = page.render(scale=4).to_pil()
    return [barcode.text for barcode in zxingcpp.read_barcodes(image)]


def test_the_certificate_is_one_page_with_its_code_and_a_qr_code_to_verify_it(submitted) -> None:  # type: ignore[no-untyped-def]
    attempt, client = submitted
    response = client.get(f"/cuoc-thi/bai-thi/{attempt.pk}/chung-nhan.pdf")
    assert response.status_code == 200
    reader = PdfReader(io.BytesIO(response.content))
    assert len(reader.pages) == 1
    page = reader.pages[0]
    assert (float(page.mediabox.width), float(page.mediabox.height)) == pytest.approx(
        (841.89, 595.28), abs=0.5
    )  # A4 landscape, in points
    certificate = Certificate.objects.get(attempt_id=attempt.pk)
    text = page.extract_text()
    assert certificate.code in text
    for expected in (
        "NHÀ XUẤT BẢN MỞ ĐƯỜNG",  # the office, as the issuer
        "Nguyễn Văn An",
        "Hà Nội, " + vntext.format_date_words(certificate.issued_at),  # place and date line
        "TM. BAN TỔ CHỨC",  # the signature block
        "đóng dấu",  # the room for the seal
        "4/5",
    ):
        assert expected in text, expected
    url = f"http://testserver/cuoc-thi/chung-nhan/{certificate.code}/"
    assert _qr_texts(response.content) == [url]
    # Downloaded again, it is the same certificate with the same code.
    again = client.get(f"/cuoc-thi/bai-thi/{attempt.pk}/chung-nhan.pdf")
    assert certificate.code in PdfReader(io.BytesIO(again.content)).pages[0].extract_text()
    assert Certificate.objects.count() == 1


def test_the_verification_page_confirms_a_real_code_and_refuses_a_fake_one(submitted) -> None:  # type: ignore[no-untyped-def]
    attempt, client = submitted
    client.get(f"/cuoc-thi/bai-thi/{attempt.pk}/chung-nhan.pdf")
    code = Certificate.objects.get().code
    anyone = Client()
    real = anyone.get(f"/cuoc-thi/chung-nhan/{code}/")
    assert real.status_code == 200
    html = real.content.decode()
    assert "Giấy chứng nhận này là thật" in html
    assert "Nguyễn V. A." in html and "Nguyễn Văn An" not in html  # the name masked
    assert attempt.round.contest.title in html and "Tuần 3" in html
    assert "4/5" in html
    # Typed off the paper in lower case without dashes, it finds the same page.
    typed = anyone.get("/cuoc-thi/chung-nhan/", {"ma": code.replace("-", " ").lower()})
    assert typed["Location"] == f"/cuoc-thi/chung-nhan/{code}/"
    for fake in ("ABCD-EFGH-JKLM", "1-2", "khong-hop-le", "<script>"):
        page = anyone.get(f"/cuoc-thi/chung-nhan/{fake}/")
        assert page.status_code == 404
        assert "Không có giấy chứng nhận nào mang mã này." in page.content.decode()
    # A disqualified attempt's certificate no longer confirms.
    participant_disqualify(
        round=attempt.round,
        user=attempt.user,
        attempt=attempt,
        reason="Gian lận",
        decided_by=None,
    )
    assert anyone.get(f"/cuoc-thi/chung-nhan/{code}/").status_code == 404


def test_the_date_line_is_written_as_official_papers_write_it() -> None:
    assert vntext.format_date_words(dt.date(2026, 2, 6)) == "ngày 06 tháng 02 năm 2026"
    assert vntext.format_date_words(dt.date(2026, 12, 31)) == "ngày 31 tháng 12 năm 2026"
    assert vntext.format_date_words(dt.date(2027, 3, 1)) == "ngày 01 tháng 3 năm 2027"
