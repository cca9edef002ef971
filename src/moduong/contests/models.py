"""Online knowledge contests: a contest, its rounds, a question bank, participants' attempts.

The hot path (starting and submitting attempts) touches only `Attempt`: a start is one INSERT
whose questions come from the round's frozen bank snapshot (kept in the cache) and which stores
the attempt's answer key; a submit is one conditional UPDATE that scores against that key (on
PostgreSQL without reading the row first). See services/attempts.py, and "Contests: the hot
path" in the project's design notes."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.storage import FileSystemStorage
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel

from moduong.core import files
from moduong.units.models import Commune, Province, Unit

#: Ranking rules, in the order an organiser may arrange them (Round.ranking_rules).
RANKING_RULES = {
    "score": _("score, highest first"),
    "prediction": _("distance of the prediction from the actual figure, smallest first"),
    "duration": _("time taken, shortest first"),
    "submitted": _("submission time, earliest first"),
    "id": _("attempt number, smallest first"),
}
DEFAULT_RANKING_RULES = "score,prediction,duration,submitted,id"


def validate_ranking_rules(value: str) -> None:
    rules = [r.strip() for r in value.split(",") if r.strip()]
    unknown = [r for r in rules if r not in RANKING_RULES]
    if unknown or len(set(rules)) != len(rules) or not rules:
        raise ValidationError(
            _("Use the rule names %(names)s, each at most once, separated by commas."),
            params={"names": ", ".join(RANKING_RULES)},
        )


class Contest(models.Model):  # type: ignore[django-manager-missing]
    title = models.CharField(_("title"), max_length=255)
    slug = models.SlugField(_("address"), max_length=100, unique=True)
    intro = models.TextField(_("introduction"), blank=True)
    rules = models.TextField(_("rules"), blank=True)
    prizes = models.TextField(_("prizes"), blank=True)
    timeline = models.TextField(_("timeline"), blank=True)
    organising_units = models.ManyToManyField(
        Unit, verbose_name=_("organising units"), blank=True, related_name="organised_contests"
    )
    is_published = models.BooleanField(_("published"), default=False)
    min_age = models.PositiveSmallIntegerField(
        _("minimum age"), null=True, blank=True, validators=[MaxValueValidator(120)]
    )
    excluded_users = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("excluded people (organisers, staff)"),
        blank=True,
        related_name="excluded_from_contests",
    )
    # Which registration fields the contest requires; full name and consent always are.
    require_date_of_birth = models.BooleanField(_("require date of birth"), default=True)
    require_gender = models.BooleanField(_("require gender"), default=False)
    require_phone = models.BooleanField(_("require phone"), default=True)
    require_unit = models.BooleanField(_("require unit"), default=False)
    require_province = models.BooleanField(_("require province and commune"), default=True)
    ask_id_number = models.BooleanField(_("ask for an ID number (optional)"), default=False)
    prizes_per_person = models.PositiveSmallIntegerField(
        _("prizes per person across the contest's rounds"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1)],
        help_text=_(
            "Empty: no limit. A person who has won this many prizes in earlier rounds"
            " is passed over in the next rounds' winners."
        ),
    )
    same_contact_limit = models.PositiveSmallIntegerField(
        _("accounts per phone, ID number or address before they are flagged"),
        default=3,
        validators=[MinValueValidator(2)],
    )
    burst_per_minute = models.PositiveIntegerField(
        _("registrations in one minute before they are flagged as a burst"),
        default=30,
        validators=[MinValueValidator(2)],
    )
    created_at = models.DateTimeField(auto_now_add=True)

    panels = [
        FieldPanel("title"),
        FieldPanel("slug"),
        FieldPanel("is_published"),
        FieldPanel("intro"),
        FieldPanel("rules"),
        FieldPanel("prizes"),
        FieldPanel("timeline"),
        FieldPanel("organising_units"),
        MultiFieldPanel(
            [
                FieldPanel("min_age"),
                FieldPanel("excluded_users"),
                FieldRowPanel([FieldPanel("require_date_of_birth"), FieldPanel("require_gender")]),
                FieldRowPanel([FieldPanel("require_phone"), FieldPanel("require_unit")]),
                FieldRowPanel([FieldPanel("require_province"), FieldPanel("ask_id_number")]),
            ],
            heading=_("Eligibility and registration"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("prizes_per_person"),
                FieldRowPanel([FieldPanel("same_contact_limit"), FieldPanel("burst_per_minute")]),
            ],
            heading=_("Fair winners"),
        ),
    ]

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("contest")
        verbose_name_plural = _("contests")

    def __str__(self) -> str:
        return self.title


class Round(ClusterableModel):
    LATE_REFUSE = "refuse"
    LATE_CAP = "cap"
    LATE_CHOICES = [
        (LATE_REFUSE, _("refuse the submission")),
        (LATE_CAP, _("accept the answers saved before the deadline")),
    ]
    TARGET_PEOPLE = "people"
    TARGET_ATTEMPTS = "attempts"
    TARGET_PERFECT = "perfect"
    TARGET_CHOICES = [
        (TARGET_PEOPLE, _("number of people who took part")),
        (TARGET_ATTEMPTS, _("number of attempts submitted")),
        (TARGET_PERFECT, _("number of people with a perfect score")),
    ]
    PREDICTION_OWN = "own"
    PREDICTION_FIRST = "first"
    PREDICTION_CHOICES = [
        (PREDICTION_OWN, _("each attempt's own prediction")),
        (PREDICTION_FIRST, _("the prediction of the person's first submitted attempt")),
    ]

    contest = models.ForeignKey(
        Contest, verbose_name=_("contest"), on_delete=models.CASCADE, related_name="rounds"
    )
    number = models.PositiveSmallIntegerField(_("round number"), default=1)
    title = models.CharField(_("title"), max_length=255)
    opens_at = models.DateTimeField(_("opens at"))
    closes_at = models.DateTimeField(_("closes at"))
    questions_per_attempt = models.PositiveSmallIntegerField(
        _("questions per attempt"), default=20, validators=[MinValueValidator(1)]
    )
    time_limit_seconds = models.PositiveIntegerField(
        _("time limit (seconds)"), default=1200, validators=[MinValueValidator(10)]
    )
    attempts_allowed = models.PositiveSmallIntegerField(
        _("attempts allowed per person"), default=1, validators=[MinValueValidator(1)]
    )
    grace_seconds = models.PositiveSmallIntegerField(
        _("grace after the deadline (seconds)"),
        default=10,
        help_text=_("Allows for the network delay of a submission sent just before the deadline."),
    )
    late_policy = models.CharField(
        _("late submission"), max_length=10, choices=LATE_CHOICES, default=LATE_CAP
    )
    reveal_answers = models.BooleanField(_("reveal correct answers after closing"), default=True)
    prediction_question = models.CharField(_("prediction question"), max_length=500, blank=True)
    prediction_target = models.CharField(
        _("prediction target"), max_length=10, choices=TARGET_CHOICES, default=TARGET_PEOPLE
    )
    prediction_counts = models.CharField(
        _("which prediction counts"),
        max_length=10,
        choices=PREDICTION_CHOICES,
        default=PREDICTION_OWN,
    )
    prediction_actual = models.BigIntegerField(_("actual figure"), null=True, blank=True)
    essay_prompt = models.TextField(_("essay question (optional)"), blank=True)
    essay_max_chars = models.PositiveIntegerField(
        _("essay length limit (characters)"),
        default=3000,
        validators=[MinValueValidator(100), MaxValueValidator(50000)],
    )
    ranking_rules = models.CharField(
        _("ranking rules"),
        max_length=100,
        default=DEFAULT_RANKING_RULES,
        validators=[validate_ranking_rules],
        help_text=_("In order: score, prediction, duration, submitted, id."),
    )
    best_attempt_only = models.BooleanField(_("rank each person's best attempt only"), default=True)
    prize_count = models.PositiveIntegerField(_("number of prizes"), default=10)
    min_human_seconds = models.PositiveIntegerField(
        _("fastest time a person can take (seconds)"),
        default=60,
        help_text=_("Submitted attempts faster than this are flagged for the organisers."),
    )
    # The bank as it was when the round's first attempt started: attempts are drawn, shown and
    # scored from it, so editing the bank cannot change an attempt already started.
    bank_snapshot = models.JSONField(_("question bank snapshot"), null=True, blank=True)
    bank_frozen_at = models.DateTimeField(_("bank frozen at"), null=True, blank=True)
    bank_frozen_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("bank frozen by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # Changes at every save: each process's copy of the paper is checked against it.
    updated_at = models.DateTimeField(auto_now=True)
    ranked_at = models.DateTimeField(_("ranked at"), null=True, blank=True)

    panels = [
        FieldPanel("contest"),
        FieldRowPanel([FieldPanel("number"), FieldPanel("title")]),
        FieldRowPanel([FieldPanel("opens_at"), FieldPanel("closes_at")]),
        MultiFieldPanel(
            [
                FieldRowPanel(
                    [FieldPanel("questions_per_attempt"), FieldPanel("time_limit_seconds")]
                ),
                FieldRowPanel([FieldPanel("attempts_allowed"), FieldPanel("grace_seconds")]),
                FieldPanel("late_policy"),
                FieldPanel("reveal_answers"),
            ],
            heading=_("Attempts"),
        ),
        InlinePanel("quotas", heading=_("topic quotas"), label=_("topic quota")),
        MultiFieldPanel(
            [
                FieldPanel("prediction_question"),
                FieldRowPanel([FieldPanel("prediction_target"), FieldPanel("prediction_counts")]),
            ],
            heading=_("Prediction"),
        ),
        MultiFieldPanel(
            [FieldPanel("essay_prompt"), FieldPanel("essay_max_chars")], heading=_("Essay")
        ),
        MultiFieldPanel(
            [
                FieldPanel("ranking_rules"),
                FieldPanel("best_attempt_only"),
                FieldPanel("prize_count"),
                FieldPanel("min_human_seconds"),
            ],
            heading=_("Ranking"),
        ),
    ]

    class Meta:
        ordering = ["contest", "number"]
        verbose_name = _("round")
        verbose_name_plural = _("rounds")
        constraints = [
            models.UniqueConstraint(fields=["contest", "number"], name="contests_round_number"),
            models.CheckConstraint(
                condition=models.Q(closes_at__gt=models.F("opens_at")),
                name="contests_round_closes_after_opening",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.contest} – {self.title}"

    def clean(self) -> None:
        if self.opens_at and self.closes_at and self.closes_at <= self.opens_at:
            raise ValidationError({"closes_at": _("A round must close after it opens.")})
        frozen = (self.bank_snapshot or {}).get("questions_per_attempt")
        if frozen is not None and frozen != self.questions_per_attempt:
            raise ValidationError(
                {
                    "questions_per_attempt": _(
                        "The question bank of this round is frozen with %(n)d questions per"
                        " attempt; it cannot change."
                    )
                    % {"n": frozen}
                }
            )

    @property
    def is_frozen(self) -> bool:
        return self.bank_snapshot is not None

    @property
    def rules_list(self) -> list[str]:
        return [r.strip() for r in self.ranking_rules.split(",") if r.strip()]


class TopicQuota(models.Model):
    round = ParentalKey(Round, on_delete=models.CASCADE, related_name="quotas")
    topic = models.CharField(_("topic"), max_length=100)
    count = models.PositiveSmallIntegerField(_("questions"), validators=[MinValueValidator(1)])

    class Meta:
        verbose_name = _("topic quota")
        verbose_name_plural = _("topic quotas")
        constraints = [
            models.UniqueConstraint(fields=["round", "topic"], name="contests_quota_topic")
        ]

    def __str__(self) -> str:
        return f"{self.topic}: {self.count}"


class Question(ClusterableModel):
    contest = models.ForeignKey(
        Contest, verbose_name=_("contest"), on_delete=models.CASCADE, related_name="questions"
    )
    code = models.CharField(_("code"), max_length=40, blank=True)
    text = models.TextField(_("question"))
    topic = models.CharField(_("topic"), max_length=100, blank=True)
    difficulty = models.PositiveSmallIntegerField(
        _("difficulty"), default=2, validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    is_active = models.BooleanField(_("in use"), default=True)

    panels = [
        FieldPanel("contest"),
        FieldPanel("code"),
        FieldPanel("text"),
        FieldRowPanel([FieldPanel("topic"), FieldPanel("difficulty"), FieldPanel("is_active")]),
        InlinePanel("options", label=_("option"), min_num=2, max_num=6),
    ]

    class Meta:
        ordering = ["contest", "id"]
        verbose_name = _("question")
        verbose_name_plural = _("questions")

    def __str__(self) -> str:
        return self.text[:80]


class Option(models.Model):
    question = ParentalKey(Question, on_delete=models.CASCADE, related_name="options")
    text = models.CharField(_("option"), max_length=1000)
    is_correct = models.BooleanField(_("correct"), default=False)
    sort_order = models.PositiveSmallIntegerField(default=0)

    panels = [FieldPanel("text"), FieldPanel("is_correct")]

    class Meta:
        ordering = ["question", "sort_order", "id"]
        verbose_name = _("option")
        verbose_name_plural = _("options")

    def __str__(self) -> str:
        return self.text[:80]


class ParticipantProfile(models.Model):
    GENDER_CHOICES = [("nam", _("male")), ("nu", _("female")), ("khac", _("other"))]

    contest = models.ForeignKey(Contest, on_delete=models.CASCADE, related_name="participants")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="contest_profiles"
    )
    full_name = models.CharField(_("full name"), max_length=150)
    date_of_birth = models.DateField(_("date of birth"), null=True, blank=True)
    gender = models.CharField(_("gender"), max_length=5, choices=GENDER_CHOICES, blank=True)
    phone = models.CharField(_("phone number"), max_length=20, blank=True)
    unit = models.ForeignKey(
        Unit, verbose_name=_("unit"), null=True, blank=True, on_delete=models.SET_NULL
    )
    province = models.ForeignKey(
        Province, verbose_name=_("province"), null=True, blank=True, on_delete=models.PROTECT
    )
    commune = models.ForeignKey(
        Commune, verbose_name=_("commune"), null=True, blank=True, on_delete=models.PROTECT
    )
    id_number = models.CharField(_("ID number"), max_length=12, blank=True)
    # A keyed hash of the address the registration came from: equal addresses meet in the
    # suspicious-attempts report, the address itself is never kept.
    address_hash = models.CharField(
        max_length=64, blank=True, default="", db_default="", editable=False
    )
    consent_at = models.DateTimeField(_("consent given at"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("participant")
        verbose_name_plural = _("participants")
        constraints = [
            models.UniqueConstraint(fields=["contest", "user"], name="contests_profile_once")
        ]

    def __str__(self) -> str:
        return self.full_name


class Attempt(models.Model):
    """One attempt. `questions` is the draw: [[question id, [option ids in shown order]], …];
    `answers` has one character per question (in draw order): '-' unanswered, otherwise the
    chosen option's index in the attempt's own shown order ('0'…'5'). A fixed-width string lets
    each answer be saved by one UPDATE of one character, with no read-modify-write race between
    two saves. `key` is the same string with every correct option: written once by the start,
    so that a submit that must merge with saved answers scores in SQL, in its one UPDATE. It is
    never shown nor serialised."""

    # No index of their own: the unique (round, user, seq) and the (user, round) index lead
    # with them, and every index is one more write for each start.
    round = models.ForeignKey(
        Round, on_delete=models.CASCADE, related_name="attempts", db_index=False
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="contest_attempts",
        db_index=False,
    )
    seq = models.PositiveSmallIntegerField(_("attempt number"))
    questions = models.JSONField()
    answers = models.CharField(max_length=200)
    key = models.CharField(max_length=200, default="", db_default="", editable=False)
    started_at = models.DateTimeField(_("started at"))
    deadline = models.DateTimeField(_("deadline"))
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    score = models.SmallIntegerField(_("score"), null=True, blank=True)
    duration_ms = models.IntegerField(_("time taken (ms)"), null=True, blank=True)
    prediction = models.BigIntegerField(_("prediction"), null=True, blank=True)
    essay = models.TextField(_("essay"), blank=True)
    essay_score = models.DecimalField(
        _("essay mark"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    late = models.BooleanField(_("capped at the deadline"), default=False)

    class Meta:
        ordering = ["-id"]
        verbose_name = _("attempt")
        verbose_name_plural = _("attempts")
        constraints = [
            models.UniqueConstraint(fields=["round", "user", "seq"], name="contests_attempt_seq")
        ]
        indexes = [
            models.Index(fields=["user", "round"], name="contests_attempt_user_round"),
        ]

    def __str__(self) -> str:
        return f"#{self.pk}"


class AppendOnlyQuerySet(models.QuerySet):
    """A log's rows are added, never changed nor removed one by one (only with their round)."""

    def update(self, **kwargs: Any) -> int:
        # The one change allowed: a deleted account's or staff member's key set empty
        # (on_delete=SET_NULL), which leaves the pseudonymous entry in the log.
        if set(kwargs) <= {"user", "decided_by"} and all(v is None for v in kwargs.values()):
            return super().update(**kwargs)
        raise TypeError(f"{self.model.__name__} is an append-only log")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise TypeError(f"{self.model.__name__} is an append-only log")


