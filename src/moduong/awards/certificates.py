"""A prize's certificate, as a one-page PDF (fpdf2, set in core.fonts' Noto Sans): numbered
within the award, with the verification code that the public verification page answers."""

from __future__ import annotations

from fpdf import FPDF

from moduong.core.fonts import pdf_fonts_add

from .models import Prize


def certificate_pdf(*, prize: Prize, verify_url: str) -> bytes:
    entry = prize.entry
    award = prize.award
    pdf = FPDF(orientation="landscape", format="A4")
    pdf.set_title("Giấy chứng nhận đạt giải")
    pdf.set_creator("Mở Đường")
    font = pdf_fonts_add(pdf)
    pdf.add_page()
    pdf.set_draw_color(178, 34, 34)
    pdf.set_line_width(1.5)
    pdf.rect(10, 10, 277, 190)
    pdf.set_y(24)
    pdf.set_font(font, "B", 14)
    pdf.cell(0, 10, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(font, "", 12)
    pdf.cell(0, 8, "Độc lập – Tự do – Hạnh phúc", align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(8)
    pdf.set_font(font, "B", 26)
    pdf.set_text_color(178, 34, 34)
    pdf.cell(0, 14, "GIẤY CHỨNG NHẬN", align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_text_color(0, 0, 0)
    pdf.set_font(font, "B", 16)
    pdf.multi_cell(0, 9, award.title, align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(2)
    pdf.set_font(font, "", 14)
    pdf.cell(0, 9, "Chứng nhận tác phẩm", align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(font, "B", 18)
    pdf.multi_cell(0, 10, entry.title, align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(font, "", 13)
    pdf.multi_cell(
        0,
        8,
        f"Tác giả: {', '.join(entry.author_list)} · {entry.outlet}",
        align="C",
        new_x="LMARGIN",
        new_y="NEXT",
    )
    pdf.set_font(font, "B", 16)
    pdf.cell(
        0,
        11,
        f"đạt {prize.get_level_display()} – thể loại {entry.category.name}",
        align="C",
        new_x="LMARGIN",
        new_y="NEXT",
    )
    pdf.set_font(font, "", 10)
    pdf.set_y(178)
    pdf.cell(
        0,
        6,
        f"Số: {prize.number:03d}/{award.slug.upper()[:20]}",
        align="C",
        new_x="LMARGIN",
        new_y="NEXT",
    )
    pdf.cell(0, 6, f"Mã xác minh: {prize.code} – tra cứu tại {verify_url}", align="C")
    return bytes(pdf.output())
