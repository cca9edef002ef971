"""Keep cached shell data in step with what editors change."""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from wagtail.signals import page_published, page_unpublished

from .models import MenuItem, SiteContact
from .services import menu_cache_clear, page_cache_invalidate


@receiver([post_save, post_delete], sender=MenuItem)
def _menu_changed(**kwargs: object) -> None:
    menu_cache_clear()
    page_cache_invalidate()


@receiver(post_save, sender=SiteContact)
def _contact_changed(**kwargs: object) -> None:
    page_cache_invalidate()


@receiver([page_published, page_unpublished])
def _page_changed(**kwargs: object) -> None:
    # A page's title or address may appear in the menu and in listings on other pages.
    menu_cache_clear()
    page_cache_invalidate()
