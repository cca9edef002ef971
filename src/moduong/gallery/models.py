"""Photo library (Thư viện ảnh) and video library (Thư viện Video)."""

from __future__ import annotations

from typing import Any

from django.db import models
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.models import Orderable, Page
from wagtail.search import index

from moduong.core import files, vntext
from moduong.core.pages import VietnameseSlugMixin
from moduong.core.pageviews import page_view_call

from . import validation

PAGE_SIZE = 12


class LibraryIndexPage(VietnameseSlugMixin, Page):
    """The front page of a library, under the home page: a title, an introduction and a paged
    list of what the library holds."""

    intro = models.TextField(_("introduction"), blank=True)
    content_panels = [*Page.content_panels, FieldPanel("intro")]
    parent_page_types = ["news.HomePage"]

    class Meta:
        abstract = True


class GalleryIndexPage(LibraryIndexPage):
    """Thư viện ảnh: the albums, newest first."""

    subpage_types = ["gallery.AlbumPage"]

    class Meta:
        verbose_name = _("photo library")

    def get_context(self, request, *args, **kwargs):  # type: ignore[no-untyped-def]
        context = super().get_context(request, *args, **kwargs)
        return page_view_call("gallery.albums_context", request, self, context)  # type: ignore[no-any-return]


class AlbumPage(VietnameseSlugMixin, RoutablePageMixin, Page):
    date = models.DateField(_("date"), default=timezone.localdate)
    photographer = models.CharField(_("photographer"), max_length=200, blank=True)
    description = models.TextField(_("description"), blank=True)
    cover = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("cover"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Shown in the list of albums; the first photo when empty."),
    )
    allow_download = models.BooleanField(
        _("readers may download the originals"),
        default=False,
        help_text=_("Only where the office holds the rights to share the full-size photos."),
    )

    content_panels = [
        *Page.content_panels,
        MultiFieldPanel(
            [FieldPanel("date"), FieldPanel("photographer"), FieldPanel("allow_download")],
            heading=_("About the album"),
        ),
        FieldPanel("description"),
        FieldPanel("cover"),
        InlinePanel("photos", label=_("Photos")),
    ]
    search_fields = [
        *Page.search_fields,
        index.SearchField("description"),
        index.SearchField("photographer"),
        index.SearchField("captions"),
    ]
    parent_page_types = ["gallery.GalleryIndexPage"]
    subpage_types: list[str] = []
    search_kind = "album"  # in the portal's search (moduong.search)

    class Meta:
        verbose_name = _("photo album")
        verbose_name_plural = _("photo albums")

    def captions(self) -> str:
        return "\n".join(photo.caption for photo in self.photos.all() if photo.caption)

    @property
    def cover_image(self) -> Any:
        if self.cover_id:
            return self.cover
        # all(), not first(): the library's list prefetched the photos with their images, and
        # first() would ask the database again for every album.
        first = next(iter(self.photos.all()), None)
        return first.image if first else None

    @path("")
    def detail(self, request: HttpRequest) -> HttpResponse:
        photos = list(self.photos.select_related("image"))
        return self.render(request, context_overrides={"photos": photos})

    @path("tai-anh/<int:photo_id>/", name="download")
    def download(self, request: HttpRequest, photo_id: int) -> HttpResponseBase:
        """The original file, when the album allows it (its location data was removed when it
        was uploaded: see signals.py)."""
        if not self.allow_download:
            raise Http404
        photo = self.photos.select_related("image").filter(pk=photo_id).first()
        if photo is None or photo.image is None:
            raise Http404
        image = photo.image
        extension = image.file.name.rsplit(".", 1)[-1].lower()
        name = f"{vntext.slugify(self.title, 40)}-{(photo.sort_order or 0) + 1}.{extension}"
        # Originals are not served at /media/original_images/ (urls.py, docs/operator.md): only
        # here, and only when the album allows it.
        return files.file_response(image.file, filename=name)


