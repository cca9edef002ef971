"""Writes for monitoring: sources and rules added, one polite pass over the due sources, items
stored once, matched, clustered, and republished into news as a draft under moderation."""

from __future__ import annotations

import datetime as dt
import functools
import logging
import time
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import Case, F, Value, When
from django.utils import timezone
from django.utils.translation import gettext as _

from moduong.core import vntext
from moduong.news import services as news_services

from . import events, fetching, selectors, simhash
from .models import (
    ALERT_DIGEST,
    ALERT_IMMEDIATE,
    KIND_FEED,
    KINDS,
    STATE_ACTIVE,
    STATE_FAILING,
    STATE_PAUSED,
    Cluster,
    Item,
    Match,
    Rule,
    Source,
    Spike,
)
from .rules import Matcher, RuleError, parse

logger = logging.getLogger(__name__)

MAX_BACKOFF = dt.timedelta(days=1)
CLUSTER_WINDOW = dt.timedelta(days=3)
SNIPPET_BEFORE = 100
SNIPPET_AFTER = 200


def _setting(name: str, default: Any) -> Any:
    return getattr(settings, name, default)


def source_add(
    *,
    url: str,
    name: str = "",
    outlet: str = "",
    kind: str = KIND_FEED,
    interval_minutes: int = 30,
) -> Source:
    url = url.strip()
    if not url.startswith(("http://", "https://", "file:")) or len(url) > 500:
        raise ValidationError(_("The address must start with http:// or https://."))
    if kind not in dict(KINDS):
        raise ValidationError(_("Unknown kind of source."))
    if Source.objects.filter(url=url).exists():
        raise ValidationError(_("This address is already a source."))
    host = fetching.host_of(url).split("://", 1)[-1]
    source = Source.objects.create(
        url=url,
        name=vntext.clean_line(name)[:200] or host or url[:200],
        outlet=vntext.clean_line(outlet)[:200] or vntext.clean_line(name)[:200] or host,
        kind=kind,
        interval_minutes=max(1, interval_minutes),
    )
    return source


def rule_add(*, name: str, expression: str, alert: str = "none", emails: str = "") -> Rule:
    name = vntext.clean_line(name)[:200]
    if not name:
        raise ValidationError(_("The rule needs a name."))
    try:
        parse(expression)
    except RuleError as exc:
        raise ValidationError(str(exc)) from exc
    if Rule.objects.filter(name=name).exists():
        raise ValidationError(_("A rule with this name already exists."))
    return Rule.objects.create(
        name=name, expression=vntext.clean_line(expression), alert=alert, emails=emails
    )


def rule_check(*, expression: str) -> None:
    """ValidationError (Vietnamese) when the expression cannot be read."""
    try:
        parse(expression)
    except RuleError as exc:
        raise ValidationError(str(exc)) from exc


def matcher_build() -> Matcher:
    return Matcher.build(
        (rule.pk, rule.expression) for rule in Rule.objects.filter(active=True).only("expression")
    )


def _snippet(text: str, start: int, end: int) -> tuple[str, int, int]:
    begin = max(0, start - SNIPPET_BEFORE)
    if begin:
        space = text.find(" ", begin)
        begin = space + 1 if 0 <= space < start else begin
    stop = min(len(text), end + SNIPPET_AFTER)
    if stop < len(text):
        space = text.rfind(" ", end, stop)
        stop = space if space > end else stop
    piece = text[begin:stop].replace("\n", " ")
    return piece, start - begin, end - begin


class RecentPrints:
    """The fingerprints of the items stored in the last CLUSTER_WINDOW (the newest 5,000), read
    once per pass and kept up to date as the pass stores items: the cluster of each new item is
    looked for among them without reading them again from the database for every item."""

    LIMIT = 5000

    def __init__(self, now: dt.datetime) -> None:
        rows = (
            Item.objects.filter(fetched_at__gte=now - CLUSTER_WINDOW, cluster__isnull=False)
            .order_by("-fetched_at", "-pk")
            .values_list("pk", "fingerprint")[: self.LIMIT]
        )
        mask = (1 << simhash.BITS) - 1
        self.mask = mask
        self.rows: list[tuple[int, int]] = [(pk, fp & mask) for pk, fp in rows]
        self.rows.reverse()  # oldest first: new ones are appended

    def near(self, fingerprint: int) -> list[int]:
        """The newest first, as many as are within simhash.NEAR bits."""
        mask, limit, fp = self.mask, simhash.NEAR, fingerprint & self.mask
        found = [pk for pk, other in self.rows if ((other ^ fp) & mask).bit_count() <= limit]
        found.reverse()
        return found

    def add(self, pk: int, fingerprint: int) -> None:
        self.rows.append((pk, fingerprint & self.mask))
        if len(self.rows) > self.LIMIT * 2:
            del self.rows[: -self.LIMIT]


