"""Small e-book files made by the tests themselves: good ones, and each kind of bad one."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Sequence

from django.core.files.uploadedfile import SimpleUploadedFile
from pypdf import PdfWriter
from pypdf.generic import ArrayObject, DictionaryObject, NameObject, TextStringObject

from moduong.library.demo import cover_jpeg, epub_build, pdf_build

CHAPTERS = (
    ("Mở đầu", ("Làng tôi nằm bên sông Đáy, mùa lũ nước lên tận bậc đình.",)),
    ("Mùa gặt", ("Tiếng máy tuốt lúa rộn ràng từ sáng sớm đến tối mịt.", "Trẻ con chạy theo.")),
    ("Ngày hội", ("Hội làng mở vào rằm tháng giêng, có thi nấu cơm và đánh cờ người.",)),
)


def epub(
    title: str = "Chuyện làng ven sông",
    *,
    chapters: Sequence[tuple[str, Sequence[str]]] = CHAPTERS,
    chapter_html: Sequence[str] | None = None,
    authors: Sequence[str] = ("Phan Thị Lụa",),
    identifier: str = "",
    cover: bool = True,
    description: str = "Những mẩu chuyện về một làng ven sông Đáy.",
) -> bytes:
    return epub_build(
        title=title,
        authors=authors,
        chapters=chapters,
        chapter_html=chapter_html,
        identifier=identifier,
        publisher="Nhà xuất bản Thử Nghiệm",
        description=description,
        cover_jpeg=cover_jpeg(title, (40, 60, 120)) if cover else None,
    )


def zip_of(entries: dict[str, bytes | str], *, deflate: bool = True) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, content in entries.items():
            info = zipfile.ZipInfo(name)
            info.compress_type = zipfile.ZIP_DEFLATED if deflate else zipfile.ZIP_STORED
            archive.writestr(info, content)
    return buffer.getvalue()


def with_entry(book: bytes, name: str, content: bytes | str) -> bytes:
    """A copy of an EPUB with one more entry (written as is, whatever its name)."""
    source = zipfile.ZipFile(io.BytesIO(book))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for info in source.infolist():
            archive.writestr(info, source.read(info))
        info = zipfile.ZipInfo(name)
        info.compress_type = zipfile.ZIP_DEFLATED
        archive.writestr(info, content)
    return buffer.getvalue()


def pdf(title: str = "Tài liệu thử", pages: Sequence[str] = ("Trang một của tài liệu.",)) -> bytes:
    return pdf_build(title=title, pages=pages)


def pdf_with_javascript(*, on_open: bool = False) -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(width=300, height=300)
    if on_open:
        action = DictionaryObject(
            {
                NameObject("/S"): NameObject("/JavaScript"),
                NameObject("/JS"): TextStringObject("app.alert('xin chao')"),
            }
        )
        writer._root_object[NameObject("/OpenAction")] = writer._add_object(action)
    else:  # a document-level script in the /Names tree
        action = DictionaryObject(
            {
                NameObject("/S"): NameObject("/JavaScript"),
                NameObject("/JS"): TextStringObject("app.alert('xin chao');"),
            }
        )
        scripts = DictionaryObject(
            {
                NameObject("/Names"): ArrayObject(
                    [TextStringObject("chao"), writer._add_object(action)]
                )
            }
        )
        writer._root_object[NameObject("/Names")] = DictionaryObject(
            {NameObject("/JavaScript"): writer._add_object(scripts)}
        )
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def pdf_with_launch_action() -> bytes:
    """A PDF whose link starts a program, the action's name hidden behind a reference."""
    writer = PdfWriter()
    writer.add_blank_page(width=300, height=300)
    action = DictionaryObject(
        {
            NameObject("/S"): writer._add_object(NameObject("/Launch")),
            NameObject("/F"): TextStringObject("cmd.exe"),
        }
    )
    writer._root_object[NameObject("/OpenAction")] = writer._add_object(action)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def upload(content: bytes, name: str = "sach.epub") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/octet-stream")