class AppendOnly(models.Model):
    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise TypeError(f"{type(self).__name__} is an append-only log")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        raise TypeError(f"{type(self).__name__} is an append-only log")


class Disqualification(AppendOnly):
    """One entry of a round's disqualification log: a person (or one of their attempts) taken
    out of the ranking, or put back ("lift"), with who decided, when and why. Rows are only
    added: the state of a case is its latest entry. `case_key` is a keyed hash of the person
    and the attempt reference, so the log still reads as a history once the account is
    deleted (its user becomes empty, the hash stays and names nobody)."""

    DISQUALIFY = "disqualify"
    LIFT = "lift"
    ACTION_CHOICES = [(DISQUALIFY, _("disqualified")), (LIFT, _("disqualification lifted"))]

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="disqualifications")
    action = models.CharField(_("action"), max_length=10, choices=ACTION_CHOICES)
    case_key = models.CharField(_("case"), max_length=64)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # The attempt's number, not a key: the log outlives the attempt's row.
    attempt_ref = models.BigIntegerField(_("attempt"), null=True, blank=True)
    reason = models.TextField(_("reason"))
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decided_by_name = models.CharField(_("decided by (name)"), max_length=150, blank=True)
    created_at = models.DateTimeField(_("at"))

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("disqualification log entry")
        verbose_name_plural = _("disqualification log")
        indexes = [
            models.Index(fields=["round", "user"], name="contests_dq_round_user"),
            models.Index(fields=["round", "case_key"], name="contests_dq_round_case"),
        ]

    def __str__(self) -> str:
        return f"{self.get_action_display()}: {self.reason[:60]}"