@dataclass
class _New:
    """An entry about to be stored, with the cluster the batch finds for it."""

    item: Item
    text: str  # title and text: what two stories are compared by
    cluster: Cluster | None = None


def _new_entries(*, source: Source, entries: list[fetching.Entry], now: dt.datetime) -> list[_New]:
    """The entries not stored yet, each once, with one query for every identity the batch may
    take: an identity already stored is the same story when its address is (or the entry has
    none); a guid reused for a different story tells that story apart by its address."""
    keyed = []
    for entry in entries:
        reused = fetching.Entry(**{**entry.__dict__, "guid": entry.guid + entry.url})
        keyed.append((entry, fetching.identity(entry), fetching.identity(reused)))
    wanted = {key for _, key, _ in keyed} | {other for _, _, other in keyed}
    known: dict[str, str] = dict(
        Item.objects.filter(source=source, identity__in=wanted).values_list("identity", "url")
    )
    # What a pass finds new appeared since the source's previous pass: when that pass was a
    # short while ago, it is new now, whatever date it carries (a portal's page gives the day
    # without the hour; a feed read hourly lists items dated an hour or more before). A source's
    # first pass, or the first after downtime, finds days of items at once: there only an item
    # dated within that short while is known to be new; the rest are a backlog, no spike.
    previous = source.last_fetched_at
    gap = max(2 * dt.timedelta(minutes=source.interval_minutes), dt.timedelta(hours=1))
    recently_fetched = previous is not None and now - previous <= gap
    new = []
    for entry, key, other in keyed:
        if key in known:
            url = known[key]
            same_story = not entry.url or fetching.canonical_url(url or entry.url) == (
                fetching.canonical_url(entry.url)
            )
            if same_story or other in known:
                continue
            key = other
        body = entry.text
        dated = entry.published is not None and entry.published <= now
        published = entry.published if entry.published is not None and dated else now
        item = Item(
            source=source,
            identity=key,
            url=entry.url if entry.url.startswith(("http://", "https://")) else "",
            title=entry.title or vntext.clean_line(body[:120]),
            text=body,
            author=entry.author,
            published_at=published,
            fetched_at=now,
            age_unknown=not recently_fetched and not (dated and now - published <= gap),
            fingerprint=simhash.fingerprint(entry.title + " " + body),
        )
        known[key] = item.url
        new.append(_New(item=item, text=item.title + " " + item.text))
    return new


def _clusters_find(new: list[_New], recent: RecentPrints) -> dict[int, int]:
    """Each new item's cluster: that of the newest near item (fingerprints within NEAR bits, then
    enough shared word pairs) among the batch's earlier items and the items stored lately, else a
    new cluster (not saved yet). One query reads the stored candidates of the whole batch.
    Returns how many of the batch join each existing cluster."""
    mask, limit = recent.mask, simhash.NEAR
    near = [recent.near(n.item.fingerprint)[:20] for n in new]
    stored = {
        other.pk: other
        for other in Item.objects.filter(
            pk__in={pk for pks in near for pk in pks}, cluster__isnull=False
        ).only("title", "text", "cluster_id", "fetched_at")
    }
    joined: dict[int, int] = defaultdict(int)
    earlier: list[_New] = []
    for n, pks in zip(new, near, strict=True):
        fp = n.item.fingerprint & mask
        # The batch's own items are the newest of all: they come first, the latest first.
        candidates: list[tuple[str, Cluster]] = [
            (e.text, e.cluster)  # type: ignore[misc]
            for e in reversed(earlier)
            if (((e.item.fingerprint & mask) ^ fp) & mask).bit_count() <= limit
        ]
        older = sorted(
            (stored[pk] for pk in pks if pk in stored),
            key=lambda o: (o.fetched_at, o.pk),
            reverse=True,
        )
        candidates += [(o.title + " " + o.text, Cluster(pk=o.cluster_id)) for o in older]
        for text, cluster in candidates[:20]:
            if simhash.similarity(n.text, text) >= simhash.SAME_STORY:
                n.cluster = cluster
                break
        if n.cluster is None:
            n.cluster = Cluster(title=n.item.title[:500], created_at=n.item.fetched_at, size=0)
        if n.cluster.pk is None:
            n.cluster.size += 1
        else:
            joined[n.cluster.pk] += 1
        earlier.append(n)
    return joined


