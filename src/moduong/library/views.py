"""Thin views of the library; the routes live on the pages (models.py) and in urls.py (OPDS)."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseNotAllowed,
    HttpResponseRedirect,
)
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from moduong.core import files
from moduong.core.pageviews import page_view
from moduong.core.pagination import paginate

from . import selectors, services
from .models import BookFile, BookPage, LibraryPage, TopicPlanIndexPage

PAGE_SIZE = 12
# What a chapter may load: only this site's stylesheet, script and the book's own images.
READER_POLICY = (
    "default-src 'self'; img-src 'self'; style-src 'self'; font-src 'self'; script-src 'self';"
    " frame-src 'self'; object-src 'self'; form-action 'self'; base-uri 'none'"
)


@page_view("library.library_listing")
def library_listing(
    request: HttpRequest, *, library: LibraryPage, category_slug: str | None = None
) -> HttpResponse:
    category = None
    if category_slug is not None:
        category = selectors.category_by_slug(category_slug)
        if category is None:
            raise Http404
    try:
        year = int(request.GET["nam"]) if request.GET.get("nam") else None
    except ValueError:
        year = None
    author = request.GET.get("tac-gia", "")[:100]
    order = "popular" if request.GET.get("sap-xep") == "doc-nhieu" else "new"
    books = paginate(
        request,
        selectors.book_list(category=category, year=year, author=author, order=order),
        per_page=PAGE_SIZE,
    )
    filters = {"nam": year or "", "tac-gia": author, "sap-xep": request.GET.get("sap-xep", "")}
    query = urlencode({k: v for k, v in filters.items() if v})
    return library.render(
        request,
        template="library/library_page.html",
        context_overrides={
            "books": books,
            "category": category,
            "categories": selectors.category_tree(),
            "years": selectors.book_years(),
            "authors": selectors.book_authors(),
            "chosen": {"year": year, "author": author, "order": order},
            "query": f"{query}&" if query else "",
            "popular": selectors.popular_books(limit=5),
        },
    )


@page_view("library.category_tree")
def category_tree(request: HttpRequest, *, library: LibraryPage) -> HttpResponse:
    return library.render(
        request,
        template="library/categories.html",
        context_overrides={"categories": selectors.category_tree()},
    )


@page_view("library.book_detail")
def book_detail(request: HttpRequest, *, book: BookPage) -> HttpResponse:
    files = selectors.book_files(book=book)
    response = book.render(
        request,
        context_overrides={
            "files": files,
            "contents": selectors.book_contents(book=book, files=files),
            "plan_items": selectors.book_plan_items(book=book),
            "position": selectors.reading_position(user=request.user, book=book),
        },
    )
    if not getattr(request, "is_preview", False):
        # Marked even on a HEAD: the page cache may keep this response for later GETs.
        response.counted_book_id = book.pk  # type: ignore[attr-defined]  # see signals.py
        if request.method == "GET":  # a link checker's HEAD is no reader
            services.book_event_record(book_id=book.pk, event="view")
    return response


def _first_readable(book: BookPage) -> BookFile | None:
    files = selectors.book_files(book=book)
    return next((f for f in files if f.kind == BookFile.Kind.EPUB), None) or next(iter(files), None)


@page_view("library.read_start")
def read_start(request: HttpRequest, *, book: BookPage) -> HttpResponse:
    book_file = _first_readable(book)
    if book_file is None:
        raise Http404
    base = book.url.rstrip("/")
    if book_file.kind == BookFile.Kind.PDF:
        return HttpResponseRedirect(f"{base}/xem/{book_file.pk}/")
    position = selectors.reading_position(user=request.user, book=book)
    chapter = position.chapter if position and position.file_id == book_file.pk else 1
    return HttpResponseRedirect(f"{base}/doc/{book_file.pk}/{chapter}/")


@page_view("library.read_chapter")
def read_chapter(
    request: HttpRequest, *, book: BookPage, file_id: int, number: int
) -> HttpResponse:
    book_file = book.file_or_404(file_id)
    chapters = book_file.chapters
    if book_file.kind != BookFile.Kind.EPUB or not 1 <= number <= len(chapters):
        raise Http404
    try:
        content = selectors.chapter_html(book=book, book_file=book_file, number=number)
    except (services.Rejected, KeyError, OSError):
        return render(
            request,
            "library/reader_unavailable.html",
            {"page": book, "self": book},
            status=503,
        )
    if request.user.is_authenticated:
        services.reading_position_save(
            user=request.user, book=book, book_file=book_file, chapter=number
        )
    base = f"{book.url.rstrip('/')}/doc/{book_file.pk}/"
    response = book.render(
        request,
        template="library/reader.html",
        context_overrides={
            "book_file": book_file,
            "chapter": chapters[number - 1],
            "number": number,
            "count": len(chapters),
            "content": content,
            "toc": book_file.toc
            or [{"title": c["title"], "chapter": n, "depth": 1} for n, c in enumerate(chapters, 1)],
            "previous_url": f"{base}{number - 1}/" if number > 1 else "",
            "next_url": f"{base}{number + 1}/" if number < len(chapters) else "",
            "chapter_base": base,
        },
    )
    response.headers["Content-Security-Policy"] = READER_POLICY
    return response


def epub_resource(request: HttpRequest, file_id: int, name: str) -> HttpResponse:
    """An image inside a published book's EPUB (only images its package lists). Not a route
    of the book page: Wagtail routes only addresses ending in "/", and images have names."""
    book_file = selectors.public_book_file(file_id=file_id)
    if book_file is None:
        raise Http404
    try:
        found = selectors.epub_resource(book_file=book_file, name=name)
    except (services.Rejected, KeyError, OSError):
        found = None
    if found is None:
        raise Http404
    content, media_type = found
    response = HttpResponse(content, content_type=media_type)
    response.headers["Cache-Control"] = "public, max-age=86400"
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


@page_view("library.read_pdf")
def read_pdf(request: HttpRequest, *, book: BookPage, file_id: int) -> HttpResponse:
    book_file = book.file_or_404(file_id)
    if book_file.kind != BookFile.Kind.PDF:
        raise Http404
    return book.render(
        request, template="library/pdf_reader.html", context_overrides={"book_file": book_file}
    )


@page_view("library.download")
def download(request: HttpRequest, *, book: BookPage, file_id: int) -> HttpResponse:
    """The original file: as an attachment, or shown in the browser's own PDF viewer."""
    book_file = book.file_or_404(file_id)
    inline = request.GET.get("xem") == "1" and book_file.kind == BookFile.Kind.PDF
    # Only through here: the file is in private storage, so a draft's or a restricted book's
    # file has no public address to guess.
    response = files.file_response(
        book_file.file,
        as_attachment=not inline,
        filename=book_file.download_name,
        content_type=book_file.media_type,
    )
    response.headers["X-Content-Type-Options"] = "nosniff"
    if inline:
        response.headers["X-Frame-Options"] = "SAMEORIGIN"
    elif request.method == "GET":  # a link checker's HEAD is no download
        services.book_event_record(book_id=book.pk, event="download")
    return response


