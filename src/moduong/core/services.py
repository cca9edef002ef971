"""Writes of the site shell: invalidating what the shell caches."""

from collections.abc import Iterable

from allauth.core.internal import ratelimit as allauth_ratelimit
from django.core.cache import cache
from django.http import HttpRequest

from .caching import (
    CONTENT_GENERATION_KEY,
    PAGE_CACHE_GENERATION_KEY,
    generation_move,
    path_generation_key,
)


def page_cache_invalidate() -> None:
    """Every cached page, fragment, listing and route becomes stale at once: the shell
    generation is part of their stamps and keys. For what changes the whole site (the menu, a
    site, a restriction, a move); a publish needs only published_content_invalidate."""
    generation_move(PAGE_CACHE_GENERATION_KEY)


def published_content_invalidate(*, paths: Iterable[str] = ()) -> None:
    """What a publish (or an unpublish) touches becomes stale: every listing, feed, fragment
    and value derived from content (the content generation), and the pages served at `paths`
    (the page's own address and its ancestors': their listings, the home). Other pages stay
    cached (see caching.py)."""
    for path in dict.fromkeys(paths):
        generation_move(path_generation_key(path))
    generation_move(CONTENT_GENERATION_KEY)


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
