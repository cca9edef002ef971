"""Writes of the site shell: invalidating what the shell caches."""

from django.core.cache import cache

from .selectors import PAGE_CACHE_GENERATION_KEY, generation_of


def page_cache_invalidate() -> None:
    """Every cached page, fragment, listing and route becomes stale at once: the generation
    is part of their keys."""
    try:
        cache.incr(PAGE_CACHE_GENERATION_KEY)
    except ValueError:  # lost: start from a number never used before
        generation_of({})
