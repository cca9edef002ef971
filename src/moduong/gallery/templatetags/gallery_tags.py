"""schema.org VideoObject data for a video page, escaped for a script element."""

import datetime as dt

from django import template
from django.utils.html import json_script
from django.utils.safestring import SafeString, mark_safe

register = template.Library()


@register.simple_tag(takes_context=True)
def video_json_ld(context: template.Context, page) -> SafeString:  # type: ignore[no-untyped-def]
    request = context["request"]
    base = f"{request.scheme}://{request.get_host()}"
    data: dict[str, object] = {
        "@context": "https://schema.org",
        "@type": "VideoObject",
        "name": page.title,
        "description": page.description or page.title,
        "uploadDate": dt.datetime.combine(page.date, dt.time(8)).isoformat() + "+07:00",
        "inLanguage": "vi",
        "url": request.build_absolute_uri(page.url),
    }
    if page.poster:
        data["thumbnailUrl"] = [f"{base}{page.poster.get_rendition('fill-1280x720').url}"]
    if page.duration:
        data["duration"] = page.iso_duration
    if page.video_file:
        data["contentUrl"] = f"{base}{page.video_file.url}"
    elif page.external_url:
        data["embedUrl"] = page.external_url
    script = json_script(data, element_id=None)
    return mark_safe(  # noqa: S308 - json_script has escaped the data for a script element
        script.replace('type="application/json"', 'type="application/ld+json"', 1)
    )
