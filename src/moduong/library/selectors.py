"""Reads of the library. Listings select their covers, statistics and categories up front, so a
page costs a fixed number of queries whatever its length."""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch, QuerySet
from django.db.models.functions import Coalesce
from django.urls import reverse
from wagtail.images.models import Image

from moduong.core import vntext
from moduong.core.caching import cached_until_publish
from moduong.core.selectors import public_q

from . import ebooks
from .models import (
    BookCategory,
    BookFile,
    BookPage,
    LibraryPage,
    ReadingPosition,
    TopicPlan,
    TopicPlanItem,
)

COVER_RENDITION = "fill-240x340"
THUMBNAIL_RENDITION = "fill-120x170"


def library_page() -> LibraryPage | None:
    return LibraryPage.objects.live().first()


def _public_books() -> QuerySet[BookPage]:
    return BookPage.objects.filter(public_q())  # type: ignore[no-any-return]  # the one rule


def _with_cards(books: QuerySet[BookPage]) -> QuerySet[BookPage]:
    covers = Image.objects.prefetch_renditions(COVER_RENDITION, THUMBNAIL_RENDITION)
    return books.select_related("stats").prefetch_related(
        Prefetch("cover", queryset=covers),
        Prefetch("files", queryset=BookFile.objects.defer("text", "structure", "check_report")),
    )


def category_and_descendants(category: BookCategory) -> list[int]:
    tree = category_children()
    ids, todo = [], [category.pk]
    while todo:
        current = todo.pop()
        ids.append(current)
        todo.extend(child.pk for child in tree.get(current, []))
    return ids


def category_children() -> dict[int | None, list[BookCategory]]:
    def build() -> dict[int | None, list[BookCategory]]:
        tree: dict[int | None, list[BookCategory]] = {}
        for category in BookCategory.objects.order_by("sort_order", "name"):
            tree.setdefault(category.parent_id, []).append(category)
        for children in tree.values():
            children.sort(key=lambda c: (c.sort_order, vntext.sort_key(c.name)))
        return tree

    return cached_until_publish("library:category-tree", build)


def category_tree() -> list[tuple[BookCategory, int]]:
    """Every category with its depth, parents before their children."""
    tree = category_children()
    result: list[tuple[BookCategory, int]] = []

    def walk(parent: int | None, depth: int) -> None:
        for category in tree.get(parent, []):
            result.append((category, depth))
            walk(category.pk, depth + 1)

    walk(None, 0)
    return result


def category_by_slug(slug: str) -> BookCategory | None:
    return BookCategory.objects.filter(slug=slug).first()


def book_list(
    *,
    category: BookCategory | None = None,
    year: int | None = None,
    author: str = "",
    order: str = "new",
) -> QuerySet[BookPage]:
    """Published books, newest first (or most read first), filtered as the reader asked."""
    books = _public_books()
    if category is not None:
        books = books.filter(categories__in=category_and_descendants(category)).distinct()
    if year:
        books = books.filter(year=year)
    if author:
        books = books.filter(authors__icontains=vntext.clean_line(author))
    if order == "popular":
        books = books.annotate(views=Coalesce("stats__views", 0)).order_by("-views", "-date", "-pk")
    else:
        books = books.order_by("-date", "-pk")
    return _with_cards(books)


def home_panel() -> dict[str, Any] | None:
    """The newest books for the home page (see core.home_panels)."""
    library = library_page()
    books = new_books(limit=4)
    if library is None or not books:
        return None
    return {"library": library, "books": books}


def book_years() -> list[int]:
    return cached_until_publish(
        "library:years",
        lambda: sorted(
            {y for y in _public_books().values_list("year", flat=True) if y}, reverse=True
        ),
    )


def book_authors() -> list[str]:
    def build() -> list[str]:
        names: set[str] = set()
        for authors in _public_books().values_list("authors", flat=True):
            names.update(name.strip() for name in authors.split(",") if name.strip())
        return sorted(names, key=vntext.name_sort_key)

    return cached_until_publish("library:authors", build)


def new_books(*, limit: int = 6) -> list[BookPage]:
    return cached_until_publish("library:new", lambda: list(book_list()[:limit]))


def popular_books(*, limit: int = 6) -> list[BookPage]:
    return cached_until_publish(
        "library:popular", lambda: list(book_list(order="popular")[:limit]), timeout=300
    )


def book_files(*, book: BookPage) -> list[BookFile]:
    return list(book.files.defer("text", "check_report"))


