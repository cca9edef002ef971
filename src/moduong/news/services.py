"""Writes for news: reads counted off the hot path, and the import from an old portal."""

from __future__ import annotations

from django.core.cache import cache
from django.db.models import F

from .models import ArticlePage

READS_KEY = "news:reads:{}"
FLUSH_EVERY = 25


def article_read_record(*, article_id: int) -> None:
    """Count a read in the cache; every FLUSH_EVERY reads a background task adds them to the
    database, so a page view never writes to the database itself."""
    key = READS_KEY.format(article_id)
    try:
        count = cache.incr(key)
    except ValueError:
        cache.add(key, 0, None)
        count = cache.incr(key)
    if count % FLUSH_EVERY == 0:
        from .tasks import article_reads_flush

        # The request takes the reads out of the counter and hands their number to the task:
        # the worker may not share this cache (local memory), and two flushes never count the
        # same reads twice.
        cache.decr(key, FLUSH_EVERY)
        article_reads_flush.enqueue(article_id, FLUSH_EVERY)


def article_reads_add(*, article_id: int, reads: int) -> int:
    """Add reads counted in the cache to the article's row."""
    ArticlePage.objects.filter(pk=article_id).update(read_count=F("read_count") + reads)
    return reads
