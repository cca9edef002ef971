"""Files as readers would upload them, and as attackers would: made here, byte by byte."""

import io
import struct
import zlib
from io import BytesIO

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image
from pypdf import PdfWriter
from pypdf.generic import DictionaryObject, NameObject, TextStringObject


def png(width: int = 64, height: int = 48, name: str = "anh.png") -> SimpleUploadedFile:
    buffer = BytesIO()
    Image.new("RGB", (width, height), (155, 28, 28)).save(buffer, "PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def png_bomb(
    width: int = 100_000, height: int = 100_000, name: str = "anh.png"
) -> SimpleUploadedFile:
    """A valid PNG header claiming enormous dimensions, a few hundred bytes on disk: decoding
    it would need tens of gigabytes."""
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    pixels = zlib.compress(b"\x00" * 1024)
    data = (
        b"\x89PNG\r\n\x1a\n"
        + _chunk(b"IHDR", header)
        + _chunk(b"IDAT", pixels)
        + _chunk(b"IEND", b"")
    )
    return SimpleUploadedFile(name, data, content_type="image/png")


def _pdf_bytes(script: bool = False) -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(width=300, height=300)
    if script:  # runs as soon as the document is opened
        action = DictionaryObject(
            {
                NameObject("/S"): NameObject("/JavaScript"),
                NameObject("/JS"): TextStringObject("app.alert(1)"),
            }
        )
        writer._root_object[NameObject("/OpenAction")] = writer._add_object(action)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def pdf(name: str = "thu.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, _pdf_bytes(), content_type="application/pdf")


def executable(name: str = "thu.pdf") -> SimpleUploadedFile:
    """A Windows program renamed to look like a PDF, sent with the PDF type."""
    data = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 50 + b"PE\x00\x00"
    return SimpleUploadedFile(name, data, content_type="application/pdf")


def pdf_with_script(name: str = "thu.pdf") -> SimpleUploadedFile:
    """A PDF that runs a script as soon as it is opened (/OpenAction)."""
    return SimpleUploadedFile(name, _pdf_bytes(script=True), content_type="application/pdf")


def pdf_html_polyglot(name: str = "thu.pdf") -> SimpleUploadedFile:
    """A PDF that is also a web page with a script, for a browser that sniffs it (a PDF
    reader skips the comment line that holds the page)."""
    head, rest = _pdf_bytes().split(b"\n", 1)
    page = b"%<html><body><script>alert(document.cookie)</script></body></html>"
    return SimpleUploadedFile(
        name, head + b"\n" + page + b"\n" + rest, content_type="application/pdf"
    )
