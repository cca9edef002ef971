"""Checks on what editors upload to the video library: the file's own bytes decide what it is."""

from __future__ import annotations

import struct
from typing import IO, Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from moduong.core import uploads

VIDEO_MAX_BYTES = 500 * 1024 * 1024
CAPTIONS_MAX_BYTES = 1024 * 1024


def _is_new(field_file: Any) -> bool:
    return bool(field_file) and not getattr(field_file, "_committed", True)


def mp4_duration(file: IO[bytes]) -> int | None:
    """Seconds, from the movie header (moov/mvhd) of an MP4 file; None if it is not there."""
    position = file.tell()
    try:
        file.seek(0)
        return _find_mvhd(file, end=None)
    except (struct.error, OSError, ValueError):
        return None
    finally:
        file.seek(position)


def _boxes(file: IO[bytes], end: int | None) -> Any:
    while end is None or file.tell() < end:
        header = file.read(8)
        if len(header) < 8:
            return
        size, kind = struct.unpack(">I4s", header)
        start = file.tell() - 8
        if size == 1:
            size = struct.unpack(">Q", file.read(8))[0]
        elif size == 0:
            size = 2**62
        if size < 8:
            return
        yield kind, start, start + size
        file.seek(start + size)


def _find_mvhd(file: IO[bytes], end: int | None) -> int | None:
    for kind, start, box_end in _boxes(file, end):
        if kind == b"moov":
            file.seek(start + 8)
            for inner, inner_start, _inner_end in _boxes(file, box_end):
                if inner == b"mvhd":
                    file.seek(inner_start + 8)
                    version = file.read(1)[0]
                    file.read(3)
                    if version == 1:
                        file.read(16)
                        timescale, duration = struct.unpack(">IQ", file.read(12))
                    else:
                        file.read(8)
                        timescale, duration = struct.unpack(">II", file.read(8))
                    return round(duration / timescale) if timescale else None
            return None
    return None


def video_page_clean(page: Any) -> None:
    errors: dict[str, str] = {}
    if not page.video_file and not page.external_url:
        errors["video_file"] = _("Upload a video file or give the address of an outside video.")
    if _is_new(page.video_file):
        file = page.video_file.file
        name = (page.video_file.name or "").lower()
        try:
            uploads.check_size(file, size=page.video_file.size, limit=VIDEO_MAX_BYTES)
            kind = uploads.check_video(file)
            expected = ".mp4" if kind == "video/mp4" else ".webm"
            if not name.endswith(expected):
                raise ValidationError(
                    _("The file is a %(kind)s video but its name ends differently.")
                    % {"kind": expected[1:].upper()}
                )
        except ValidationError as error:
            errors["video_file"] = error.messages[0]
        else:
            page.video_type = kind
            if kind == "video/mp4" and not page.duration:
                page.duration = mp4_duration(file)
    if _is_new(page.captions):
        try:
            uploads.check_size(
                page.captions.file, size=page.captions.size, limit=CAPTIONS_MAX_BYTES
            )
            uploads.check_vtt(page.captions.file)
        except ValidationError as error:
            errors["captions"] = error.messages[0]
    if errors:
        raise ValidationError(errors)
