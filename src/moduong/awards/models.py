"""Press awards and judged contests: an award with its categories and prize counts, rounds
(sơ khảo, chung khảo) each with a panel and weighted criteria, entries with their files,
judges, assignments, score sheets and the append-only log of every score change, and the
prizes the council confirmed (with their certificates' numbers and verification codes).

Results are never stored per method: they are computed from the submitted sheets (results.py)
each time they are shown, so that a set-aside sheet or a late re-assignment cannot leave a
stale ranking behind. Only the council's confirmed choice is written (Prize)."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.models import Orderable

from moduong.units.models import Unit

METHOD_MEAN = "mean"
METHOD_ZSCORE = "zscore"
METHOD_TRIMMED = "trimmed"
METHODS = {
    METHOD_MEAN: _("plain mean"),
    METHOD_ZSCORE: _("mean after normalising each judge (z-score)"),
    METHOD_TRIMMED: _("trimmed mean (highest and lowest dropped)"),
}

# Column headings, where the long names above would not fit.
METHOD_SHORT = {
    METHOD_MEAN: _("mean"),
    METHOD_ZSCORE: _("z-score"),
    METHOD_TRIMMED: _("trimmed"),
}

TIE_MEDIAN = "median"
TIE_EARLIEST = "earliest"
TIE_MAX = "max"
TIE_RULES = [
    (TIE_MEDIAN, _("the higher median of the judges' totals")),
    (TIE_MAX, _("the higher best single total")),
    (TIE_EARLIEST, _("the entry submitted first")),
]

PRIZE_A = "A"
PRIZE_B = "B"
PRIZE_C = "C"
PRIZE_KK = "KK"
PRIZE_LEVELS = [
    (PRIZE_A, _("A prize")),
    (PRIZE_B, _("B prize")),
    (PRIZE_C, _("C prize")),
    (PRIZE_KK, _("consolation prize")),
]


class Award(ClusterableModel):
    title = models.CharField(_("title"), max_length=255)
    slug = models.SlugField(_("address"), max_length=100, unique=True)
    intro = models.TextField(_("introduction"), blank=True)
    rules = models.TextField(_("rules"), blank=True)
    timeline = models.TextField(_("timeline"), blank=True)
    is_published = models.BooleanField(_("published"), default=False)
    published_from = models.DateField(_("works published from"))
    published_until = models.DateField(_("works published until"))
    entries_open_at = models.DateTimeField(_("entries open at"))
    entries_close_at = models.DateTimeField(_("entries close at"))
    author_max_entries = models.PositiveSmallIntegerField(
        _("maximum entries per author"), default=2, validators=[MinValueValidator(1)]
    )
    unit_max_per_category = models.PositiveSmallIntegerField(
        _("maximum entries per unit in a category"), default=5, validators=[MinValueValidator(1)]
    )
    tie_rule = models.CharField(_("tie rule"), max_length=10, choices=TIE_RULES, default=TIE_MEDIAN)
    # The council's decision: which method the prizes follow. Set once, by award_results_confirm.
    confirmed_method = models.CharField(
        _("confirmed method"), max_length=10, blank=True, editable=False
    )
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True, editable=False)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("confirmed by"),
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    panels = [
        FieldPanel("title"),
        FieldPanel("slug"),
        FieldPanel("is_published"),
        FieldPanel("intro"),
        FieldPanel("rules"),
        FieldPanel("timeline"),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("published_from"), FieldPanel("published_until")]),
                FieldRowPanel([FieldPanel("entries_open_at"), FieldPanel("entries_close_at")]),
                FieldRowPanel(
                    [FieldPanel("author_max_entries"), FieldPanel("unit_max_per_category")]
                ),
                FieldPanel("tie_rule"),
            ],
            heading=_("Eligibility and timeline"),
        ),
        InlinePanel("categories", heading=_("categories and prizes"), label=_("category")),
    ]

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("award")
        verbose_name_plural = _("awards")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(entries_close_at__gt=models.F("entries_open_at")),
                name="awards_award_closes_after_opening",
            ),
            models.CheckConstraint(
                condition=models.Q(published_until__gte=models.F("published_from")),
                name="awards_award_period_ordered",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        errors = {}
        opens, closes = self.entries_open_at, self.entries_close_at
        if opens and closes and closes <= opens:
            errors["entries_close_at"] = _("Entries must close after they open.")
        start, end = self.published_from, self.published_until
        if start and end and end < start:
            errors["published_until"] = _("The period must end after it starts.")
        if errors:
            raise ValidationError(errors)


class Category(Orderable):
    """A category (báo in, báo điện tử, phát thanh, truyền hình, ảnh báo chí…) and how many
    prizes of each level it gives."""

    award = ParentalKey(Award, on_delete=models.CASCADE, related_name="categories")
    name = models.CharField(_("name"), max_length=150)
    prize_a = models.PositiveSmallIntegerField(_("A prizes"), default=1)
    prize_b = models.PositiveSmallIntegerField(_("B prizes"), default=1)
    prize_c = models.PositiveSmallIntegerField(_("C prizes"), default=1)
    prize_kk = models.PositiveSmallIntegerField(_("consolation prizes"), default=1)

    panels = [
        FieldPanel("name"),
        FieldRowPanel(
            [
                FieldPanel("prize_a"),
                FieldPanel("prize_b"),
                FieldPanel("prize_c"),
                FieldPanel("prize_kk"),
            ]
        ),
    ]

    class Meta(Orderable.Meta):
        verbose_name = _("category")
        verbose_name_plural = _("categories")
        constraints = [
            models.UniqueConstraint(fields=["award", "name"], name="awards_category_name")
        ]

    def __str__(self) -> str:
        return self.name

    def prize_counts(self) -> list[tuple[str, int]]:
        return [
            (PRIZE_A, self.prize_a),
            (PRIZE_B, self.prize_b),
            (PRIZE_C, self.prize_c),
            (PRIZE_KK, self.prize_kk),
        ]


class UnitAccount(models.Model):
    """An account that submits entries on behalf of a unit of the organisation tree (its
    newsroom's secretariat, say). Its entries count against the unit's limits; an account with
    none submits as an individual."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("account"),
        on_delete=models.CASCADE,
        related_name="award_unit_account",
    )
    unit = models.ForeignKey(
        Unit, verbose_name=_("unit"), on_delete=models.CASCADE, related_name="award_accounts"
    )

    class Meta:
        verbose_name = _("unit account")
        verbose_name_plural = _("unit accounts")

    def __str__(self) -> str:
        return f"{self.user} – {self.unit}"


