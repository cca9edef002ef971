"""Readers' letters (Bạn đọc và NXB) and live online exchanges (Giao lưu trực tuyến)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.db import models
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import RichTextField
from wagtail.models import Orderable, Page
from wagtail.search import index

from moduong.core import files, vntext
from moduong.core.pages import VietnameseSlugMixin
from moduong.core.pageviews import page_view_call

LETTER_PAGE_SIZE = 10
# How a letter or a question is signed once its writer deleted the account (services.writer_forget).
ANONYMOUS_WRITER = "Bạn đọc"


def private_storage() -> FileSystemStorage:
    """Letters' attachments are for the office only: kept in core's private storage, outside
    MEDIA_ROOT, and handed out by an admin view that checks the moderator's permission."""
    return files.private_storage()


class SectionPage(VietnameseSlugMixin, Page):
    """A section of the menu under the home page, with a title and an introduction."""

    intro = models.TextField(_("introduction"), blank=True)
    content_panels = [*Page.content_panels, FieldPanel("intro")]
    parent_page_types = ["news.HomePage"]

    class Meta:
        abstract = True


class LettersPage(RoutablePageMixin, SectionPage):
    """Bạn đọc và NXB: the letters the office approved, with its replies, and the form."""

    subpage_types: list[str] = []

    class Meta:
        verbose_name = _("readers' letters page")

    @path("")
    def listing(self, request: HttpRequest) -> HttpResponse:
        return page_view_call("community.letters_listing", request, self)

    @path("gui-thu/", name="send")
    def send(self, request: HttpRequest) -> HttpResponse:
        return page_view_call("community.letter_send", request, self)

    @path("thu/<int:letter_id>/", name="letter")
    def letter(self, request: HttpRequest, letter_id: int) -> HttpResponse:
        return page_view_call("community.letter_permalink", request, self, letter_id)


class Letter(index.Indexed, models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for moderation")
        APPROVED = "approved", _("Approved")
        ANSWERED = "answered", _("Answered")
        REJECTED = "rejected", _("Rejected")

    PUBLIC = (Status.APPROVED, Status.ANSWERED)

    page = models.ForeignKey(
        LettersPage, verbose_name=_("page"), on_delete=models.CASCADE, related_name="letters"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reader account"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="letters",
    )
    name = models.CharField(_("name"), max_length=150)
    email = models.EmailField(_("email"))
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    subject = models.CharField(_("subject"), max_length=200)
    message = models.TextField(_("message"))
    attachment = models.FileField(
        _("attachment"), upload_to="thu-ban-doc/%Y/%m/", storage=private_storage, blank=True
    )
    attachment_type = models.CharField(_("attachment type"), max_length=40, blank=True)
    # Who wrote it ("u:<id>" or "e:<email>") and the folded text: one letter per pair.
    writer_key = models.CharField(max_length=200, editable=False)
    text_key = models.CharField(max_length=64, editable=False)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING, db_index=True
    )
    reject_reason = models.TextField(_("reason for rejection"), blank=True)
    reply = models.TextField(_("the publisher's reply"), blank=True)
    replied_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("replied by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("sent at"), default=timezone.now, db_index=True)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    # When the writer was emailed the answer (community.mail): a task run again sends no copy.
    answer_emailed_at = models.DateTimeField(null=True, blank=True, editable=False)

    search_kind = "letter"  # in the portal's search (moduong.search)
    search_page_field = "page"  # private with its page (moduong.search, core's one rule)
    search_fields = [
        index.SearchField("subject"),
        index.SearchField("message"),
        index.SearchField("reply"),
    ]

    class Meta:
        verbose_name = _("reader's letter")
        verbose_name_plural = _("readers' letters")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["page", "writer_key", "text_key"], name="community_letter_once"
            )
        ]
        indexes = [models.Index(fields=["page", "status", "-published_at"])]

    def __str__(self) -> str:
        return self.subject

    def get_absolute_url(self) -> str:
        # Not "listing#thu-N": the letter moves to later pages of the listing as newer ones are
        # published, so search results and emails link to an address that finds its page.
        return f"{self.page.url}thu/{self.pk}/"

    @property
    def title(self) -> str:
        return self.subject

    @property
    def is_public(self) -> bool:
        return self.status in self.PUBLIC

    def search_is_public(self) -> bool:
        return self.is_public and self.page.live

    def search_date(self) -> Any:
        return self.published_at or self.created_at

    def search_section(self) -> tuple[str, str]:
        return (str(self.page_id), self.page.title)

    @property
    def is_anonymous(self) -> bool:
        return self.name == ANONYMOUS_WRITER

    @property
    def masked_name(self) -> str:
        """In public, a writer is shown by given name and initials (Nguyễn Văn An → N. V. An);
        a writer who deleted the account stays "Bạn đọc", not "B. đọc"."""
        parts = self.name.split()
        if len(parts) < 2 or self.is_anonymous:
            return self.name
        return " ".join([*(p[0] + "." for p in parts[:-1]), parts[-1]])


class ExchangeIndexPage(SectionPage):
    """Giao lưu trực tuyến: upcoming, live and archived exchanges."""

    subpage_types = ["community.ExchangePage"]

    class Meta:
        verbose_name = _("online exchanges page")

    def get_context(self, request, *args, **kwargs):  # type: ignore[no-untyped-def]
        context = super().get_context(request, *args, **kwargs)
        return page_view_call("community.exchanges_context", self, context)  # type: ignore[no-any-return]


