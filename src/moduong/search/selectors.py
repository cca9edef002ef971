"""Reads: one page of search results, with highlighted snippets."""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field

from django.core.cache import cache
from django.utils.safestring import SafeString

from . import query as q
from .backends import SearchFilters, get_backend
from .backends.base import CANDIDATES, TOTAL_LIMIT
from .documents import kinds
from .models import SearchEntry
from .snippets import highlight, snippet

PAGE_SIZE = 10


@dataclass(frozen=True)
class Result:
    kind: str
    kind_label: str
    title: str
    title_html: SafeString
    url: str
    section: str
    date: dt.datetime | None
    snippet_html: SafeString


@dataclass
class SearchPage:
    query: str
    message: str = ""
    results: list[Result] = field(default_factory=list)
    total: int = 0  # counted up to TOTAL_LIMIT; `more` says there are more
    more: bool = False
    page: int = 1
    page_size: int = PAGE_SIZE
    # The words typed with marks found nothing: these are the matches without the marks.
    approximate: bool = False

    @property
    def pages(self) -> int:
        """Pages reach as far as the ranked candidates (backends.base.CANDIDATES)."""
        shown = min(self.total, CANDIDATES)
        return max(1, math.ceil(shown / self.page_size))

    @property
    def first_number(self) -> int:
        return (self.page - 1) * self.page_size + 1

    @property
    def has_previous(self) -> bool:
        return self.page > 1

    @property
    def has_next(self) -> bool:
        return self.page < self.pages


def search(
    *, text: str, filters: SearchFilters | None = None, page: int = 1, page_size: int = PAGE_SIZE
) -> SearchPage:
    """Results for what a reader typed. A query that cannot be searched gives a page with a
    message and no results, never an exception."""
    filters = filters or SearchFilters()
    try:
        parsed = q.parse(text)
    except q.QueryError as error:
        return SearchPage(query=text, message=str(error), page_size=page_size)
    backend = get_backend()
    page = max(1, page)
    plan = q.plan(parsed)
    hits, total = backend.search(plan, filters, page_size, (page - 1) * page_size)
    approximate = False
    if not total and plan.strict is not None:
        # Nothing with the marks as typed: the matches without them, said to be approximate.
        plan = plan.approximate()
        approximate = True
        hits, total = backend.search(plan, filters, page_size, (page - 1) * page_size)
    if not hits and page > 1:
        _, total = backend.search(plan, filters, 1, 0)
    keys = parsed.highlight_keys(strict=not approximate)
    bodies = backend.bodies([hit.id for hit in hits])
    labels = dict(kinds())
    results = [
        Result(
            kind=hit.kind,
            kind_label=labels.get(hit.kind, hit.kind),
            title=hit.title,
            title_html=highlight(hit.title, keys),
            url=hit.url,
            section=hit.section_title,
            date=hit.date,
            snippet_html=snippet(bodies.get(hit.id, ""), keys),
        )
        for hit in hits
    ]
    return SearchPage(
        query=parsed.text,
        results=results,
        total=min(total, TOTAL_LIMIT),
        more=total > TOTAL_LIMIT,
        page=page,
        page_size=page_size,
        approximate=approximate and bool(total),
    )


def sections() -> list[tuple[str, str]]:
    """(key, title) of the sections that have indexed content, for the section filter."""
    found = cache.get("search:sections")
    if found is None:
        found = list(
            SearchEntry.objects.exclude(section_key="")
            .values_list("section_key", "section_title")
            .distinct()
            .order_by("section_title")
        )
        cache.set("search:sections", found, 300)
    return [tuple(item) for item in found]