class Suspicion(AppendOnly):
    """A staff decision on one flag of a round's suspicious-attempts report (the report itself
    is computed, not stored): who, when, why. The latest decision of a flag stands."""

    CONFIRMED = "confirmed"
    DISMISSED = "dismissed"
    DECISION_CHOICES = [
        (CONFIRMED, _("confirmed as suspicious")),
        (DISMISSED, _("dismissed, nothing wrong")),
    ]

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="suspicions")
    flag = models.CharField(_("flag"), max_length=100)
    decision = models.CharField(_("decision"), max_length=10, choices=DECISION_CHOICES)
    reason = models.TextField(_("reason"))
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decided_by_name = models.CharField(_("decided by (name)"), max_length=150, blank=True)
    created_at = models.DateTimeField(_("at"))

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("decision on a suspicious attempt")
        verbose_name_plural = _("decisions on suspicious attempts")
        indexes = [models.Index(fields=["round", "flag"], name="contests_suspicion_flag")]

    def __str__(self) -> str:
        return f"{self.flag}: {self.get_decision_display()}"


class PlaceHeadcount(models.Model):
    """How many people a province (or one of its communes) counts for a contest (members,
    staff, pupils): the statistics show participation against it."""

    contest = models.ForeignKey(Contest, on_delete=models.CASCADE, related_name="headcounts")
    province = models.ForeignKey(Province, verbose_name=_("province"), on_delete=models.CASCADE)
    commune = models.ForeignKey(
        Commune, verbose_name=_("commune"), null=True, blank=True, on_delete=models.CASCADE
    )
    headcount = models.PositiveIntegerField(_("headcount"), validators=[MinValueValidator(1)])

    panels = [
        FieldPanel("contest"),
        FieldPanel("province"),
        FieldPanel("commune"),
        FieldPanel("headcount"),
    ]

    class Meta:
        verbose_name = _("headcount of a place")
        verbose_name_plural = _("headcounts of places")
        constraints = [
            models.UniqueConstraint(
                fields=["contest", "province", "commune"], name="contests_headcount_place"
            )
        ]

    def __str__(self) -> str:
        return f"{self.commune or self.province}: {self.headcount}"


