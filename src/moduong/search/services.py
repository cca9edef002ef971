"""Writes to the search index. Every function is safe to run again: it looks at the object as
it is now, so tasks arriving late or twice leave the index right."""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.http import HttpRequest
from wagtail.models import Page

from moduong.core.services import per_address, rate_limit_exceeded

from .backends import get_backend
from .documents import Context, Document, document_for, published, searchable_models

logger = logging.getLogger("moduong.search")
BATCH = 500


def search_entry_sync(*, content_type_id: int, object_id: int) -> bool:
    """Index the object if readers may find it, remove it otherwise; True if it is indexed."""
    model = ContentType.objects.get_for_id(content_type_id).model_class()
    backend = get_backend()
    with transaction.atomic():
        obj = model._default_manager.filter(pk=object_id).first() if model else None
        if isinstance(obj, Page):
            obj = obj.specific
        document = document_for(obj) if obj is not None else None
        if document is None:
            backend.delete([(content_type_id, object_id)])
            return False
        backend.write([document])
        return True


def search_subtree_sync(*, page_id: int) -> int:
    """After a page moves, its address and its descendants' change; after a view restriction
    is added or removed, or a page unpublished, who may find them changes: index them again,
    with the content that belongs to them (letters, an exchange's questions)."""
    page = Page.objects.filter(pk=page_id).first()
    if page is None:
        return 0
    synced = 0
    for descendant in Page.objects.descendant_of(page, inclusive=True).specific():
        if getattr(descendant, "search_kind", None):
            ct = ContentType.objects.get_for_model(type(descendant))
            search_entry_sync(content_type_id=ct.pk, object_id=descendant.pk)
            synced += 1
    for model in searchable_models():
        page_field = getattr(model, "search_page_field", None)
        if not page_field or issubclass(model, Page):
            continue
        ct = ContentType.objects.get_for_model(model)
        below = model._default_manager.filter(**{f"{page_field}__path__startswith": page.path})
        for object_id in below.values_list("pk", flat=True).iterator():
            search_entry_sync(content_type_id=ct.pk, object_id=object_id)
            synced += 1
    return synced


def search_entries_write(*, documents: Sequence[Document]) -> None:
    with transaction.atomic():
        get_backend().write(documents)


def _batches(documents: Iterable[Document | None]) -> Iterable[list[Document]]:
    batch: list[Document] = []
    for document in documents:
        if document is not None:
            batch.append(document)
        if len(batch) >= BATCH:
            yield batch
            batch = []
    if batch:
        yield batch


def search_index_rebuild() -> int:
    """Empty the index and fill it from every published, searchable object."""
    backend = get_backend()
    context = Context()
    count = 0
    with transaction.atomic():
        backend.clear()
        for model in searchable_models():
            objects = published(model).iterator(chunk_size=BATCH)
            for batch in _batches(document_for(obj, context) for obj in objects):
                backend.write(batch)
                count += len(batch)
    logger.info("search index rebuilt: %s entries", count)
    return count


def search_rate_exceeded(*, request: HttpRequest) -> bool:
    """A minute's window per client address (SEARCH_RATE_PER_MINUTE): a search runs real
    queries, so one address cannot flood it. Counters live in the shared cache (Redis)."""
    return rate_limit_exceeded(
        request=request, action="search", rate=per_address(settings.SEARCH_RATE_PER_MINUTE, "m")
    )