def items_store(
    *,
    source: Source,
    entries: list[fetching.Entry],
    matcher: Matcher,
    now: dt.datetime,
    recent: RecentPrints | None = None,
) -> list[Item]:
    """A feed's entries stored, each once, clustered and matched in one transaction, with a
    number of queries that does not grow with the entries': the new ones (those already stored
    are left out), in the feed's order. The mentions' alert is queued once, after the commit.
    When another pass stored one of them meanwhile, each entry is stored on its own instead.
    `recent`: the pass's fingerprints (read here when not given)."""
    recent = recent if recent is not None else RecentPrints(now)
    new = _new_entries(source=source, entries=entries, now=now)
    if not new:
        return []
    joined = _clusters_find(new, recent)
    texts = [vntext.normalize(n.item.title + "\n" + n.item.text) for n in new]
    matched = [matcher.match(text) for text in texts]
    try:
        with transaction.atomic():
            if joined:
                # Locked in one order (two passes at once wait, never deadlock), then counted.
                alive = set(
                    Cluster.objects.select_for_update()
                    .filter(pk__in=list(joined))
                    .order_by("pk")
                    .values_list("pk", flat=True)
                )
                Cluster.objects.filter(pk__in=alive).update(
                    size=F("size")
                    + Case(
                        *(When(pk=pk, then=Value(count)) for pk, count in joined.items()),
                        default=Value(0),
                    )
                )
                for n in new:  # a cluster deleted meanwhile: a new one
                    if n.cluster is not None and n.cluster.pk not in (None, *alive):
                        n.cluster = Cluster(title=n.item.title[:500], created_at=now, size=1)
            fresh: dict[int, Cluster] = {}
            for n in new:
                if n.cluster is not None and n.cluster.pk is None:
                    fresh[id(n.cluster)] = n.cluster
                n.item.cluster = n.cluster
            Cluster.objects.bulk_create(list(fresh.values()))
            items = Item.objects.bulk_create([n.item for n in new])
            matches = []
            for item, text, found_all in zip(items, texts, matched, strict=True):
                for found in found_all:
                    snippet, start, end = _snippet(text, found.start, found.end)
                    matches.append(
                        Match(
                            rule_id=found.rule,
                            item=item,
                            snippet=snippet,
                            mark_start=start,
                            mark_end=end,
                            created_at=now,
                        )
                    )
            created = Match.objects.bulk_create(matches)
    except IntegrityError:
        if len(entries) == 1:
            return []
        stored = []
        for entry in entries:
            stored += items_store(
                source=source, entries=[entry], matcher=matcher, now=now, recent=recent
            )
        return stored
    for item in items:
        recent.add(item.pk, item.fingerprint)
    if created:
        ids = [match.pk for match in created]
        transaction.on_commit(lambda: events.mentions_created.send(sender=Match, match_ids=ids))
    return items


def item_store(
    *,
    source: Source,
    entry: fetching.Entry,
    matcher: Matcher,
    now: dt.datetime,
    recent: RecentPrints | None = None,
) -> Item | None:
    """One entry stored once (None when it was already there), clustered and matched."""
    items = items_store(source=source, entries=[entry], matcher=matcher, now=now, recent=recent)
    return items[0] if items else None


@dataclass
class PassSummary:
    fetched: int = 0
    unchanged: int = 0
    failed: int = 0
    new_items: int = 0
    errors: dict[str, str] = field(default_factory=dict)
    spikes: list[str] = field(default_factory=list)


def _fail(source: Source, message: str, now: dt.datetime) -> None:
    source.failures += 1
    source.state = STATE_FAILING
    source.last_error = message[:500]
    backoff = min(dt.timedelta(minutes=source.interval_minutes) * 2**source.failures, MAX_BACKOFF)
    source.next_fetch_at = now + backoff
    source.save(update_fields=["failures", "state", "last_error", "next_fetch_at"])


# The one folder file:// sources may read: the demo's shipped feeds.
DEMO_FEEDS = Path(__file__).resolve().parent / "data" / "demo"


def _local_root() -> Path | None:
    root = _setting("MONITORING_LOCAL_ROOT", DEMO_FEEDS)
    return Path(root) if root else None


