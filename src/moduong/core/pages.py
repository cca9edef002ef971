"""What every Wagtail page type of the site shares, whichever app defines it."""

from typing import Any

from . import vntext


class VietnameseSlugMixin:
    """A page left without a slug (made by code: the demo, an import) gets the Vietnamese one
    (Đà Nẵng → da-nang); the admin fills it the same way through WAGTAIL_ALLOW_UNICODE_SLUGS."""

    slug: str
    title: str
    fallback_slug = "trang"  # a title of marks and punctuation only

    def full_clean(self, *args: Any, **kwargs: Any) -> None:
        if not self.slug:
            self.slug = vntext.slugify(self.title) or self.fallback_slug
        super().full_clean(*args, **kwargs)  # type: ignore[misc]
