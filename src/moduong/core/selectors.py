"""Reads for the site shell. The menu and the office contact are read on every page, so they
are cached and rebuilt only when an editor changes them: every such change moves the content
generation (see signals.py), which is part of their keys."""

from dataclasses import dataclass, field

from django.db.models import Q
from django.http import HttpRequest
from django.http.request import split_domain_port
from wagtail.models import Page, PageViewRestriction, Site

from .caching import cached_until_publish, shared_until_publish, stamped_get, stamped_set
from .models import MenuItem, SiteContact

SITE_CACHE_KEY = "core:site:{}:{}"


@dataclass(frozen=True)
class MenuEntry:
    label: str
    href: str
    children: list["MenuEntry"] = field(default_factory=list)


def menu_entries() -> list[MenuEntry]:
    return shared_until_publish("core:menu", _menu_entries, 3600)


def _menu_entries() -> list[MenuEntry]:
    items = list(MenuItem.objects.select_related("page"))
    by_parent: dict[int | None, list[MenuItem]] = {}
    for item in items:
        by_parent.setdefault(item.parent_id, []).append(item)
    return [
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


def site_for_request(request: HttpRequest) -> Site | None:
    """Wagtail's Site.find_for_request, without its query on every request: the answer is
    cached per host and port until the generation moves (saving a site moves it)."""
    if hasattr(request, "_wagtail_site"):
        return request._wagtail_site  # type: ignore[no-any-return]
    host = split_domain_port(request._get_raw_host())[0]  # type: ignore[attr-defined]  # as Wagtail
    key = SITE_CACHE_KEY.format(host, request.get_port())
    generation, site = stamped_get(key)
    if isinstance(site, Site):
        request._wagtail_site = site  # type: ignore[attr-defined]
        return site
    site = Site.find_for_request(request)
    stamped_set(key, generation, site, 3600)
    return site


def site_contact(request: HttpRequest | None = None) -> SiteContact:
    """The office's contact details for the request's site (the default site without one);
    read on every page, so cached until an editor saves them."""
    site = site_for_request(request) if request is not None else None
    if site is None:
        site = Site.objects.filter(is_default_site=True).first()
    if site is None:
        return SiteContact()
    return shared_until_publish(f"core:contact:{site.pk}", lambda: SiteContact.for_site(site), 3600)


# --- Who may see a page: the one visibility rule ---------------------------------------------
# A page is public when it is live and neither it nor any page above it carries a Wagtail view
# restriction (a password, log-in, groups). Pages themselves are guarded by Wagtail when they
# are served; everything else that shows a page's content (its listings, the API, polls,
# feeds, the sitemap, the search index) asks here.


def private_paths() -> list[str]:
    """The tree paths of every restricted page; kept until the generation moves, which adding
    or removing a restriction does (core.signals)."""
    return cached_until_publish(
        "core:private-paths",
        lambda: list(PageViewRestriction.objects.values_list("page__path", flat=True)),
    )


def page_is_public(page: Page | None, paths: list[str] | None = None) -> bool:
    if page is None or not page.live:
        return False
    restricted = private_paths() if paths is None else paths
    return not any(page.path.startswith(path) for path in restricted)


def public_q(prefix: str = "", paths: list[str] | None = None) -> Q:
    """A filter for pages (prefix "") or for rows that belong to a page (prefix "page__",
    "exchange__"): live, and outside every restricted part of the site."""
    restricted = private_paths() if paths is None else paths
    condition = Q(**{f"{prefix}live": True})
    for path in restricted:
        condition &= ~Q(**{f"{prefix}path__startswith": path})
    return condition
