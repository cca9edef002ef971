"""Writes for news: reads counted off the hot path, and the import from an old portal."""

from __future__ import annotations

import logging

from django.db.models import F

from moduong.core.counters import BufferedCounter

from . import events
from .models import ArticlePage

logger = logging.getLogger(__name__)

READS_KEY = "news:reads:{}"
FLUSH_EVERY = 25


def _hand_on(article_id: int, reads: int) -> None:
    events.article_reads_pending.send(sender=ArticlePage, article_id=article_id, reads=reads)


_reads: BufferedCounter[int] = BufferedCounter(
    label="article reads", cache_key=READS_KEY.format, flush_every=FLUSH_EVERY, hand_on=_hand_on
)


def article_read_record(*, article_id: int) -> None:
    """Count a read (core.counters), so a page view never writes to the database itself."""
    _reads.record(article_id)


def article_reads_buffer_flush() -> None:
    """Hand this process's buffered reads on to the shared counter."""
    _reads.flush()


def article_reads_add(*, article_id: int, reads: int) -> int:
    """Add reads counted in the cache to the article's row."""
    ArticlePage.objects.filter(pk=article_id).update(read_count=F("read_count") + reads)
    return reads
