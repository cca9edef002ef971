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

        article_reads_flush.enqueue(article_id)


def article_reads_flush(*, article_id: int) -> int:
    """Move the reads counted in the cache into the article's row."""
    key = READS_KEY.format(article_id)
    pending = cache.get(key, 0)
    if pending <= 0:
        return 0
    cache.decr(key, pending)
    ArticlePage.objects.filter(pk=article_id).update(read_count=F("read_count") + pending)
    return pending
