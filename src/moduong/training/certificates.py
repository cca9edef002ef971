"""Certificate of completion, as a one-page PDF (fpdf2, set in core.fonts' Noto Sans), with its
number, the date line and signature block, and the code anyone can check on the public
verification page, also as a QR code that opens that page with the code filled in."""

from __future__ import annotations

from urllib.parse import urlencode

import segno
from fpdf import FPDF

from moduong.core import vntext
from moduong.core.fonts import pdf_fonts_add

from .models import Certificate


def _qr_draw(pdf: FPDF, *, url: str, x: float, y: float, size: float) -> None:
    """The QR code as filled squares (sharp in print), with its quiet zone."""
    rows = [list(row) for row in segno.make(url, error="m", micro=False).matrix]
    border = 2
    module = size / (len(rows) + 2 * border)
    pdf.set_fill_color(255, 255, 255)
    pdf.rect(x, y, size, size, style="F")
    pdf.set_fill_color(0, 0, 0)
    for r, row in enumerate(rows):
        for c, dark in enumerate(row):
            if dark:
                pdf.rect(x + (c + border) * module, y + (r + border) * module, module, module, "F")


def certificate_pdf(*, certificate: Certificate, verify_url: str) -> bytes:
    enrolment = certificate.enrolment
    training_class = enrolment.training_class
    learner = enrolment.learner
    pdf = FPDF(orientation="landscape", format="A4")
    pdf.set_title("Giấy chứng nhận hoàn thành lớp bồi dưỡng")
    pdf.set_creator("Mở Đường")
    font = pdf_fonts_add(pdf)
    pdf.add_page()
    pdf.set_draw_color(178, 34, 34)
    pdf.set_line_width(1.5)
    pdf.rect(10, 10, 277, 190)
    pdf.set_y(24)

    def line(text: str, size: int, style: str = "", height: float = 9) -> None:
        pdf.set_font(font, style, size)
        pdf.multi_cell(0, height, text, align="C", new_x="LMARGIN", new_y="NEXT")

    line(str(training_class.centre).upper(), 13, "B")
    line("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", 12, "B", 8)
    line("Độc lập – Tự do – Hạnh phúc", 11, "", 8)
    pdf.ln(8)
    pdf.set_text_color(178, 34, 34)
    line("GIẤY CHỨNG NHẬN", 26, "B", 14)
    pdf.set_text_color(0, 0, 0)
    line("Chứng nhận ông/bà", 14)
    line(learner.full_name, 20, "B", 12)
    line(f"Sinh ngày {vntext.format_date(learner.date_of_birth)}", 13)
    line("đã hoàn thành chương trình", 14)
    line(training_class.programme.name, 16, "B")
    line(
        f"Lớp {training_class.code}, từ {vntext.format_date(training_class.starts_on)}"
        f" đến {vntext.format_date(training_class.ends_on)}, tại {training_class.place}",
        12,
    )
    if enrolment.exam_score is not None:
        line(f"Điểm thi: {vntext.format_number(enrolment.exam_score)}", 12)
    # Bottom left: the QR code to the verification page with this code; bottom right: the
    # date line and the signature block, with room for the seal.
    _qr_draw(pdf, url=f"{verify_url}?{urlencode({'ma': certificate.code})}", x=20, y=146, size=38)
    pdf.set_xy(160, 148)
    pdf.set_font(font, "", 12)
    issued = vntext.format_date_words(certificate.issued_at)
    pdf.cell(110, 7, issued[:1].upper() + issued[1:], align="C")
    pdf.set_xy(160, 156)
    pdf.set_font(font, "B", 12)
    pdf.cell(110, 6, "GIÁM ĐỐC", align="C")
    pdf.set_xy(160, 162)
    pdf.set_font(font, "", 10)
    pdf.cell(110, 5, "(Ký, ghi rõ họ tên và đóng dấu)", align="C")
    pdf.set_xy(62, 168)
    pdf.set_font(font, "B", 11)
    pdf.cell(100, 6, f"Số: {certificate.number:06d}/GCN · Mã xác minh: {certificate.code}")
    pdf.set_xy(62, 175)
    pdf.set_font(font, "", 9)
    pdf.cell(100, 5, f"Kiểm tra tại: {verify_url}")
    return bytes(pdf.output())
