"""Digital bulletins (Bản tin): series and editions as Wagtail pages, the places where their
posters hang, QR codes, scans (counted without tracking people), print files, subscribers."""

from __future__ import annotations

import secrets
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path, re_path
from wagtail.fields import StreamField
from wagtail.models import Page
from wagtail.search import index

from moduong.core.pages import VietnameseSlugMixin
from moduong.core.pageviews import page_view_call

from .blocks import EditionBody
from .forms import EditionPageForm


class BulletinIndexPage(VietnameseSlugMixin, Page):
    """Bản tin: every series the office publishes."""

    intro = models.TextField(_("introduction"), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    parent_page_types = ["news.HomePage"]
    subpage_types = ["bulletins.SeriesPage"]
    max_count = 1

    class Meta:
        verbose_name = _("bulletins")

    def get_context(self, request, *args, **kwargs):  # type: ignore[no-untyped-def]
        context = super().get_context(request, *args, **kwargs)
        return page_view_call("bulletins.index_context", request, self, context)  # type: ignore[no-any-return]


class SeriesPage(VietnameseSlugMixin, RoutablePageMixin, Page):
    """A bulletin series ("Bản tin Sinh hoạt chi bộ")."""

    class CoverStyle(models.TextChoices):
        RED = "red", _("Red and gold")
        BLUE = "blue", _("Blue")
        GREEN = "green", _("Green")

    class Schedule(models.TextChoices):
        WEEKLY = "weekly", _("Weekly")
        FORTNIGHTLY = "fortnightly", _("Every two weeks")
        MONTHLY = "monthly", _("Monthly")
        QUARTERLY = "quarterly", _("Quarterly")
        IRREGULAR = "irregular", _("When there is news")

    intro = models.TextField(_("introduction"), blank=True)
    audience = models.CharField(
        _("audience"),
        max_length=200,
        help_text=_("Who reads it: party cells, residential groups, office staff…"),
    )
    cover_style = models.CharField(
        _("cover style"), max_length=20, choices=CoverStyle.choices, default=CoverStyle.RED
    )
    schedule = models.CharField(
        _("schedule"), max_length=20, choices=Schedule.choices, default=Schedule.MONTHLY
    )

    content_panels = [
        *Page.content_panels,
        FieldPanel("intro"),
        MultiFieldPanel(
            [FieldPanel("audience"), FieldPanel("schedule"), FieldPanel("cover_style")],
            heading=_("About the series"),
        ),
    ]
    search_fields = [*Page.search_fields, index.SearchField("intro")]
    parent_page_types = ["bulletins.BulletinIndexPage"]
    subpage_types = ["bulletins.EditionPage"]

    class Meta:
        verbose_name = _("bulletin series")
        verbose_name_plural = _("bulletin series")

    def get_context(self, request, *args, **kwargs):  # type: ignore[no-untyped-def]
        context = super().get_context(request, *args, **kwargs)
        return page_view_call("bulletins.series_context", request, self, context)  # type: ignore[no-any-return]

    @path("")
    def editions(self, request: HttpRequest) -> HttpResponse:
        return self.render(request)

    @path("dang-ky/", name="subscribe")
    def subscribe(self, request: HttpRequest) -> HttpResponse:
        return page_view_call("bulletins.subscribe", request, self)  # type: ignore[no-any-return]


class EditionPage(VietnameseSlugMixin, RoutablePageMixin, Page):
    """One edition: "Số 12, tháng 12/2026"."""

    number = models.PositiveIntegerField(_("number"))
    issue_date = models.DateField(_("date of the edition"), default=timezone.localdate)
    editor_note = models.TextField(_("editor's note"), blank=True)
    body = StreamField(EditionBody(), verbose_name=_("content"), blank=True)

    content_panels = [
        *Page.content_panels,
        MultiFieldPanel(
            [FieldPanel("number"), FieldPanel("issue_date")], heading=_("Number and date")
        ),
        FieldPanel("editor_note"),
        FieldPanel("body"),
    ]
    search_fields = [
        *Page.search_fields,
        index.SearchField("editor_note"),
        index.SearchField("body"),
        index.FilterField("issue_date"),
    ]
    parent_page_types = ["bulletins.SeriesPage"]
    subpage_types: list[str] = []
    base_form_class = EditionPageForm
    search_kind = "bulletin"  # in the portal's search (moduong.search)

    class Meta:
        verbose_name = _("bulletin edition")
        verbose_name_plural = _("bulletin editions")

    @property
    def label(self) -> str:
        """ "Số 12, tháng 12/2026"."""
        return f"Số {self.number}, tháng {self.issue_date.month}/{self.issue_date.year}"

    def articles(self) -> list[Page | None]:
        """The chosen portal articles, in order (None where one was deleted)."""
        return [block.value["page"] for block in self.body if block.block_type == "article"]

    def articles_unavailable(self) -> list[str]:
        """The titles of chosen articles that readers cannot open (a draft, unpublished,
        deleted). The chooser's value may be an old copy: the database says what is live."""
        chosen = self.articles()
        live = set(
            Page.objects.filter(pk__in=[p.pk for p in chosen if p], live=True).values_list(
                "pk", flat=True
            )
        )
        return [p.title if p else "?" for p in chosen if p is None or p.pk not in live]

    def publish(self, revision, *args, **kwargs):  # type: ignore[no-untyped-def]
        """The last guard, for every way in (the workflow's approval, scheduled publishing, a
        script); the editor's form says the same thing earlier (EditionPageForm)."""
        missing = revision.as_object().articles_unavailable()
        if missing:
            raise ValidationError(
                _(
                    "This edition cannot be published: these articles are not published "
                    "on the portal: %(titles)s."
                )
                % {"titles": "; ".join(f"“{t}”" for t in missing)}
            )
        return super().publish(revision, *args, **kwargs)

    def get_context(self, request, *args, **kwargs):  # type: ignore[no-untyped-def]
        context = super().get_context(request, *args, **kwargs)
        return page_view_call("bulletins.edition_context", request, self, context)  # type: ignore[no-any-return]

    @path("")
    def web(self, request: HttpRequest) -> HttpResponse:
        return self.render(request)

    @path("ban-in/trang-thai/", name="print_status")
    def print_status(self, request: HttpRequest) -> HttpResponse:
        return page_view_call("bulletins.print_status", request, self)  # type: ignore[no-any-return]

    # Wagtail serves only addresses made of words and ending in "/": no ".pdf" here; the file
    # keeps its name through Content-Disposition.
    @re_path(r"^ban-in/(?P<size>a4|a5)/$", name="print_pdf")
    def print_pdf(self, request: HttpRequest, size: str) -> HttpResponse:
        return page_view_call("bulletins.print_pdf", request, self, size)  # type: ignore[no-any-return]


class Place(models.Model):
    """Where a poster hangs: a ward or commune (the July 2025 list), a unit of the organisation
    tree (a party cell), or a free label ("Bảng tin tổ dân phố 5")."""

    class Kind(models.TextChoices):
        COMMUNE = "commune", _("Ward or commune")
        UNIT = "unit", _("Unit or party cell")
        LABEL = "label", _("Other place")

    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.LABEL)
    commune = models.ForeignKey(
        "units.Commune",
        verbose_name=_("ward or commune"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    unit = models.ForeignKey(
        "units.Unit",
        verbose_name=_("unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    label = models.CharField(
        _("label"),
        max_length=200,
        blank=True,
        help_text=_("Where exactly, e.g. “Bảng tin tổ dân phố 5”. Required for another place."),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("distribution place")
        verbose_name_plural = _("distribution places")
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        base = ""
        if self.kind == self.Kind.COMMUNE and self.commune_id:
            base = str(self.commune)
        elif self.kind == self.Kind.UNIT and self.unit_id:
            base = str(self.unit)
        if base and self.label:
            return f"{base} – {self.label}"
        return base or self.label

    def clean(self) -> None:
        if self.kind == self.Kind.COMMUNE and not self.commune_id:
            raise ValidationError({"commune": _("Choose the ward or commune.")})
        if self.kind == self.Kind.UNIT and not self.unit_id:
            raise ValidationError({"unit": _("Choose the unit.")})
        if self.kind == self.Kind.LABEL and not self.label.strip():
            raise ValidationError({"label": _("Write where the poster hangs.")})


# Codes are made from these letters only: no 0/o, 1/l/i, so a code read aloud or typed from a
# poster is not mistaken. Anything else in /q/… is not a code.
CODE_ALPHABET = "23456789abcdefghjkmnpqrstuvwxyz"
CODE_LENGTH = 7


def code_new() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


class QrCode(models.Model):
    """A short address /q/<code>: to a series' latest edition, or to one pinned edition."""

    code = models.CharField(_("code"), max_length=16, unique=True, editable=False)
    series = models.ForeignKey(
        SeriesPage, verbose_name=_("series"), on_delete=models.CASCADE, related_name="qr_codes"
    )
    edition = models.ForeignKey(
        EditionPage,
        verbose_name=_("pinned edition"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Empty: the code always leads to the latest edition of the series."),
    )
    place = models.ForeignKey(
        Place, verbose_name=_("place"), on_delete=models.PROTECT, related_name="qr_codes"
    )
    posted_on = models.DateField(
        _("poster put up on"),
        default=timezone.localdate,
        help_text=_("Places with no scan since this day are listed on the dashboard."),
    )
    retired = models.BooleanField(
        _("retired"), default=False, help_text=_("A retired code leads to a notice, not counted.")
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("QR code")
        verbose_name_plural = _("QR codes")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.code} · {self.place}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        # 31^7 ≈ 27 billion codes: a clash is left to the unique constraint (and a retry).
        if not self.code:
            self.code = code_new()
        super().save(*args, **kwargs)

    def clean(self) -> None:
        if (
            self.edition is not None
            and self.series_id
            and self.edition.get_parent().pk != self.series_id
        ):
            raise ValidationError({"edition": _("This edition is not one of the series'.")})


class Scan(models.Model):
    """One scan of a real code. No raw address is stored: `visitor` is a hash of the address
    with a salt that lives one day (ScanSalt), so two scans can be told apart within a day and
    never linked to a person."""

    code = models.ForeignKey(QrCode, on_delete=models.CASCADE, related_name="scans")
    series_id: int
    series = models.ForeignKey(SeriesPage, on_delete=models.CASCADE, related_name="+")
    place = models.ForeignKey(Place, on_delete=models.CASCADE, related_name="scans")
    edition = models.ForeignKey(
        EditionPage, null=True, on_delete=models.SET_NULL, related_name="scans"
    )
    scanned_at = models.DateTimeField(default=timezone.now)
    browser = models.CharField(max_length=20)
    visitor = models.CharField(max_length=32)

    class Meta:
        indexes = [models.Index(fields=["series", "scanned_at"], name="bulletins_scan_series")]

    def __str__(self) -> str:
        return f"{self.code_id} {self.scanned_at:%Y-%m-%d %H:%M}"


class ScanSalt(models.Model):
    """Today's salt; yesterday's is deleted when today's is made."""

    day = models.DateField(unique=True)
    salt = models.CharField(max_length=64)

    def __str__(self) -> str:
        return str(self.day)  # never the salt


class EditionPrint(models.Model):
    """The print files of an edition, built by a background task after each publish."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Waiting")
        BUILDING = "building", _("Being made")
        READY = "ready", _("Ready")
        FAILED = "failed", _("Failed")

    edition = models.OneToOneField(EditionPage, on_delete=models.CASCADE, related_name="+")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    progress = models.PositiveSmallIntegerField(default=0)
    pages = models.PositiveIntegerField(default=0)
    pdf_a4 = models.FileField(upload_to="ban-tin/", blank=True)
    pdf_a5 = models.FileField(upload_to="ban-tin/", blank=True)
    message = models.CharField(max_length=300, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"{self.edition_id}: {self.status}"

    def file_for(self, size: str) -> Any:
        if self.status != self.Status.READY:
            return None
        return {"a4": self.pdf_a4, "a5": self.pdf_a5}.get(size)


class Subscriber(models.Model):
    """An address subscribed to a series: pending until confirmed (double opt-in); kept when
    it unsubscribes or bounces, so that it is never written to again unless it comes back."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for confirmation")
        ACTIVE = "active", _("Subscribed")
        UNSUBSCRIBED = "unsubscribed", _("Unsubscribed")
        BOUNCED = "bounced", _("Bounced")

    series = models.ForeignKey(
        SeriesPage,
        verbose_name=_("series"),
        on_delete=models.CASCADE,
        related_name="bulletin_subscribers",
    )
    email = models.EmailField(_("email"))
    status = models.CharField(
        _("status"), max_length=15, choices=Status.choices, default=Status.PENDING
    )
    token = models.CharField(max_length=43, unique=True, editable=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    confirmed_at = models.DateTimeField(_("confirmed"), null=True, blank=True)
    left_at = models.DateTimeField(_("unsubscribed or bounced"), null=True, blank=True)

    class Meta:
        verbose_name = _("subscriber")
        verbose_name_plural = _("subscribers")
        constraints = [
            models.UniqueConstraint(fields=["series", "email"], name="bulletins_subscriber_once")
        ]

    def __str__(self) -> str:
        return self.email


class Delivery(models.Model):
    """An edition sent to a subscriber: a retried task sends nobody a second copy."""

    edition = models.ForeignKey(EditionPage, on_delete=models.CASCADE, related_name="+")
    subscriber = models.ForeignKey(Subscriber, on_delete=models.CASCADE, related_name="+")
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["edition", "subscriber"], name="bulletins_delivery_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.edition_id} → {self.subscriber_id}"
