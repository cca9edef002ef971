"""GET /api/v1/search: the same search as the page, as JSON."""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema
from ninja.errors import HttpError

from moduong.core import vntext

from . import selectors, services
from .documents import kinds
from .forms import MAX_PAGE, SearchForm

router = Router(tags=["search"])


# The type filter's values are the kinds of content the search knows, fixed by the code.
KindKey = Literal[tuple(["", *(key for key, _label in kinds())])]  # type: ignore[misc, valid-type]
DATE = r"^(\d{4}-\d{2}-\d{2}|\d{1,2}/\d{1,2}/\d{4})?$"


class SearchParams(Schema):
    q: str = ""
    loai: KindKey = Field("", description="One kind of content, or empty for all.")  # type: ignore[valid-type]
    chuyen_muc: str = Field("", description="A section's key, as in the results' `section`.")
    tu_ngay: str = Field("", pattern=DATE, description="From this day: YYYY-MM-DD or DD/MM/YYYY.")
    den_ngay: str = Field("", pattern=DATE, description="Up to this day, the same way.")
    trang: int | None = Field(None, ge=1, le=MAX_PAGE, description="The page of results.")


class SearchResultOut(Schema):
    kind: str
    kind_label: str
    title: str
    title_html: str
    url: str
    section: str
    date: dt.datetime | None
    date_display: str
    snippet_html: str


class SearchOut(Schema):
    query: str
    message: str
    total: int = Field(description="Matches counted, up to 1,000.")
    more: bool = Field(description="True when there are more matches than `total`.")
    approximate: bool = Field(
        False,
        description="True when the words typed with marks found nothing and these results"
        " match them without their marks.",
    )
    page: int
    pages: int
    page_size: int
    results: list[SearchResultOut]


class ErrorOut(Schema):
    message: str


def payload(page: selectors.SearchPage) -> dict[str, Any]:
    """The JSON shape shared by the API and `moduong search --json`."""
    return {
        "query": page.query,
        "message": page.message,
        "total": page.total,
        "more": page.more,
        "approximate": page.approximate,
        "page": page.page,
        "pages": page.pages,
        "page_size": page.page_size,
        "results": [
            {
                "kind": r.kind,
                "kind_label": r.kind_label,
                "title": r.title,
                "title_html": str(r.title_html),
                "url": r.url,
                "section": r.section,
                "date": r.date,
                "date_display": vntext.format_datetime(r.date) if r.date else "",
                "snippet_html": str(r.snippet_html),
            }
            for r in page.results
        ],
    }


@router.get(
    "",
    response={200: SearchOut, 400: ErrorOut, 429: ErrorOut},
    summary="Search published articles, pages, books, letters and exchanges",
    description=(
        "Vietnamese-aware: with or without marks, either tone placement, Telex/VNI keystrokes,"
        " i/y variants; a word typed with marks matches those marks only (when nothing does,"
        " the matches without them, with `approximate`); quoted words must be in that order."
        " `title_html` and `snippet_html` are"
        " escaped HTML with matches in <mark>. A query that cannot be searched (empty, only"
        " punctuation, too long) gives no results and a `message` in Vietnamese; a bad filter"
        " gives 400 with a `message`; too many searches from one address in a minute, 429."
    ),
)
def search(request: HttpRequest, params: Query[SearchParams]) -> Any:
    if services.search_rate_exceeded(request=request):
        raise HttpError(429, _("Too many searches in a short while: please wait a minute."))
    form = SearchForm({k: v for k, v in params.dict().items() if v not in ("", None)})
    if not form.is_valid():
        raise HttpError(400, form.first_error())
    page = selectors.search(
        text=form.cleaned_data["q"], filters=form.filters(), page=form.cleaned_data["trang"] or 1
    )
    return payload(page)
