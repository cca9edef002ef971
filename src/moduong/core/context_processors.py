from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from .caching import content_generation
from .selectors import menu_entries, site_contact


def site_shell(request: HttpRequest) -> dict[str, object]:
    return {
        "main_menu": menu_entries,
        "site_contact": SimpleLazyObject(lambda: site_contact(request)),
        # Part of the key of cached page fragments, so publishing refreshes them all.
        "content_generation": SimpleLazyObject(lambda: content_generation()),
    }
