"""The print PDF of an edition (A4 and A5) and the poster sheets of QR codes, made with fpdf2
in Noto Sans (core.fonts: every Vietnamese letter, embedded as a subset). Every string is
normalised to NFC by core.vntext before it is drawn, so the PDF's text extracts and searches as
the reader typed it."""

from __future__ import annotations

import io
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from html.parser import HTMLParser
from typing import Any

from fpdf import FPDF
from fpdf.fonts import FontFace

from moduong.core import vntext
from moduong.core.fonts import pdf_fonts_add, pdf_fonts_close

from . import qrcodes
from .models import EditionPage, QrCode, SeriesPage

COVER_COLOURS = {
    "red": ((155, 28, 28), (255, 213, 74)),
    "blue": ((22, 62, 122), (191, 219, 254)),
    "green": ((20, 83, 45), (187, 247, 208)),
}


@dataclass(frozen=True)
class Size:
    name: str
    page: tuple[float, float]  # mm
    body: float  # body text size, pt
    margin: float  # mm

    @property
    def scale(self) -> float:
        return self.body / 11


SIZES = {"a4": Size("A4", (210, 297), 11, 18), "a5": Size("A5", (148, 210), 9.5, 12)}


def _t(text: Any) -> str:
    return vntext.normalize(str(text or "")).strip()


