"""Files as readers would upload them, and as attackers would: made here, byte by byte."""

import struct
import zlib
from io import BytesIO

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image


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


def pdf(name: str = "thu.pdf") -> SimpleUploadedFile:
    data = (
        b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
        b"2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
    )
    return SimpleUploadedFile(name, data, content_type="application/pdf")


def executable(name: str = "thu.pdf") -> SimpleUploadedFile:
    """A Windows program renamed to look like a PDF, sent with the PDF type."""
    data = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 50 + b"PE\x00\x00"
    return SimpleUploadedFile(name, data, content_type="application/pdf")
