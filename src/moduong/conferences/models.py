"""Hybrid conferences (Hội nghị trực tuyến): a main hall broadcasts to hundreds of connection
points, each of which reports through a signed link, without an account.

A point's current state (link test, linked, attendance, photo) lives on its row, so the
organisers' roll-up is a handful of aggregate queries over one table; every change a point
(or an organiser) makes is also written as a `PointReport`, so nothing is lost when two phones
of one point report at the same moment: the last write wins, and the history shows both."""

from __future__ import annotations

import secrets

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.models import Orderable

from moduong.core.files import private_storage
from moduong.units.models import Commune, Province, Unit


class Level(models.TextChoices):
    CITY = "city", _("city")
    PROVINCE = "province", _("province")
    COMMUNE = "commune", _("commune")


class ConnectionType(models.TextChoices):
    TELEVISION = "tv", _("online television link")
    SOFTWARE = "software", _("online meeting software")
    IN_PERSON = "in_person", _("attending in person")


class LinkTest(models.TextChoices):
    NONE = "", _("not tested")
    OK = "ok", _("good")
    DEGRADED = "degraded", _("degraded")
    FAILED = "failed", _("failed")


class Conference(ClusterableModel):  # type: ignore[django-manager-missing]
    title = models.CharField(_("title"), max_length=255)
    slug = models.SlugField(_("address"), max_length=100, unique=True)
    level = models.CharField(_("level"), max_length=10, choices=Level.choices, default=Level.CITY)
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"), null=True, blank=True)
    main_hall = models.CharField(_("main hall"), max_length=300)
    summary = models.TextField(_("summary"), blank=True)
    host_unit = models.ForeignKey(
        Unit,
        verbose_name=_("organising unit"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    target_points = models.PositiveIntegerField(_("target: connection points"), default=0)
    target_delegates = models.PositiveIntegerField(_("target: delegates"), default=0)
    alert_minutes = models.PositiveIntegerField(
        _("warn about points not linked this many minutes before the start"),
        default=30,
        validators=[MaxValueValidator(24 * 60)],
    )
    alert_emails = models.TextField(
        _("organisers' emails for the warning (one a line)"), blank=True
    )
    alert_sent_at = models.DateTimeField(_("warning sent at"), null=True, blank=True)
    reporting_closed = models.BooleanField(_("reporting closed"), default=False)
    links_expire_at = models.DateTimeField(
        _("point links expire at"),
        null=True,
        blank=True,
        help_text=_("Empty: two days after the start."),
    )
    is_published = models.BooleanField(_("published"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    panels = [
        FieldPanel("title"),
        FieldPanel("slug"),
        FieldRowPanel([FieldPanel("level"), FieldPanel("host_unit")]),
        FieldRowPanel([FieldPanel("starts_at"), FieldPanel("ends_at")]),
        FieldPanel("main_hall"),
        FieldPanel("summary"),
        FieldPanel("is_published"),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("target_points"), FieldPanel("target_delegates")]),
                FieldPanel("alert_minutes"),
                FieldPanel("alert_emails"),
                FieldPanel("links_expire_at"),
                FieldPanel("reporting_closed"),
            ],
            heading=_("Connection points and reporting"),
        ),
        InlinePanel("categories", heading=_("Attendance categories"), label=_("category")),
        InlinePanel("agenda_items", heading=_("Agenda"), label=_("agenda item")),
        InlinePanel("materials", heading=_("Materials"), label=_("material")),
        InlinePanel("photos", heading=_("Photos of the conference"), label=_("photo")),
    ]

    class Meta:
        ordering = ["-starts_at"]
        verbose_name = _("conference")
        verbose_name_plural = _("conferences")

    def __str__(self) -> str:
        return self.title


class AttendanceCategory(Orderable):
    conference = ParentalKey(Conference, on_delete=models.CASCADE, related_name="categories")
    name = models.CharField(_("name"), max_length=100)

    panels = [FieldPanel("name")]

    class Meta(Orderable.Meta):
        verbose_name = _("attendance category")
        verbose_name_plural = _("attendance categories")

    def __str__(self) -> str:
        return self.name


