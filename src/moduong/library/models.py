"""The library: book categories, book pages, their e-book files, readers' places, topic plans."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.http import Http404, HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from modelcluster.models import ClusterableModel
from taggit.models import TagBase, TaggedItemBase
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.models import Orderable, Page
from wagtail.search import index

from moduong.core import vntext
from moduong.core.files import private_storage
from moduong.core.pages import VietnameseSlugMixin
from moduong.core.pageviews import page_view_call

from . import isbn as isbn_rules

LANGUAGES = [
    ("vi", _("Vietnamese")),
    ("en", _("English")),
    ("fr", _("French")),
    ("zh", _("Chinese")),
    ("ru", _("Russian")),
    ("km", _("Khmer")),
    ("lo", _("Lao")),
]


class BookCategory(models.Model):
    """A category of books (Thể loại sách); a category with a parent is one of its branches."""

    name = models.CharField(_("name"), max_length=120)
    slug = models.SlugField(_("address"), max_length=120, unique=True, blank=True)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent category"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    description = models.TextField(_("description"), blank=True)
    sort_order = models.IntegerField(_("order"), default=0)

    panels = [FieldPanel("name"), FieldPanel("parent"), FieldPanel("description")]

    class Meta:
        ordering = ["sort_order", "name"]
        verbose_name = _("book category")
        verbose_name_plural = _("book categories")

    def __str__(self) -> str:
        return f"{self.parent.name} › {self.name}" if self.parent_id else self.name

    def clean(self) -> None:
        self.name = vntext.clean_line(self.name)
        if not self.slug:
            self.slug = vntext.slugify(self.name, max_length=110) or "the-loai"
        seen = {self.pk}
        parent = self.parent
        while parent is not None:
            if parent.pk in seen:
                raise ValidationError({"parent": _("A category cannot be placed inside itself.")})
            seen.add(parent.pk)
            parent = parent.parent


class BookTopic(TagBase):
    """A subject books share; slugs are made the Vietnamese way."""

    class Meta:
        verbose_name = _("book topic")
        verbose_name_plural = _("book topics")

    def slugify(self, tag: str, i: int | None = None) -> str:
        slug = vntext.slugify(tag, max_length=90) or "chu-de"
        return f"{slug}-{i}" if i is not None else slug


class BookTopicItem(TaggedItemBase):
    tag = models.ForeignKey(BookTopic, on_delete=models.CASCADE, related_name="tagged_books")
    content_object = ParentalKey(
        "library.BookPage", on_delete=models.CASCADE, related_name="tagged_topics"
    )


class LibraryPage(VietnameseSlugMixin, RoutablePageMixin, Page):
    """The e-book library (Sách điện tử): every book below it, filterable by category, year and
    author; the category tree; new and most-read books."""

    intro = models.TextField(_("introduction"), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    parent_page_types = ["news.HomePage"]
    subpage_types = ["library.BookPage"]
    max_count = 1

    class Meta:
        verbose_name = _("e-book library")

    @path("")
    def listing(self, request: HttpRequest) -> HttpResponse:
        return page_view_call("library.library_listing", request, library=self)

    @path("the-loai/", name="categories")
    def categories(self, request: HttpRequest) -> HttpResponse:
        return page_view_call("library.category_tree", request, library=self)

    @path("the-loai/<slug:slug>/", name="category")
    def category(self, request: HttpRequest, slug: str) -> HttpResponse:
        return page_view_call("library.library_listing", request, library=self, category_slug=slug)


class BookCategoriesPage(VietnameseSlugMixin, Page):
    """The tree of book categories (Thể loại sách), each leading to its books in the library."""

    intro = models.TextField(_("introduction"), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    parent_page_types = ["news.HomePage"]
    subpage_types: list[str] = []
    max_count = 1

    class Meta:
        verbose_name = _("book categories page")

    def get_context(self, request, *args, **kwargs):  # type: ignore[no-untyped-def]
        context = super().get_context(request, *args, **kwargs)
        return page_view_call("library.categories_context", context)  # type: ignore[no-any-return]


class BookPage(VietnameseSlugMixin, RoutablePageMixin, Page):
    subtitle = models.CharField(_("subtitle"), max_length=255, blank=True)
    authors = models.CharField(
        _("authors"), max_length=255, blank=True, help_text=_("Names separated by commas.")
    )
    translators = models.CharField(
        _("translators"), max_length=255, blank=True, help_text=_("Names separated by commas.")
    )
    publisher = models.CharField(_("publisher"), max_length=200, blank=True)
    edition = models.CharField(_("edition"), max_length=100, blank=True)
    year = models.PositiveSmallIntegerField(_("year of publication"), null=True, blank=True)
    isbn = models.CharField(
        _("ISBN"),
        max_length=17,
        blank=True,
        db_index=True,
        validators=[isbn_rules.validate_isbn],
        help_text=_("ISBN-10 or ISBN-13, with or without hyphens."),
    )
    page_count = models.PositiveIntegerField(_("number of pages"), null=True, blank=True)
    language = models.CharField(_("language"), max_length=8, choices=LANGUAGES, default="vi")
    cover = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("cover"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    summary = models.TextField(_("summary"), blank=True)
    table_of_contents = models.TextField(
        _("table of contents"), blank=True, help_text=_("One entry per line.")
    )
    categories = ParentalManyToManyField(
        BookCategory, verbose_name=_("categories"), blank=True, related_name="books"
    )
    topics = ClusterTaggableManager(through=BookTopicItem, blank=True, verbose_name=_("topics"))
    date = models.DateTimeField(_("date added"), default=timezone.now, db_index=True)

    content_panels = [
        *Page.content_panels,
        FieldPanel("subtitle"),
        MultiFieldPanel(
            [
                FieldPanel("authors"),
                FieldPanel("translators"),
                FieldRowPanel([FieldPanel("publisher"), FieldPanel("edition")]),
                FieldRowPanel([FieldPanel("year"), FieldPanel("page_count")]),
                FieldRowPanel([FieldPanel("isbn"), FieldPanel("language")]),
            ],
            heading=_("About the book"),
        ),
        FieldPanel("cover"),
        FieldPanel("summary"),
        FieldPanel("table_of_contents"),
        FieldPanel("categories"),
        FieldPanel("topics"),
        FieldPanel("date"),
    ]
    search_fields = [
        *Page.search_fields,
        index.SearchField("subtitle"),
        index.SearchField("authors"),
        index.SearchField("translators"),
        index.SearchField("publisher"),
        index.SearchField("isbn"),
        index.SearchField("summary"),
        index.SearchField("table_of_contents"),
        index.SearchField("search_text"),
        index.FilterField("date"),
    ]
    parent_page_types = ["library.LibraryPage"]
    subpage_types: list[str] = []
    search_kind = "book"  # in the portal's search (moduong.search)

    class Meta:
        verbose_name = _("book")
        verbose_name_plural = _("books")

    def clean(self) -> None:
        super().clean()
        if self.isbn:
            self.isbn = isbn_rules.normalise(self.isbn)
        for name in ("title", "subtitle", "authors", "translators", "publisher", "edition"):
            setattr(self, name, vntext.clean_line(getattr(self, name)))
        if self.year and not (1800 <= self.year <= timezone.now().year + 1):
            raise ValidationError({"year": _("Enter a year between 1800 and next year.")})

    @property
    def author_list(self) -> list[str]:
        return [name.strip() for name in self.authors.split(",") if name.strip()]

    @property
    def translator_list(self) -> list[str]:
        return [name.strip() for name in self.translators.split(",") if name.strip()]

    @property
    def contents_lines(self) -> list[str]:
        return [line.strip() for line in self.table_of_contents.splitlines() if line.strip()]

    def search_text(self) -> str:
        """The text of the book's files, extracted on upload, for the portal's search."""
        return "\n".join(self.files.values_list("text", flat=True))

    @path("")
    def detail(self, request: HttpRequest) -> HttpResponse:
        return page_view_call("library.book_detail", request, book=self)

    @path("doc/", name="read")
    def read_start(self, request: HttpRequest) -> HttpResponse:
        return page_view_call("library.read_start", request, book=self)

    @path("doc/<int:file_id>/<int:number>/", name="chapter")
    def chapter(self, request: HttpRequest, file_id: int, number: int) -> HttpResponse:
        return page_view_call(
            "library.read_chapter", request, book=self, file_id=file_id, number=number
        )

    @path("xem/<int:file_id>/", name="pdf")
    def pdf(self, request: HttpRequest, file_id: int) -> HttpResponse:
        return page_view_call("library.read_pdf", request, book=self, file_id=file_id)

    @path("tai-ve/<int:file_id>/", name="download")
    def download(self, request: HttpRequest, file_id: int) -> HttpResponse:
        return page_view_call("library.download", request, book=self, file_id=file_id)

    @path("vi-tri/", name="position")
    def position(self, request: HttpRequest) -> HttpResponse:
        return page_view_call("library.position_save", request, book=self)

    def file_or_404(self, file_id: int) -> BookFile:
        # Without the extracted text (megabytes for a long book) and the EPUBCheck report: the
        # reader, viewer and download need neither, and the reader runs on every page turn.
        found = self.files.defer("text", "check_report").filter(pk=file_id).first()
        if found is None:
            raise Http404
        return found


class BookStats(models.Model):
    """Views and downloads of a book, kept outside the page so that publishing a revision never
    puts an old count back."""

    book = models.OneToOneField(BookPage, on_delete=models.CASCADE, related_name="stats")
    views = models.PositiveIntegerField(_("views"), default=0)
    downloads = models.PositiveIntegerField(_("downloads"), default=0)

    class Meta:
        verbose_name = _("book statistics")

    def __str__(self) -> str:
        return f"{self.book_id}: {self.views}/{self.downloads}"


class BookFile(models.Model):
    """An e-book file (EPUB 2/3 or PDF) of a book, checked on upload."""

    class Kind(models.TextChoices):
        EPUB = "epub", "EPUB"
        PDF = "pdf", "PDF"

    class Check(models.TextChoices):
        NOT_RUN = "not_run", _("not checked")
        PENDING = "pending", _("waiting for EPUBCheck")
        PASSED = "passed", _("valid")
        WARNINGS = "warnings", _("valid, with warnings")
        FAILED = "failed", _("errors found")
        ERROR = "error", _("EPUBCheck could not run")

    book = models.ForeignKey(
        BookPage, verbose_name=_("book"), on_delete=models.CASCADE, related_name="files"
    )
    # Private storage: fetched only through the book's download view, which Wagtail's view
    # restrictions and publishing guard (core.files).
    file = models.FileField(
        _("file"), upload_to="library/files/%Y/%m/", max_length=255, storage=private_storage
    )
    kind = models.CharField(_("format"), max_length=4, choices=Kind.choices)
    label = models.CharField(_("label"), max_length=120, blank=True)
    original_name = models.CharField(_("original file name"), max_length=255)
    size = models.PositiveBigIntegerField(_("size in bytes"), default=0)
    sha256 = models.CharField(_("SHA-256"), max_length=64, unique=True)
    structure = models.JSONField(_("chapters and contents"), default=dict, blank=True)
    metadata = models.JSONField(_("metadata in the file"), default=dict, blank=True)
    text = models.TextField(_("extracted text"), blank=True)
    notes = models.TextField(_("what was changed on upload"), blank=True)
    check_status = models.CharField(
        _("EPUBCheck"), max_length=10, choices=Check.choices, default=Check.NOT_RUN
    )
    check_report = models.TextField(_("EPUBCheck report"), blank=True)
    checked_at = models.DateTimeField(_("checked at"), null=True, blank=True)
    uploaded_at = models.DateTimeField(_("uploaded at"), default=timezone.now)
    sort_order = models.IntegerField(_("order"), default=0)

    class Meta:
        ordering = ["sort_order", "pk"]
        verbose_name = _("e-book file")
        verbose_name_plural = _("e-book files")

    def __str__(self) -> str:
        return f"{self.book.title} ({self.get_kind_display()})"

    @property
    def chapters(self) -> list[dict[str, str]]:
        return list(self.structure.get("chapters", []))

    @property
    def toc(self) -> list[dict[str, Any]]:
        return list(self.structure.get("toc", []))

    @property
    def media_type(self) -> str:
        return "application/epub+zip" if self.kind == self.Kind.EPUB else "application/pdf"

    @property
    def download_name(self) -> str:
        return f"{vntext.slugify(self.book.title) or 'sach'}.{self.kind}"


class ReadingPosition(models.Model):
    """Where a logged-in reader stopped in a book."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reading_positions"
    )
    book = models.ForeignKey(BookPage, on_delete=models.CASCADE, related_name="+")
    file = models.ForeignKey(BookFile, on_delete=models.CASCADE, related_name="+")
    chapter = models.PositiveIntegerField(default=1)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "book"], name="library_one_position_per_book")
        ]
        verbose_name = _("reading position")

    def __str__(self) -> str:
        return f"{self.user_id} › {self.book_id} › {self.chapter}"


