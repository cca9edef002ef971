"""The OPDS 1.2 catalogue at /opds/: what e-reader apps (KOReader, Thorium…) browse.

Navigation feeds: the root, the categories. Acquisition feeds: new books, most read, one
category, search results; each entry with its open-access links (EPUB, PDF), cover and
thumbnail; pages linked by first/previous/next/last. An OpenSearch description says how to search.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any
from urllib.parse import urlencode
from xml.etree.ElementTree import Element, SubElement, register_namespace, tostring  # writing only
from xml.sax.saxutils import quoteattr  # escaping only

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from moduong.core.caching import cached_until_publish
from moduong.core.pagination import paginate
from moduong.core.selectors import site_contact

from . import selectors
from .models import BookPage

ATOM = "http://www.w3.org/2005/Atom"
OPDS_NS = "http://opds-spec.org/2010/catalog"
DC = "http://purl.org/dc/terms/"
NAVIGATION = "application/atom+xml;profile=opds-catalog;kind=navigation"
ACQUISITION = "application/atom+xml;profile=opds-catalog;kind=acquisition"
OPENSEARCH = "application/opensearchdescription+xml"
PER_PAGE = 30


def _a(tag: str) -> str:
    return f"{{{ATOM}}}{tag}"


def _origin(request: HttpRequest) -> str:
    """Scheme and host: every link in a feed is absolute, as e-reader apps need, so a feed
    cached for http must never be served for https."""
    return f"{request.scheme}://{request.get_host()}"


class Feed:
    def __init__(self, request: HttpRequest, *, path: str, title: str, kind: str) -> None:
        self.request = request
        self.base = _origin(request)
        self.kind = kind
        self.root = Element(_a("feed"))
        SubElement(self.root, _a("id")).text = f"{self.base}{path}"
        SubElement(self.root, _a("title")).text = title
        self.updated = SubElement(self.root, _a("updated"))
        self.updated.text = _iso(timezone.now())
        author = SubElement(self.root, _a("author"))
        SubElement(author, _a("name")).text = site_contact(request).office_name
        SubElement(author, _a("uri")).text = f"{self.base}/"
        self.link("self", path, kind)
        self.link("start", reverse("library:opds"), NAVIGATION)
        self.link("search", reverse("library:opds-search-description"), OPENSEARCH)

    def link(self, rel: str, href: str, media_type: str, parent: Element | None = None,
             **extra: str) -> Element:  # fmt: skip
        element = SubElement(parent if parent is not None else self.root, _a("link"))
        element.set("rel", rel)
        element.set("href", href if href.startswith("http") else f"{self.base}{href}")
        element.set("type", media_type)
        for name, value in extra.items():
            element.set(name, value)
        return element

    def navigation_entry(self, *, title: str, href: str, kind: str, summary: str,
                         entry_id: str) -> None:  # fmt: skip
        entry = SubElement(self.root, _a("entry"))
        SubElement(entry, _a("title")).text = title
        SubElement(entry, _a("id")).text = f"{self.base}{entry_id}"
        SubElement(entry, _a("updated")).text = self.updated.text
        if summary:
            SubElement(entry, _a("content"), type="text").text = summary
        self.link("subsection", href, kind, parent=entry)

    def book_entry(self, book: BookPage) -> None:
        entry = SubElement(self.root, _a("entry"))
        SubElement(entry, _a("title")).text = book.title
        SubElement(entry, _a("id")).text = (
            f"urn:isbn:{book.isbn}" if book.isbn else f"{self.base}{book.url}"
        )
        updated = book.last_published_at or book.date
        SubElement(entry, _a("updated")).text = _iso(updated)
        for name in book.author_list or [site_contact(self.request).office_name]:
            author = SubElement(entry, _a("author"))
            SubElement(author, _a("name")).text = name
        if book.language:
            SubElement(entry, f"{{{DC}}}language").text = book.language
        if book.publisher:
            SubElement(entry, f"{{{DC}}}publisher").text = book.publisher
        if book.year:
            SubElement(entry, f"{{{DC}}}issued").text = str(book.year)
        if book.isbn:
            SubElement(entry, f"{{{DC}}}identifier").text = f"urn:isbn:{book.isbn}"
        for category in book.categories.all():
            SubElement(entry, _a("category"), term=category.slug, label=category.name)
        if book.summary:
            SubElement(entry, _a("summary"), type="text").text = book.summary[:1000]
        if book.cover is not None:
            cover = book.cover.get_rendition(selectors.COVER_RENDITION)
            thumbnail = book.cover.get_rendition(selectors.THUMBNAIL_RENDITION)
            self.link("http://opds-spec.org/image", cover.url, "image/jpeg", parent=entry)
            self.link(
                "http://opds-spec.org/image/thumbnail", thumbnail.url, "image/jpeg", parent=entry
            )
        self.link("alternate", book.url, "text/html", parent=entry, title=_("Book page"))
        base = book.url.rstrip("/")
        for book_file in book.files.all():
            self.link(
                "http://opds-spec.org/acquisition/open-access",
                f"{base}/tai-ve/{book_file.pk}/",
                book_file.media_type,
                parent=entry,
                length=str(book_file.size),
            )

    def page_links(self, path: str, page: Any, query: str = "") -> None:
        joiner = f"?{query}&" if query else "?"

        def at(number: int) -> str:
            return (
                f"{path}{joiner}trang={number}"
                if number > 1
                else (f"{path}?{query}" if query else path)
            )

        self.link("first", at(1), self.kind)
        if page.has_previous():
            self.link("previous", at(page.previous_page_number()), self.kind)
        if page.has_next():
            self.link("next", at(page.next_page_number()), self.kind)
        self.link("last", at(page.paginator.num_pages), self.kind)

    def body(self) -> bytes:
        return b'<?xml version="1.0" encoding="utf-8"?>\n' + tostring(
            self.root, encoding="unicode", default_namespace=None
        ).encode("utf-8")


def _response(body: bytes | str, kind: str) -> HttpResponse:
    response = HttpResponse(body, content_type=f"{kind};charset=utf-8")
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response


def _cached_response(key: str, request: HttpRequest, build: Any, kind: str) -> HttpResponse:
    return _response(cached_until_publish(f"{key}:{_origin(request)}", build), kind)


def _iso(value: dt.datetime) -> str:
    return value.astimezone(dt.UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def _register() -> None:

    # Atom is the default namespace (unprefixed), as every OPDS client expects to read it.
    register_namespace("", ATOM)
    register_namespace("opds", OPDS_NS)
    register_namespace("dc", DC)


_register()


def root(request: HttpRequest) -> HttpResponse:
    def build() -> bytes:
        office = site_contact(request).office_name
        feed = Feed(
            request,
            path=reverse("library:opds"),
            title=_("%(office)s: e-book catalogue") % {"office": office},
            kind=NAVIGATION,
        )
        feed.link("http://opds-spec.org/sort/new", reverse("library:opds-new"), ACQUISITION)
        feed.link("http://opds-spec.org/sort/popular", reverse("library:opds-popular"), ACQUISITION)
        feed.navigation_entry(
            title=_("New books"),
            href=reverse("library:opds-new"),
            kind=ACQUISITION,
            summary=_("The books added most recently."),
            entry_id=reverse("library:opds-new"),
        )
        feed.navigation_entry(
            title=_("Most read"),
            href=reverse("library:opds-popular"),
            kind=ACQUISITION,
            summary=_("The books readers open most."),
            entry_id=reverse("library:opds-popular"),
        )
        feed.navigation_entry(
            title=_("Categories"),
            href=reverse("library:opds-categories"),
            kind=NAVIGATION,
            summary=_("Books by category."),
            entry_id=reverse("library:opds-categories"),
        )
        return feed.body()

    return _cached_response("library:opds:root", request, build, NAVIGATION)


def categories(request: HttpRequest) -> HttpResponse:
    def build() -> bytes:
        feed = Feed(
            request, path=reverse("library:opds-categories"), title=_("Categories"), kind=NAVIGATION
        )
        for category, depth in selectors.category_tree():
            path = reverse("library:opds-category", args=[category.slug])
            feed.navigation_entry(
                title=("— " * depth) + category.name,
                href=path,
                kind=ACQUISITION,
                summary=category.description,
                entry_id=path,
            )
        return feed.body()

    return _cached_response("library:opds:categories", request, build, NAVIGATION)


def _acquisition(
    request: HttpRequest, *, path: str, title: str, books: Iterable[BookPage] | Any,
    query: str = "", cache_key: str | None = None,
) -> HttpResponse:  # fmt: skip
    page = paginate(request, books, per_page=getattr(settings, "LIBRARY_OPDS_PAGE_SIZE", PER_PAGE))

    def build() -> bytes:
        feed = Feed(request, path=path, title=title, kind=ACQUISITION)
        feed.page_links(path, page, query)
        for book in page.object_list:
            feed.book_entry(book)
        return feed.body()

    if cache_key is None:  # search results: too many to be worth keeping
        return _response(build(), ACQUISITION)
    return _cached_response(f"{cache_key}:{page.number}", request, build, ACQUISITION)


def new(request: HttpRequest) -> HttpResponse:
    return _acquisition(
        request,
        path=reverse("library:opds-new"),
        title=_("New books"),
        books=selectors.book_list().prefetch_related("categories"),
        cache_key="library:opds:new",
    )


def popular(request: HttpRequest) -> HttpResponse:
    return _acquisition(
        request,
        path=reverse("library:opds-popular"),
        title=_("Most read"),
        books=selectors.book_list(order="popular").prefetch_related("categories"),
        cache_key="library:opds:popular",
    )


def category(request: HttpRequest, slug: str) -> HttpResponse:
    found = selectors.category_by_slug(slug)
    if found is None:
        raise Http404
    return _acquisition(
        request,
        path=reverse("library:opds-category", args=[slug]),
        title=found.name,
        books=selectors.book_list(category=found).prefetch_related("categories"),
        cache_key=f"library:opds:category:{found.pk}",
    )


def search(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "")[:200]
    return _acquisition(
        request,
        path=reverse("library:opds-search"),
        title=_("Search: %(query)s") % {"query": query},
        books=selectors.search_books(query=query).prefetch_related("categories"),
        query=urlencode({"q": query}),
    )


def search_description(request: HttpRequest) -> HttpResponse:
    base = _origin(request)
    office = site_contact(request).office_name
    template = f"{base}{reverse('library:opds-search')}?q={{searchTerms}}"
    body = (
        '<?xml version="1.0" encoding="utf-8"?>\n'
        '<OpenSearchDescription xmlns="http://a9.com/-/spec/opensearch/1.1/">\n'
        f"  <ShortName>{_escape(office[:16])}</ShortName>\n"
        f"  <Description>{_escape(_('Search the books of %(office)s') % {'office': office})}"
        "</Description>\n"
        "  <InputEncoding>UTF-8</InputEncoding>\n"
        "  <OutputEncoding>UTF-8</OutputEncoding>\n"
        f'  <Url type="{ACQUISITION}" template="{_escape(template)}"/>\n'
        "</OpenSearchDescription>\n"
    )
    return _response(body, OPENSEARCH)


def _escape(text: str) -> str:
    return quoteattr(text)[1:-1]
