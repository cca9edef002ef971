"""Reads for monitoring: mentions, the dashboard's counts, failing sources, clusters."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Count, QuerySet
from django.db.models.functions import TruncDate
from django.utils import timezone
from wagtail.models import Page

from .models import STATE_FAILING, Cluster, Item, Match, Rule, Source, Spike


def mentions_list(
    *, rule_name: str = "", since: dt.datetime | None = None, limit: int = 200
) -> QuerySet[Match]:
    matches = Match.objects.select_related("rule", "item", "item__source", "item__cluster")
    if rule_name:
        matches = matches.filter(rule__name=rule_name)
    if since is not None:
        matches = matches.filter(item__published_at__gte=since)
    return matches.order_by("-item__published_at", "-pk")[:limit]


def mention_as_dict(match: Match) -> dict[str, Any]:
    item = match.item
    return {
        "rule": match.rule.name,
        "title": item.title,
        "url": item.url,
        "outlet": item.source.outlet,
        "published": item.published_at.isoformat(),
        "snippet": match.snippet,
        "highlight": match.snippet[match.mark_start : match.mark_end],
        "cluster": item.cluster_id,
    }


def rule_by_name(*, name: str) -> Rule | None:
    return Rule.objects.filter(name=name).first()


def sources_failing() -> QuerySet[Source]:
    return Source.objects.filter(state=STATE_FAILING).order_by("-failures")


def clusters_largest(*, day: dt.date | None = None, limit: int = 10) -> list[dict[str, Any]]:
    """The day's clusters by size (a story run by one outlet only is no cluster to show), each
    with its outlets and when each ran the story."""
    day = day or timezone.localdate()
    start = timezone.make_aware(dt.datetime.combine(day, dt.time()))
    clusters = Cluster.objects.filter(
        items__fetched_at__gte=start,
        items__fetched_at__lt=start + dt.timedelta(days=1),
        size__gte=2,
    ).distinct()
    result = []
    for cluster in clusters.order_by("-size", "-pk")[:limit]:
        runs = (
            Item.objects.filter(cluster=cluster).select_related("source").order_by("published_at")
        )
        result.append(
            {
                "cluster": cluster,
                "runs": [(i.source.outlet, i.published_at, i.url, i.title) for i in runs],
            }
        )
    return result


def mentions_per_day(*, days: int = 14, now: dt.datetime | None = None) -> dict[str, Any]:
    """Mentions per day (by the item's publication, local days), per rule and per outlet, over
    the last `days` days up to today: {"days": [date…], "rules": {name: [n per day]},
    "outlets": {outlet: [n per day]}}, each series as long as "days", zeros included, the
    largest series first."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    first = today - dt.timedelta(days=days - 1)
    start = timezone.make_aware(dt.datetime.combine(first, dt.time()))
    end = timezone.make_aware(dt.datetime.combine(today + dt.timedelta(days=1), dt.time()))
    base = Match.objects.filter(item__published_at__gte=start, item__published_at__lt=end).annotate(
        day=TruncDate("item__published_at")
    )
    day_list = [first + dt.timedelta(days=n) for n in range(days)]
    index = {day: n for n, day in enumerate(day_list)}

    def series(field: str) -> dict[str, list[int]]:
        found: dict[str, list[int]] = {}
        for row in base.values("day", field).annotate(n=Count("pk")):
            if row["day"] in index:
                found.setdefault(row[field] or "—", [0] * days)[index[row["day"]]] += row["n"]
        return dict(sorted(found.items(), key=lambda pair: (-sum(pair[1]), pair[0])))

    return {
        "days": day_list,
        "rules": series("rule__name"),
        "outlets": series("item__source__outlet"),
    }


def rule_hourly_level(*, rule: Rule, now: dt.datetime) -> tuple[int, float]:
    """The rule's mentions in the hour before `now`, and its usual hourly level: the mean of the
    week before that hour (at least 1, so a rule that is usually quiet needs more than `factor`
    mentions in an hour). A mention counts in the hour its item was found in, except an item
    found in a source's first pass or the first after downtime (`Item.age_unknown`): those
    passes store days of items at once, and they are no spike."""
    hour_ago = now - dt.timedelta(hours=1)
    counted = rule.matches.filter(item__age_unknown=False)
    hour = counted.filter(created_at__gt=hour_ago, created_at__lte=now).count()
    week = counted.filter(
        created_at__gt=hour_ago - dt.timedelta(days=7), created_at__lte=hour_ago
    ).count()
    return hour, max(week / (7 * 24), 1.0)


def rule_hourly_spike(*, rule: Rule, factor: int, now: dt.datetime | None = None) -> bool:
    """The last hour's mentions exceed factor × the usual hourly level."""
    hour, usual = rule_hourly_level(rule=rule, now=now or timezone.now())
    return factor > 0 and hour > factor * usual


def rules_for_spikes() -> QuerySet[Rule]:
    return Rule.objects.filter(active=True, spike_factor__gt=0)


def spike_open(*, rule: Rule) -> Spike | None:
    return rule.spikes.filter(ended_at__isnull=True).first()


def spikes_recent(*, limit: int = 10) -> QuerySet[Spike]:
    return Spike.objects.select_related("rule").order_by("-started_at", "-pk")[:limit]


def digest_mentions(*, rule: Rule, now: dt.datetime, period: dt.timedelta) -> QuerySet[Match]:
    """A digest rule's mentions not yet sent, stored up to `now` (and, before its first digest,
    no older than one period: a rule turned to digest does not mail its whole past)."""
    matches = rule.matches.filter(alerted=False, created_at__lte=now)
    if rule.digest_sent_at is None:
        matches = matches.filter(created_at__gt=now - period)
    return matches.select_related("item", "item__source").order_by("created_at", "pk")


def sections_for_republishing() -> list[tuple[int, str]]:
    """The news sections an article can be republished into (Wagtail's page tree: the news app
    itself is not imported here)."""
    pages = Page.objects.filter(
        content_type__app_label="news", content_type__model="sectionpage"
    ).order_by("path")
    return [(page.pk, page.title) for page in pages]


def item_get(*, item_id: int) -> Item | None:
    return Item.objects.select_related("source", "cluster").filter(pk=item_id).first()


def mentions_recent(*, limit: int = 30) -> QuerySet[Match]:
    return Match.objects.select_related("rule", "item", "item__source").order_by(
        "-created_at", "-pk"
    )[:limit]