class RankingEntry(models.Model):
    """A round's ranking as last computed (by the ranking task, off the hot path)."""

    # The ranking is made again whole by one INSERT … SELECT from the attempts: checking its
    # 275,000 rows' keys against the attempts, the users and the round at commit was half its
    # time at a million attempts, and proved nothing (the rows come from those tables in that
    # statement, and the job holds the round's row). Each index beside the (round, position)
    # one cost it another 2 s (an entry per row at a random place), and nothing reads the
    # entries by attempt or by person: so neither has an index, and deleting an account or an
    # attempt does not look for its entries (a scan of every round's ranking). An entry whose
    # person is gone is skipped by every reader (selectors.ranking_rows, winners) until the
    # ranking is made again, which deleting the account queues (signals.py). Django still
    # deletes the entries with their round; the round's own index would duplicate the unique
    # (round, position) one, which starts with it.
    round = models.ForeignKey(
        Round, on_delete=models.CASCADE, related_name="ranking", db_index=False, db_constraint=False
    )
    position = models.PositiveIntegerField()
    attempt = models.ForeignKey(
        Attempt,
        on_delete=models.DO_NOTHING,
        related_name="+",
        db_constraint=False,
        db_index=False,
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.DO_NOTHING,
        related_name="+",
        db_constraint=False,
        db_index=False,
    )
    score = models.SmallIntegerField()
    prediction_gap = models.BigIntegerField(null=True)
    duration_ms = models.IntegerField()
    submitted_at = models.DateTimeField()

    class Meta:
        ordering = ["round", "position"]
        constraints = [
            models.UniqueConstraint(fields=["round", "position"], name="contests_rank_position")
        ]

    def __str__(self) -> str:
        return f"{self.position}. #{self.attempt_id}"


