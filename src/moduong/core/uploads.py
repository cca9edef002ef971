"""Checks for files that readers and editors upload: what a file is comes from its first bytes,
never from its name or the type the browser claims, and an image's size is read from its header
before a single pixel is decoded (an "image bomb" of 100,000 × 100,000 pixels is a few kB on
disk and tens of GB in memory).

Every check raises a ValidationError with a Vietnamese message and leaves the file untouched.
"""

from __future__ import annotations

import re
import warnings
from io import BytesIO
from typing import IO, Any

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils.translation import gettext as _
from PIL import Image, UnidentifiedImageError
from pypdf import PdfReader
from pypdf.errors import PdfReadError
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject
from wagtail.utils.file import hash_filelike

# Big enough for any photo a camera takes (a 50-megapixel frame), far below a bomb.
MAX_IMAGE_PIXELS = 60_000_000
MAX_IMAGE_SIDE = 12_000
IMAGE_FORMATS = {"JPEG": "image/jpeg", "PNG": "image/png", "GIF": "image/gif", "WEBP": "image/webp"}
_HEAD = 64
_PICTURE_BRANDS = {b"avif", b"avis", b"heic", b"heix", b"heim", b"heis", b"hevc", b"mif1", b"msf1"}


def _head(file: IO[bytes]) -> bytes:
    position = file.tell()
    file.seek(0)
    head = file.read(_HEAD)
    file.seek(position)
    return head


def sniff(file: IO[bytes]) -> str:
    """The kind of file from its first bytes: "pdf", "image", "mp4", "webm", "vtt",
    "executable" or "" (unknown)."""
    head = _head(file)
    if head.startswith(b"%PDF-"):
        return "pdf"
    if head.startswith((b"\xff\xd8\xff", b"\x89PNG\r\n\x1a\n", b"GIF87a", b"GIF89a")) or (
        head[:4] == b"RIFF" and head[8:12] == b"WEBP"
    ):
        return "image"
    if head[4:8] == b"ftyp":
        # HEIF and AVIF pictures are built of the same boxes as MP4: their brand tells them apart.
        return "" if head[8:12] in _PICTURE_BRANDS else "mp4"
    if head.startswith(b"\x1a\x45\xdf\xa3"):
        return "webm"
    if head.lstrip(b"\xef\xbb\xbf").startswith(b"WEBVTT"):
        return "vtt"
    if head.startswith((b"MZ", b"\x7fELF", b"\xca\xfe\xba\xbe", b"\xcf\xfa\xed\xfe", b"#!")):
        return "executable"
    return ""


