"""Files that only some people may fetch (letters' attachments, e-book files, the originals of
an album's photos) are handed out by views that check, never by a public address.

Behind nginx the view answers with an `X-Accel-Redirect` header naming an `internal` location
(docs/operator.md), so nginx sends the bytes and no app process is held by a 500 MB book;
the embedded site, with no nginx, streams the file itself (Django's FileResponse). The
setting ACCEL_REDIRECT_PREFIX (environment variable of the same name) turns the first on."""

from __future__ import annotations

import mimetypes
from pathlib import Path
from urllib.parse import quote

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.db.models.fields.files import FieldFile
from django.http import FileResponse, Http404, HttpResponse, HttpResponseBase
from django.utils.http import content_disposition_header


def private_root() -> Path:
    return Path(getattr(settings, "PRIVATE_ROOT", settings.DATA_DIR / "private"))


def private_storage() -> FileSystemStorage:
    """Outside MEDIA_ROOT, which the site and nginx serve to anyone: only views hand these
    files out."""
    return FileSystemStorage(location=private_root())


def _internal_path(field_file: FieldFile) -> str | None:
    """The file's address under nginx's internal locations, None if it is in neither root."""
    try:
        path = Path(field_file.path).resolve()
    except (NotImplementedError, ValueError):  # a storage without local paths (S3)
        return None
    for area, root in (("private", private_root()), ("media", Path(settings.MEDIA_ROOT))):
        try:
            relative = path.relative_to(root.resolve())
        except ValueError:
            continue
        return f"{area}/{relative.as_posix()}"
    return None


def file_response(
    field_file: FieldFile, *, filename: str, content_type: str = "", as_attachment: bool = True
) -> HttpResponseBase:
    """The file, for a view that has already checked who asks (the type from the name when
    none is given)."""
    if not field_file or not field_file.name:
        raise Http404
    content_type = content_type or mimetypes.guess_type(filename)[0] or "application/octet-stream"
    prefix = getattr(settings, "ACCEL_REDIRECT_PREFIX", "")
    internal = _internal_path(field_file) if prefix else None
    if internal is not None:
        if not field_file.storage.exists(field_file.name):
            raise Http404
        response = HttpResponse(content_type=content_type)
        response["X-Accel-Redirect"] = quote(prefix.rstrip("/") + "/" + internal)
        response["Content-Disposition"] = content_disposition_header(as_attachment, filename) or ""
        return response
    try:
        handle = field_file.open("rb")
    except OSError as error:  # gone from the disk
        raise Http404 from error
    return FileResponse(
        handle, as_attachment=as_attachment, filename=filename, content_type=content_type
    )
