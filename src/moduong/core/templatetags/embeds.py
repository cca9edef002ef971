"""An outside video (YouTube, Vimeo…) through Wagtail's embeds, or nothing when its host
cannot be reached, so the page shows a plain link instead. A failed look-up is remembered for
a while: a page is never held up for the finder's timeout on every view."""

from django import template
from django.core.cache import cache
from django.utils.safestring import SafeString, mark_safe
from wagtail.embeds import embeds
from wagtail.embeds.exceptions import EmbedException

register = template.Library()

FAILURE_SECONDS = 600


@register.simple_tag
def embed_or_empty(url: str, max_width: int | None = None) -> SafeString:
    if not url:
        return mark_safe("")
    failed_key = f"core:embed-failed:{url}"
    if cache.get(failed_key):
        return mark_safe("")
    try:
        embed = embeds.get_embed(url, max_width=max_width)
    except (EmbedException, OSError):
        cache.set(failed_key, True, FAILURE_SECONDS)
        return mark_safe("")
    return mark_safe(embed.html)  # noqa: S308 - the provider's player, as Wagtail's own tag does
