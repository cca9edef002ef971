"""Political-theory classes: centres, programmes, classes and their sessions; learners (one
person, one record across every class and centre), enrolments with results, attendance and
certificates."""

from __future__ import annotations

import re
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from moduong.core import vntext
from moduong.units.models import Unit

# Province codes that open a citizen identity card (CCCD) number: the 63 codes of the
# statistics office's list before July 2025 (cards issued before the reform keep them).
CCCD_PROVINCES = frozenset(
    f"{n:03d}"
    for n in (
        1,
        2,
        4,
        6,
        8,
        10,
        11,
        12,
        14,
        15,
        17,
        19,
        20,
        22,
        24,
        25,
        26,
        27,
        30,
        31,
        33,
        34,
        35,
        36,
        37,
        38,
        40,
        42,
        44,
        45,
        46,
        48,
        49,
        51,
        52,
        54,
        56,
        58,
        60,
        62,
        64,
        66,
        67,
        68,
        70,
        72,
        74,
        75,
        77,
        79,
        80,
        82,
        83,
        84,
        86,
        87,
        89,
        91,
        92,
        93,
        94,
        95,
        96,
    )
)
_SEPARATORS = re.compile(r"[\s.\-]")


def identifier_check(value: str) -> None:
    """The model field's validator: Django's validators return nothing."""
    identifier_clean(value)


def identifier_clean(value: str) -> str:
    """A party membership number (8 digits, often written 12.345.678) or a citizen identity
    card number (12 digits, opening with a province code): digits only, or ValidationError."""
    digits = _SEPARATORS.sub("", vntext.normalize(str(value or "")))
    if re.fullmatch(r"\d{8}", digits):
        return digits
    if re.fullmatch(r"\d{12}", digits) and digits[:3] in CCCD_PROVINCES:
        return digits
    raise ValidationError(
        gettext(
            "The identifier must be a party membership number (8 digits) or a citizen"
            " identity card number (12 digits starting with a province code)."
        ),
        code="invalid_identifier",
    )


def identifier_mask(value: str) -> str:
    """Lists show the last four digits only (Decree 13/2023/NĐ-CP)."""
    return "•" * max(len(value) - 4, 0) + value[-4:]


class Centre(models.Model):
    """A political centre: one unit of the organisation tree, with the area it serves."""

    unit = models.OneToOneField(
        Unit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="training_centre"
    )
    area = models.CharField(_("area"), max_length=120, help_text=_("For example: Western area"))

    class Meta:
        verbose_name = _("centre")
        verbose_name_plural = _("centres")

    def __str__(self) -> str:
        return self.unit.name


class Programme(models.Model):
    class Kind(models.TextChoices):
        ELEMENTARY = "so-cap", _("Elementary political theory")
        NEW_MEMBERS = "dang-vien-moi", _("Course for new party members")
        RESOLUTION = "nghi-quyet", _("Study of a resolution")
        UPDATE = "cap-nhat", _("Knowledge update for officials")

    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    required_hours = models.PositiveSmallIntegerField(_("required hours"))
    min_attendance_percent = models.PositiveSmallIntegerField(
        _("minimum attendance (%)"),
        default=80,
        validators=[MaxValueValidator(100)],
        help_text=_("Present or late, as a share of the class's sessions."),
    )
    pass_mark = models.DecimalField(
        _("pass mark (out of 10)"),
        max_digits=4,
        decimal_places=2,
        default=Decimal("5"),
        validators=[MinValueValidator(0), MaxValueValidator(10)],
    )
    assignment_required = models.BooleanField(_("a written assignment is required"), default=False)

    class Meta:
        ordering = ["name"]
        verbose_name = _("programme")
        verbose_name_plural = _("programmes")

    def __str__(self) -> str:
        return self.name


class TrainingClass(models.Model):
    code = models.SlugField(
        _("class code"), max_length=40, unique=True, help_text=_("For example: sc-2026-01")
    )
    name = models.CharField(_("name"), max_length=200)
    centre = models.ForeignKey(
        Centre, verbose_name=_("centre"), on_delete=models.PROTECT, related_name="classes"
    )
    programme = models.ForeignKey(
        Programme, verbose_name=_("programme"), on_delete=models.PROTECT, related_name="classes"
    )
    starts_on = models.DateField(_("first day"))
    ends_on = models.DateField(_("last day"))
    place = models.CharField(_("place"), max_length=200)
    teachers = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("teachers"),
        blank=True,
        related_name="taught_classes",
        help_text=_("Accounts that may mark attendance and show the check-in code."),
    )
    capacity = models.PositiveIntegerField(_("capacity"), validators=[MinValueValidator(1)])

    class Meta:
        ordering = ["-starts_on", "code"]
        verbose_name = _("class")
        verbose_name_plural = _("classes")
        indexes = [models.Index(fields=["starts_on"])]

    def __str__(self) -> str:
        return f"{self.code} · {self.name}"

    def clean(self) -> None:
        if self.starts_on and self.ends_on and self.ends_on < self.starts_on:
            raise ValidationError({"ends_on": gettext("The last day is before the first day.")})


