"""Writes of the site shell: invalidating what the shell caches, counting, limiting."""

import math
import secrets
import time
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from allauth.core.internal import ratelimit as allauth_ratelimit
from django.core.cache import cache, caches
from django.core.cache.backends.redis import RedisCache
from django.db import transaction
from django.http import HttpRequest

from .caching import (
    CONTENT_GENERATION_KEY,
    PAGE_CACHE_GENERATION_KEY,
    TAKEDOWN_GENERATION_KEY,
    generation_move,
    path_generation_key,
)


def _now_and_at_commit(move: Callable[[], None]) -> None:
    """Moves generations now, and once more when the transaction around it commits: a reader
    between the two still reads the rows from before (an unpublish, a deletion, a restriction
    inside Wagtail's atomic bulk action or delete view), and what it renders then is stamped
    with the moved generations, fresh for as long as nothing moves them again; the second move
    makes that copy stale. Outside a transaction the change is already committed: once is
    enough."""
    move()
    if transaction.get_connection().in_atomic_block:
        transaction.on_commit(move, robust=True)


def page_cache_invalidate() -> None:
    """Every cached page, fragment, listing and route becomes stale at once: the shell
    generation is part of their stamps and keys. For what changes the whole site (the menu, a
    site, a restriction, a move); a publish needs only published_content_invalidate."""
    _now_and_at_commit(lambda: generation_move(PAGE_CACHE_GENERATION_KEY))


def _content_move(paths: Sequence[str]) -> None:
    for path in paths:
        generation_move(path_generation_key(path))
    generation_move(CONTENT_GENERATION_KEY)


def published_content_invalidate(*, paths: Iterable[str] = ()) -> None:
    """What a publish (or an unpublish) touches becomes stale: every listing, feed, fragment
    and value derived from content (the content generation), and the pages served at `paths`
    (the page's own address and its ancestors': their listings, the home). Other pages stay
    cached (see caching.py)."""
    addresses = list(dict.fromkeys(paths))
    _now_and_at_commit(lambda: _content_move(addresses))


