"""What every Wagtail page type of the site shares, whichever app defines it."""

import re
from typing import Any

from . import vntext

_ASCII_SLUG = re.compile(r"[-a-z0-9_]+")


class VietnameseSlugMixin:
    """Every page's address is its Vietnamese slug (Đà Nẵng → da-nang): a page left without one
    (made by code: the demo, an import) gets its title's, and a slug given with marks, capitals
    or spaces ("Tin tức Hà Nội") is cleaned the same way. The admin's slug box does the same in
    the browser (core.forms.VietnameseSlugInput)."""

    slug: str
    title: str
    fallback_slug = "trang"  # a title of marks and punctuation only

    def full_clean(self, *args: Any, **kwargs: Any) -> None:
        if not self.slug:
            self.slug = vntext.slugify(self.title) or self.fallback_slug
        elif not _ASCII_SLUG.fullmatch(self.slug):
            self.slug = vntext.slugify(self.slug, max_length=255) or self.fallback_slug
        super().full_clean(*args, **kwargs)  # type: ignore[misc]