class Session(models.Model):
    training_class = models.ForeignKey(
        TrainingClass, verbose_name=_("class"), on_delete=models.CASCADE, related_name="sessions"
    )
    topic = models.CharField(_("topic"), max_length=200)
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))

    class Meta:
        ordering = ["starts_at"]
        verbose_name = _("session")
        verbose_name_plural = _("sessions")

    def __str__(self) -> str:
        return f"{self.topic} ({vntext.format_datetime(self.starts_at, weekday=False)})"

    def clean(self) -> None:
        if self.starts_at and self.ends_at and self.ends_at <= self.starts_at:
            raise ValidationError({"ends_at": gettext("A session must end after it starts.")})


class Learner(models.Model):
    """A person, once: matched across classes and centres by the identifier."""

    full_name = models.CharField(_("full name"), max_length=150)
    name_key = models.CharField(max_length=150, editable=False, db_index=True)
    date_of_birth = models.DateField(_("date of birth"))
    unit = models.ForeignKey(
        Unit,
        verbose_name=_("unit"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="learners",
    )
    identifier = models.CharField(
        _("party membership or ID number"),
        max_length=12,
        unique=True,
        validators=[identifier_check],
    )
    account = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("account"),
        null=True,
        blank=True,
        # The centre's record outlives an account its owner deletes; only the link goes.
        on_delete=models.SET_NULL,
        related_name="learner",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["full_name"]
        verbose_name = _("learner")
        verbose_name_plural = _("learners")

    def __str__(self) -> str:
        return self.full_name

    def save(self, *args: object, **kwargs: object) -> None:
        self.full_name = vntext.clean_line(self.full_name)
        self.name_key = vntext.fold(self.full_name)
        super().save(*args, **kwargs)  # type: ignore[arg-type]

    @property
    def identifier_masked(self) -> str:
        return identifier_mask(self.identifier)

    @property
    def birth_year(self) -> int:
        return self.date_of_birth.year


class Enrolment(models.Model):
    learner = models.ForeignKey(
        Learner, verbose_name=_("learner"), on_delete=models.CASCADE, related_name="enrolments"
    )
    training_class = models.ForeignKey(
        TrainingClass,
        verbose_name=_("class"),
        on_delete=models.CASCADE,
        related_name="enrolments",
    )
    enrolled_at = models.DateTimeField(_("enrolled at"), auto_now_add=True)
    exam_score = models.DecimalField(
        _("exam score"),
        max_digits=4,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(10)],
    )
    assignment_mark = models.DecimalField(
        _("assignment mark"),
        max_digits=4,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(10)],
    )
    attendance_percent = models.PositiveSmallIntegerField(_("attendance (%)"), default=0)
    completed = models.BooleanField(_("completed"), default=False)

    class Meta:
        ordering = ["training_class", "learner__full_name"]
        verbose_name = _("enrolment")
        verbose_name_plural = _("enrolments")
        constraints = [
            models.UniqueConstraint(
                fields=["training_class", "learner"], name="training_one_enrolment_per_class"
            )
        ]

    def __str__(self) -> str:
        return f"{self.learner} · {self.training_class.code}"


class Attendance(models.Model):
    class Status(models.TextChoices):
        PRESENT = "present", _("present")
        LATE = "late", _("late")
        EXCUSED = "excused", _("excused")
        ABSENT = "absent", _("absent")

    class Method(models.TextChoices):
        TEACHER = "teacher", _("marked by the teacher")
        QR = "qr", _("checked in by QR code")

    session = models.ForeignKey(
        Session, verbose_name=_("session"), on_delete=models.CASCADE, related_name="attendances"
    )
    enrolment = models.ForeignKey(
        Enrolment,
        verbose_name=_("enrolment"),
        on_delete=models.CASCADE,
        related_name="attendances",
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices)
    method = models.CharField(_("how"), max_length=10, choices=Method.choices)
    marked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("marked by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    marked_at = models.DateTimeField(_("marked at"))

    class Meta:
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")
        constraints = [
            models.UniqueConstraint(
                fields=["session", "enrolment"], name="training_one_mark_per_session"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_status_display()} · {self.marked_at:%d/%m/%Y %H:%M}"


class DuplicateFlag(models.Model):
    """Same folded name and date of birth, another identifier: perhaps one person typed twice,
    perhaps two people. A person decides; nothing is merged by itself."""

    class Decision(models.TextChoices):
        PENDING = "pending", _("to be decided")
        SAME = "same", _("the same person (merged)")
        DIFFERENT = "different", _("different people")

    learner = models.ForeignKey(
        Learner, verbose_name=_("new record"), on_delete=models.CASCADE, related_name="+"
    )
    existing = models.ForeignKey(
        Learner, verbose_name=_("existing record"), on_delete=models.CASCADE, related_name="+"
    )
    decision = models.CharField(
        _("decision"), max_length=10, choices=Decision.choices, default=Decision.PENDING
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("possible duplicate")
        verbose_name_plural = _("possible duplicates")
        constraints = [
            models.UniqueConstraint(fields=["learner", "existing"], name="training_one_flag")
        ]

    def __str__(self) -> str:
        return f"{self.learner} ≟ {self.existing}"


class Certificate(models.Model):
    enrolment = models.OneToOneField(
        Enrolment,
        verbose_name=_("enrolment"),
        on_delete=models.CASCADE,
        related_name="certificate",
    )
    number = models.PositiveIntegerField(_("number"), unique=True)
    code = models.CharField(_("verification code"), max_length=16, unique=True)
    issued_at = models.DateTimeField(_("issued at"))

    class Meta:
        ordering = ["number"]
        verbose_name = _("certificate")
        verbose_name_plural = _("certificates")

    def __str__(self) -> str:
        return f"{self.number:06d}"
