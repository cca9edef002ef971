"""Reads for the site shell. The menu is read on every page, so it is cached and rebuilt only
when an editor changes it (see signals.py)."""

from dataclasses import dataclass, field

from django.core.cache import cache

from .models import MenuItem

MENU_CACHE_KEY = "core:menu:v1"


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
