"""The one pagination of every listing: ?trang=N, and a page that does not exist is a 404 (an
API turns that into its own 404), never an error page."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.core.paginator import InvalidPage, Page, Paginator
from django.db import models
from django.http import Http404, HttpRequest

from .caching import cached_until_publish

PAGE_PARAM = "trang"


class _KnownCountPaginator(Paginator):
    def __init__(self, object_list: Any, per_page: int, count: int) -> None:
        super().__init__(object_list, per_page)
        self._known_count = count

    @property
    def count(self) -> int:  # type: ignore[override]
        return self._known_count


def page_number(request: HttpRequest) -> int:
    """The page ?trang= asks for; not a number is a 404."""
    try:
        return int(request.GET.get(PAGE_PARAM, 1))
    except (TypeError, ValueError) as error:
        raise Http404 from error


def page_get(items: Any, number: int | str, *, per_page: int) -> Page:
    """Page `number` of `items`; one out of range is a 404."""
    try:
        return Paginator(items, per_page).page(number)
    except InvalidPage as error:
        raise Http404 from error


def paginate(request: HttpRequest, items: Any, *, per_page: int) -> Page:
    """The page of `items` that ?trang= asks for."""
    return page_get(items, page_number(request), per_page=per_page)


def paginate_cached(
    request: HttpRequest,
    items: Callable[[], models.QuerySet[Any]],
    *,
    cache_key: str,
    per_page: int,
) -> Any:
    """Like paginate, but the count and each page's items are kept until the next publish (one
    cache read for a page seen before), so a section of 20,000 articles is not counted and
    sorted again on every view, nor its query built: `items` is called only when the cache has
    no answer."""
    number = page_number(request)

    def counted_page() -> Any:
        count = cached_until_publish(f"{cache_key}:count", lambda: items().count())
        try:
            page = _KnownCountPaginator([], per_page, count).page(number)
        except InvalidPage:
            return None
        start = (page.number - 1) * per_page
        page.object_list = list(items()[start : start + per_page])
        return page

    page = cached_until_publish(f"{cache_key}:page{number}", counted_page)
    if page is None:
        raise Http404
    return page