def _entries(
    source: Source, answer: fetching.Answer, get: Any, robots: fetching.Robots
) -> list[fetching.Entry]:
    content_type = answer.headers.get("Content-Type", "")
    if source.kind == KIND_FEED:
        return fetching.parse_feed(answer.body, content_type)
    limit = _setting("MONITORING_ARTICLES_PER_PAGE", 20)
    entries = []
    known = set(Item.objects.filter(source=source).values_list("url", flat=True))
    for link in fetching.listing_links(answer.body, answer.url, limit):
        if link in known or not robots.allowed(link):
            continue
        try:
            page = get(link)
        except fetching.FetchError:
            continue
        entry = fetching.extract_article(page.body, link)
        if entry is not None:
            entries.append(entry)
    return entries


def source_fetch(
    *,
    source: Source,
    matcher: Matcher,
    robots: fetching.Robots,
    get: Any,
    now: dt.datetime,
    recent: RecentPrints | None = None,
) -> tuple[str, int]:
    """Fetch one source; ("fetched"|"unchanged"|"failed", new items)."""
    if not robots.allowed(source.url):
        _fail(source, _("robots.txt of this site forbids fetching this address."), now)
        return "failed", 0
    try:
        answer = get(source.url, etag=source.etag, last_modified=source.last_modified)
        entries = [] if answer.not_modified else _entries(source, answer, get, robots)
    except fetching.FetchError as exc:
        _fail(source, str(exc), now)
        return "failed", 0
    recent = recent if recent is not None else RecentPrints(now)
    new = len(items_store(source=source, entries=entries, matcher=matcher, now=now, recent=recent))
    source.state = STATE_ACTIVE
    source.failures = 0
    source.last_error = ""
    source.last_fetched_at = now
    source.next_fetch_at = now + dt.timedelta(minutes=source.interval_minutes)
    if not answer.not_modified:
        source.etag = answer.headers.get("ETag", "")[:300]
        source.last_modified = answer.headers.get("Last-Modified", "")[:100]
    source.save()
    return ("unchanged" if answer.not_modified else "fetched"), new


def _interleaved(sources: list[Source], robots: fetching.Robots) -> list[Source]:
    """The pass's order: one source of each host in turn (the first due first), so that the
    wait between two requests to one host is spent on the other hosts, not asleep; and every
    host's robots.txt read before the first feed, for the same reason."""
    turn: dict[str, int] = defaultdict(int)
    keyed = []
    for position, source in enumerate(sources):
        host = fetching.host_of(source.url)
        keyed.append((turn[host], position, source))
        turn[host] += 1
    for source in sources:
        robots.allowed(source.url)
    return [source for _, _, source in sorted(keyed, key=lambda k: (k[0], k[1]))]


def sources_fetch(*, now: dt.datetime | None = None, all_sources: bool = False) -> PassSummary:
    """One pass over the due sources (paused ones never), politely: robots.txt, at most
    MONITORING_PER_HOST requests to a host in a pass, MONITORING_HOST_DELAY seconds between two
    requests to one host."""
    now = now or timezone.now()
    timeout = _setting("MONITORING_TIMEOUT", 10.0)
    max_bytes = _setting("MONITORING_MAX_BYTES", 5 * 1024 * 1024)
    per_host = _setting("MONITORING_PER_HOST", 30)
    delay = _setting("MONITORING_HOST_DELAY", 1.0)
    used: dict[str, int] = defaultdict(int)
    last: dict[str, float] = {}
    local_root = _local_root()

    def get(url: str, etag: str = "", last_modified: str = "") -> fetching.Answer:
        host = fetching.host_of(url)
        if used[host] >= per_host:
            raise fetching.FetchError(_("Too many requests to this site in one pass."))
        wait = last.get(host, 0.0) + delay - time.monotonic()
        # The wait spares another site's server; reading a file of our own burdens no one
        # (the demo's three shipped feeds cost a newcomer two seconds asleep).
        if wait > 0 and not url.startswith("file:"):
            time.sleep(wait)
        used[host] += 1
        try:
            return fetching.get(
                url,
                timeout=timeout,
                max_bytes=max_bytes,
                etag=etag,
                last_modified=last_modified,
                local_root=local_root,
            )
        finally:
            last[host] = time.monotonic()

    robots = fetching.Robots(lambda url: get(url))
    matcher = matcher_build()
    recent = RecentPrints(now)
    summary = PassSummary()
    due = Source.objects.exclude(state=STATE_PAUSED)
    if not all_sources:
        due = due.filter(next_fetch_at__lte=now)
    for source in _interleaved(list(due.order_by("next_fetch_at")), robots):
        outcome, new = source_fetch(
            source=source, matcher=matcher, robots=robots, get=get, now=now, recent=recent
        )
        summary.new_items += new
        if outcome == "failed":
            summary.failed += 1
            summary.errors[source.name] = source.last_error
        elif outcome == "unchanged":
            summary.unchanged += 1
        else:
            summary.fetched += 1
    summary.spikes = [spike.rule.name for spike in spikes_check(now=now)]
    # Older than a few minutes: younger ones are still on their way with their own task.
    mentions_alert_retry(before=now - dt.timedelta(minutes=5))
    return summary


