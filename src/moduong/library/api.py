"""GET /api/v1/books: the library's published books as JSON, for mobile apps and partner
sites (the same lists as the library page; e-reader apps use the OPDS catalogue)."""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema
from ninja.errors import HttpError

from moduong.core.pagination import page_get

from . import selectors
from .models import BookPage

router = Router(tags=["library"])
PAGE_SIZE = 20


class BooksParams(Schema):
    the_loai: str = ""
    nam: int | None = None
    tac_gia: str = ""
    sap_xep: str = "moi"
    trang: int = 1


class FileOut(Schema):
    format: str
    size: int
    url: str


class BookOut(Schema):
    id: int
    title: str
    subtitle: str
    authors: list[str]
    translators: list[str]
    publisher: str
    year: int | None
    isbn: str
    language: str
    summary: str
    categories: list[str]
    url: str
    read_url: str
    files: list[FileOut]


class BooksOut(Schema):
    total: int
    page: int
    pages: int
    results: list[BookOut]


class ErrorOut(Schema):
    message: str


def _book(request: HttpRequest, book: BookPage) -> dict[str, Any]:
    base = book.url.rstrip("/")
    return {
        "id": book.pk,
        "title": book.title,
        "subtitle": book.subtitle,
        "authors": book.author_list,
        "translators": book.translator_list,
        "publisher": book.publisher,
        "year": book.year,
        "isbn": book.isbn,
        "language": book.language,
        "summary": book.summary,
        "categories": [c.name for c in book.categories.all()],
        "url": request.build_absolute_uri(book.url),
        "read_url": request.build_absolute_uri(f"{base}/doc/"),
        "files": [
            {
                "format": f.kind,
                "size": f.size,
                "url": request.build_absolute_uri(f"{base}/tai-ve/{f.pk}/"),
            }
            for f in book.files.all()
        ],
    }


@router.get(
    "",
    response={200: BooksOut, 404: ErrorOut},
    summary="Published books, newest or most read first",
    description=(
        "Filters: `the_loai` (a category's slug; its sub-categories included), `nam` (year),"
        " `tac_gia` (author), `sap_xep` (`moi` or `doc-nhieu`), `trang` (page of 20)."
    ),
)
def books(request: HttpRequest, params: Query[BooksParams]) -> Any:
    category = None
    if params.the_loai:
        category = selectors.category_by_slug(params.the_loai)
        if category is None:
            raise HttpError(404, _("There is no such category."))
    found = selectors.book_list(
        category=category,
        year=params.nam,
        author=params.tac_gia[:100],
        order="popular" if params.sap_xep == "doc-nhieu" else "new",
    ).prefetch_related("categories")
    try:
        page = page_get(found, params.trang, per_page=PAGE_SIZE)
    except Http404 as error:
        raise HttpError(404, _("There is no such page.")) from error
    return {
        "total": page.paginator.count,
        "page": page.number,
        "pages": page.paginator.num_pages,
        "results": [_book(request, book) for book in page.object_list],
    }