class AlbumPhoto(Orderable):
    page = ParentalKey(AlbumPage, on_delete=models.CASCADE, related_name="photos")
    image = models.ForeignKey(
        "wagtailimages.Image", verbose_name=_("photo"), on_delete=models.CASCADE, related_name="+"
    )
    caption = models.CharField(_("caption"), max_length=500, blank=True)

    panels = [FieldPanel("image"), FieldPanel("caption")]

    class Meta(Orderable.Meta):
        verbose_name = _("photo")
        verbose_name_plural = _("photos")

    @property
    def alt(self) -> str:
        return self.caption or self.image.title


class VideoCategory(models.Model):  # type: ignore[django-manager-missing]  # Page subclass
    name = models.CharField(_("name"), max_length=100, unique=True)
    slug = models.SlugField(_("address"), max_length=100, unique=True, blank=True)

    panels = [FieldPanel("name")]

    class Meta:
        verbose_name = _("video category")
        verbose_name_plural = _("video categories")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.name = vntext.clean_line(self.name)
        if not self.slug:
            self.slug = vntext.slugify(self.name) or "the-loai"
        super().save(*args, **kwargs)


class VideoIndexPage(LibraryIndexPage):
    """Thư viện Video: every video, newest first, by category."""

    subpage_types = ["gallery.VideoPage"]

    class Meta:
        verbose_name = _("video library")

    def get_context(self, request, *args, **kwargs):  # type: ignore[no-untyped-def]
        context = super().get_context(request, *args, **kwargs)
        return page_view_call("gallery.videos_context", request, self, context)  # type: ignore[no-any-return]


def video_upload_to(instance: Any, filename: str) -> str:
    stem, _dot, extension = filename.rpartition(".")
    return f"videos/{vntext.slugify(stem, 60) or 'video'}.{extension.lower()}"


class VideoPage(VietnameseSlugMixin, Page):
    date = models.DateField(_("date"), default=timezone.localdate)
    description = models.TextField(_("description"), blank=True)
    category = models.ForeignKey(
        VideoCategory,
        verbose_name=_("category"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="videos",
    )
    video_file = models.FileField(
        _("video file"),
        upload_to=video_upload_to,
        blank=True,
        help_text=_("An MP4 or WebM file, at most 500 MB."),
    )
    video_type = models.CharField(max_length=20, blank=True, editable=False)
    captions = models.FileField(
        _("captions (WebVTT)"),
        upload_to=video_upload_to,
        blank=True,
        help_text=_("A .vtt file with the Vietnamese subtitles."),
    )
    external_url = models.URLField(
        _("address on an outside host"),
        blank=True,
        help_text=_("YouTube, Vimeo… used when no file is uploaded."),
    )
    poster = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("poster image"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    duration = models.PositiveIntegerField(
        _("duration (seconds)"),
        null=True,
        blank=True,
        help_text=_("Read from an MP4 file by itself; type it for WebM and outside videos."),
    )

    content_panels = [
        *Page.content_panels,
        MultiFieldPanel(
            [FieldPanel("date"), FieldPanel("category"), FieldPanel("duration")],
            heading=_("About the video"),
        ),
        FieldPanel("description"),
        MultiFieldPanel(
            [
                FieldPanel("video_file"),
                FieldPanel("poster"),
                FieldPanel("captions"),
                FieldPanel("external_url"),
            ],
            heading=_("The video"),
        ),
    ]
    search_fields = [*Page.search_fields, index.SearchField("description")]
    parent_page_types = ["gallery.VideoIndexPage"]
    subpage_types: list[str] = []
    search_kind = "video"  # in the portal's search (moduong.search)

    class Meta:
        verbose_name = _("video")
        verbose_name_plural = _("videos")

    def clean(self) -> None:
        super().clean()
        validation.video_page_clean(self)

    @property
    def duration_text(self) -> str:
        """ "4:05", "1:02:09" """
        if not self.duration:
            return ""
        hours, rest = divmod(self.duration, 3600)
        minutes, seconds = divmod(rest, 60)
        return f"{hours}:{minutes:02d}:{seconds:02d}" if hours else f"{minutes}:{seconds:02d}"

    @property
    def iso_duration(self) -> str:
        return f"PT{self.duration}S" if self.duration else ""