def check_size(file: IO[bytes], *, size: int, limit: int) -> None:
    if size > limit:
        raise ValidationError(
            _("The file is too large: at most %(limit)s MB.") % {"limit": limit // (1024 * 1024)},
            code="too_large",
        )


def check_image(file: IO[bytes]) -> tuple[str, int, int]:
    """(mime type, width, height) of a real image of a sensible size; refuses anything else."""
    message = _("The file is not a picture we can show (JPEG, PNG, GIF or WebP).")
    position = file.tell()
    file.seek(0)
    try:
        with warnings.catch_warnings():
            # Pillow warns, then refuses, past its own limit; ours is lower and checked below.
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            with Image.open(file) as image:  # reads the header only
                width, height = image.size
                kind = image.format or ""
                if kind not in IMAGE_FORMATS:
                    raise ValidationError(message, code="not_image")
                _check_dimensions(width, height)
                image.verify()  # the structure, still without decoding the pixels
    except Image.DecompressionBombError as error:
        raise ValidationError(_too_big_message(), code="image_bomb") from error
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as error:
        raise ValidationError(message, code="not_image") from error
    finally:
        file.seek(position)
    return IMAGE_FORMATS[kind], width, height


def _too_big_message() -> str:
    return _("The picture is too large: at most %(side)s pixels a side and %(mp)s megapixels.") % {
        "side": f"{MAX_IMAGE_SIDE:,}".replace(",", "."),
        "mp": MAX_IMAGE_PIXELS // 1_000_000,
    }


def _check_dimensions(width: int, height: int) -> None:
    if width > MAX_IMAGE_SIDE or height > MAX_IMAGE_SIDE or width * height > MAX_IMAGE_PIXELS:
        raise ValidationError(_too_big_message(), code="image_bomb")


def check_video(file: IO[bytes]) -> str:
    """ "video/mp4" or "video/webm" from the file's own bytes."""
    kind = sniff(file)
    if kind == "mp4":
        return "video/mp4"
    if kind == "webm":
        return "video/webm"
    raise ValidationError(
        _("The file is not an MP4 or WebM video. Please choose the video file itself."),
        code="not_video",
    )


def check_vtt(file: IO[bytes]) -> None:
    if sniff(file) != "vtt":
        raise ValidationError(
            _("Captions must be a WebVTT file (its first line is WEBVTT)."), code="not_vtt"
        )


# --- PDF ------------------------------------------------------------------------------------
# Actions that run something when a PDF is opened or clicked, and the keys that hold them.
PDF_ACTIVE_ACTIONS = {"/JavaScript", "/Launch", "/SubmitForm", "/ImportData", "/RichMediaExecute"}
PDF_ACTIVE_KEYS = {"/JS", "/JavaScript", "/AA", "/XFA", "/RichMedia", "/EmbeddedFile"}
# A PDF that is also a web page: a browser or a proxy that sniffs the bytes would run it.
_MARKUP = re.compile(rb"<\s*/?\s*(?:script|html|body|iframe|svg|object|embed|meta)\b", re.I)
_CHUNK = 1024 * 1024
MAX_PDF_OBJECTS = 2_000_000


def _has_markup(file: IO[bytes]) -> bool:
    position = file.tell()
    file.seek(0)
    try:
        tail = b""
        while chunk := file.read(_CHUNK):
            if _MARKUP.search(tail + chunk):
                return True
            tail = chunk[-32:]
        return False
    finally:
        file.seek(position)


def check_pdf(file: IO[bytes]) -> PdfReader:
    """A PDF that runs nothing: no JavaScript, no action run when it opens or is clicked (an
    /OpenAction script, /AA, /Launch, forms that submit), no embedded files, no web page hidden
    in it, not encrypted (what is inside could not be checked). The one check for every PDF the
    site takes, from readers' letters to the library's books; the reader is returned for those
    that read more of it."""
    position = file.tell()
    file.seek(0)
    if file.read(5) != b"%PDF-":
        file.seek(position)
        raise ValidationError(_("The file is not a PDF document."), code="not_pdf")
    if _has_markup(file):
        raise ValidationError(_active_message(), code="pdf_active")
    file.seek(0)
    try:
        reader = PdfReader(file, strict=False)
        if reader.is_encrypted:
            raise ValidationError(
                _("The PDF is encrypted: upload a copy without a password or restrictions."),
                code="pdf_encrypted",
            )
        reader.pages  # noqa: B018  # reading the page tree finds most damage at once
    except ValidationError:
        raise
    except (PdfReadError, ValueError, KeyError, TypeError, OSError, RecursionError) as error:
        raise ValidationError(
            _("The PDF is damaged and cannot be read."), code="pdf_damaged"
        ) from error
    _check_pdf_objects(reader)
    return reader


def _active_message() -> str:
    return _(
        "The PDF contains JavaScript or actions that run when it is opened. "
        "Save it again without them (for example by printing it to a new PDF) "
        "and upload that copy."
    )


def _check_pdf_objects(reader: PdfReader) -> None:
    seen: set[tuple[int, int]] = set()
    stack: list[Any] = [reader.trailer]
    visited = 0
    while stack:
        obj = stack.pop()
        visited += 1
        if visited > MAX_PDF_OBJECTS:
            raise ValidationError(_("The PDF is too complex to check."), code="pdf_complex")
        if isinstance(obj, IndirectObject):
            key = (obj.idnum, obj.generation)
            if key in seen:
                continue
            seen.add(key)
            try:
                obj = obj.get_object()
            except Exception:  # noqa: S112  # a broken reference hides nothing runnable
                continue
        if isinstance(obj, DictionaryObject):
            keys = set(obj.keys())
            if keys & PDF_ACTIVE_KEYS or str(obj.get("/S", "")) in PDF_ACTIVE_ACTIONS:
                raise ValidationError(_active_message(), code="pdf_active")
            stack.extend(obj.values())
        elif isinstance(obj, ArrayObject):
            stack.extend(obj)


# EXIF tags that say where a picture was taken (GPSInfo) and, for some cameras, where the
# device was; nothing else of the metadata is a reader's business either, but the orientation
# is kept applied to the pixels.
_LOCATION_TAGS = (0x8825,)


def without_location(data: bytes) -> bytes | None:
    """The picture with its location data removed, or None when it carried none (the bytes are
    then kept as they were, with no loss of quality)."""
    with Image.open(BytesIO(data)) as image:
        exif = image.getexif()
        has_location = any(tag in exif for tag in _LOCATION_TAGS) or "xmp" in image.info
        if not has_location:
            return None
        for tag in _LOCATION_TAGS:
            exif.pop(tag, None)
        out = BytesIO()
        kind = image.format or "JPEG"
        params: dict[str, object] = {"exif": exif.tobytes()}
        if kind == "JPEG":
            params.update(quality="keep", subsampling="keep")
            if "icc_profile" in image.info:
                params["icc_profile"] = image.info["icc_profile"]
        image.save(out, kind, **params)
        return out.getvalue()


def image_location_strip(image: Any) -> bool:
    """Before a Wagtail image with a new file is stored (core's pre_save receiver, for every
    image of the site: albums, articles, guests, covers): the file without its GPS data, and
    the size and hash Wagtail keeps of it set to the new bytes. True when it was changed."""
    field_file = image.file
    if not field_file or getattr(field_file, "_committed", True):
        return False  # no new file in this save
    field_file.open("rb")
    field_file.seek(0)
    data = field_file.read()
    field_file.seek(0)
    try:
        cleaned = without_location(data)
    except (OSError, ValueError, SyntaxError):
        return False  # not an image Pillow can rewrite: Wagtail's own checks decide about it
    if cleaned is None:
        return False
    image.file = ContentFile(cleaned, name=field_file.name.rsplit("/", 1)[-1])
    image.file_size = len(cleaned)
    image.file_hash = hash_filelike(BytesIO(cleaned))
    return True
