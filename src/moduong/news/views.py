from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _

from . import selectors
from .feeds import ArticleAtomFeed, ArticleRssFeed
from .models import Topic, paginate


def topic_detail(request: HttpRequest, slug: str) -> HttpResponse:
    topic = get_object_or_404(Topic, slug=slug)
    return render(
        request,
        "news/topic.html",
        {
            "topic": topic,
            "articles": paginate(
                request,
                lambda: selectors.articles_by_topic(topic=topic),
                cache_key=f"news:topic:{topic.pk}",
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
            "articles": paginate(
                request,
                lambda: selectors.articles_in_month(year=year, month=month),
                cache_key=f"news:archive:{year}:{month}",
            ),
            "breadcrumb_title": _("Archive %(month)d/%(year)d") % {"month": month, "year": year},
        },
    )


def site_rss(request: HttpRequest) -> HttpResponse:
    # A feed object keeps the request while it renders, so each request gets its own.
    return ArticleRssFeed()(request)


def site_atom(request: HttpRequest) -> HttpResponse:
    return ArticleAtomFeed()(request)
