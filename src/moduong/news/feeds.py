"""RSS 2.0 and Atom feeds for the site and for each section.

GUIDs are stable tag URIs built from the page id, so moving or renaming an article does not make
readers see it again; dates carry Vietnam's +07:00 offset.
"""

from __future__ import annotations

import datetime as dt

from django.contrib.syndication.views import Feed
from django.http import HttpRequest
from django.utils.feedgenerator import Atom1Feed, Rss201rev2Feed

from moduong.core import vntext
from moduong.core.selectors import site_contact

from . import selectors
from .models import ArticlePage, SectionPage

FEED_SIZE = 30


class ArticleRssFeed(Feed):
    feed_type = Rss201rev2Feed
    section: SectionPage | None = None

    def __call__(  # type: ignore[no-untyped-def]
        self, request: HttpRequest, *args: object, section: SectionPage | None = None, **kwargs
    ):
        self.request = request
        self.section = section
        return super().__call__(request, *args, **kwargs)

    def _office(self) -> str:
        return site_contact(self.request).office_name

    def title(self) -> str:
        if self.section is not None:
            return f"{self.section.title} · {self._office()}"
        return self._office()

    def link(self) -> str:
        return self.section.url if self.section is not None else "/"

    def feed_url(self) -> str:
        return self.request.path

    def description(self) -> str:
        if self.section is not None and self.section.intro:
            return self.section.intro
        return f"Tin mới nhất của {self._office()}"

    def items(self) -> list[ArticlePage]:
        section = None if self.section is None or self.section.all_articles else self.section
        return list(selectors.article_list(section=section)[:FEED_SIZE])

    def item_title(self, item: ArticlePage) -> str:
        return item.title

    def item_description(self, item: ArticlePage) -> str:
        return item.lead

    def item_link(self, item: ArticlePage) -> str:
        return item.get_url(self.request) or "/"

    def item_guid(self, item: ArticlePage) -> str:
        host = self.request.get_host().split(":")[0]
        return f"tag:{host},2026:bai-viet:{item.pk}"

    item_guid_is_permalink = False

    def item_pubdate(self, item: ArticlePage) -> dt.datetime:
        return item.date.astimezone(vntext.VN_TZ)

    def item_updateddate(self, item: ArticlePage) -> dt.datetime:
        return (item.last_published_at or item.date).astimezone(vntext.VN_TZ)

    def author_name(self) -> str:
        # Atom needs an author for the feed when an entry has none of its own.
        return self._office()

    def item_author_name(self, item: ArticlePage) -> str | None:
        return ", ".join(item.author_list) or None


class ArticleAtomFeed(ArticleRssFeed):
    feed_type = Atom1Feed  # type: ignore[assignment]  # Django's feed types share no base it names

    def subtitle(self) -> str:
        return self.description()