class AgendaItem(Orderable):
    conference = ParentalKey(Conference, on_delete=models.CASCADE, related_name="agenda_items")
    starts_at = models.TimeField(_("time"))
    title = models.CharField(_("item"), max_length=300)
    speaker = models.CharField(_("speaker"), max_length=200, blank=True)

    panels = [FieldRowPanel([FieldPanel("starts_at"), FieldPanel("speaker")]), FieldPanel("title")]

    class Meta(Orderable.Meta):
        verbose_name = _("agenda item")
        verbose_name_plural = _("agenda items")


class Material(Orderable):
    class Phase(models.TextChoices):
        BEFORE = "before", _("before the conference")
        AFTER = "after", _("after the conference")

    conference = ParentalKey(Conference, on_delete=models.CASCADE, related_name="materials")
    document = models.ForeignKey(
        "wagtaildocs.Document", verbose_name=_("document"), on_delete=models.CASCADE
    )
    phase = models.CharField(
        _("published"), max_length=10, choices=Phase.choices, default=Phase.BEFORE
    )

    panels = [FieldPanel("document"), FieldPanel("phase")]

    class Meta(Orderable.Meta):
        verbose_name = _("material")
        verbose_name_plural = _("materials")


class ConferencePhoto(Orderable):
    """A photo the organisers publish on the conference's page (the main hall, the points):
    shown once the conference has started. Rooms' photos sent by the points stay private."""

    conference = ParentalKey(Conference, on_delete=models.CASCADE, related_name="photos")
    image = models.ForeignKey(
        "wagtailimages.Image", verbose_name=_("photo"), on_delete=models.CASCADE, related_name="+"
    )
    caption = models.CharField(_("caption"), max_length=300, blank=True)

    panels = [FieldPanel("image"), FieldPanel("caption")]

    class Meta(Orderable.Meta):
        verbose_name = _("photo")
        verbose_name_plural = _("photos")


