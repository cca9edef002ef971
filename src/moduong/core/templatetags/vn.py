"""Template filters that put core.vntext's formats on the page."""

import datetime as dt
from typing import Any

from django import template

from .. import vntext

register = template.Library()


@register.filter
def vn_datetime(value: dt.datetime | None) -> str:
    return vntext.format_datetime(value) if value else ""


@register.filter
def vn_date(value: dt.date | None) -> str:
    return vntext.format_date(value) if value else ""


@register.filter
def iso_datetime(value: dt.datetime | None) -> str:
    """For <time datetime> and meta tags: ISO 8601 in Vietnam's time, to the second (HTML
    allows at most three digits of a second; Django's "c" format writes six)."""
    if not value:
        return ""
    return vntext.format_iso(value)


@register.filter
def vn_number(value: int | float | None) -> str:
    return vntext.format_number(value) if value is not None else ""


@register.simple_tag(takes_context=True)
def absolute_url(context: template.Context, path: str) -> str:
    """The address as the reader reached the site (scheme and host of this request)."""
    request = context["request"]
    return request.build_absolute_uri(path or "/")


@register.filter
def page_numbers(page: Any) -> list[int | str]:
    """The page numbers a listing links to around the current one: 1 … 8 9 10 11 12 … 50.
    (Called from a template, the paginator's own method would centre on page 1.)"""
    return list(page.paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1))
