"""What the photo and video libraries' pages list (their get_context reaches these by name:
see core/pageviews.py)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from moduong.core.pageviews import page_view
from moduong.core.pagination import paginate

from . import selectors
from .models import PAGE_SIZE, GalleryIndexPage, VideoIndexPage


@page_view("gallery.albums_context")
def albums_context(
    request: HttpRequest, index: GalleryIndexPage, context: dict[str, Any]
) -> dict[str, Any]:
    context["albums"] = paginate(request, selectors.album_list(index=index), per_page=PAGE_SIZE)
    return context


@page_view("gallery.videos_context")
def videos_context(
    request: HttpRequest, index: VideoIndexPage, context: dict[str, Any]
) -> dict[str, Any]:
    categories = selectors.video_categories(index=index)
    chosen = next((c for c in categories if c.slug == request.GET.get("the-loai")), None)
    context["categories"] = categories
    context["category"] = chosen
    context["videos"] = paginate(
        request, selectors.video_list(index=index, category=chosen), per_page=PAGE_SIZE
    )
    return context