class ExchangePage(VietnameseSlugMixin, RoutablePageMixin, Page):
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    intro = RichTextField(_("introduction"), features=["bold", "italic", "link", "ol", "ul"])
    video_url = models.URLField(
        _("video stream address"),
        blank=True,
        help_text=_("A YouTube or other stream address, shown as a player on the page."),
    )
    image = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("image"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    accepts_questions = models.BooleanField(
        _("accepting questions"),
        default=True,
        help_text=_("Readers can send questions until the exchange ends."),
    )

    content_panels = [
        *Page.content_panels,
        MultiFieldPanel(
            [FieldPanel("starts_at"), FieldPanel("ends_at"), FieldPanel("accepts_questions")],
            heading=_("Time"),
        ),
        FieldPanel("intro"),
        FieldPanel("image"),
        FieldPanel("video_url"),
        InlinePanel("guests", label=_("Guests")),
    ]
    search_fields = [
        *Page.search_fields,
        index.SearchField("intro"),
        index.SearchField("guest_names"),
    ]
    parent_page_types = ["community.ExchangeIndexPage"]
    subpage_types: list[str] = []
    search_kind = "exchange"  # in the portal's search (moduong.search)

    class Meta:
        verbose_name = _("online exchange")
        verbose_name_plural = _("online exchanges")

    @property
    def date(self) -> Any:
        return self.starts_at

    def state(self, now: Any = None) -> str:
        now = now or timezone.now()
        if now < self.starts_at:
            return "upcoming"
        if now <= self.ends_at:
            return "live"
        return "archived"

    @property
    def is_open_for_questions(self) -> bool:
        return self.accepts_questions and self.state() != "archived"

    def guest_names(self) -> str:
        return ", ".join(guest.name for guest in self.guests.all())

    @path("")
    def detail(self, request: HttpRequest) -> HttpResponse:
        return page_view_call("community.exchange_detail", request, self)

    @path("hoi/", name="ask")
    def ask(self, request: HttpRequest) -> HttpResponse:
        return page_view_call("community.question_send", request, self)


class ExchangeGuest(Orderable):
    page = ParentalKey(ExchangePage, on_delete=models.CASCADE, related_name="guests")
    name = models.CharField(_("name"), max_length=150)
    role = models.CharField(_("position"), max_length=200, blank=True)
    photo = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("photo"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    bio = models.TextField(_("short biography"), blank=True)

    panels = [FieldPanel("name"), FieldPanel("role"), FieldPanel("photo"), FieldPanel("bio")]

    class Meta(Orderable.Meta):
        verbose_name = _("guest")
        verbose_name_plural = _("guests")

    def __str__(self) -> str:
        return self.name


class Question(index.Indexed, models.Model):
    """A reader's question. Once answered it is in the portal's search on its own, linked to
    its place in the exchange's page, so an archived exchange is a searchable transcript."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for moderation")
        PICKED = "picked", _("Picked, waiting for the answer")
        ANSWERED = "answered", _("Answered and published")
        REJECTED = "rejected", _("Rejected")

    exchange = models.ForeignKey(
        ExchangePage,
        verbose_name=_("exchange"),
        on_delete=models.CASCADE,
        related_name="questions",
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reader account"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="exchange_questions",
    )
    name = models.CharField(_("name"), max_length=150)
    place = models.CharField(_("where from"), max_length=150, blank=True)
    text = models.TextField(_("question"))
    text_key = models.CharField(max_length=64, editable=False)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING, db_index=True
    )
    guest = models.ForeignKey(
        ExchangeGuest,
        verbose_name=_("answered by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="questions",
    )
    answer = models.TextField(_("answer"), blank=True)
    # The order answers were published in: readers' pages ask for what came after theirs.
    sequence = models.PositiveIntegerField(_("published as number"), null=True, editable=False)
    created_at = models.DateTimeField(_("sent at"), default=timezone.now)
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)

    search_kind = "exchange-question"  # in the portal's search (moduong.search)
    search_page_field = "exchange"  # private with its exchange
    search_fields = [index.SearchField("text"), index.SearchField("answer")]

    class Meta:
        verbose_name = _("exchange question")
        verbose_name_plural = _("exchange questions")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["exchange", "sequence"], name="community_question_sequence"
            ),
            models.UniqueConstraint(
                fields=["exchange", "text_key"], name="community_question_once"
            ),
        ]

    def __str__(self) -> str:
        return vntext.clean_line(self.text)[:80]

    def get_absolute_url(self) -> str:
        return f"{self.exchange.url}#cau-hoi-{self.pk}"

    @property
    def title(self) -> str:
        text = vntext.clean_line(self.text)
        return text if len(text) <= 120 else text[:119].rsplit(" ", 1)[0] + "…"

    def search_is_public(self) -> bool:
        return self.status == self.Status.ANSWERED and self.exchange.live

    def search_date(self) -> Any:
        return self.answered_at

    def search_section(self) -> tuple[str, str]:
        # The section is the exchanges' page, as for the exchanges themselves: one exchange is
        # content, not a section of the site.
        section = self.exchange.get_parent()
        return (str(section.pk), section.title) if section else ("", "")
