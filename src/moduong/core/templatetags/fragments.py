"""`{% cachepublished name var … %}…{% endcachepublished %}`: a fragment of a page rendered
once per publish and kept in each process (HTML is never changed once made). The content
generation, the language and the address the reader used (scheme and host, which absolute
links contain) are always part of the key, so a template cannot forget them; a preview always
renders afresh, since it shows what is not published."""

from collections.abc import Iterable
from typing import Any

from django import template
from django.core.cache.utils import make_template_fragment_key
from django.core.exceptions import DisallowedHost
from django.template.base import FilterExpression, NodeList, Parser, Token
from django.utils import translation
from django.utils.safestring import SafeString, mark_safe

from moduong.core.caching import shared_until_publish

register = template.Library()

FRAGMENT_SECONDS = 600


class PublishedFragmentNode(template.Node):
    def __init__(self, nodelist: NodeList, name: str, vary_on: list[FilterExpression]) -> None:
        self.nodelist = nodelist
        self.name = name
        self.vary_on = vary_on

    def render(self, context: template.Context) -> SafeString:
        request = context.get("request")
        if request is None or getattr(request, "is_preview", False):
            return self.nodelist.render(context)
        try:
            host = request.get_host()
        except DisallowedHost:  # the 400 page for a forged Host header: render, keep nothing
            return self.nodelist.render(context)
        parts = [var.resolve(context) for var in self.vary_on]
        parts += [translation.get_language(), request.scheme, host]
        key = make_template_fragment_key(self.name, parts)
        html = shared_until_publish(
            key, lambda: str(self.nodelist.render(context)), FRAGMENT_SECONDS
        )
        return mark_safe(html)  # noqa: S308  # rendered by our own template above


@register.tag("cachepublished")
def do_cachepublished(parser: Parser, token: Token) -> PublishedFragmentNode:
    bits = token.split_contents()
    if len(bits) < 2:
        raise template.TemplateSyntaxError(f"'{bits[0]}' needs a fragment name")
    nodelist = parser.parse(("endcachepublished",))
    parser.delete_first_token()
    return PublishedFragmentNode(nodelist, bits[1], [parser.compile_filter(b) for b in bits[2:]])


@register.filter
def menu_current(path: str, entries: Iterable[Any]) -> str:
    """The menu address this page is (for aria-current), or "": the key of the rendered menu,
    so there is one copy per menu entry and one for every other page, not one per page."""
    if path == "/":
        return path
    for entry in entries:
        if entry.href == path or any(child.href == path for child in entry.children):
            return path
    return ""
