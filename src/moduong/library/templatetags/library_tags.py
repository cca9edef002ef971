"""schema.org Book data for search engines, built from the book page, escaped for a script."""

from django import template
from django.utils.html import json_script
from django.utils.safestring import SafeString, mark_safe

from moduong.core.selectors import site_contact

register = template.Library()


@register.simple_tag(takes_context=True)
def book_json_ld(context: template.Context, page, files) -> SafeString:  # type: ignore[no-untyped-def]
    request = context["request"]
    base = f"{request.scheme}://{request.get_host()}"
    office = site_contact(request).office_name
    data: dict[str, object] = {
        "@context": "https://schema.org",
        "@type": "Book",
        "name": page.title,
        "url": request.build_absolute_uri(page.url),
        "inLanguage": page.language,
        "author": [{"@type": "Person", "name": name} for name in page.author_list]
        or [{"@type": "Organization", "name": office}],
        "publisher": {"@type": "Organization", "name": page.publisher or office},
        "description": page.summary or page.search_description or page.title,
    }
    if page.subtitle:
        data["alternativeHeadline"] = page.subtitle
    if page.isbn:
        data["isbn"] = page.isbn
    if page.year:
        data["datePublished"] = str(page.year)
    if page.page_count:
        data["numberOfPages"] = page.page_count
    if page.edition:
        data["bookEdition"] = page.edition
    if page.translator_list:
        data["translator"] = [{"@type": "Person", "name": name} for name in page.translator_list]
    if page.cover:
        data["image"] = f"{base}{page.cover.get_rendition('fill-480x680').url}"
    if files:
        data["bookFormat"] = "https://schema.org/EBook"
        data["encoding"] = [
            {
                "@type": "MediaObject",
                "encodingFormat": f.media_type,
                "contentUrl": f"{base}{page.url.rstrip('/')}/tai-ve/{f.pk}/",
                "contentSize": str(f.size),
            }
            for f in files
        ]
    script = json_script(data, element_id=None)
    return mark_safe(  # noqa: S308 - json_script has escaped the data for a script element
        script.replace('type="application/json"', 'type="application/ld+json"', 1)
    )
