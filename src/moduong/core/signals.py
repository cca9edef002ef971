"""Keep cached shell data in step with what editors change, and strip the location from every
image stored."""

from typing import Any

from django.db.models.signals import post_delete, post_save, pre_save
from django.dispatch import Signal, receiver
from wagtail.images import get_image_model
from wagtail.models import Page, PageViewRestriction, Site
from wagtail.signals import page_published, page_slug_changed, page_unpublished, post_page_move

from . import uploads
from .models import MenuItem, SiteContact
from .services import (
    page_cache_invalidate,
    published_content_invalidate,
    published_content_withdraw,
)

# Sent when the anonymous page cache answers without running the view, with the cached
# response: a module that counts views of its pages (news) listens here, so core needs to know
# nothing about it.
cached_page_served = Signal()


@receiver([post_save, post_delete], sender=MenuItem)
def _menu_changed(**kwargs: object) -> None:
    page_cache_invalidate()


@receiver(post_save, sender=SiteContact)
def _contact_changed(instance: SiteContact, **kwargs: object) -> None:
    page_cache_invalidate()


@receiver([post_save, post_delete], sender=PageViewRestriction)
def _privacy_changed(**kwargs: object) -> None:
    # A page made private must leave every cached page and listing at once.
    page_cache_invalidate()


@receiver([post_save, post_delete], sender=Site)
def _site_changed(**kwargs: object) -> None:
    # Cached routes and site lookups carry the site they were found for.
    page_cache_invalidate()


@receiver(post_delete)
def _page_deleted(sender: type, **kwargs: object) -> None:
    if issubclass(sender, Page):
        page_cache_invalidate()


@receiver(post_page_move)
def _page_moved(**kwargs: object) -> None:
    page_cache_invalidate()


@receiver([page_published, page_unpublished])
def _page_changed(instance: Page, signal: Signal, **kwargs: object) -> None:
    """A publish makes stale what it touches: the page, the listings of the sections above it,
    the home, the feeds and the sitemap (see caching.py); an untouched article stays cached.
    A page with pages below it, or one in the menu, shows in the shell of every page: all goes.
    Whatever publishes (the editor, an import, a scheduled task) publishes through Wagtail's
    revision, which sends these signals, so every path reaches the cache the same way."""
    if instance.show_in_menus or not instance.is_leaf():
        page_cache_invalidate()
        return
    if signal is page_unpublished:
        published_content_withdraw(paths=page_addresses(instance))
    else:
        published_content_invalidate(paths=page_addresses(instance))


@receiver(page_slug_changed)
def _page_readdressed(**kwargs: object) -> None:
    # Its old address, and those of the pages below it, must stop answering everywhere.
    page_cache_invalidate()


def page_addresses(page: Page) -> list[str]:
    """The addresses (paths on their site) of the page and of the pages above it."""
    addresses = []
    for each in page.get_ancestors(inclusive=True):
        parts = each.get_url_parts()
        if parts is not None:
            addresses.append(parts[2])
    return addresses


# Where a photo was taken is nobody's business once it is on the site: every image uploaded to
# Wagtail's library loses its GPS data before it is stored, so neither the renditions nor a
# downloaded original can give it away.
@receiver(pre_save, sender=get_image_model())
def _image_location_strip(sender: type, instance: Any, **kwargs: object) -> None:
    uploads.image_location_strip(instance)