class _Blocks(HTMLParser):
    """Rich text as (kind, text) paragraphs: p, h (headings), li (list items), q (quotes)."""

    KINDS = {"p": "p", "h2": "h", "h3": "h", "h4": "h", "li": "li", "blockquote": "q"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.items: list[tuple[str, str]] = []
        self._kind = "p"
        self._text: list[str] = []

    def _flush(self) -> None:
        text = " ".join("".join(self._text).split())
        if text:
            self.items.append((self._kind, text))
        self._text = []

    def handle_starttag(self, tag: str, attrs: Any) -> None:
        if tag in self.KINDS or tag == "br":
            self._flush()
            if tag in self.KINDS:
                self._kind = self.KINDS[tag]

    def handle_endtag(self, tag: str) -> None:
        if tag in self.KINDS:
            self._flush()
            self._kind = "p"

    def handle_data(self, data: str) -> None:
        self._text.append(data)


def html_paragraphs(source: str) -> list[tuple[str, str]]:
    parser = _Blocks()
    parser.feed(str(source))
    parser.close()
    parser._flush()
    return parser.items


class EditionPdf(FPDF):
    def __init__(self, *, size: Size, footer_text: str) -> None:
        super().__init__(format=size.page)
        self.spec = size
        self.footer_text = footer_text
        self.face = pdf_fonts_add(self)
        self.set_margins(size.margin, size.margin, size.margin)
        self.set_auto_page_break(True, margin=size.margin + 4)

    def footer(self) -> None:
        if self.page_no() == 1:  # the cover
            return
        self.set_y(-(self.spec.margin + 2))
        self.set_font(self.face, "", self.spec.body - 2)
        self.set_text_color(90, 90, 90)
        self.cell(0, 5, self.footer_text, align="L")
        self.set_x(self.l_margin)
        self.cell(0, 5, f"Trang {self.page_no()}/{{nb}}", align="R")
        self.set_text_color(0, 0, 0)

    # --- text -----------------------------------------------------------------------------

    def para(self, text: str, *, style: str = "", size: float | None = None, indent: float = 0):  # type: ignore[no-untyped-def]
        text = _t(text)
        if not text:
            return
        self.set_font(self.face, style, size or self.spec.body)
        self.set_x(self.l_margin + indent)
        self.multi_cell(0, (size or self.spec.body) * 0.5, text, new_x="LMARGIN", new_y="NEXT")
        self.ln(self.spec.body * 0.25)

    def heading(self, text: str, level: int = 1) -> None:
        size = self.spec.body * (1.6 if level == 1 else 1.25)
        if self.will_page_break(size * 1.6):
            self.add_page()
        if level == 1:
            self.start_section(_t(text), level=0)
        self.ln(self.spec.body * 0.3)
        self.para(text, style="B", size=size)

    def rich(self, html: str) -> None:
        for kind, text in html_paragraphs(html):
            if kind == "h":
                self.heading(text, level=2)
            elif kind == "li":
                self.para(f"• {text}", indent=4)
            elif kind == "q":
                self.para(text, style="", indent=8)
            else:
                self.para(text)

    def quote(self, text: str, source: str = "") -> None:
        self.set_draw_color(155, 28, 28)
        y = self.get_y()
        self.para(f"“{_t(text)}”", indent=6)
        if source:
            self.para(f"– {_t(source)}", indent=6, size=self.spec.body - 1)
        self.line(self.l_margin + 2, y, self.l_margin + 2, self.get_y() - 1)

    def picture(self, image: Any, caption: str = "") -> None:
        if image is None:
            return
        rendition = image.get_rendition("max-1000x1000|format-jpeg")
        with rendition.file.open("rb") as file:
            data = io.BytesIO(file.read())
        width = self.epw
        height = width * rendition.height / max(1, rendition.width)
        if height > self.eph * 0.6:
            height = self.eph * 0.6
            width = height * rendition.width / max(1, rendition.height)
        if self.will_page_break(height + 8):
            self.add_page()
        self.image(data, x=self.l_margin + (self.epw - width) / 2, w=width, h=height)
        if caption:
            self.para(caption, style="", size=self.spec.body - 1.5)
        else:
            self.ln(2)

    def table_rows(self, rows: list[list[Any]], header: bool) -> None:
        rows = [[_t(cell) for cell in row] for row in rows if any(row)]
        if not rows:
            return
        self.set_font(self.face, "", self.spec.body - 1)
        with self.table(
            first_row_as_headings=header,
            headings_style=None if not header else _heading_style(self.face),
            line_height=self.spec.body * 0.55,
        ) as table:
            for row in rows:
                line = table.row()
                for cell in row:
                    line.cell(cell)
        self.ln(3)


def _heading_style(font: str) -> Any:
    return FontFace(family=font, emphasis="BOLD", fill_color=(240, 240, 240))


def _contents(pdf: EditionPdf, outline: list[Any]) -> None:
    pdf.set_font(pdf.face, "B", pdf.spec.body * 1.6)
    pdf.cell(0, 12, "Mục lục", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(2)
    pdf.set_font(pdf.face, "", pdf.spec.body)
    for section in outline:
        link = pdf.add_link(page=section.page_number)
        pdf.set_x(pdf.l_margin)
        width = pdf.epw - 14
        title = section.name
        while pdf.get_string_width(title) > width and len(title) > 4:
            title = title[:-4] + "…"
        pdf.cell(width, pdf.spec.body * 0.7, title, link=link)
        pdf.cell(14, pdf.spec.body * 0.7, str(section.page_number), align="R", link=link)
        pdf.ln(pdf.spec.body * 0.75)


def _cover(pdf: EditionPdf, edition: EditionPage, series: SeriesPage, url: str) -> None:
    dark, light = COVER_COLOURS.get(series.cover_style, COVER_COLOURS["red"])
    s = pdf.spec.scale
    pdf.add_page()
    pdf.set_fill_color(*dark)
    pdf.rect(0, 0, pdf.w, pdf.h * 0.42, style="F")
    pdf.set_text_color(*light)
    pdf.set_y(pdf.spec.margin + 6)
    pdf.set_font(pdf.face, "B", 26 * s)
    pdf.multi_cell(0, 12 * s, _t(series.title).upper(), align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_text_color(255, 255, 255)
    pdf.set_font(pdf.face, "", 15 * s)
    pdf.ln(3)
    pdf.cell(0, 9 * s, _t(edition.label), align="C", new_x="LMARGIN", new_y="NEXT")
    if series.audience:
        pdf.set_font(pdf.face, "", 11 * s)
        pdf.cell(0, 7 * s, _t(f"Dành cho: {series.audience}"), align="C", new_x="LMARGIN")
    pdf.set_text_color(0, 0, 0)
    pdf.set_y(pdf.h * 0.42 + 12 * s)
    pdf.set_font(pdf.face, "B", 22 * s)
    pdf.multi_cell(0, 10 * s, _t(edition.title), align="C", new_x="LMARGIN", new_y="NEXT")
    size = 52 * s
    y = pdf.h - pdf.spec.margin - size - 10 * s
    qrcodes.qr_draw(pdf, url, x=(pdf.w - size) / 2, y=y, size=size)
    pdf.set_y(y + size + 1)
    pdf.set_font(pdf.face, "", 9 * s)
    pdf.cell(0, 5 * s, "Quét mã để đọc bản điện tử", align="C", new_x="LMARGIN", new_y="NEXT")


def _article(pdf: EditionPdf, value: Any) -> None:
    page = value["page"]
    live = page.specific if page is not None and page.live else None
    if live is None:
        return  # unpublished after the edition: left out, as on the web edition
    pdf.heading(live.title)
    if value.get("intro"):
        pdf.para(value["intro"], style="", size=pdf.spec.body - 1, indent=4)
    pdf.para(getattr(live, "lead", ""), style="B")
    for block in getattr(live, "body", []):
        kind, inner = block.block_type, block.value
        if kind == "heading":
            pdf.heading(str(inner), level=2)
        elif kind == "paragraph":
            pdf.rich(inner.source)
        else:
            _shared_block(pdf, kind, inner)
    author, outlet = getattr(live, "source_author", ""), getattr(live, "source_outlet", "")
    if author or outlet:
        pdf.para(f"(Theo {'/'.join(x for x in (author, outlet) if x)})", style="", indent=0)
    pdf.ln(4)


def _shared_block(pdf: EditionPdf, kind: str, value: Any) -> None:
    """The blocks an article's body and an edition's body have alike; others are left out."""
    if kind == "image":
        pdf.picture(value.get("image"), value.get("caption", ""))
    elif kind == "quote":
        pdf.quote(value.get("text", ""), value.get("source", ""))
    elif kind == "table":
        pdf.table_rows(value.get("data") or [], bool(value.get("first_row_is_table_header")))


def edition_pdf(
    *,
    edition: EditionPage,
    size: str,
    url: str,
    progress: Callable[[int], None] | None = None,
) -> tuple[bytes, int]:
    """The print PDF of an edition in `size` ("a4" or "a5"); returns the bytes and the number
    of pages. `url` is the web edition's public address, which the cover's QR code holds."""
    series = edition.get_parent().specific
    pdf = EditionPdf(size=SIZES[size], footer_text=_t(f"{series.title} · {edition.label}"))
    pdf.set_title(_t(f"{series.title} – {edition.label} – {edition.title}"))
    pdf.set_creator("Mở Đường")
    pdf.set_lang("vi")
    try:
        _cover(pdf, edition, series, url)
        pdf.add_page()
        pdf.insert_toc_placeholder(
            _contents_renderer, pages=1, allow_extra_pages=True, reset_page_indices=False
        )
        if edition.editor_note:
            pdf.heading("Lời tòa soạn")
            for text in edition.editor_note.split("\n\n"):
                pdf.para(text)
        blocks = list(edition.body)
        for done, block in enumerate(blocks, start=1):
            kind, value = block.block_type, block.value
            if kind == "article":
                _article(pdf, value)
            elif kind == "text":
                pdf.rich(value.source)
            elif kind == "discussion":
                pdf.heading(value.get("heading") or "Câu hỏi thảo luận")
                for number, question in enumerate(value.get("questions") or [], start=1):
                    pdf.para(f"{number}. {question}", indent=2)
            else:
                _shared_block(pdf, kind, value)
            if progress is not None:
                progress(done * 100 // max(1, len(blocks)))
        data = bytes(pdf.output())
    finally:
        # Also for a build abandoned half made (over its time): its font files are closed.
        pdf_fonts_close(pdf)
    return data, pdf.pages_count


def _contents_renderer(pdf: Any, outline: list[Any]) -> None:
    _contents(pdf, outline)


# --- poster sheets -----------------------------------------------------------------------------

LAYOUTS = {1: (1, 1), 2: (1, 2), 4: (2, 2), 6: (2, 3), 8: (2, 4)}


def poster_sheet_pdf(*, codes: Iterable[QrCode], size: str = "a4", per_page: int = 4) -> bytes:
    """Posters for cutting: each with the code large, the series, what to do and the place."""
    columns, rows = LAYOUTS.get(per_page, (2, 2))
    pdf = FPDF(format=SIZES[size].page)
    font = pdf_fonts_add(pdf)
    pdf.set_auto_page_break(False)
    pdf.set_creator("Mở Đường")
    pdf.set_title("Áp phích mã QR bản tin")
    width, height = pdf.w / columns, pdf.h / rows
    codes = list(codes)
    for index, code in enumerate(codes):
        slot = index % (columns * rows)
        if slot == 0:
            pdf.add_page()
            pdf.set_draw_color(160, 160, 160)
            pdf.set_dash_pattern(dash=2, gap=2)
            for c in range(1, columns):
                pdf.line(c * width, 0, c * width, pdf.h)
            for r in range(1, rows):
                pdf.line(0, r * height, pdf.w, r * height)
            pdf.set_dash_pattern()
        x0 = (slot % columns) * width
        y0 = (slot // columns) * height
        scale = min(width / 210, height / 297) ** 0.5
        pad = 8 * scale
        dark, _light = COVER_COLOURS.get(code.series.cover_style, COVER_COLOURS["red"])
        pdf.set_text_color(*dark)
        pdf.set_font(font, "B", 20 * scale)
        pdf.set_xy(x0 + pad, y0 + pad)
        pdf.multi_cell(width - 2 * pad, 9 * scale, _t(code.series.title), align="C")
        pdf.set_text_color(0, 0, 0)
        pdf.set_font(font, "", 13 * scale)
        pdf.set_x(x0 + pad)
        text = (
            "Quét mã để đọc bản tin mới nhất" if not code.edition_id else "Quét mã để đọc bản tin"
        )
        pdf.multi_cell(width - 2 * pad, 7 * scale, text, align="C")
        top = pdf.get_y() + 2
        bottom_text = 24 * scale
        side = min(width - 2 * pad, y0 + height - pad - bottom_text - top)
        qrcodes.qr_draw(
            pdf, qrcodes.code_url(code.code), x=x0 + (width - side) / 2, y=top, size=side
        )
        pdf.set_xy(x0 + pad, top + side + 1)
        pdf.set_font(font, "B", 12 * scale)
        pdf.multi_cell(width - 2 * pad, 6 * scale, _t(code.place.name), align="C")
        pdf.set_x(x0 + pad)
        pdf.set_font(font, "", 9 * scale)
        pdf.multi_cell(width - 2 * pad, 5 * scale, qrcodes.code_url(code.code), align="C")
    if not codes:
        pdf.add_page()
    return bytes(pdf.output())
