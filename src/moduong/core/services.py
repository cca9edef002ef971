"""Writes of the site shell: invalidating what the shell caches."""

from django.core.cache import cache

from .selectors import MENU_CACHE_KEY, PAGE_CACHE_GENERATION_KEY


def menu_cache_clear() -> None:
    cache.delete(MENU_CACHE_KEY)


def page_cache_invalidate() -> None:
    """Every cached anonymous page becomes stale at once: the generation is part of its key."""
    try:
        cache.incr(PAGE_CACHE_GENERATION_KEY)
    except ValueError:
        cache.set(PAGE_CACHE_GENERATION_KEY, 1, None)
