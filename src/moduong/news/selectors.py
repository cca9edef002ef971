"""Reads for the news pages. Every listing selects its images and sections up front so a page
costs a fixed number of queries whatever its length."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Prefetch, QuerySet
from wagtail.images.models import Image
from wagtail.models import Page
from wagtail.query import PageQuerySet

from moduong.core import home_panels, vntext
from moduong.core.caching import cached_until_publish
from moduong.core.selectors import public_q

from .models import ArticlePage, ArticleTopic, HomePage, SectionPage, Topic

CARD_RENDITION = "fill-480x270"
MOST_READ_CACHE_KEY = "news:most-read:v1"
MOST_READ_DAYS = 30


def _with_cards(queryset: QuerySet[ArticlePage]) -> QuerySet[ArticlePage]:
    # prefetch_renditions keeps the card's rendition on the image itself, so it survives the
    # pickling of cached listings (a filtered Prefetch of image__renditions does not).
    images = Image.objects.prefetch_renditions(CARD_RENDITION)
    cards = queryset.prefetch_related(Prefetch("image", queryset=images))
    return cards.defer_streamfields()  # type: ignore[attr-defined]  # Wagtail's PageQuerySet


def _public_articles() -> PageQuerySet:
    """Live articles outside every private part of the site (core.selectors.public_q, the
    site's one visibility rule, with the restricted paths cached until the generation moves;
    Wagtail's .public() would read them on every call)."""
    return ArticlePage.objects.filter(public_q())  # type: ignore[no-any-return]  # the one rule


def article_list(*, section: Page | None = None) -> QuerySet[ArticlePage]:
    """Published articles, newest first; below a section, or of the whole site."""
    articles = _public_articles()
    if section is not None:
        articles = articles.descendant_of(section)
    return _with_cards(articles.order_by("-date", "-pk"))


def articles_by_topic(*, topic: Topic) -> QuerySet[ArticlePage]:
    return article_list().filter(tagged_topics__tag=topic)


def articles_in_month(*, year: int, month: int) -> QuerySet[ArticlePage]:
    start = dt.datetime(year, month, 1, tzinfo=vntext.VN_TZ)
    end = (start + dt.timedelta(days=32)).replace(day=1)
    return article_list().filter(date__gte=start, date__lt=end)


def most_read(*, limit: int = 5) -> list[ArticlePage]:
    """The most read recent articles; recomputed at most every few minutes."""

    def ids() -> list[int]:
        since = dt.datetime.now(tz=vntext.VN_TZ) - dt.timedelta(days=MOST_READ_DAYS)
        return list(
            _public_articles()
            .filter(date__gte=since, read_count__gt=0)
            .order_by("-read_count", "-date")
            .values_list("pk", flat=True)[:limit]
        )

    chosen = cached_until_publish(f"{MOST_READ_CACHE_KEY}:{limit}", ids, 300)
    by_id = {a.pk: a for a in article_list().filter(pk__in=chosen)}
    return [by_id[pk] for pk in chosen if pk in by_id]


def _recent_months(count: int) -> list[tuple[int, int]]:
    today = dt.datetime.now(tz=vntext.VN_TZ)
    months = []
    year, month = today.year, today.month
    for _ in range(count):
        months.append((year, month))
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return months


def home_blocks(*, home: HomePage) -> dict[str, Any]:
    """What the home page lists; cached until something is published."""
    return cached_until_publish(f"news:home:{home.pk}", lambda: _home_blocks(home), 300)


def _home_blocks(home: HomePage) -> dict[str, Any]:
    sections = list(SectionPage.objects.child_of(home).live().in_menu().filter(all_articles=False))
    latest = list(article_list()[:9])
    featured = list(article_list().filter(featured=True)[:3]) or latest[:1]
    shown = {a.pk for a in featured}
    blocks = [(section, list(article_list(section=section)[:3])) for section in sections]
    return {
        "featured": featured,
        "latest": [a for a in latest if a.pk not in shown][:8],
        "section_blocks": [(s, items) for s, items in blocks if items],
        "most_read": most_read(),
        "archive_months": _recent_months(12),
        # Latest e-books, albums …: filled in by the modules that register a panel.
        "home_panels": home_panels.rendered_panels(),
        "other_sections": list(Page.objects.child_of(home).live().in_menu().not_type(SectionPage)),
    }


def article_neighbours(*, article: ArticlePage) -> dict[str, Any]:
    """Related articles (sharing a topic), the previous and next article of its section.
    Cached until something is published (the page-cache generation is part of the key)."""
    if article.pk is None:  # a preview of an article not saved yet
        return _article_neighbours(article)
    return cached_until_publish(
        f"news:neighbours:{article.pk}", lambda: _article_neighbours(article)
    )


def _article_neighbours(article: ArticlePage) -> dict[str, Any]:
    # The section is the parent: found by its path, without reading it.
    section_path = article.path[: -ArticlePage.steplen]
    in_section = _public_articles().filter(path__startswith=section_path)
    siblings = in_section.filter(depth=article.depth).defer_streamfields()
    previous = siblings.filter(date__lt=article.date).order_by("-date", "-pk").first()
    following = siblings.filter(date__gt=article.date).order_by("date", "pk").first()
    topics = list(Topic.objects.filter(tagged_articles__content_object=article).order_by("name"))
    topic_ids = [topic.pk for topic in topics]
    related = (
        # A semi-join, not a join with DISTINCT: PostgreSQL walks the date index and stops
        # at the fourth match instead of sorting every tagged article.
        article_list()
        .filter(pk__in=ArticleTopic.objects.filter(tag__in=topic_ids).values("content_object_id"))
        .exclude(pk=article.pk)[:4]
        if topic_ids
        else _with_cards(in_section.order_by("-date", "-pk")).exclude(pk=article.pk)[:4]
    )
    return {
        "previous_article": previous,
        "next_article": following,
        "related": list(related),
        "article_topics": topics,
    }