def source_pause(*, source: Source, paused: bool) -> Source:
    source.state = STATE_PAUSED if paused else STATE_ACTIVE
    source.next_fetch_at = timezone.now()
    source.save(update_fields=["state", "next_fetch_at"])
    return source


def mentions_alert(*, match_ids: list[int]) -> int:
    """E-mail at once the mentions of rules whose alert is immediate; digest rules are sent by
    mentions_digest_send. Returns the e-mails sent."""
    sent = 0
    matches = Match.objects.filter(pk__in=match_ids, alerted=False, rule__alert=ALERT_IMMEDIATE)
    for match in matches.select_related("rule", "item", "item__source"):
        addresses = _addresses(match.rule)
        # Marked before it is sent, by the run that flips the mark (a task run again, or side
        # by side with a late one, core.taskworker, sends no second copy); unmarked if the
        # mail server refuses it, so the next run sends it.
        if not Match.objects.filter(pk=match.pk, alerted=False).update(alerted=True):
            continue
        if addresses:
            try:
                send_mail(
                    _("[Monitoring] %(rule)s: %(title)s")
                    % {"rule": match.rule.name, "title": match.item.title},
                    f"{match.item.source.outlet}\n{match.item.url}\n\n{match.snippet}",
                    None,
                    addresses,
                )
            except Exception:  # the mail server refused or is away: the next pass sends it
                Match.objects.filter(pk=match.pk).update(alerted=False)
                logger.warning("monitoring alert not sent (match %s)", match.pk, exc_info=True)
                break  # the rest wait too, rather than each waiting on the same server
            sent += 1
    return sent


def mentions_alert_retry(*, before: dt.datetime) -> int:
    """The immediate alerts and the e-mails of spikes still going on that an earlier run could
    not send (the mail server refused), queued again; a pass's own new mentions and spikes are
    queued by their commit. Returns how many mentions."""
    pending = list(
        Match.objects.filter(
            alerted=False, rule__alert=ALERT_IMMEDIATE, created_at__lt=before
        ).values_list("pk", flat=True)[:1000]
    )
    if pending:
        events.mentions_created.send(sender=Match, match_ids=pending)
    spikes = Spike.objects.filter(emailed=False, ended_at__isnull=True, started_at__lt=before)
    for spike_id in spikes.values_list("pk", flat=True):
        events.spike_started.send(sender=Spike, spike_id=spike_id)
    return len(pending)


def _addresses(rule: Rule) -> list[str]:
    return [a.strip() for a in rule.emails.replace(";", ",").split(",") if a.strip()]


def digest_period() -> dt.timedelta:
    return dt.timedelta(hours=_setting("MONITORING_DIGEST_HOURS", 24))


def mentions_digest_send(*, now: dt.datetime | None = None) -> int:
    """One e-mail per digest rule whose period has passed since its last digest, with its
    mentions not yet sent; returns the e-mails sent. Run as often as one likes (`moduong monitor
    digest` from cron): a rule's row is locked while its digest is sent, so two runs at once
    never send a mention twice, and a failed send leaves its mentions for the next run. Each
    rule's digest stands alone: an address the mail server refuses holds back that rule's only,
    the rules after it are sent in the same run."""
    now = now or timezone.now()
    period = digest_period()
    sent = 0
    for rule_id in Rule.objects.filter(alert=ALERT_DIGEST, active=True).values_list(
        "pk", flat=True
    ):
        try:
            sent += _rule_digest_send(rule_id=rule_id, now=now, period=period)
        except Exception:  # refused or away: its transaction is undone, its mentions wait
            logger.warning("monitoring digest not sent (rule %s)", rule_id, exc_info=True)
    return sent