@page_view("library.position_save")
@require_POST
def position_save(request: HttpRequest, *, book: BookPage) -> HttpResponse:
    if not request.user.is_authenticated:
        return HttpResponse(_("Log in to keep your place."), status=403)
    try:
        book_file = book.file_or_404(int(request.POST.get("tep", "")))
        chapter = int(request.POST.get("chuong", ""))
    except ValueError as error:
        raise Http404 from error
    services.reading_position_save(
        user=request.user, book=book, book_file=book_file, chapter=chapter
    )
    return HttpResponse(status=204)


@page_view("library.plan_year")
def plan_year(request: HttpRequest, *, index: TopicPlanIndexPage, year: int | None) -> HttpResponse:
    if request.method not in {"GET", "HEAD"}:
        return HttpResponseNotAllowed(["GET", "HEAD"])
    plan = selectors.plan_for_year(year=year)
    if plan is None and year is not None:
        raise Http404
    return index.render(
        request,
        context_overrides={"plan": plan, "plans": selectors.plans()},
    )


@page_view("library.categories_context")
def categories_context(context: dict[str, Any]) -> dict[str, Any]:
    """What the book categories page (BookCategoriesPage) shows."""
    context["categories"] = selectors.category_tree()
    context["library"] = selectors.library_page()
    return context
