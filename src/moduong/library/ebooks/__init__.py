"""Reading uploaded e-book files safely: EPUB (a zip of XHTML) and PDF.

Nothing here touches the database. An upload that cannot be read safely raises `Rejected` with
a message for the editor; what is read is returned as plain data (chapters, contents, metadata,
cover, text), which the services store.

The package: `limits` (sizes, `Rejected`, `Inspection`), `epub`, `pdf`, `sanitising` (a
chapter made safe for the reader), and `inspect` here, which sends a file to the one its first
bytes name. Every public name is importable from `moduong.library.ebooks`.
"""

from __future__ import annotations

from typing import IO

from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from .epub import Epub, epub_text, inspect_epub, plain_text, resolve
from .limits import (
    MAX_COVER_BYTES,
    MAX_ENTRIES,
    MAX_HEADING_BYTES,
    MAX_RATIO,
    MAX_TEXT_CHARS,
    MAX_XML_BYTES,
    MB,
    Inspection,
    Rejected,
    max_chapter_bytes,
    max_unpacked_bytes,
    max_upload_bytes,
)
from .pdf import inspect_pdf
from .sanitising import render_chapter

__all__ = [
    "MAX_COVER_BYTES",
    "MAX_ENTRIES",
    "MAX_HEADING_BYTES",
    "MAX_RATIO",
    "MAX_TEXT_CHARS",
    "MAX_XML_BYTES",
    "MB",
    "Epub",
    "Inspection",
    "Rejected",
    "epub_text",
    "inspect",
    "inspect_epub",
    "inspect_pdf",
    "max_chapter_bytes",
    "max_unpacked_bytes",
    "max_upload_bytes",
    "plain_text",
    "render_chapter",
    "resolve",
]


def inspect(stream: IO[bytes], size: int) -> Inspection:
    """Check an uploaded file and read what the library needs from it."""
    if size > max_upload_bytes():
        raise Rejected(
            _("The file is %(size)s; the largest file accepted is %(limit)s.")
            % {"size": filesizeformat(size), "limit": filesizeformat(max_upload_bytes())}
        )
    if size == 0:
        raise Rejected(_("The file is empty."))
    stream.seek(0)
    head = stream.read(8)
    stream.seek(0)
    if head.startswith(b"PK\x03\x04"):
        return inspect_epub(stream)
    if head.startswith(b"%PDF-"):
        return inspect_pdf(stream)
    raise Rejected(_("This file is neither an EPUB nor a PDF."))
