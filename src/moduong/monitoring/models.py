"""Online news monitoring: sources fetched politely, the items they carry (each stored once),
rules written by officers, the matches of rules on items, and clusters of the same story run
by several outlets."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .rules import RuleError, parse

KIND_FEED = "feed"
KIND_HTML = "html"
KINDS = [(KIND_FEED, _("RSS or Atom feed")), (KIND_HTML, _("HTML listing page"))]

STATE_ACTIVE = "active"
STATE_FAILING = "failing"
STATE_PAUSED = "paused"
STATES = [
    (STATE_ACTIVE, _("active")),
    (STATE_FAILING, _("failing")),
    (STATE_PAUSED, _("paused")),
]

ALERT_NONE = "none"
ALERT_IMMEDIATE = "immediate"
ALERT_DIGEST = "digest"
ALERTS = [
    (ALERT_NONE, _("no alert")),
    (ALERT_IMMEDIATE, _("at once")),
    (ALERT_DIGEST, _("daily digest")),
]


class Source(models.Model):
    name = models.CharField(_("name"), max_length=200)
    outlet = models.CharField(_("outlet"), max_length=200, blank=True)
    url = models.URLField(_("address"), max_length=500, unique=True)
    kind = models.CharField(_("kind"), max_length=10, choices=KINDS, default=KIND_FEED)
    interval_minutes = models.PositiveIntegerField(_("fetch every (minutes)"), default=30)
    state = models.CharField(_("state"), max_length=10, choices=STATES, default=STATE_ACTIVE)
    last_error = models.CharField(_("last error"), max_length=500, blank=True)
    failures = models.PositiveIntegerField(_("failures in a row"), default=0)
    next_fetch_at = models.DateTimeField(_("next fetch"), default=timezone.now, db_index=True)
    last_fetched_at = models.DateTimeField(_("last fetched"), null=True, blank=True)
    etag = models.CharField(max_length=300, blank=True, editable=False)
    last_modified = models.CharField(max_length=100, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("monitored source")
        verbose_name_plural = _("monitored sources")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Cluster(models.Model):
    """One story, as run by one or more outlets."""

    title = models.CharField(_("title"), max_length=500)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    size = models.PositiveIntegerField(_("items"), default=1)

    class Meta:
        verbose_name = _("story cluster")
        verbose_name_plural = _("story clusters")

    def __str__(self) -> str:
        return self.title


class Item(models.Model):
    source = models.ForeignKey(Source, on_delete=models.CASCADE, related_name="items")
    identity = models.CharField(max_length=64, editable=False)
    url = models.URLField(_("address"), max_length=500, blank=True)
    title = models.CharField(_("title"), max_length=500)
    text = models.TextField(_("text"), blank=True)
    author = models.CharField(_("author"), max_length=200, blank=True)
    published_at = models.DateTimeField(_("published"), db_index=True)
    fetched_at = models.DateTimeField(default=timezone.now)
    # Found in a source's first pass, or the first after a long gap, without a recent date of its
    # own: of any age, so it counts in no hour of the spike check (a new source's backlog is no
    # spike). Otherwise the hour it was found in is when it appeared (services._new_entries).
    age_unknown = models.BooleanField(default=False, editable=False)
    fingerprint = models.BigIntegerField(default=0, editable=False)
    cluster = models.ForeignKey(
        Cluster, on_delete=models.SET_NULL, null=True, blank=True, related_name="items"
    )

    class Meta:
        verbose_name = _("monitored item")
        verbose_name_plural = _("monitored items")
        constraints = [
            models.UniqueConstraint(fields=["source", "identity"], name="monitoring_item_once")
        ]
        ordering = ["-published_at"]

    def __str__(self) -> str:
        return self.title


class Rule(models.Model):
    name = models.CharField(_("name"), max_length=200, unique=True)
    expression = models.TextField(
        _("expression"),
        help_text=_('Words and "quoted phrases" with AND, OR, NOT and parentheses.'),
    )
    alert = models.CharField(_("alert"), max_length=10, choices=ALERTS, default=ALERT_NONE)
    emails = models.TextField(_("alert e-mail addresses"), blank=True)
    spike_factor = models.PositiveIntegerField(
        _("spike alert factor"), default=0, help_text=_("0: no spike alert.")
    )
    active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    # When the last digest e-mail of this rule went out: the next one waits a whole period.
    digest_sent_at = models.DateTimeField(_("last digest sent"), null=True, blank=True)

    class Meta:
        verbose_name = _("monitoring rule")
        verbose_name_plural = _("monitoring rules")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        # The admin's form: an expression that cannot be read is refused with its message.
        try:
            parse(self.expression)
        except RuleError as exc:
            raise ValidationError({"expression": str(exc)}) from exc


class Match(models.Model):
    rule = models.ForeignKey(Rule, on_delete=models.CASCADE, related_name="matches")
    item = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="matches")
    snippet = models.TextField(_("snippet"))
    mark_start = models.PositiveIntegerField(default=0)
    mark_end = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    alerted = models.BooleanField(default=False)

    class Meta:
        verbose_name = _("mention")
        verbose_name_plural = _("mentions")
        constraints = [
            models.UniqueConstraint(fields=["rule", "item"], name="monitoring_match_once")
        ]
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.rule} · {self.item}"

    @property
    def snippet_parts(self) -> tuple[str, str, str]:
        """Before, the words matched, after: a template escapes each and marks the middle."""
        text = self.snippet
        return text[: self.mark_start], text[self.mark_start : self.mark_end], text[self.mark_end :]


class Spike(models.Model):
    """A rule's mentions in an hour above its spike factor × its usual hourly level: one row
    (one alert) from the pass that sees it begin to the pass that sees it over."""

    rule = models.ForeignKey(Rule, on_delete=models.CASCADE, related_name="spikes")
    started_at = models.DateTimeField(_("began"), db_index=True)
    ended_at = models.DateTimeField(_("ended"), null=True, blank=True)
    mentions = models.PositiveIntegerField(_("mentions in the hour"))
    usual = models.FloatField(_("usual mentions an hour"))
    emailed = models.BooleanField(_("e-mailed"), default=False)

    class Meta:
        verbose_name = _("mention spike")
        verbose_name_plural = _("mention spikes")
        ordering = ["-started_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["rule"],
                condition=models.Q(ended_at__isnull=True),
                name="monitoring_spike_one_open",
            )
        ]

    def __str__(self) -> str:
        return f"{self.rule} · {self.started_at:%d/%m/%Y %H:%M}"
