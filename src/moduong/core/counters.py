"""Counting events (article reads, book views and downloads) without a database write per
request: in the process first, then in a shared cache counter per thing counted, and every
`flush_every` events a background task adds them to the database."""

from __future__ import annotations

import atexit
import logging
import threading
import time
from collections import Counter
from collections.abc import Callable, Hashable
from typing import Generic, TypeVar

from django.conf import settings
from django.core.cache import cache

from .services import counter_add

logger = logging.getLogger(__name__)

K = TypeVar("K", bound=Hashable)


class BufferedCounter(Generic[K]):
    """A page served from the page cache would otherwise pay a second cache round trip just to
    count itself: events wait in the process until NEWS_READS_BUFFER of them or
    NEWS_READS_BUFFER_SECONDS have passed, and when the process exits (a crash loses at most
    that many). Each multiple of `flush_every` that an increment of the shared counter crosses
    is handed to `hand_on(thing, amount)` by this process alone, and taken out of the counter:
    the worker may not share this cache, and two processes never hand on the same events."""

    def __init__(
        self,
        *,
        label: str,
        cache_key: Callable[[K], str],
        flush_every: int,
        hand_on: Callable[[K, int], None],
    ) -> None:
        self.label = label
        self.cache_key = cache_key
        self.flush_every = flush_every
        self.hand_on = hand_on
        self._buffer: Counter[K] = Counter()
        self._lock = threading.Lock()
        self._started = time.monotonic()
        atexit.register(self._flush_at_exit)

    def record(self, thing: K) -> None:
        with self._lock:
            self._buffer[thing] += 1
            due = (
                self._buffer.total() >= settings.NEWS_READS_BUFFER
                or time.monotonic() - self._started >= settings.NEWS_READS_BUFFER_SECONDS
            )
            if not due:
                return
            events = self._take()
        self._count_all(events)

    def flush(self) -> None:
        """Hand this process's buffered events on to the shared counters."""
        with self._lock:
            events = self._take()
        self._count_all(events)

    def _take(self) -> dict[K, int]:
        events = dict(self._buffer)
        self._buffer.clear()
        self._started = time.monotonic()
        return events

    def _count_all(self, events: dict[K, int]) -> None:
        for thing, amount in events.items():
            key = self.cache_key(thing)
            total = counter_add(key=key, amount=amount)
            if total is None:  # a cache that keeps nothing: a statistic is not worth an error
                logger.info("%s not counted: the cache keeps no counter", self.label)
                continue
            crossed = total // self.flush_every - (total - amount) // self.flush_every
            if crossed > 0:
                cache.decr(key, crossed * self.flush_every)
                self.hand_on(thing, crossed * self.flush_every)

    def _flush_at_exit(self) -> None:
        try:
            self.flush()
        except Exception:  # the cache may already be gone; a statistic is not worth a crash
            logger.warning("Could not hand on buffered %s at exit", self.label, exc_info=True)
