from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext as _

from moduong.core.pageviews import page_view
from moduong.core.pagination import paginate_cached

from . import selectors, services
from .feeds import ArticleAtomFeed, ArticleRssFeed
from .models import PAGE_SIZE, ArticlePage, HomePage, SectionPage, Topic


def topic_detail(request: HttpRequest, slug: str) -> HttpResponse:
    topic = get_object_or_404(Topic, slug=slug)
    return render(
        request,
        "news/topic.html",
        {
            "topic": topic,
            "articles": paginate_cached(
                request,
                lambda: selectors.articles_by_topic(topic=topic),
                cache_key=f"news:topic:{topic.pk}",
                per_page=PAGE_SIZE,
            ),
            "breadcrumb_title": _("Topic: %(name)s") % {"name": topic.name},
        },
    )


def archive_month(request: HttpRequest, year: int, month: int) -> HttpResponse:
    if not (1 <= month <= 12 and 1990 <= year <= 2100):
        raise Http404
    return render(
        request,
        "news/archive.html",
        {
            "year": year,
            "month": month,
            "articles": paginate_cached(
                request,
                lambda: selectors.articles_in_month(year=year, month=month),
                cache_key=f"news:archive:{year}:{month}",
                per_page=PAGE_SIZE,
            ),
            "breadcrumb_title": _("Archive %(month)d/%(year)d") % {"month": month, "year": year},
        },
    )


def site_rss(request: HttpRequest) -> HttpResponse:
    # A feed object keeps the request while it renders, so each request gets its own.
    return ArticleRssFeed()(request)


def site_atom(request: HttpRequest) -> HttpResponse:
    return ArticleAtomFeed()(request)


@page_view("news.home_context")
def home_context(home: HomePage, context: dict[str, Any]) -> dict[str, Any]:
    # Lazy: when the cards come from the fragment cache, the lists are never read.
    context["blocks"] = SimpleLazyObject(lambda: selectors.home_blocks(home=home))
    return context


@page_view("news.section_listing")
def section_listing(request: HttpRequest, section: SectionPage) -> HttpResponse:
    scope = "all" if section.all_articles else section.pk
    articles = paginate_cached(
        request,
        lambda: selectors.article_list(section=None if section.all_articles else section),
        cache_key=f"news:section:{scope}",
        per_page=PAGE_SIZE,
    )
    return section.render(request, context_overrides={"articles": articles})


@page_view("news.section_rss")
def section_rss(request: HttpRequest, section: SectionPage) -> HttpResponse:
    return ArticleRssFeed()(request, section=section)


@page_view("news.section_atom")
def section_atom(request: HttpRequest, section: SectionPage) -> HttpResponse:
    return ArticleAtomFeed()(request, section=section)


@page_view("news.article_read_record")
def article_read_record(article: ArticlePage) -> None:
    services.article_read_record(article_id=article.pk)


@page_view("news.article_context")
def article_context(article: ArticlePage, context: dict[str, Any]) -> dict[str, Any]:
    # Lazy, like the home page's blocks: read only when the fragment cache has no answer.
    context["around"] = SimpleLazyObject(lambda: selectors.article_neighbours(article=article))
    return context
