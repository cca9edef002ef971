"""Writes of the site shell: invalidating what the shell caches."""

from django.core.cache import cache

from .caching import PAGE_CACHE_GENERATION_KEY, generation_of


def page_cache_invalidate() -> None:
    """Every cached page, fragment, listing and route becomes stale at once: the generation
    is part of their keys."""
    try:
        cache.incr(PAGE_CACHE_GENERATION_KEY)
    except ValueError:  # lost: start from a number never used before
        generation_of({})


def counter_add(*, key: str, amount: int = 1, timeout: int | None = None) -> int | None:
    """Add to a counter in the shared cache, creating it (for `timeout` seconds, None: no
    expiry) when absent; the new value, or None when the cache keeps nothing (evicted at once,
    a dummy cache). Counting is never worth an error page."""
    try:
        return int(cache.incr(key, amount))
    except ValueError:
        cache.add(key, 0, timeout)
        try:
            return int(cache.incr(key, amount))
        except ValueError:
            return None


def rate_limit_exceeded(*, key: str, limit: int, seconds: int) -> bool:
    """A fixed window of `seconds` for one key (an address, a person): True once more than
    `limit` hits fell in it. A limit of 0 is no limit. Counted in the shared cache, so every
    app process sees the same window."""
    if not limit:
        return False
    count = counter_add(key=key, timeout=seconds)
    return count is not None and count > limit
