"""Spike and digest alerts from real passes over a local feed server, at instants the tests pass
in (never the clock's own hour or day)."""

from __future__ import annotations

import datetime as dt
import email.utils
import io
from collections.abc import Iterator
from typing import Any

import pytest
from django.core import mail
from django.core.management import call_command
from django.test import TestCase
from django.utils import timezone

from moduong.monitoring import services
from moduong.monitoring.models import ALERT_DIGEST, Match, Rule, Spike
from tests.factories import UserFactory

from .conftest import FeedServer, MailServer, Route, item, rss

pytestmark = pytest.mark.django_db

# Ten days ago at the top of the hour: every instant below is relative to it.
T0 = (timezone.now() - dt.timedelta(days=10)).replace(minute=0, second=0, microsecond=0)

TOPICS = [
    "Thư viện phường mở thêm phòng đọc cho thiếu nhi",
    "Thư viện lưu động về các trường tiểu học ngoại thành",
    "Bạn đọc cao tuổi học tra cứu sách ở thư viện quận",
    "Thư viện số của thành phố thêm năm nghìn đầu sách",
    "Ngày hội đọc sách tại thư viện Hàng Bài",
    "Thư viện trường học đổi mới cách mượn sách",
    "Thư viện cộng đồng nhận sách quyên góp của người dân",
    "Góc thư viện xanh trong công viên Thống Nhất",
]


class Feed:
    """One outlet's feed that grows as the test publishes items."""

    def __init__(self, feeds: FeedServer) -> None:
        self.entries: list[str] = []
        self.count = 0
        # Like a real feed: its latest items only.
        feeds.routes["/rss"] = lambda headers: Route(body=rss(*self.entries[-60:]).encode())
        services.source_add(url=feeds.url("/rss"), name="Báo Thủ Đô", outlet="Báo Thủ Đô")

    def publish(self, at: dt.datetime, n: int, about: str = "thư viện") -> None:
        for _ in range(n):
            self.count += 1
            title = f"{TOPICS[self.count % len(TOPICS)]} (số {self.count})"
            if about != "thư viện":
                title = f"Giá rau ở chợ đầu mối tăng (số {self.count})"
            text = f"{title}. Bài viết số {self.count} kể chuyện riêng của nó, khác mọi bài khác."
            self.entries.append(
                item(title, text, guid=f"g{self.count}", date=email.utils.format_datetime(at))
            )


def fetch(at: dt.datetime) -> services.PassSummary:
    with TestCase.captureOnCommitCallbacks(execute=True):
        return services.sources_fetch(now=at, all_sources=True)


@pytest.fixture
def feed(feeds: FeedServer) -> Iterator[Feed]:
    yield Feed(feeds)


def _spike_rule(factor: int = 3) -> Rule:
    rule = services.rule_add(name="Thư viện", expression='"thư viện"')
    rule.spike_factor = factor
    rule.emails = "banbientap@example.vn"
    rule.save()
    return rule


def _quiet_week(feed: Feed) -> None:
    """One mention a day for the week before T0: the usual level is one an hour at least."""
    for day in range(7, 0, -1):
        at = T0 - dt.timedelta(days=day)
        feed.publish(at, 1)
        fetch(at)


def test_a_spike_alerts_once_in_the_admin_and_by_email(feed: Feed, client: Any) -> None:
    rule = _spike_rule(factor=3)
    _quiet_week(feed)
    feed.publish(T0 - dt.timedelta(hours=1), 2)
    assert fetch(T0 - dt.timedelta(hours=1)).spikes == []  # 2 in an hour: not above 3 × 1
    assert mail.outbox == [] and not Spike.objects.exists()

    feed.publish(T0, 4)  # 4 mentions in the hour before T0 (the 2 above are an hour old)
    assert fetch(T0).spikes == ["Thư viện"]
    (spike,) = Spike.objects.all()
    assert spike.rule == rule and spike.mentions == 4 and spike.ended_at is None
    assert spike.emailed
    assert [m.to for m in mail.outbox] == [["banbientap@example.vn"]]
    assert "Thư viện" in mail.outbox[0].subject and "4" in mail.outbox[0].subject

    # The same spike, still going on 20 minutes later: no second alert.
    feed.publish(T0 + dt.timedelta(minutes=20), 1)
    assert fetch(T0 + dt.timedelta(minutes=20)).spikes == []
    assert Spike.objects.count() == 1 and len(mail.outbox) == 1

    staff = UserFactory(is_superuser=True, is_staff=True)
    client.force_login(staff)
    page = client.get("/admin/theo-doi/").content.decode()
    assert "“Thư viện”: 4 lần nhắc đến trong một giờ" in page and "đang diễn ra" in page

    # Two quiet hours end it; a new burst is a new spike with its own e-mail.
    fetch(T0 + dt.timedelta(hours=2))
    spike.refresh_from_db()
    assert spike.ended_at == T0 + dt.timedelta(hours=2)
    feed.publish(T0 + dt.timedelta(hours=3), 5)
    assert fetch(T0 + dt.timedelta(hours=3)).spikes == ["Thư viện"]
    assert Spike.objects.count() == 2 and len(mail.outbox) == 2
    assert Match.objects.filter(rule=rule).count() == 7 + 2 + 4 + 1 + 5


