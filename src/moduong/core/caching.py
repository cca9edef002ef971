"""The caching layer: values kept until the next publish.

Every publish, and every save an editor makes to what the site shell shows, moves the content
generation (see signals.py and services.py); a value cached here carries the generation it was
computed under and is recomputed once that has moved. Pages, fragments, listings and the site
shell's reads all go through it."""

import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar, Token
from typing import TypeVar

from django.core.cache import cache

PAGE_CACHE_GENERATION_KEY = "core:page-cache-generation"

T = TypeVar("T")

# The generation read once at the start of a page request (see PageRouteCacheMiddleware), so
# the several cached pieces of one page cost no further round trip for it.
_request_generation: ContextVar[int | None] = ContextVar("moduong_generation", default=None)


@contextmanager
def generation_pinning() -> Iterator[Callable[[int], None]]:
    """Within the block, `pin(generation)` makes content_generation() answer without a cache
    round trip; leaving the block forgets the pinned number."""
    token: Token[int | None] | None = None

    def pin(generation: int) -> None:
        nonlocal token
        token = _request_generation.set(generation)

    try:
        yield pin
    finally:
        if token is not None:
            _request_generation.reset(token)


def content_generation() -> int:
    pinned = _request_generation.get()
    if pinned is not None:
        return pinned
    return generation_of(cache.get_many([PAGE_CACHE_GENERATION_KEY]))


def generation_of(found: dict[str, object]) -> int:
    """The generation from a cache read that asked for it. One the cache has lost (a restart
    of Redis, an eviction) starts again from a number never used before, so nothing that any
    process kept under an older number can be served again."""
    generation = found.get(PAGE_CACHE_GENERATION_KEY)
    if isinstance(generation, int):
        return generation
    fresh = time.time_ns() // 1000
    cache.add(PAGE_CACHE_GENERATION_KEY, fresh, None)
    stored = cache.get(PAGE_CACHE_GENERATION_KEY)
    return stored if isinstance(stored, int) else fresh


def stamped_get(key: str) -> tuple[int, object | None]:
    """The generation and the entry under `key` (stored with stamped_set), in one round trip;
    the entry only if it was made in the current generation."""
    found = cache.get_many([PAGE_CACHE_GENERATION_KEY, key])
    generation = generation_of(found)
    entry = found.get(key)
    if isinstance(entry, tuple) and entry[0] == generation:
        return generation, entry[1]
    return generation, None


def stamped_set(key: str, generation: int, value: object, timeout: int) -> None:
    cache.set(key, (generation, value), timeout)


def cached_until_publish(key: str, compute: Callable[[], T], timeout: int = 600) -> T:
    """A value derived from published content, recomputed once anything is published or
    unpublished (the page-cache generation is part of the key) or after `timeout` seconds."""
    return _cached(f"{key}:g{content_generation()}", compute, timeout)


def _cached(full_key: str, compute: Callable[[], T], timeout: int) -> T:
    value: T | None = cache.get(full_key)
    if value is None:
        value = compute()
        if value is not None:  # an answer of None (a page that does not exist) is not kept
            cache.set(full_key, value, timeout)
    return value  # type: ignore[return-value]


# Values that no request changes after they are made (rendered HTML, the menu, the contact):
# each process keeps the most recent ones, keyed with the generation like their cache entries,
# so a page built from them costs no round trip beyond reading the generation.
_SHARED_MAX = 512
_shared: OrderedDict[str, tuple[float, object]] = OrderedDict()
_shared_lock = threading.Lock()


def shared_until_publish(key: str, compute: Callable[[], T], timeout: int = 600) -> T:
    """cached_until_publish, with a copy kept in this process too. Only for values that are
    never changed once made: every request of the process gets the same object."""
    full_key = f"{key}:g{content_generation()}"
    now = time.monotonic()
    with _shared_lock:
        found = _shared.get(full_key)
        if found is not None and found[0] > now:
            _shared.move_to_end(full_key)
            return found[1]  # type: ignore[return-value]
    value = _cached(full_key, compute, timeout)
    with _shared_lock:
        _shared[full_key] = (now + timeout, value)
        while len(_shared) > _SHARED_MAX:
            _shared.popitem(last=False)
    return value
