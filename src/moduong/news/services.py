"""Writes for news: reads counted off the hot path, and the import from an old portal."""

from __future__ import annotations

import atexit
import logging
import threading
import time
from collections import Counter

from django.conf import settings
from django.core.cache import cache
from django.db.models import F

from moduong.core.services import counter_add

from .models import ArticlePage

logger = logging.getLogger(__name__)

READS_KEY = "news:reads:{}"
FLUSH_EVERY = 25

# Reads counted in this process and not yet added to the shared counter. A page served from
# the page cache would otherwise pay a second cache round trip just to count itself; the
# buffer is handed on after NEWS_READS_BUFFER reads or NEWS_READS_BUFFER_SECONDS, and when
# the process exits. A crash loses at most that many reads of the "most read" statistic.
_buffer: Counter[int] = Counter()
_buffer_lock = threading.Lock()
_buffer_started = time.monotonic()


def article_read_record(*, article_id: int) -> None:
    """Count a read: in this process first, then in the shared cache, and every FLUSH_EVERY
    reads a background task adds them to the database, so a page view never writes to the
    database itself."""
    with _buffer_lock:
        _buffer[article_id] += 1
        due = (
            _buffer.total() >= settings.NEWS_READS_BUFFER
            or time.monotonic() - _buffer_started >= settings.NEWS_READS_BUFFER_SECONDS
        )
    if due:
        article_reads_buffer_flush()


def article_reads_buffer_flush() -> None:
    """Hand this process's buffered reads on to the shared counter."""
    global _buffer_started
    with _buffer_lock:
        reads = dict(_buffer)
        _buffer.clear()
        _buffer_started = time.monotonic()
    for article_id, count in reads.items():
        _reads_count(article_id=article_id, reads=count)


@atexit.register
def _flush_at_exit() -> None:
    try:
        article_reads_buffer_flush()
    except Exception:  # the cache may already be gone; a statistic is not worth a crash
        logger.warning("Could not hand on buffered article reads at exit", exc_info=True)


def _reads_count(*, article_id: int, reads: int) -> None:
    key = READS_KEY.format(article_id)
    count = counter_add(key=key, amount=reads)
    if count is None:
        logger.info("Article reads not counted: the cache keeps no counter")
        return
    # Each multiple of FLUSH_EVERY that this increment crossed is handed to the task by this
    # process alone, and taken out of the counter: the worker may not share this cache (local
    # memory), and two processes never hand on the same reads.
    crossed = count // FLUSH_EVERY - (count - reads) // FLUSH_EVERY
    if crossed > 0:
        from .tasks import article_reads_flush

        cache.decr(key, crossed * FLUSH_EVERY)
        article_reads_flush.enqueue(article_id, crossed * FLUSH_EVERY)


def article_reads_add(*, article_id: int, reads: int) -> int:
    """Add reads counted in the cache to the article's row."""
    ArticlePage.objects.filter(pk=article_id).update(read_count=F("read_count") + reads)
    return reads
