"""The caching layer: values kept until what they show is published again.

Three kinds of number say how fresh a cached value is (see services.py for who moves them):
- the shell generation: the menu, the contact, a site, a restriction, a move or a deletion
  changed; everything cached is stale;
- the content generation: something was published or unpublished; every listing, feed,
  fragment, block of the home page and every cached value derived from content is stale;
- a path generation, one per address: the page at that address (or one below it) was published.
And one more, which makes nothing stale by itself:
- the takedown generation: something was unpublished. While one reader makes a stale page
  again, the others get the copy from before (stamped_get_with_stale), but never a copy made
  before a takedown: what was taken down must leave its page, the listings and the feeds at
  once, not one render later. A publish does not move it, so the pages a publish touches are
  still served from their copies while they are made again.

A page Wagtail serves at its own address is cached under the shell and its path generation only,
so publishing article A leaves article B's cached page as it is, while A's page, the listings of
the sections above it and the home (its ancestors' addresses) are made again. Anything else
(listings of routable sections, feeds, the sitemap, search, the API) follows the content
generation. Pages, fragments, listings and the site shell's reads all go through here."""

import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar, Token
from dataclasses import dataclass
from hashlib import blake2b
from typing import TypeVar

from django.core.cache import cache

PAGE_CACHE_GENERATION_KEY = "core:page-cache-generation"  # the shell generation
CONTENT_GENERATION_KEY = "core:content-generation"
PATH_GENERATION_KEY = "core:path-generation:{}"
TAKEDOWN_GENERATION_KEY = "core:takedown-generation"

T = TypeVar("T")

# The generation read once at the start of a page request (see PageRouteCacheMiddleware), so
# the several cached pieces of one page cost no further round trip for it.
_request_generation: ContextVar[str | None] = ContextVar("moduong_generation", default=None)


def path_generation_key(path: str) -> str:
    return PATH_GENERATION_KEY.format(blake2b(path.encode(), digest_size=16).hexdigest())


@dataclass(frozen=True)
class Stamps:
    """The generations read with a cache entry: what an entry stored now is stamped with."""

    shell: int
    content: int
    path: int | None = None
    takedown: int = 0

    @property
    def generation(self) -> str:
        """What values derived from published content are keyed with."""
        return f"{self.shell}.{self.content}"

    def stamp(self, *, page: bool) -> tuple[object, ...]:
        if page and self.path is not None:
            return ("path", self.shell, self.path, self.takedown)
        return ("content", self.shell, self.content, self.takedown)

    def fresh(self, stamp: object) -> bool:
        # The takedown generation is left out: an unpublish makes stale only what it touches.
        if not (isinstance(stamp, tuple) and len(stamp) == 4):
            return False
        return stamp[:3] == self.stamp(page=False)[:3] or (
            self.path is not None and stamp[:3] == self.stamp(page=True)[:3]
        )

    def stale_servable(self, stamp: object) -> bool:
        """Whether an entry made stale may still be served while it is made again: nothing was
        restricted, moved or deleted (the shell) nor taken down since it was made."""
        return (
            isinstance(stamp, tuple)
            and len(stamp) == 4
            and stamp[1] == self.shell
            and stamp[3] == self.takedown
        )


@contextmanager
def generation_pinning() -> Iterator[Callable[[str], None]]:
    """Within the block, `pin(generation)` makes content_generation() answer without a cache
    round trip; leaving the block forgets the pinned number."""
    token: Token[str | None] | None = None

    def pin(generation: str) -> None:
        nonlocal token
        token = _request_generation.set(generation)

    try:
        yield pin
    finally:
        if token is not None:
            _request_generation.reset(token)


def content_generation() -> str:
    pinned = _request_generation.get()
    if pinned is not None:
        return pinned
    found = cache.get_many([PAGE_CACHE_GENERATION_KEY, CONTENT_GENERATION_KEY])
    return f"{generation_of(found)}.{generation_of(found, CONTENT_GENERATION_KEY)}"


def generation_of(found: dict[str, object], key: str = PAGE_CACHE_GENERATION_KEY) -> int:
    """The generation under `key` from a cache read that asked for it. One the cache has lost
    (a restart of Redis, an eviction) starts again from a number never used before, so nothing
    that any process kept under an older number can be served again."""
    generation = found.get(key)
    if isinstance(generation, int):
        return generation
    fresh = time.time_ns() // 1000
    cache.add(key, fresh, None)
    stored = cache.get(key)
    return stored if isinstance(stored, int) else fresh


def generation_move(key: str) -> None:
    try:
        cache.incr(key)
    except ValueError:  # lost: start from a number never used before
        generation_of({}, key)


def stamped_get(key: str, path: str | None = None) -> tuple[Stamps, object | None]:
    """The generations and the entry under `key` (stored with stamped_set), in one round trip;
    the entry only if it is still fresh. `path`: the address whose generation a page served
    there may be stamped with."""
    stamps, entry, fresh = stamped_get_with_stale(key, path)
    return stamps, entry if fresh else None


def stamped_get_with_stale(key: str, path: str | None = None) -> tuple[Stamps, object | None, bool]:
    """stamped_get, also giving an entry made stale by a publish (the shell and takedown
    generations still its own: nothing was restricted, moved, deleted or unpublished since),
    and whether it is fresh."""
    keys = [PAGE_CACHE_GENERATION_KEY, CONTENT_GENERATION_KEY, TAKEDOWN_GENERATION_KEY, key]
    path_key = path_generation_key(path) if path is not None else None
    if path_key is not None:
        keys.append(path_key)
    found = cache.get_many(keys)
    stamps = Stamps(
        shell=generation_of(found),
        content=generation_of(found, CONTENT_GENERATION_KEY),
        path=generation_of(found, path_key) if path_key is not None else None,
        takedown=generation_of(found, TAKEDOWN_GENERATION_KEY),
    )
    entry = found.get(key)
    if not (isinstance(entry, tuple) and len(entry) == 2):
        return stamps, None, False
    if stamps.fresh(entry[0]):
        return stamps, entry[1], True
    if stamps.stale_servable(entry[0]):
        return stamps, entry[1], False
    return stamps, None, False


def stamped_set(
    key: str, stamps: Stamps, value: object, timeout: int, *, page: bool = False
) -> None:
    """Keep `value` until the stamps it was made under move: with page=True only the shell and
    the path generation (a page at its own address), else the shell and the content."""
    cache.set(key, (stamps.stamp(page=page), value), timeout)


def cached_until_publish(key: str, compute: Callable[[], T], timeout: int = 600) -> T:
    """A value derived from published content, recomputed once anything is published or
    unpublished (the content generation is part of the key) or after `timeout` seconds."""
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
