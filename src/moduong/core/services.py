"""Writes of the site shell: invalidating what the shell caches."""

from allauth.core.internal import ratelimit as allauth_ratelimit
from django.core.cache import cache
from django.http import HttpRequest

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


def rate_limit_exceeded(
    *, request: HttpRequest, action: str, rate: str, user: object | None = None
) -> bool:
    """True once the request goes over `rate` for `action`, else it is counted. A rate is
    allauth's: "10/h/ip", "6/m/user", several joined by commas; "" is no limit.

    The one limiter of the site is allauth's, the one that already guards log-in and sign-up:
    every limit shares its cache keys, its lock and its client address (the account adapter's,
    which is core.network.client_address). It keeps the times of the hits in the window and
    forgets those older than the window at every check, so an entry that lost its expiry can
    never block anyone for longer than the window."""
    if not rate:
        return False
    usage = allauth_ratelimit.consume(
        request, app="moduong", action=action, config={action: rate}, user=user, limit_get=True
    )
    return usage is None


def per_address(count: int, period: str) -> str:
    """A rate of `count` hits per client address in `period` ("m", "h"); 0 is no limit."""
    return f"{count}/{period}/ip" if count else ""
