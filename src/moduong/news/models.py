from __future__ import annotations

import math
from typing import Any

from django.db import models
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.html import strip_tags
from django.utils.translation import gettext_lazy as _
from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey
from taggit.models import TagBase, TaggedItemBase
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page
from wagtail.search import index
from wagtail.url_routing import RouteResult

from moduong.core import vntext
from moduong.core.pages import VietnameseSlugMixin
from moduong.core.pageviews import page_view_call

from .blocks import BodyBlock

PAGE_SIZE = 12
WORDS_PER_MINUTE = 220


class HomePage(VietnameseSlugMixin, Page):
    intro = RichTextField(_("introduction"), blank=True, features=["bold", "italic", "link"])

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    search_fields = [*Page.search_fields, index.SearchField("intro")]
    max_count = 1
    parent_page_types = ["wagtailcore.Page"]

    class Meta:
        verbose_name = _("home page")

    def route(self, request: HttpRequest, path_components: list[str]) -> RouteResult:
        """An article is found by its full address in one indexed query (with its image),
        instead of one query per level of the tree; anything else is routed as usual."""
        if path_components:
            url_path = f"{self.url_path}{'/'.join(path_components)}/"
            article = (
                ArticlePage.objects.select_related("image")
                .filter(url_path=url_path, live=True)
                .first()
            )
            if article is not None:
                return RouteResult(article)
        return super().route(request, path_components)

    def get_context(self, request, *args, **kwargs):  # type: ignore[no-untyped-def]
        context = super().get_context(request, *args, **kwargs)
        return page_view_call("news.home_context", self, context)  # type: ignore[no-any-return]


class StandardPage(VietnameseSlugMixin, Page):
    """A page of text (Giới thiệu), and the stand-in for a module that is not built yet."""

    intro = models.TextField(_("introduction"), blank=True)
    body = StreamField(BodyBlock(), verbose_name=_("body"), blank=True)
    coming_soon = models.BooleanField(
        _("module being built"),
        default=False,
        help_text=_("Shows readers that this part of the site is being built."),
    )

    content_panels = [*Page.content_panels, FieldPanel("intro"), FieldPanel("body")]
    settings_panels = [*Page.settings_panels, FieldPanel("coming_soon")]
    search_fields = [*Page.search_fields, index.SearchField("intro"), index.SearchField("body")]

    search_kind = "page"  # in the portal's search (moduong.search)

    class Meta:
        verbose_name = _("standard page")

    def search_is_public(self) -> bool:
        return not self.coming_soon


class SectionPage(VietnameseSlugMixin, RoutablePageMixin, Page):
    """A news section (Tin tức, Tin tổng hợp…) listing the articles beneath it."""

    intro = models.TextField(_("introduction"), blank=True)
    all_articles = models.BooleanField(
        _("latest from every section"),
        default=False,
        help_text=_("List the newest articles of the whole site, not only those below this page."),
    )

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    settings_panels = [*Page.settings_panels, FieldPanel("all_articles")]
    search_fields = [*Page.search_fields, index.SearchField("intro")]
    parent_page_types = ["news.HomePage", "news.SectionPage"]
    subpage_types = ["news.SectionPage", "news.ArticlePage"]

    class Meta:
        verbose_name = _("news section")

    @path("")
    def listing(self, request: HttpRequest) -> HttpResponse:
        return page_view_call("news.section_listing", request, self)  # type: ignore[no-any-return]

    @path("rss/", name="rss")
    def rss(self, request: HttpRequest) -> HttpResponse:
        return page_view_call("news.section_rss", request, self)  # type: ignore[no-any-return]

    @path("atom/", name="atom")
    def atom(self, request: HttpRequest) -> HttpResponse:
        return page_view_call("news.section_atom", request, self)  # type: ignore[no-any-return]


class Topic(TagBase):
    """A subject that articles share; slugs are made the Vietnamese way (đ → d, not dropped)."""

    class Meta:
        verbose_name = _("topic")
        verbose_name_plural = _("topics")

    def slugify(self, tag: str, i: int | None = None) -> str:
        slug = vntext.slugify(tag, max_length=90) or "chu-de"
        return f"{slug}-{i}" if i is not None else slug


