import datetime as dt

from django import template
from django.utils import timezone

from moduong.core import vntext

register = template.Library()


@register.filter
def vn_datetime(value: dt.datetime | None) -> str:
    return vntext.format_datetime(value) if value else ""


@register.filter
def vn_date(value: dt.datetime | None) -> str:
    return vntext.format_date(value) if value else ""


@register.filter
def vn_time(value: dt.datetime | None) -> str:
    """The time of day in Vietnam, to the second: "20:15:30"."""
    return timezone.localtime(value).strftime("%H:%M:%S") if value else ""


@register.filter
def vn_number(value: int | None) -> str:
    return vntext.format_number(value) if value is not None else ""


@register.filter
def minutes(seconds: int) -> str:
    return vntext.format_number(round(seconds / 60, 1) if seconds % 60 else seconds // 60)


@register.filter
def clock(seconds: int) -> str:
    seconds = max(0, int(seconds))
    return f"{seconds // 60:02d}:{seconds % 60:02d}"


@register.filter
def duration(ms: int | None) -> str:
    seconds = (ms or 0) // 1000
    return f"{seconds // 60} phút {seconds % 60:02d} giây"
