"""schema.org NewsArticle data for search engines, built from the page, escaped for a script."""

from django import template
from django.templatetags.static import static
from django.utils.html import json_script
from django.utils.safestring import SafeString, mark_safe

from moduong.core import vntext
from moduong.core.selectors import site_contact

register = template.Library()


@register.simple_tag(takes_context=True)
def article_json_ld(context: template.Context, page) -> SafeString:  # type: ignore[no-untyped-def]
    request = context["request"]
    base = f"{request.scheme}://{request.get_host()}"
    office = site_contact(request).office_name
    data = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": page.title[:110],
        "description": page.lead,
        "datePublished": page.date.astimezone(vntext.VN_TZ).isoformat(),
        "dateModified": (page.last_published_at or page.date).astimezone(vntext.VN_TZ).isoformat(),
        "mainEntityOfPage": request.build_absolute_uri(page.url),
        "inLanguage": "vi",
        "author": [{"@type": "Person", "name": name} for name in page.author_list]
        or [{"@type": "Organization", "name": office}],
        "publisher": {
            "@type": "Organization",
            "name": office,
            "logo": {"@type": "ImageObject", "url": f"{base}{static('core/favicon.svg')}"},
        },
    }
    if page.image:
        rendition = page.image.get_rendition("fill-1200x630")
        data["image"] = [f"{base}{rendition.url}"]
    script = json_script(data, element_id=None)
    return mark_safe(  # noqa: S308 - json_script has escaped the data for a script element
        script.replace('type="application/json"', 'type="application/ld+json"', 1)
    )
