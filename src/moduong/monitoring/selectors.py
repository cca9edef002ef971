"""Reads for monitoring: mentions, the dashboard's counts, failing sources, clusters."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Count, QuerySet
from django.db.models.functions import TruncDate
from django.utils import timezone
from wagtail.models import Page

from .models import STATE_FAILING, Cluster, Item, Match, Rule, Source


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
    """The day's clusters by size, each with its outlets and when each ran the story."""
    day = day or timezone.localdate()
    start = timezone.make_aware(dt.datetime.combine(day, dt.time()))
    clusters = Cluster.objects.filter(
        items__fetched_at__gte=start, items__fetched_at__lt=start + dt.timedelta(days=1)
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


def mentions_per_day(*, days: int = 14) -> dict[str, Any]:
    """Mentions per day, per rule and per outlet, over the last days."""
    since = timezone.now() - dt.timedelta(days=days)
    base = Match.objects.filter(item__published_at__gte=since).annotate(
        day=TruncDate("item__published_at")
    )
    per_rule = base.values("day", "rule__name").annotate(n=Count("pk")).order_by("day")
    per_outlet = base.values("day", "item__source__outlet").annotate(n=Count("pk")).order_by("day")
    return {"rules": list(per_rule), "outlets": list(per_outlet)}


def rule_hourly_spike(*, rule: Rule, factor: int, now: dt.datetime | None = None) -> bool:
    """The last hour's mentions exceed factor × the hourly mean of the previous week."""
    now = now or timezone.now()
    hour = rule.matches.filter(created_at__gte=now - dt.timedelta(hours=1)).count()
    week = rule.matches.filter(
        created_at__gte=now - dt.timedelta(days=7), created_at__lt=now - dt.timedelta(hours=1)
    ).count()
    usual = max(week / (7 * 24 - 1), 1.0)
    return factor > 0 and hour > factor * usual


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
