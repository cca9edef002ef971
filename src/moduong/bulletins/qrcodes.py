"""QR codes as SVG, PNG and PDF (segno), and drawn as vector squares into an fpdf2 page.

Error correction H: about 30 % of the code may be torn, faded or covered on a worn poster and
it still reads."""

from __future__ import annotations

import io
from typing import Any

import segno
from django.conf import settings

ERROR = "h"


def code_url(code: str) -> str:
    """The address printed in the code: the office's public address (BASE_URL), never the
    address of whoever happens to be in the admin."""
    return f"{settings.WAGTAILADMIN_BASE_URL.rstrip('/')}/q/{code}"


def qr_make(url: str) -> Any:
    return segno.make(url, error=ERROR, micro=False, boost_error=False)


def qr_bytes(url: str, kind: str) -> bytes:
    """kind: svg, png or pdf."""
    buffer = io.BytesIO()
    options: dict[str, Any] = {"kind": kind, "border": 4}
    if kind == "png":
        options["scale"] = 12
    elif kind == "svg":
        options.update(scale=10, title=url, xmldecl=False, unit="px")
    elif kind == "pdf":
        options["scale"] = 8
    qr_make(url).save(buffer, **options)
    return buffer.getvalue()


def qr_draw(pdf: Any, url: str, *, x: float, y: float, size: float) -> None:
    """The code as filled squares (one rectangle per run of dark modules in a row), so it prints
    sharp at any size; `size` includes the quiet zone of four modules."""
    qr = qr_make(url)
    matrix = [list(row) for row in qr.matrix]
    count = len(matrix) + 8
    module = size / count
    pdf.set_fill_color(255, 255, 255)
    pdf.rect(x, y, size, size, style="F")
    pdf.set_fill_color(0, 0, 0)
    for row_index, row in enumerate(matrix):
        column = 0
        while column < len(row):
            if row[column]:
                start = column
                while column < len(row) and row[column]:
                    column += 1
                pdf.rect(
                    x + (start + 4) * module,
                    y + (row_index + 4) * module,
                    (column - start) * module,
                    module,
                    style="F",
                )
            else:
                column += 1
