"""Certificate of completion, as a one-page PDF (fpdf2, set in core.fonts' Noto Sans), with its
number and the code anyone can check on the public verification page."""

from __future__ import annotations

from fpdf import FPDF

from moduong.core import vntext
from moduong.core.fonts import pdf_fonts_add

from .models import Certificate


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
    pdf.set_y(178)
    line(f"Số: {certificate.number:06d}/GCN · Mã xác minh: {certificate.code}", 11, "B", 7)
    line(f"Kiểm tra giấy chứng nhận tại {verify_url}", 10, "", 7)
    return bytes(pdf.output())
