"""What an entry's file is, from its bytes, and that its name does not lie; then the shared check
of core.uploads for that kind (check_pdf, check_video, check_image).

Text comes as PDF, sound as MP3/M4A/WAV/OGG/FLAC, video as MP4/WebM, photos as JPEG/PNG/WebP.
A file whose name says one kind while its bytes say another (a program renamed .pdf, a picture
renamed .mp3) is refused: the jury would be handed something other than what it was told."""

from __future__ import annotations

from pathlib import PurePath
from typing import IO

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from moduong.core import uploads

MAX_FILE_BYTES = 500 * 1024 * 1024

EXTENSIONS = {
    "pdf": {".pdf"},
    "audio": {".mp3", ".m4a", ".wav", ".ogg", ".oga", ".flac"},
    "video": {".mp4", ".m4v", ".webm"},
    "image": {".jpg", ".jpeg", ".png", ".webp"},
}


def _audio(head: bytes) -> bool:
    return (
        head.startswith((b"ID3", b"OggS", b"fLaC"))
        or (head[:4] == b"RIFF" and head[8:12] == b"WAVE")
        or (len(head) > 1 and head[0] == 0xFF and (head[1] & 0xE0) == 0xE0)  # MPEG frame
        or (head[4:8] == b"ftyp" and head[8:11] == b"M4A")
    )


def _head(file: IO[bytes]) -> bytes:
    position = file.tell()
    file.seek(0)
    head = file.read(64)
    file.seek(position)
    return head


def file_kind(file: IO[bytes], *, name: str, size: int) -> str:
    """ "pdf", "audio", "video" or "image", or a ValidationError in Vietnamese."""
    uploads.check_size(file, size=size, limit=MAX_FILE_BYTES)
    extension = PurePath(name).suffix.lower()
    claimed = next((kind for kind, exts in EXTENSIONS.items() if extension in exts), "")
    if _audio(_head(file)):
        actual = "audio"
    else:
        sniffed = uploads.sniff(file)
        actual = {"pdf": "pdf", "image": "image", "mp4": "video", "webm": "video"}.get(sniffed, "")
    if not claimed:
        raise ValidationError(
            _(
                "The file %(name)s is not one we accept: text as PDF, audio (MP3, M4A, WAV, "
                "OGG, FLAC), video (MP4, WebM) or photos (JPEG, PNG, WebP)."
            )
            % {"name": name},
            code="file_type",
        )
    if actual != claimed:
        raise ValidationError(
            _("The file %(name)s is not what its name says: its content is not a %(ext)s file.")
            % {"name": name, "ext": extension.lstrip(".").upper()},
            code="file_lies",
        )
    # The site's one check per kind, as for readers' letters and the library: a PDF that would
    # run something in a judge's reader is refused, not only one whose first bytes lie.
    if actual == "pdf":
        uploads.check_pdf(file)
    elif actual == "video":
        uploads.check_video(file)
    elif actual == "image":
        uploads.check_image(file)
    return actual
