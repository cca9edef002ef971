"""Reads for the photo and video libraries."""

from __future__ import annotations

from django.db.models import QuerySet

from moduong.core.selectors import public_q

from .models import AlbumPage, GalleryIndexPage, VideoCategory, VideoIndexPage, VideoPage


def album_list(*, index: GalleryIndexPage) -> QuerySet[AlbumPage]:
    return (
        AlbumPage.objects.child_of(index)
        .filter(public_q())  # the site's one visibility rule
        .select_related("cover")
        .prefetch_related("photos__image")
        .order_by("-date", "-pk")
    )


def video_categories(*, index: VideoIndexPage) -> list[VideoCategory]:
    ids = VideoPage.objects.child_of(index).filter(public_q()).values("category_id")
    return list(VideoCategory.objects.filter(pk__in=ids))


def video_list(*, index: VideoIndexPage, category: VideoCategory | None) -> QuerySet[VideoPage]:
    videos = (
        VideoPage.objects.child_of(index).filter(public_q()).select_related("poster", "category")
    )
    if category is not None:
        videos = videos.filter(category=category)
    return videos.order_by("-date", "-pk")