class TopicPlan(ClusterableModel):
    """A year's publishing topic plan (Kế hoạch đề tài)."""

    year = models.PositiveSmallIntegerField(_("year"), unique=True)
    title = models.CharField(_("title"), max_length=200)
    decision_number = models.CharField(_("decision number"), max_length=60, blank=True)
    introduction = models.TextField(_("introduction"), blank=True)

    panels = [
        FieldRowPanel([FieldPanel("year"), FieldPanel("decision_number")]),
        FieldPanel("title"),
        FieldPanel("introduction"),
        InlinePanel("items", label=_("topics of the plan")),
    ]

    class Meta:
        ordering = ["-year"]
        verbose_name = _("topic plan")
        verbose_name_plural = _("topic plans")

    def __str__(self) -> str:
        return self.title


class TopicPlanItem(Orderable):
    class Status(models.TextChoices):
        PROPOSED = "proposed", _("proposed")
        APPROVED = "approved", _("approved")
        IN_PRODUCTION = "production", _("in production")
        PUBLISHED = "published", _("published")

    plan = ParentalKey(TopicPlan, on_delete=models.CASCADE, related_name="items")
    proposed_title = models.CharField(_("proposed title"), max_length=255)
    authors = models.CharField(_("authors"), max_length=255, blank=True)
    category = models.ForeignKey(
        BookCategory,
        verbose_name=_("category"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    summary = models.TextField(_("summary"), blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.PROPOSED
    )
    decision_number = models.CharField(_("decision number"), max_length=60, blank=True)
    book = models.ForeignKey(
        BookPage,
        verbose_name=_("published book"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="plan_items",
    )

    panels = [
        FieldPanel("proposed_title"),
        FieldPanel("authors"),
        FieldPanel("category"),
        FieldPanel("summary"),
        FieldRowPanel([FieldPanel("status"), FieldPanel("decision_number")]),
        FieldPanel("book"),
    ]

    class Meta(Orderable.Meta):
        verbose_name = _("plan topic")
        verbose_name_plural = _("plan topics")

    def __str__(self) -> str:
        return self.proposed_title

    STATUS_ORDER = ["proposed", "approved", "production", "published"]

    def clean(self) -> None:
        """A plan item's status only moves forward (proposed → approved → in production →
        published); approval needs its decision number, publication its book page."""
        order = self.STATUS_ORDER
        errors: dict[str, str] = {}
        if self.pk:
            before = (
                TopicPlanItem.objects.filter(pk=self.pk).values_list("status", flat=True).first()
            )
            if before and order.index(self.status) < order.index(before):
                errors["status"] = _("A topic's status cannot go back (it was “%(was)s”).") % {
                    "was": TopicPlanItem.Status(before).label
                }
        if order.index(self.status) >= 1 and not self.decision_number.strip():
            errors["decision_number"] = _("An approved topic needs the number of its decision.")
        if self.status == TopicPlanItem.Status.PUBLISHED and self.book_id is None:
            errors["book"] = _("A published topic needs its book page.")
        if errors:
            raise ValidationError(errors)


class TopicPlanIndexPage(VietnameseSlugMixin, RoutablePageMixin, Page):
    """The public listing of topic plans (Kế hoạch đề tài), one year at a time."""

    intro = models.TextField(_("introduction"), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    parent_page_types = ["news.HomePage"]
    subpage_types: list[str] = []
    max_count = 1

    class Meta:
        verbose_name = _("topic plans page")

    @path("")
    def latest(self, request: HttpRequest) -> HttpResponse:
        return page_view_call("library.plan_year", request, index=self, year=None)

    @path("<int:year>/", name="year")
    def year(self, request: HttpRequest, year: int) -> HttpResponse:
        return page_view_call("library.plan_year", request, index=self, year=year)