class Certificate(models.Model):
    """The certificate of an attempt, issued on its first download. Its code, printed with a QR
    code, lets anyone confirm the paper on the public verification page; it is random, so no
    certificate can be found by counting."""

    attempt = models.OneToOneField(Attempt, on_delete=models.CASCADE, related_name="certificate")
    code = models.CharField(_("verification code"), max_length=20, unique=True)
    issued_at = models.DateTimeField(_("issued at"))

    class Meta:
        verbose_name = _("certificate")
        verbose_name_plural = _("certificates")

    def __str__(self) -> str:
        return self.code


def _private_storage() -> FileSystemStorage:
    """The organisers' exports hold personal data: outside MEDIA_ROOT, handed out by a view
    that checks the permission (core.files)."""
    return files.private_storage()


class RoundJob(models.Model):
    """Work an organiser asked for on a round, done by the task worker: the ranking, or an
    export (Excel or CSV). The dashboard shows its state and progress; while one of a kind is
    queued or running, asking again adds nothing (the unique constraint below), and the file
    of a finished export is downloaded from the dashboard."""

    RANK = "rank"
    EXPORT = "export"
    KIND_CHOICES = [(RANK, _("ranking")), (EXPORT, _("export"))]
    QUEUED = "queued"
    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"
    STATE_CHOICES = [
        (QUEUED, _("queued")),
        (RUNNING, _("running")),
        (DONE, _("done")),
        (FAILED, _("failed")),
    ]
    ACTIVE = (QUEUED, RUNNING)
    XLSX = "xlsx"
    CSV = "csv"
    FORMAT_CHOICES = [(XLSX, "Excel (.xlsx)"), (CSV, "CSV")]
    #: The exports (excel.REPORTS has how each is written).
    REPORT_CHOICES = [
        ("luot-thi", _("Attempts")),
        ("xep-hang", _("Ranking")),
        ("theo-don-vi", _("Per unit")),
    ]

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="jobs")
    kind = models.CharField(max_length=10, choices=KIND_CHOICES)
    #: For an export: which report (excel.REPORTS) and in which format; empty for a ranking.
    report = models.CharField(max_length=20, choices=REPORT_CHOICES, blank=True, default="")
    format = models.CharField(max_length=5, choices=FORMAT_CHOICES, blank=True, default="")
    state = models.CharField(max_length=10, choices=STATE_CHOICES, default=QUEUED)
    done = models.BigIntegerField(default=0)
    total = models.BigIntegerField(null=True, blank=True)
    #: Asked again while running (the data changed meanwhile): run once more when finished.
    again = models.BooleanField(default=False)
    error = models.TextField(blank=True)
    file = models.FileField(
        upload_to="cuoc-thi/xuat/%Y/%m/", storage=_private_storage, blank=True, max_length=300
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["round", "kind", "report", "format"],
                condition=models.Q(state__in=["queued", "running"]),
                name="contests_job_one_active",
            )
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.report} {self.format} #{self.pk}"

    @property
    def active(self) -> bool:
        return self.state in self.ACTIVE

    @property
    def percent(self) -> int | None:
        if not self.total:
            return None
        return min(100, int(self.done * 100 / self.total))
