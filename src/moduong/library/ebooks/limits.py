"""What an uploaded e-book may be: sizes, counts, and the verdict `Rejected`."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.conf import settings

MB = 1024 * 1024
# Text kept for search from one file; a book's words beyond this are not searched.
MAX_TEXT_CHARS = 2_000_000
MAX_ENTRIES = 10_000
MAX_XML_BYTES = 8 * MB
MAX_COVER_BYTES = 10 * MB
# While an upload waits, a chapter is read only this far, for its first heading; its text is
# read for search by a background task (services.book_file_text_extract).
MAX_HEADING_BYTES = 64 * 1024
# An entry whose content is this many times bigger than its compressed form is a bomb, not a
# book: text compresses about 3-10 times, images not at all.
MAX_RATIO = 100


class Rejected(Exception):  # a verdict for the editor, not a programming error
    """The file is not accepted; the message says why, for the editor."""


def max_upload_bytes() -> int:
    return int(getattr(settings, "LIBRARY_MAX_UPLOAD_BYTES", 500 * MB))


def max_unpacked_bytes() -> int:
    return int(getattr(settings, "LIBRARY_MAX_UNPACKED_BYTES", 1024 * MB))


def max_chapter_bytes() -> int:
    """All the chapters of a book together, unpacked: a long book's text is a few megabytes;
    900 chapters of a megabyte each is work to stall the server, not a book."""
    return int(getattr(settings, "LIBRARY_MAX_CHAPTER_BYTES", 64 * MB))


@dataclass
class Inspection:
    kind: str  # "epub" or "pdf"
    structure: dict[str, Any] = field(default_factory=dict)
    metadata: dict[str, Any] = field(default_factory=dict)
    text: str = ""
    notes: list[str] = field(default_factory=list)
    cover: bytes | None = None
    cover_name: str = ""