class ArticleTopic(TaggedItemBase):
    tag = models.ForeignKey(Topic, on_delete=models.CASCADE, related_name="tagged_articles")
    content_object = ParentalKey(
        "news.ArticlePage", on_delete=models.CASCADE, related_name="tagged_topics"
    )


class ArticlePage(VietnameseSlugMixin, Page):
    date = models.DateTimeField(_("publication date"), default=timezone.now, db_index=True)
    lead = models.TextField(_("lead"), help_text=_("One or two sentences shown under the title."))
    image = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("main image"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    body = StreamField(BodyBlock(), verbose_name=_("body"), blank=True)
    authors = models.CharField(
        _("authors"), max_length=255, blank=True, help_text=_("Names separated by commas.")
    )
    topics = ClusterTaggableManager(through=ArticleTopic, blank=True, verbose_name=_("topics"))
    featured = models.BooleanField(_("featured on the home page"), default=False)
    source_author = models.CharField(_("original author"), max_length=200, blank=True)
    source_outlet = models.CharField(_("original outlet"), max_length=200, blank=True)
    source_url = models.URLField(_("original address"), max_length=500, blank=True)
    external_id = models.CharField(
        _("identifier in the old portal"),
        max_length=100,
        unique=True,
        null=True,
        blank=True,
        editable=False,
    )
    read_count = models.PositiveIntegerField(_("reads"), default=0, editable=False)

    # A copy is a new article: not the old portal's, and not yet read.
    exclude_fields_in_copy = ["external_id", "read_count"]

    def with_content_json(self, content):  # type: ignore[no-untyped-def]
        """Reads belong to the article, not to a revision: publishing a revision saved last
        week must not put back last week's count."""
        page = super().with_content_json(content)
        # From the row, not from this instance: the background task adds reads to the row
        # while the instance that publishes may have been loaded minutes ago.
        current = ArticlePage.objects.filter(pk=self.pk).values_list("read_count", flat=True)
        page.read_count = current.first() or 0
        return page

    content_panels = [
        *Page.content_panels,
        FieldPanel("lead"),
        FieldPanel("image"),
        FieldPanel("body"),
        MultiFieldPanel(
            [
                FieldPanel("authors"),
                FieldPanel("date"),
                FieldPanel("topics"),
                FieldPanel("featured"),
            ],
            heading=_("About the article"),
        ),
        MultiFieldPanel(
            [FieldPanel("source_author"), FieldPanel("source_outlet"), FieldPanel("source_url")],
            heading=_("Republished from"),
        ),
    ]
    search_fields = [
        *Page.search_fields,
        index.SearchField("lead"),
        index.SearchField("body"),
        index.SearchField("authors"),
        index.FilterField("date"),
    ]
    parent_page_types = ["news.SectionPage"]
    subpage_types: list[str] = []
    search_kind = "article"  # in the portal's search (moduong.search)

    class Meta:
        verbose_name = _("article")
        verbose_name_plural = _("articles")
        indexes = [models.Index(fields=["-date"], name="news_article_date_desc")]

    @property
    def author_list(self) -> list[str]:
        return [name.strip() for name in self.authors.split(",") if name.strip()]

    @property
    def reading_minutes(self) -> int:
        """Counted from the stored blocks, without rendering the body (which the page caches)."""
        words = len(self.lead.split())
        for block in self.body.raw_data:
            value = block.get("value")
            if block.get("type") in {"paragraph", "heading"} and isinstance(value, str):
                words += len(strip_tags(value).split())
            elif block.get("type") == "quote" and isinstance(value, dict):
                words += len(str(value.get("text", "")).split())
        return max(1, math.ceil(words / WORDS_PER_MINUTE))

    @property
    def is_republished(self) -> bool:
        return bool(self.source_outlet or self.source_author)

    def serve(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        response = super().serve(request, *args, **kwargs)
        if not getattr(request, "is_preview", False):
            page_view_call("news.article_read_record", self)
        response.counted_article_id = self.pk  # type: ignore[attr-defined]  # see signals.py
        return response

    def get_context(self, request, *args, **kwargs):  # type: ignore[no-untyped-def]
        context = super().get_context(request, *args, **kwargs)
        return page_view_call("news.article_context", self, context)  # type: ignore[no-any-return]