def test_a_rule_used_to_many_mentions_or_without_a_factor_does_not_spike(feed: Feed) -> None:
    busy = _spike_rule(factor=2)
    plain = services.rule_add(name="Thư viện (không cảnh báo)", expression="thư viện")
    # A busy week: 48 mentions a day, 336 in all, two an hour on average (the first days' bursts
    # are spikes of their own while the rule has no history yet).
    for day in range(7, 0, -1):
        feed.publish(T0 - dt.timedelta(days=day), 48)
        fetch(T0 - dt.timedelta(days=day))
    feed.publish(T0, 4)  # 4 in an hour: not above 2 × the usual 2
    assert fetch(T0).spikes == []
    assert not busy.spikes.filter(ended_at__isnull=True).exists()
    feed.publish(T0 + dt.timedelta(minutes=30), 1)
    assert fetch(T0 + dt.timedelta(minutes=30)).spikes == ["Thư viện"]  # 5 > 4
    (spike,) = busy.spikes.filter(started_at__gt=T0)
    assert spike.mentions == 5 and spike.usual == 2
    assert not plain.spikes.exists()


def _digest_rule() -> Rule:
    rule = services.rule_add(
        name="Thư viện",
        expression='"thư viện"',
        alert=ALERT_DIGEST,
        emails="a@example.vn; b@example.vn",
    )
    return rule


def test_a_digest_is_sent_once_a_period_and_never_repeats_a_mention(feed: Feed) -> None:
    _digest_rule()
    services.rule_add(name="Chợ", expression="rau")  # no alert: never in a digest
    feed.publish(T0, 2)
    feed.publish(T0, 1, about="chợ")
    fetch(T0)
    assert mail.outbox == []  # a digest rule's mentions are not mailed at once

    assert services.mentions_digest_send(now=T0 + dt.timedelta(minutes=5)) == 1
    (digest,) = mail.outbox
    assert digest.to == ["a@example.vn", "b@example.vn"]
    assert "2" in digest.subject and "Thư viện" in digest.subject
    assert "(số 1)" in digest.body and "(số 2)" in digest.body and "Giá rau" not in digest.body
    assert services.mentions_digest_send(now=T0 + dt.timedelta(minutes=6)) == 0

    feed.publish(T0 + dt.timedelta(hours=1), 1)
    fetch(T0 + dt.timedelta(hours=1))
    # Within the period: nothing yet, however often cron runs it.
    assert services.mentions_digest_send(now=T0 + dt.timedelta(hours=5)) == 0
    assert len(mail.outbox) == 1
    # A day after the last digest: only the new mention.
    assert services.mentions_digest_send(now=T0 + dt.timedelta(days=1, minutes=5)) == 1
    second = mail.outbox[1]
    assert "(số 4)" in second.body and "(số 1)" not in second.body and "1" in second.subject
    assert not Match.objects.filter(alerted=False, rule__name="Thư viện").exists()
    # Nothing new: the next day sends nothing.
    assert services.mentions_digest_send(now=T0 + dt.timedelta(days=2, minutes=5)) == 0


def test_the_digest_command_for_cron(feed: Feed) -> None:
    """The command sends at the clock's own time: the mention is a minute old, whatever the
    date."""
    _digest_rule()
    a_minute_ago = timezone.now() - dt.timedelta(minutes=1)
    feed.publish(a_minute_ago, 1)
    fetch(a_minute_ago)
    out = io.StringIO()
    call_command("monitor", "digest", stdout=out)
    assert out.getvalue().strip() == "Đã gửi 1 thư tổng hợp."
    out = io.StringIO()
    call_command("monitor", "digest", stdout=out)
    assert out.getvalue().strip() == "Đã gửi 0 thư tổng hợp."
    assert len(mail.outbox) == 1


def test_a_spike_the_mail_server_refused_is_emailed_by_a_later_pass(feed: Feed) -> None:
    import socket

    from django.test import override_settings

    _spike_rule(factor=3)
    _quiet_week(feed)
    with socket.socket() as closed:  # a port nothing listens on: the server refuses
        closed.bind(("127.0.0.1", 0))
        port = closed.getsockname()[1]
    smtp = "django.core.mail.backends.smtp.EmailBackend"
    with override_settings(EMAIL_BACKEND=smtp, EMAIL_HOST="127.0.0.1", EMAIL_PORT=port):
        feed.publish(T0, 4)
        assert fetch(T0).spikes == ["Thư viện"]
    (spike,) = Spike.objects.all()
    assert not spike.emailed and mail.outbox == []

    # Twenty minutes on, the spike still going on and the server back: sent, and only once.
    feed.publish(T0 + dt.timedelta(minutes=20), 1)
    fetch(T0 + dt.timedelta(minutes=20))
    fetch(T0 + dt.timedelta(minutes=30))
    spike.refresh_from_db()
    assert spike.emailed and spike.ended_at is None
    assert [m.to for m in mail.outbox] == [["banbientap@example.vn"]]


