"""The sheet the organisers send to the points: per point its name, code, contact and the QR
code of its reporting link (segno), four to an A4 page, set in core.fonts' Noto Sans."""

from __future__ import annotations

import io
from collections.abc import Iterable

import segno
from fpdf import FPDF

from moduong.core.fonts import pdf_fonts_add

from .models import Conference, ConnectionPoint, Delegate


def qr_png(url: str) -> bytes:
    out = io.BytesIO()
    segno.make(url, error="m").save(out, kind="png", scale=6, border=2)
    return out.getvalue()


def points_sheet_pdf(
    *, conference: Conference, points: Iterable[tuple[ConnectionPoint, str]]
) -> bytes:
    """`points`: each point with the absolute address of its link."""
    pdf = FPDF(format="A4")
    pdf.set_title(f"Mã QR báo cáo điểm cầu – {conference.title}")
    pdf.set_creator("Mở Đường")
    font = pdf_fonts_add(pdf)
    pdf.set_auto_page_break(False)
    for index, (point, url) in enumerate(points):
        slot = index % 4
        if slot == 0:
            pdf.add_page()
        top = 10 + slot * 70
        pdf.set_xy(10, top)
        pdf.set_font(font, "B", 12)
        pdf.multi_cell(120, 6, f"{point.code} – {point.name}", new_x="LMARGIN", new_y="NEXT")
        pdf.set_font(font, "", 10)
        pdf.set_x(10)
        pdf.multi_cell(120, 5, conference.title, new_x="LMARGIN", new_y="NEXT")
        pdf.set_x(10)
        contact = " ".join(p for p in (point.contact_name, point.contact_phone) if p)
        if contact:
            pdf.multi_cell(120, 5, f"Người liên hệ: {contact}", new_x="LMARGIN", new_y="NEXT")
            pdf.set_x(10)
        pdf.multi_cell(
            120,
            5,
            "Quét mã để báo cáo: thử kết nối, đã kết nối, số người tham dự.",
            new_x="LMARGIN",
            new_y="NEXT",
        )
        pdf.image(io.BytesIO(qr_png(url)), x=140, y=top, w=60, h=60)
        pdf.set_draw_color(200, 200, 200)
        pdf.line(10, top + 66, 200, top + 66)
    if pdf.page_no() == 0:
        pdf.add_page()
        pdf.set_font(font, "", 12)
        pdf.cell(0, 10, "Hội nghị chưa có điểm cầu nào.")
    return bytes(pdf.output())


def badges_pdf(*, conference: Conference, delegates: Iterable[tuple[Delegate, str]]) -> bytes:
    """Delegates' badges, four to an A4 page (cut into A6): name, position, unit, seat, and the
    QR code of the check-in address with the code printed under it for typing by hand.
    `delegates`: each delegate with the absolute address of its check-in."""
    pdf = FPDF(format="A4")
    pdf.set_title(f"Thẻ đại biểu – {conference.title}")
    pdf.set_creator("Mở Đường")
    font = pdf_fonts_add(pdf)
    pdf.set_auto_page_break(False)
    width, height = 105, 148.5
    for index, (delegate, url) in enumerate(delegates):
        slot = index % 4
        if slot == 0:
            pdf.add_page()
            pdf.set_draw_color(200, 200, 200)
            pdf.line(width, 0, width, 297)
            pdf.line(0, height, 210, height)
        left, top = (slot % 2) * width, (slot // 2) * height
        pdf.set_xy(left + 8, top + 8)
        pdf.set_font(font, "", 9)
        pdf.multi_cell(width - 16, 4.5, conference.title.upper(), align="C")
        pdf.set_xy(left + 8, top + 30)
        pdf.set_font(font, "B", 10)
        pdf.cell(width - 16, 6, "ĐẠI BIỂU", align="C")
        pdf.set_xy(left + 8, top + 38)
        pdf.set_font(font, "B", 16)
        pdf.multi_cell(width - 16, 8, delegate.full_name, align="C")
        pdf.set_x(left + 8)
        pdf.set_font(font, "", 10)
        for line in (delegate.position, delegate.organisation):
            if line:
                pdf.set_x(left + 8)
                pdf.multi_cell(width - 16, 5, line, align="C")
        if delegate.seat:
            pdf.set_x(left + 8)
            pdf.set_font(font, "B", 11)
            pdf.multi_cell(width - 16, 6, f"Ghế: {delegate.seat}", align="C")
        pdf.image(io.BytesIO(qr_png(url)), x=left + width / 2 - 20, y=top + 92, w=40, h=40)
        pdf.set_xy(left + 8, top + 134)
        pdf.set_font(font, "", 10)
        pdf.cell(width - 16, 5, f"Mã: {delegate.code}", align="C")
    if pdf.page_no() == 0:
        pdf.add_page()
        pdf.set_font(font, "", 12)
        pdf.cell(0, 10, "Hội nghị chưa có đại biểu nào.")
    return bytes(pdf.output())