def published_content_withdraw(*, paths: Iterable[str] = ()) -> None:
    """An unpublish: what it touches becomes stale as with published_content_invalidate, and no
    copy made before it is served while a reader makes a page again (caching.py's takedown
    generation), so the page, its headline in the listings and the feeds leave at once. Every
    other page stays cached."""
    addresses = list(dict.fromkeys(paths))

    def move() -> None:
        # First: a reader in between finds the page still fresh (as before the unpublish),
        # never stale with the takedown not yet counted.
        generation_move(TAKEDOWN_GENERATION_KEY)
        _content_move(addresses)

    _now_and_at_commit(move)


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
    every limit shares its rates, its cache keys and its client address (the account
    adapter's, which is core.network.client_address), and its rule: the times of the hits
    accepted in the window are kept, those older than the window are forgotten at every check,
    so an entry that lost its expiry can never block anyone for longer than the window.

    On Redis the same rule is kept in one round trip (`_redis_window_take`) instead of
    allauth's four (take a lock, read the list, write it, free the lock): the start of a
    contest attempt pays it on every request of a rush. Elsewhere (the embedded default's
    file cache) allauth's own code counts."""
    return rate_limit_take(request=request, action=action, rate=rate, user=user) is None


class RateLimitHit:
    """A request counted by `rate_limit_take`, which a caller may take back: a request that
    turns out not to be the person's (a session withdrawn since) must not use up their limit.
    `read`: the cache's values of the keys the caller asked to read with the count (None where
    absent)."""

    def __init__(
        self, undo: Callable[[], None] | None = None, read: dict[str, Any] | None = None
    ) -> None:
        self._undo = undo
        self.read = read or {}

    def undo(self) -> None:
        if self._undo is not None:
            self._undo()
            self._undo = None


def rate_limit_take(
    *,
    request: HttpRequest,
    action: str,
    rate: str,
    user: object | None = None,
    reads: Sequence[str] = (),
) -> RateLimitHit | None:
    """`rate_limit_exceeded`'s count, kept: the hit (which `undo()` takes back), or None when
    the request goes over `rate` (and is not counted). `reads`: keys of the default cache
    whose values the request needs next, read in the same round trip on Redis (`hit.read`)."""
    if rate and _on_redis():
        return _redis_window_take(request=request, action=action, rate=rate, user=user, reads=reads)
    read = cache.get_many(list(reads)) if reads else {}
    read = {key: read.get(key) for key in reads}
    if not rate:
        return RateLimitHit(read=read)
    usage = allauth_ratelimit.consume(
        request, app="moduong", action=action, config={action: rate}, user=user, limit_get=True
    )
    return None if usage is None else RateLimitHit(usage.rollback, read)


def _on_redis() -> bool:
    # `cache` is a proxy to the default cache of this thread: the backend itself is asked.
    return isinstance(caches["default"], RedisCache)


def _limits(
    *, request: HttpRequest, action: str, rate: str, user: object | None
) -> list[tuple[str, allauth_ratelimit.Rate]]:
    """Each of `rate`'s rates with the key its hits are kept under: allauth's key, with the
    cache's prefix and a suffix of its own on Redis (a sorted set there, not allauth's list)."""
    limits = []
    for parsed in allauth_ratelimit.get_rates(app="moduong", action=action, config={action: rate}):
        key = allauth_ratelimit.get_cache_key(
            request, app="moduong", action=action, rate=parsed, user=user
        )
        if _on_redis():
            key = cache.make_and_validate_key(f"{key}:hits")
        limits.append((key, parsed))
    return limits


def rate_limit_key(
    *, request: HttpRequest, action: str, rate: str, user: object | None = None
) -> str:
    """Where the hits of `rate`'s first rate are kept (for tests and operators)."""
    return _limits(request=request, action=action, rate=rate, user=user)[0][0]


#: `_redis_window_take`'s check, run by Redis as one command. KEYS: the limits' keys, then the
#: keys to read. ARGV: now, the hit's member, the number of limits, then per limit the start
#: of its window, its expiry in seconds and its amount (the times stay the strings Python
#: wrote: a Lua number would be written back with 14 digits, to the millisecond). Per limit:
#: the hits at or before the window's start are forgotten (as allauth forgets them), this one
#: is added, the set counted and its expiry renewed; over any limit the hit is taken out of
#: every set again (a refused request is not counted), and the answer is {0}; else {1, the
#: values read}.
_WINDOW_TAKE_LUA = """
local now, hit, limits = ARGV[1], ARGV[2], tonumber(ARGV[3])
local over = false
for i = 1, limits do
    local key, at = KEYS[i], 4 + (i - 1) * 3
    redis.call('ZREMRANGEBYSCORE', key, '-inf', ARGV[at])
    redis.call('ZADD', key, now, hit)
    if redis.call('ZCARD', key) > tonumber(ARGV[at + 2]) then over = true end
    redis.call('EXPIRE', key, ARGV[at + 1])
end
if over then
    for i = 1, limits do redis.call('ZREM', KEYS[i], hit) end
    return {0}
end
local answer = {1}
for i = limits + 1, #KEYS do answer[#answer + 1] = redis.call('GET', KEYS[i]) end
return answer
"""


def _redis_window_take(
    *, request: HttpRequest, action: str, rate: str, user: object | None, reads: Sequence[str]
) -> RateLimitHit | None:
    """allauth's sliding window as one Lua script (`_WINDOW_TAKE_LUA`, one command, one round
    trip, refused or not): per rate, a sorted set of hit times; hits older than the window are
    dropped, this one is added, the set is counted and its expiry renewed; over the limit this
    hit is taken out again in the same script, so that, as with allauth, a refused request is
    not counted and someone who keeps trying is let in once the window moved on. Atomic
    without a lock: two hits at the same instant are counted one after the other. A script
    rather than a MULTI transaction of four commands a rate: redis-py packs and parses one
    command instead of six, which was most of the check's CPU in the site. Sent with EVAL
    (Redis keeps it compiled under its hash): one round trip even on a server that never saw
    it."""
    limits = _limits(request=request, action=action, rate=rate, user=user)
    now = time.time()
    hit = f"{now:.6f}:{secrets.token_hex(4)}"
    backend: Any = caches["default"]._cache  # type: ignore[attr-defined]
    client: Any = backend.get_client(write=True)
    arguments: list[Any] = [repr(now), hit, len(limits)]
    for _key, parsed in limits:
        # allauth forgets the hits at or before now - duration, and so does this.
        arguments += [repr(now - parsed.duration), math.ceil(parsed.duration), parsed.amount]
    keys = [key for key, _parsed in limits] + [cache.make_and_validate_key(k) for k in reads]
    answer = client.eval(_WINDOW_TAKE_LUA, len(keys), *keys, *arguments)
    if not answer[0]:
        return None
    read = {
        key: None if value is None else backend._serializer.loads(value)
        for key, value in zip(reads, answer[1:], strict=True)
    }

    def undo() -> None:
        with client.pipeline(transaction=False) as pipe:
            for key, _parsed in limits:
                pipe.zrem(key, hit)
            pipe.execute()

    return RateLimitHit(undo, read)


def per_address(count: int, period: str) -> str:
    """A rate of `count` hits per client address in `period` ("m", "h"); 0 is no limit."""
    return f"{count}/{period}/ip" if count else ""