def book_contents(*, book: BookPage, files: list[BookFile]) -> list[dict[str, Any]]:
    """The book's table of contents as links into the reader: the editor's lines, each to the
    part of the EPUB whose title it names (compared folded), else to where reading starts; the
    EPUB's own contents where the editor typed none. Without a file to read, plain lines."""
    base = book.url.rstrip("/")
    epub = next((f for f in files if f.kind == BookFile.Kind.EPUB), None)
    parts: list[dict[str, Any]] = []
    if epub is not None:
        toc = epub.toc or [
            {"title": c["title"], "chapter": n, "depth": 1} for n, c in enumerate(epub.chapters, 1)
        ]
        for entry in toc:
            fragment = f"#e-{entry['fragment']}" if entry.get("fragment") else ""
            parts.append(
                {
                    "title": entry["title"],
                    "depth": entry.get("depth") or 1,
                    "url": f"{base}/doc/{epub.pk}/{entry['chapter']}/{fragment}",
                }
            )
    lines = book.contents_lines
    if not lines:
        return parts
    by_title = {vntext.fold(part["title"]): part["url"] for part in parts}
    start = f"{base}/doc/" if files else ""
    return [
        {"title": line, "depth": 1, "url": by_title.get(vntext.fold(line), start)} for line in lines
    ]


def book_plan_items(*, book: BookPage) -> list[TopicPlanItem]:
    return list(book.plan_items.select_related("plan"))


def reading_position(*, user: Any, book: BookPage) -> ReadingPosition | None:
    if not user.is_authenticated:
        return None
    return ReadingPosition.objects.filter(user=user, book=book).first()


def chapter_html(*, book: BookPage, book_file: BookFile, number: int) -> str:
    """A chapter rendered as clean HTML, kept until the book's file changes."""
    chapters = book_file.chapters
    path = chapters[number - 1]["path"]
    base = book.url.rstrip("/") if book.url else ""
    numbers = {chapter["path"]: n for n, chapter in enumerate(chapters, start=1)}
    images = book_file.structure.get("images", {})

    def resource_url(name: str) -> str | None:
        if name not in images:
            return None
        return reverse("library:resource", kwargs={"file_id": book_file.pk, "name": name})

    def chapter_url(name: str) -> str | None:
        found = numbers.get(name)
        return f"{base}/doc/{book_file.pk}/{found}/" if found else None

    def render() -> str:
        with book_file.file.open("rb") as handle:
            epub = ebooks.Epub(handle)
            raw = epub.read(path, 32 * ebooks.MB).decode("utf-8", errors="replace")
        return ebooks.render_chapter(
            raw, path=path, resource_url=resource_url, chapter_url=chapter_url
        )

    return cached_until_publish(
        f"library:chapter:{book_file.sha256}:{number}:{base}", render, timeout=3600
    )


def public_book_file(*, file_id: int) -> BookFile | None:
    book_file = BookFile.objects.filter(pk=file_id).defer("text").first()
    if book_file is None or not _public_books().filter(pk=book_file.book_id).exists():
        return None
    return book_file


def epub_resource(*, book_file: BookFile, name: str) -> tuple[bytes, str] | None:
    """An image of the book, by its path inside the EPUB; only images the package lists."""
    media_type = book_file.structure.get("images", {}).get(name)
    if not media_type:
        return None
    with book_file.file.open("rb") as handle:
        return ebooks.Epub(handle).read(name, ebooks.MAX_COVER_BYTES * 2), media_type


def plans() -> list[TopicPlan]:
    return list(TopicPlan.objects.order_by("-year"))


def plan_for_year(*, year: int | None) -> TopicPlan | None:
    plans_found = TopicPlan.objects.prefetch_related(
        Prefetch(
            "items",
            queryset=TopicPlanItem.objects.select_related("category", "book").order_by(
                "sort_order", "pk"
            ),
        )
    )
    if year is None:
        return plans_found.order_by("-year").first()
    return plans_found.filter(year=year).first()


def _search_index() -> list[tuple[int, str]]:
    """Each published book's title, subtitle, authors, ISBN and summary as search keys (marks
    folded, i/y unified): e-reader keyboards often type "lang gom" for "làng gốm"."""

    def build() -> list[tuple[int, str]]:
        rows = _public_books().values_list("pk", "title", "subtitle", "authors", "isbn", "summary")
        return [
            (pk, " ".join(vntext.search_key(word) for word in " ".join(fields).split()))
            for pk, *fields in rows
        ]

    return cached_until_publish("library:search-index", build)


def search_books(*, query: str) -> QuerySet[BookPage]:
    """Books whose title, authors, ISBN or summary hold every word typed, with or without its
    marks (for the OPDS search; the portal's search covers the full text)."""
    books = _public_books()
    keys = [vntext.search_key(word) for word in vntext.clean_line(query).split()[:8]]
    if keys:
        found = [pk for pk, text in _search_index() if all(key in text for key in keys)]
        books = books.filter(pk__in=found)
    return _with_cards(books.order_by("-date", "-pk"))
