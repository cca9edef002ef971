"""The PDFs' bold face (certificates, badges, QR sheets, editions) is a static cut of the
variable font at weight 700, made once and found again by every later document."""

import io

from fontTools.ttLib import TTFont
from fpdf import FPDF
from pypdf import PdfReader

from moduong.core.fonts import bold_font_file, pdf_fonts_add


def test_the_bold_face_is_a_static_weight_700_cut_once() -> None:
    path = bold_font_file()
    with TTFont(path) as font:
        assert "fvar" not in font  # no longer variable: every viewer shows it bold
        assert font["OS/2"].usWeightClass == 700
    made = path.stat().st_mtime_ns
    assert bold_font_file() == path
    assert path.stat().st_mtime_ns == made


def test_a_document_sets_vietnamese_text_in_both_faces() -> None:
    pdf = FPDF()
    name = pdf_fonts_add(pdf)
    pdf.add_page()
    pdf.set_font(name, "B", 16)
    pdf.cell(text="Giấy chứng nhận")
    pdf.set_font(name, "", 11)
    pdf.cell(text="Nguyễn Thị Ánh Dương")
    reader = PdfReader(io.BytesIO(bytes(pdf.output())))
    text = reader.pages[0].extract_text()
    assert "Giấy chứng nhận" in text and "Nguyễn Thị Ánh Dương" in text
    assert len(reader.pages[0]["/Resources"]["/Font"]) == 2  # the regular face and the bold
