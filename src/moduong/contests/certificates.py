"""Certificate of participation, as one A4 page (fpdf2, set in core.fonts' Noto Sans): the
office's name and the national motto as an official paper has them, the holder and the score,
the place and date line, the signature block with room for the seal, and the verification code
with its QR code (segno) to the public page that confirms the certificate."""

from __future__ import annotations

import datetime as dt

import segno
from fpdf import FPDF

from moduong.core import vntext
from moduong.core.fonts import pdf_fonts_add

from .models import Attempt

RED = (178, 34, 34)
PAGE_W, PAGE_H = 297, 210  # A4 landscape, millimetres


def place_of(address: str) -> str:
    """The place of the date line: the last part of the office's address ("…, Hà Nội")."""
    parts = [part.strip() for part in vntext.clean_line(address).split(",") if part.strip()]
    return parts[-1] if parts else ""


def _qr_draw(pdf: FPDF, *, url: str, x: float, y: float, size: float) -> None:
    """The QR code as filled squares: sharp at any zoom and in print, with its quiet zone."""
    qr = segno.make(url, error="m", micro=False)
    rows = [list(row) for row in qr.matrix]
    border = 2
    module = size / (len(rows) + 2 * border)
    pdf.set_fill_color(255, 255, 255)
    pdf.rect(x, y, size, size, style="F")
    pdf.set_fill_color(0, 0, 0)
    for r, row in enumerate(rows):
        for c, dark in enumerate(row):
            if dark:
                pdf.rect(
                    x + (c + border) * module,
                    y + (r + border) * module,
                    module,
                    module,
                    style="F",
                )


def certificate_pdf(
    *,
    attempt: Attempt,
    full_name: str,
    office_name: str,
    place: str,
    code: str,
    issued_at: dt.datetime,
    verify_url: str,
) -> bytes:
    rnd = attempt.round
    contest = rnd.contest
    assert attempt.submitted_at is not None
    pdf = FPDF(orientation="landscape", format="A4")
    pdf.set_title("Giấy chứng nhận tham gia")
    pdf.set_creator("Mở Đường")
    # Everything is placed on the one page: no automatic break may start a second.
    pdf.set_auto_page_break(False)
    pdf.set_margins(20, 16, 20)
    font = pdf_fonts_add(pdf)
    pdf.add_page()
    pdf.set_draw_color(*RED)
    pdf.set_line_width(1.5)
    pdf.rect(10, 10, PAGE_W - 20, PAGE_H - 20)
    pdf.set_line_width(0.4)
    pdf.rect(13, 13, PAGE_W - 26, PAGE_H - 26)

    # The heading of an official paper: the issuer on the left, the motto on the right.
    column = (PAGE_W - 40) / 2
    pdf.set_xy(20, 20)
    pdf.set_font(font, "B", 12)
    pdf.multi_cell(column - 10, 6, office_name.upper(), align="C")
    pdf.set_xy(20 + column, 20)
    pdf.cell(column, 6, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", align="C")
    pdf.set_xy(20 + column, 26)
    pdf.set_font(font, "B", 12)
    pdf.cell(column, 6, "Độc lập – Tự do – Hạnh phúc", align="C")
    pdf.set_draw_color(0, 0, 0)
    pdf.set_line_width(0.3)
    pdf.line(20 + column + column / 2 - 25, 32.5, 20 + column + column / 2 + 25, 32.5)

    pdf.set_xy(20, 44)
    pdf.set_font(font, "B", 28)
    pdf.set_text_color(*RED)
    pdf.cell(PAGE_W - 40, 14, "GIẤY CHỨNG NHẬN", align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_text_color(0, 0, 0)
    pdf.set_font(font, "", 14)
    pdf.cell(PAGE_W - 40, 9, "Chứng nhận ông/bà", align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(font, "B", 22)
    pdf.cell(
        PAGE_W - 40,
        13,
        full_name or attempt.user.get_username(),
        align="C",
        new_x="LMARGIN",
        new_y="NEXT",
    )
    pdf.set_font(font, "", 14)
    pdf.cell(PAGE_W - 40, 8, "đã tham gia", align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(font, "B", 16)
    pdf.multi_cell(PAGE_W - 40, 8, contest.title, align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(font, "", 13)
    pdf.cell(
        PAGE_W - 40,
        8,
        f"{rnd.title}, lượt thi số {attempt.seq}: trả lời đúng "
        f"{attempt.score}/{len(attempt.questions)} câu",
        align="C",
        new_x="LMARGIN",
        new_y="NEXT",
    )

    # Bottom left: the QR code and the code, to check the paper online.
    qr_size = 38
    qr_y = PAGE_H - 20 - qr_size - 12
    _qr_draw(pdf, url=verify_url, x=24, y=qr_y, size=qr_size)
    pdf.set_font(font, "", 9)
    pdf.set_xy(24, qr_y + qr_size + 1)
    pdf.cell(90, 5, f"Mã xác nhận: {code}")
    pdf.set_xy(24, qr_y + qr_size + 6)
    pdf.cell(120, 5, f"Kiểm tra tại: {verify_url}")

    # Bottom right: place and date, the signature block and the room for the seal.
    sign_x, sign_w = PAGE_W - 20 - 120, 120
    date_line = vntext.format_date_words(issued_at)
    date_line = f"{place}, {date_line}" if place else date_line[:1].upper() + date_line[1:]
    pdf.set_xy(sign_x, qr_y - 4)
    pdf.set_font(font, "", 12)
    pdf.cell(sign_w, 7, date_line, align="C")
    pdf.set_xy(sign_x, qr_y + 3)
    pdf.set_font(font, "B", 12)
    pdf.cell(sign_w, 6, "TM. BAN TỔ CHỨC", align="C")
    pdf.set_xy(sign_x, qr_y + 9)
    pdf.set_font(font, "", 10)
    pdf.cell(sign_w, 5, "(Ký, ghi rõ họ tên và đóng dấu)", align="C")
    # The seal goes over the left of the signature, as offices stamp it.
    pdf.set_draw_color(*RED)
    pdf.set_line_width(0.3)
    pdf.set_dash_pattern(dash=1.5, gap=1.5)
    pdf.ellipse(sign_x + sign_w / 2 - 36, qr_y + 15, 30, 30)
    pdf.set_dash_pattern()
    return bytes(pdf.output())