def _new_outlet(feeds: FeedServer, entries: list[str]) -> None:
    """A second outlet, added now, whose feed already holds `entries` (a list the test may
    grow)."""
    feeds.routes["/rss-moi"] = lambda headers: Route(body=rss(*entries).encode())
    services.source_add(url=feeds.url("/rss-moi"), name="Báo Mới", outlet="Báo Mới")


def test_a_new_sources_backlog_raises_no_spike_but_its_new_items_do(
    feed: Feed, feeds: FeedServer
) -> None:
    _spike_rule(factor=3)
    _quiet_week(feed)
    # Its feed holds the week before: two items a day with their dates, and three without one
    # (an undated item in a source's first pass may be of any age).
    entries = [
        item(
            f"Thư viện xã đảo nhận sách tặng (kỳ {n})",
            f"Kỳ {n}: chuyện riêng của thư viện xã đảo, khác mọi kỳ khác.",
            guid=f"cu-{n}",
            date=email.utils.format_datetime(
                T0 - dt.timedelta(days=7) + n * dt.timedelta(hours=12)
            ),
        )
        for n in range(14)
    ] + [
        item(
            f"Thư viện làng nghề mở cửa buổi tối (bài {n})",
            f"Bài {n} không ghi ngày.",
            guid=f"khong-ngay-{n}",
            date="",
        )
        for n in range(3)
    ]
    _new_outlet(feeds, entries)
    assert fetch(T0).spikes == []  # 17 mentions stored in this pass, none of them new
    assert Match.objects.filter(item__source__outlet="Báo Mới").count() == 17
    assert not Spike.objects.exists()

    # Half an hour on, four genuinely new items, two of them undated: a spike.
    at = T0 + dt.timedelta(minutes=30)
    for n in range(4):
        entries.append(
            item(
                f"Thư viện xã đảo đón đoàn thiếu nhi (lượt {n})",
                f"Lượt {n}: một buổi đọc sách riêng, khác mọi lượt khác.",
                guid=f"moi-{n}",
                date=email.utils.format_datetime(at) if n % 2 else "",
            )
        )
    assert fetch(at).spikes == ["Thư viện"]
    (spike,) = Spike.objects.all()
    assert spike.mentions == 4


def test_the_first_pass_after_downtime_raises_no_spike_for_what_it_missed(feed: Feed) -> None:
    _spike_rule(factor=3)
    _quiet_week(feed)
    fetch(T0 - dt.timedelta(hours=20))
    # No pass ran for twenty hours: the outlet published six items meanwhile, none in the hour.
    for hours in range(19, 1, -3):
        feed.publish(T0 - dt.timedelta(hours=hours), 1)
    assert fetch(T0).spikes == []
    assert not Spike.objects.exists()
    feed.publish(T0 + dt.timedelta(minutes=20), 4)
    assert fetch(T0 + dt.timedelta(minutes=20)).spikes == ["Thư viện"]


def test_items_found_now_with_an_older_date_are_a_spike(feed: Feed) -> None:
    """A portal's page gives the day without the hour (stored at midnight), and a feed read
    hourly lists items dated a while before they are found: found in a pass that follows the
    source's last one closely, they count in the hour they were found in."""
    _spike_rule(factor=3)
    _quiet_week(feed)
    fetch(T0 - dt.timedelta(minutes=30))
    feed.publish(T0 - dt.timedelta(hours=5), 4)  # dated five hours back, new to the outlet's feed
    assert fetch(T0).spikes == ["Thư viện"]
    (spike,) = Spike.objects.all()
    assert spike.mentions == 4


def test_an_address_the_mail_server_refuses_holds_back_only_its_own_rules_digest(
    feed: Feed, mail_server: MailServer
) -> None:
    from django.test import override_settings

    services.rule_add(
        name="Bạn đọc", expression="thư viện", alert=ALERT_DIGEST, emails="nghi-huu@example.vn"
    )
    services.rule_add(
        name="Thư viện", expression='"thư viện"', alert=ALERT_DIGEST, emails="ban@example.vn"
    )
    a_minute_ago = timezone.now() - dt.timedelta(minutes=1)  # the command sends at the clock's
    feed.publish(a_minute_ago, 2)
    fetch(a_minute_ago)
    mail_server.refused = {"nghi-huu@example.vn"}  # the first rule's mailbox is gone
    with override_settings(**mail_server.settings()):
        out = io.StringIO()
        call_command("monitor", "digest", stdout=out)
    assert out.getvalue().strip() == "Đã gửi 1 thư tổng hợp."
    assert [to for to, _ in mail_server.received] == [["ban@example.vn"]]
    refused = Rule.objects.get(name="Bạn đọc")
    assert refused.digest_sent_at is None
    assert refused.matches.filter(alerted=False).count() == 2  # kept for the next run
    assert not Match.objects.filter(rule__name="Thư viện", alerted=False).exists()

    mail_server.refused = set()  # the address is back
    with override_settings(**mail_server.settings()):
        assert services.mentions_digest_send() == 1
    assert [to for to, _ in mail_server.received] == [["ban@example.vn"], ["nghi-huu@example.vn"]]
    assert not Match.objects.filter(alerted=False).exists()