class Judge(models.Model):
    """A person on the award's jury, with the unit they belong to (their own unit's entries,
    and those of the units above and below it in the tree, are never assigned to them) and
    the authors they declared a tie with (one name a line)."""

    award = models.ForeignKey(
        Award, verbose_name=_("award"), on_delete=models.CASCADE, related_name="judges"
    )
    # An account deleted by its owner (Decree 13) leaves the jury's record and its sheets in
    # place: the results must not change because a judge left the site.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("account"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="award_judgeships",
    )
    unit = models.ForeignKey(
        Unit, verbose_name=_("unit"), null=True, blank=True, on_delete=models.SET_NULL
    )
    declared_authors = models.TextField(
        _("authors declared (conflict of interest)"),
        blank=True,
        help_text=_("One name a line: relatives, colleagues, people the judge has worked with."),
    )

    class Meta:
        verbose_name = _("judge")
        verbose_name_plural = _("judges")
        constraints = [models.UniqueConstraint(fields=["award", "user"], name="awards_judge_once")]

    def __str__(self) -> str:
        if self.user is None:
            return f"#{self.pk}"
        return self.user.get_full_name() or self.user.get_username()


class Round(ClusterableModel):
    award = models.ForeignKey(
        Award, verbose_name=_("award"), on_delete=models.CASCADE, related_name="rounds"
    )
    number = models.PositiveSmallIntegerField(_("round number"), default=1)
    title = models.CharField(_("title"), max_length=150)
    is_blind = models.BooleanField(_("blind (authors and units hidden from judges)"), default=True)
    judges_per_entry = models.PositiveSmallIntegerField(
        _("judges per entry"), default=3, validators=[MinValueValidator(1)]
    )
    advance_per_category = models.PositiveSmallIntegerField(
        _("entries going on to the next round, per category"), default=0
    )
    panel = models.ManyToManyField(Judge, verbose_name=_("panel"), blank=True, related_name="+")

    panels = [
        FieldPanel("award"),
        FieldRowPanel([FieldPanel("number"), FieldPanel("title")]),
        FieldRowPanel([FieldPanel("is_blind"), FieldPanel("judges_per_entry")]),
        FieldPanel("advance_per_category"),
        FieldPanel("panel"),
        InlinePanel("criteria", heading=_("criteria"), label=_("criterion"), min_num=1),
    ]

    class Meta:
        ordering = ["award", "number"]
        verbose_name = _("round")
        verbose_name_plural = _("rounds")
        constraints = [
            models.UniqueConstraint(fields=["award", "number"], name="awards_round_number")
        ]

    def __str__(self) -> str:
        return f"{self.award} – {self.title}"