def _rule_digest_send(*, rule_id: int, now: dt.datetime, period: dt.timedelta) -> int:
    """One rule's digest, if due: sent, then its mentions marked, in one transaction under the
    rule's row lock (a send that raises leaves nothing marked). 1 when an e-mail went out."""
    with transaction.atomic():
        rule = Rule.objects.select_for_update().filter(pk=rule_id).first()
        if rule is None or rule.alert != ALERT_DIGEST:  # deleted or changed meanwhile
            return 0
        if rule.digest_sent_at is not None and now - rule.digest_sent_at < period:
            return 0
        matches = list(selectors.digest_mentions(rule=rule, now=now, period=period))
        if not matches:
            return 0
        addresses = _addresses(rule)
        if addresses:
            lines = [
                f"- {m.item.title} ({m.item.source.outlet}, "
                f"{vntext.format_datetime(m.item.published_at, weekday=False)})\n"
                f"  {m.item.url}\n  {m.snippet}"
                for m in matches
            ]
            send_mail(
                _("[Monitoring] %(rule)s: %(count)s mentions")
                % {"rule": rule.name, "count": len(matches)},
                "\n".join(lines),
                None,
                addresses,
            )
        Match.objects.filter(pk__in=[m.pk for m in matches]).update(alerted=True)
        rule.digest_sent_at = now
        rule.save(update_fields=["digest_sent_at"])
        return 1 if addresses else 0


def _spike_announce(spike_id: int) -> None:
    events.spike_started.send(sender=Spike, spike_id=spike_id)


def spikes_check(*, now: dt.datetime) -> list[Spike]:
    """After a fetch pass: a spike begins for each rule whose mentions in the hour before `now`
    exceed its spike factor × its usual hourly level, and ends when they no longer do. Returns
    the spikes that began; each one's alert (admin and e-mail) is queued after its commit, once:
    a spike still going on at the next pass is the same spike."""
    began = []
    for rule in selectors.rules_for_spikes():
        hour, usual = selectors.rule_hourly_level(rule=rule, now=now)
        spiking = hour > rule.spike_factor * usual
        current = selectors.spike_open(rule=rule)
        if current is not None and not spiking:
            current.ended_at = now
            current.save(update_fields=["ended_at"])
        elif current is None and spiking:
            try:
                with transaction.atomic():
                    spike = Spike.objects.create(
                        rule=rule, started_at=now, mentions=hour, usual=round(usual, 2)
                    )
                    transaction.on_commit(functools.partial(_spike_announce, spike.pk))
            except IntegrityError:  # another pass opened it at the same moment
                continue
            began.append(spike)
    return began


def spike_alert_send(*, spike_id: int) -> bool:
    """The e-mail of a spike, once (the row is locked and marked); False when already sent or
    the rule has no address."""
    with transaction.atomic():
        spike = Spike.objects.select_for_update().select_related("rule").filter(pk=spike_id).first()
        if spike is None or spike.emailed:
            return False
        addresses = _addresses(spike.rule)
        if addresses:
            send_mail(
                _("[Monitoring] Spike: %(rule)s, %(count)s mentions in an hour")
                % {"rule": spike.rule.name, "count": spike.mentions},
                _(
                    "The rule “%(rule)s” had %(count)s mentions in the hour before %(when)s; "
                    "usually %(usual)s an hour (spike factor %(factor)s)."
                )
                % {
                    "rule": spike.rule.name,
                    "count": spike.mentions,
                    "when": vntext.format_datetime(spike.started_at, weekday=False),
                    "usual": vntext.format_number(spike.usual, 1),
                    "factor": spike.rule.spike_factor,
                },
                None,
                addresses,
            )
        spike.emailed = True
        spike.save(update_fields=["emailed"])
        return bool(addresses)


def item_republish(
    *,
    item: Item,
    section_id: int,
    title: str,
    lead: str,
    text: str,
    user: Any = None,
) -> Any:
    """A draft article in the section from a monitored item, with the "(Theo …)" line and the
    original address, sent into the section's moderation (news' own service)."""
    title = vntext.clean_line(title) or item.title
    lead = vntext.clean_line(lead)
    if not lead:
        raise ValidationError(_("The article needs a lead."))
    outlet = item.source.outlet or item.source.name
    credit = f"(Theo {item.author + ' / ' if item.author else ''}{outlet})"
    paragraphs = [p.strip() for p in vntext.plain_text(text).split("\n") if p.strip()]
    return news_services.article_draft_submit(
        section_id=section_id,
        title=title,
        lead=lead,
        paragraphs=[*paragraphs, credit],
        source_author=item.author,
        source_outlet=outlet,
        source_url=item.url,
        user=user,
    )
