"""Reads for the site shell. The menu is read on every page, so it is cached and rebuilt only
when an editor changes it (see signals.py)."""

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TypeVar

from django.core.cache import cache
from django.http import HttpRequest
from wagtail.models import Site

from .models import MenuItem, SiteContact

MENU_CACHE_KEY = "core:menu:v1"
CONTACT_CACHE_KEY = "core:contact:{}"
PAGE_CACHE_GENERATION_KEY = "core:page-cache-generation"

T = TypeVar("T")


def content_generation() -> int:
    return cache.get(PAGE_CACHE_GENERATION_KEY, 0)


def cached_until_publish(key: str, compute: Callable[[], T], timeout: int = 600) -> T:
    """A value derived from published content, recomputed once anything is published or
    unpublished (the page-cache generation is part of the key) or after `timeout` seconds."""
    generation = cache.get(PAGE_CACHE_GENERATION_KEY, 0)
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


def site_contact(request: HttpRequest | None = None) -> SiteContact:
    """The office's contact details for the request's site (the default site without one);
    read on every page, so cached until an editor saves them."""
    site = Site.find_for_request(request) if request is not None else None
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