class Criterion(Orderable):
    round = ParentalKey(Round, on_delete=models.CASCADE, related_name="criteria")
    name = models.CharField(_("criterion"), max_length=200)
    weight = models.DecimalField(
        _("weight"), max_digits=5, decimal_places=2, default=1, validators=[MinValueValidator(0)]
    )
    min_score = models.PositiveSmallIntegerField(_("lowest score"), default=0)
    max_score = models.PositiveSmallIntegerField(_("highest score"), default=10)

    panels = [
        FieldPanel("name"),
        FieldRowPanel([FieldPanel("weight"), FieldPanel("min_score"), FieldPanel("max_score")]),
    ]

    class Meta(Orderable.Meta):
        verbose_name = _("criterion")
        verbose_name_plural = _("criteria")

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        low, high = self.min_score, self.max_score
        if low is not None and high is not None and high <= low:
            raise ValidationError({"max_score": _("The highest score must be above the lowest.")})


class Entry(models.Model):
    SUBMITTED = "submitted"
    RETURNED = "returned"
    ELIGIBLE = "eligible"
    INELIGIBLE = "ineligible"
    STATUSES = [
        (SUBMITTED, _("submitted, awaiting screening")),
        (RETURNED, _("returned for correction")),
        (ELIGIBLE, _("eligible")),
        (INELIGIBLE, _("not eligible")),
    ]

    award = models.ForeignKey(
        Award, verbose_name=_("award"), on_delete=models.CASCADE, related_name="entries"
    )
    category = models.ForeignKey(
        Category, verbose_name=_("category"), on_delete=models.PROTECT, related_name="entries"
    )
    title = models.CharField(_("title"), max_length=300)
    authors = models.TextField(_("authors (one a line)"))
    outlet = models.CharField(_("outlet"), max_length=200)
    published_on = models.DateField(_("published on"))
    published_url = models.URLField(_("address where it was published"), blank=True)
    link = models.URLField(_("link to the work"), blank=True)
    statement = models.TextField(_("statement of authorship"))
    # The entry outlives its sender's account (the unit's record, the jury's marks).
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("submitted by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="award_entries",
    )
    unit = models.ForeignKey(
        Unit,
        verbose_name=_("submitting unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="award_entries",
    )
    status = models.CharField(_("status"), max_length=12, choices=STATUSES, default=SUBMITTED)
    screening_reason = models.TextField(_("screening reason"), blank=True)
    reached_round = models.PositiveSmallIntegerField(_("reached round"), default=1)
    submitted_at = models.DateTimeField(_("submitted at"))
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["award", "category", "id"]
        verbose_name = _("entry")
        verbose_name_plural = _("entries")

    def __str__(self) -> str:
        return self.title

    @property
    def author_list(self) -> list[str]:
        return [line.strip() for line in self.authors.splitlines() if line.strip()]


class EntryFile(models.Model):
    KINDS = [
        ("pdf", _("text (PDF)")),
        ("audio", _("audio")),
        ("video", _("video")),
        ("image", _("photo")),
    ]
    entry = models.ForeignKey(Entry, on_delete=models.CASCADE, related_name="files")
    file = models.FileField(_("file"), upload_to="awards/%Y/%m/")
    kind = models.CharField(_("kind"), max_length=8, choices=KINDS)
    name = models.CharField(_("name"), max_length=255)
    size = models.PositiveBigIntegerField(_("size"))

    class Meta:
        ordering = ["entry", "id"]
        verbose_name = _("entry file")
        verbose_name_plural = _("entry files")

    def __str__(self) -> str:
        return self.name


class Conflict(models.Model):
    """A judge's declaration of a conflict of interest with one entry."""

    judge = models.ForeignKey(Judge, on_delete=models.CASCADE, related_name="conflicts")
    entry = models.ForeignKey(Entry, on_delete=models.CASCADE, related_name="conflicts")
    reason = models.TextField(_("reason"))
    declared_at = models.DateTimeField(_("declared at"), auto_now_add=True)

    class Meta:
        verbose_name = _("conflict of interest")
        verbose_name_plural = _("conflicts of interest")
        constraints = [
            models.UniqueConstraint(fields=["judge", "entry"], name="awards_conflict_once")
        ]

    def __str__(self) -> str:
        return f"{self.judge} – {self.entry}"


class Assignment(models.Model):
    """One entry given to one judge in one round. A recusal keeps the row (and its sheet, set
    aside) so the record shows who was replaced and why."""

    ACTIVE = "active"
    RECUSED = "recused"
    STATUSES = [(ACTIVE, _("active")), (RECUSED, _("recused"))]

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="assignments")
    entry = models.ForeignKey(Entry, on_delete=models.CASCADE, related_name="assignments")
    judge = models.ForeignKey(Judge, on_delete=models.CASCADE, related_name="assignments")
    status = models.CharField(_("status"), max_length=8, choices=STATUSES, default=ACTIVE)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["round", "entry", "judge"]
        verbose_name = _("assignment")
        verbose_name_plural = _("assignments")
        constraints = [
            models.UniqueConstraint(
                fields=["round", "entry", "judge"], name="awards_assignment_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.judge} – {self.entry}"


class ScoreSheet(models.Model):
    """Made with its assignment, so two saves never race to create it. Locked once
    `submitted_at` is set; `set_aside` takes it out of every result (a recusal after scoring)
    without deleting what the judge wrote."""

    assignment = models.OneToOneField(Assignment, on_delete=models.CASCADE, related_name="sheet")
    comment = models.TextField(_("comment"), blank=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    set_aside = models.BooleanField(_("set aside"), default=False)

    class Meta:
        verbose_name = _("score sheet")
        verbose_name_plural = _("score sheets")

    def __str__(self) -> str:
        return str(self.assignment)


class Score(models.Model):
    sheet = models.ForeignKey(ScoreSheet, on_delete=models.CASCADE, related_name="scores")
    criterion = models.ForeignKey(Criterion, on_delete=models.CASCADE, related_name="+")
    value = models.DecimalField(_("score"), max_digits=6, decimal_places=2)

    class Meta:
        verbose_name = _("score")
        verbose_name_plural = _("scores")
        constraints = [
            models.UniqueConstraint(fields=["sheet", "criterion"], name="awards_score_once")
        ]

    def __str__(self) -> str:
        return f"{self.criterion}: {self.value}"


class ScoreLog(models.Model):
    """Every change to a sheet, appended and never updated: who, when, what."""

    SAVED = "saved"
    COMMENT = "comment"
    SUBMITTED = "submitted"
    SET_ASIDE = "set_aside"
    ACTIONS = [
        (SAVED, _("score saved")),
        (COMMENT, _("comment saved")),
        (SUBMITTED, _("sheet submitted")),
        (SET_ASIDE, _("sheet set aside")),
    ]

    sheet = models.ForeignKey(ScoreSheet, on_delete=models.CASCADE, related_name="log")
    action = models.CharField(_("action"), max_length=10, choices=ACTIONS)
    criterion = models.ForeignKey(
        Criterion, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    value = models.DecimalField(_("score"), max_digits=6, decimal_places=2, null=True)
    text = models.TextField(_("text"), blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    at = models.DateTimeField(_("at"), auto_now_add=True)

    class Meta:
        ordering = ["id"]
        verbose_name = _("score change")
        verbose_name_plural = _("score changes")

    def __str__(self) -> str:
        return f"{self.get_action_display()} #{self.sheet_id}"


class Prize(models.Model):
    """A prize the council confirmed, with its certificate's number and verification code."""

    award = models.ForeignKey(Award, on_delete=models.CASCADE, related_name="prizes")
    entry = models.OneToOneField(Entry, on_delete=models.CASCADE, related_name="prize")
    level = models.CharField(_("prize"), max_length=2, choices=PRIZE_LEVELS)
    rank = models.PositiveSmallIntegerField(_("rank in the category"))
    score = models.FloatField(_("score"))
    number = models.PositiveIntegerField(_("certificate number"))
    code = models.CharField(_("verification code"), max_length=16, unique=True)

    class Meta:
        ordering = ["award", "number"]
        verbose_name = _("prize")
        verbose_name_plural = _("prizes")
        constraints = [
            models.UniqueConstraint(fields=["award", "number"], name="awards_prize_number")
        ]

    def __str__(self) -> str:
        return f"{self.get_level_display()} – {self.entry}"
