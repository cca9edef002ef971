"""Certificate of participation, as a one-page PDF (fpdf2, set in core.fonts' Noto Sans)."""

from __future__ import annotations

from fpdf import FPDF

from moduong.core import vntext
from moduong.core.fonts import pdf_fonts_add

from .models import Attempt


def certificate_pdf(*, attempt: Attempt, full_name: str) -> bytes:
    rnd = attempt.round
    contest = rnd.contest
    pdf = FPDF(orientation="landscape", format="A4")
    pdf.set_title("Giấy chứng nhận tham gia")
    pdf.set_creator("Mở Đường")
    font = pdf_fonts_add(pdf)
    pdf.add_page()
    pdf.set_draw_color(178, 34, 34)
    pdf.set_line_width(1.5)
    pdf.rect(10, 10, 277, 190)
    pdf.set_y(30)
    pdf.set_font(font, "B", 14)
    pdf.cell(0, 10, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(font, "", 12)
    pdf.cell(0, 8, "Độc lập – Tự do – Hạnh phúc", align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(12)
    pdf.set_font(font, "B", 26)
    pdf.set_text_color(178, 34, 34)
    pdf.cell(0, 14, "GIẤY CHỨNG NHẬN", align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_text_color(0, 0, 0)
    pdf.set_font(font, "", 14)
    pdf.cell(0, 10, "đã tham gia", align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(font, "B", 16)
    pdf.multi_cell(0, 9, contest.title, align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(4)
    pdf.set_font(font, "", 14)
    pdf.cell(0, 9, "Chứng nhận ông/bà", align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(font, "B", 20)
    pdf.cell(
        0, 12, full_name or attempt.user.get_username(), align="C", new_x="LMARGIN", new_y="NEXT"
    )
    pdf.set_font(font, "", 13)
    assert attempt.submitted_at is not None
    pdf.cell(
        0,
        9,
        f"{rnd.title} · lượt thi số {attempt.seq} · nộp bài lúc "
        f"{vntext.format_datetime(attempt.submitted_at)}",
        align="C",
        new_x="LMARGIN",
        new_y="NEXT",
    )
    pdf.cell(
        0,
        9,
        f"Trả lời đúng {attempt.score}/{len(attempt.questions)} câu",
        align="C",
        new_x="LMARGIN",
        new_y="NEXT",
    )
    pdf.set_font(font, "", 10)
    pdf.set_y(185)
    pdf.cell(0, 6, f"Mã xác nhận: {attempt.pk}-{attempt.user_id}", align="C")
    return bytes(pdf.output())