class ConnectionPoint(models.Model):
    conference = models.ForeignKey(
        Conference, verbose_name=_("conference"), on_delete=models.CASCADE, related_name="points"
    )
    code = models.CharField(_("code"), max_length=40)
    name = models.CharField(_("name"), max_length=255)
    host_unit = models.ForeignKey(
        Unit,
        verbose_name=_("host unit"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    province = models.ForeignKey(
        Province,
        verbose_name=_("province"),
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to={"version__is_current": True},  # the list in force (July 2025)
    )
    commune = models.ForeignKey(
        Commune,
        verbose_name=_("commune"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to={"version__is_current": True},
    )
    address = models.CharField(_("address"), max_length=300, blank=True)
    capacity = models.PositiveIntegerField(_("capacity"), validators=[MinValueValidator(1)])
    connection_type = models.CharField(
        _("connection type"),
        max_length=10,
        choices=ConnectionType.choices,
        default=ConnectionType.TELEVISION,
    )
    contact_name = models.CharField(_("contact person"), max_length=150, blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=20, blank=True)
    expected_attendance = models.PositiveIntegerField(_("expected attendance"), default=0)

    # The point's current report (its history is PointReport).
    link_test = models.CharField(
        _("link test"), max_length=10, choices=LinkTest.choices, default="", blank=True
    )
    link_test_note = models.CharField(_("link test note"), max_length=500, blank=True)
    linked_at = models.DateTimeField(_("linked at"), null=True, blank=True)
    attendance = models.JSONField(_("attendance by category"), default=dict, blank=True)
    attendance_total = models.PositiveIntegerField(_("attendance"), default=0)
    # Private (core.files): only organisers fetch a room's photo, through admin_views.point_photo.
    photo = models.FileField(
        _("photo of the room"), upload_to="conferences/", storage=private_storage, blank=True
    )
    reported_at = models.DateTimeField(_("last report"), null=True, blank=True)
    revision = models.PositiveIntegerField(default=0, editable=False)
    #: Signed into the point's link: raising it revokes every link given before (links.py).
    link_version = models.PositiveIntegerField(_("link version"), default=1, editable=False)

    panels = [
        FieldRowPanel([FieldPanel("code"), FieldPanel("name")]),
        FieldPanel("conference"),
        FieldPanel("host_unit"),
        FieldRowPanel([FieldPanel("province"), FieldPanel("commune")]),
        FieldPanel("address"),
        FieldRowPanel(
            [
                FieldPanel("capacity"),
                FieldPanel("expected_attendance"),
                FieldPanel("connection_type"),
            ]
        ),
        FieldRowPanel([FieldPanel("contact_name"), FieldPanel("contact_phone")]),
    ]

    class Meta:
        ordering = ["conference", "code"]
        verbose_name = _("connection point")
        verbose_name_plural = _("connection points")
        constraints = [
            models.UniqueConstraint(fields=["conference", "code"], name="conferences_point_code")
        ]
        indexes = [models.Index(fields=["conference", "linked_at"])]

    def __str__(self) -> str:
        return f"{self.code} – {self.name}"

    def clean(self) -> None:
        commune = self.commune if self.commune_id else None
        if commune is not None and self.province_id and commune.province_id != self.province_id:
            raise ValidationError({"commune": _("This commune is not in the chosen province.")})
        if self.expected_attendance and self.capacity and self.expected_attendance > self.capacity:
            raise ValidationError(
                {"expected_attendance": _("The expected attendance is above the capacity.")}
            )

    @property
    def is_linked(self) -> bool:
        return self.linked_at is not None


class PointReport(models.Model):
    """One change to a point's report: who made it (the point's link, or an organiser), when, and
    each changed field's value before and after."""

    point = models.ForeignKey(
        ConnectionPoint, verbose_name=_("point"), on_delete=models.CASCADE, related_name="reports"
    )
    created_at = models.DateTimeField(_("time"), auto_now_add=True)
    by = models.CharField(_("by"), max_length=150)
    changes = models.JSONField(_("changes"), default=dict)
    revision = models.PositiveIntegerField(_("revision"))

    # A history row refers to its point and nothing else worth a "used by" in the admin: no
    # reference-index task is queued for each of the day's 1,200 reports.
    wagtail_reference_index_ignore = True

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("point report")
        verbose_name_plural = _("point reports")

    def __str__(self) -> str:
        return f"{self.point_id} #{self.revision}"


def delegate_code() -> str:
    """The code on a delegate's badge and in its QR: 10 letters and digits a person can read
    out (no 0/O, 1/I), about 50 bits, so a badge cannot be guessed from another."""
    alphabet = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"
    return "".join(secrets.choice(alphabet) for _ in range(10))


class Delegate(models.Model):
    """A delegate registered for the main hall: on the list, with a badge (PDF) whose QR code is
    scanned at the door by an organiser's phone."""

    conference = models.ForeignKey(
        Conference,
        verbose_name=_("conference"),
        on_delete=models.CASCADE,
        related_name="delegates",
    )
    full_name = models.CharField(_("full name"), max_length=150)
    position = models.CharField(_("position"), max_length=200, blank=True)
    organisation = models.CharField(_("unit"), max_length=255, blank=True)
    category = models.ForeignKey(
        AttendanceCategory,
        verbose_name=_("attendance category"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    seat = models.CharField(_("seat"), max_length=20, blank=True)
    code = models.CharField(_("badge code"), max_length=16, unique=True, default=delegate_code)
    checked_in_at = models.DateTimeField(_("checked in at"), null=True, blank=True)
    checked_in_by = models.CharField(_("checked in by"), max_length=150, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    panels = [
        FieldPanel("conference"),
        FieldPanel("full_name"),
        FieldRowPanel([FieldPanel("position"), FieldPanel("organisation")]),
        FieldRowPanel([FieldPanel("category"), FieldPanel("seat")]),
    ]

    class Meta:
        ordering = ["conference", "full_name", "pk"]
        verbose_name = _("delegate")
        verbose_name_plural = _("delegates")
        indexes = [models.Index(fields=["conference", "checked_in_at"])]

    def __str__(self) -> str:
        return self.full_name

    def clean(self) -> None:
        category = self.category if self.category_id else None
        if category is not None and category.conference_id != self.conference_id:
            raise ValidationError({"category": _("This category is not this conference's.")})

    @property
    def is_checked_in(self) -> bool:
        return self.checked_in_at is not None
