"""Reads for the site shell. The menu is read on every page, so it is cached and rebuilt only
when an editor changes it (see signals.py)."""

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar, Token
from dataclasses import dataclass, field
from typing import TypeVar

from django.core.cache import cache
from django.http import HttpRequest
from django.http.request import split_domain_port
from wagtail.models import Site

from .models import MenuItem, SiteContact

MENU_CACHE_KEY = "core:menu:v1"
CONTACT_CACHE_KEY = "core:contact:{}"
SITE_CACHE_KEY = "core:site:{}:{}"
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
    return cache.get(PAGE_CACHE_GENERATION_KEY, 0)


def cached_until_publish(key: str, compute: Callable[[], T], timeout: int = 600) -> T:
    """A value derived from published content, recomputed once anything is published or
    unpublished (the page-cache generation is part of the key) or after `timeout` seconds."""
    generation = content_generation()
    full_key = f"{key}:g{generation}"
    value: T | None = cache.get(full_key)
    if value is None:
        value = compute()
        cache.set(full_key, value, timeout)
    return value


@dataclass(frozen=True)
class MenuEntry:
    label: str
    href: str
    children: list["MenuEntry"] = field(default_factory=list)


def menu_entries() -> list[MenuEntry]:
    entries: list[MenuEntry] | None = cache.get(MENU_CACHE_KEY)
    if entries is None:
        items = list(MenuItem.objects.select_related("page"))
        by_parent: dict[int | None, list[MenuItem]] = {}
        for item in items:
            by_parent.setdefault(item.parent_id, []).append(item)
        entries = [
            MenuEntry(
                label=item.label,
                href=item.href,
                children=[
                    MenuEntry(label=child.label, href=child.href)
                    for child in by_parent.get(item.pk, [])
                ],
            )
            for item in by_parent.get(None, [])
        ]
        cache.set(MENU_CACHE_KEY, entries, None)
    return entries


def site_for_request(request: HttpRequest) -> Site | None:
    """Wagtail's Site.find_for_request, without its query on every request: the answer is
    cached per host and port until the generation moves (saving a site moves it)."""
    if hasattr(request, "_wagtail_site"):
        return request._wagtail_site  # type: ignore[no-any-return]
    host = split_domain_port(request._get_raw_host())[0]  # type: ignore[attr-defined]  # as Wagtail
    key = SITE_CACHE_KEY.format(host, request.get_port())
    found = cache.get_many([PAGE_CACHE_GENERATION_KEY, key])
    generation = found.get(PAGE_CACHE_GENERATION_KEY, 0)
    cached = found.get(key)
    if cached is not None and cached[0] == generation:
        request._wagtail_site = cached[1]  # type: ignore[attr-defined]
    else:
        cache.set(key, (generation, Site.find_for_request(request)), 3600)
    return request._wagtail_site  # type: ignore[attr-defined,no-any-return]


def site_contact(request: HttpRequest | None = None) -> SiteContact:
    """The office's contact details for the request's site (the default site without one);
    read on every page, so cached until an editor saves them."""
    site = site_for_request(request) if request is not None else None
    if site is None:
        site = Site.objects.filter(is_default_site=True).first()
    if site is None:
        return SiteContact()
    key = CONTACT_CACHE_KEY.format(site.pk)
    contact: SiteContact | None = cache.get(key)
    if contact is None:
        contact = SiteContact.for_site(site)
        cache.set(key, contact, None)
    return contact
