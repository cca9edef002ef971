"""What officers do: the command line, the JSON API, the dashboard, republishing; clusters of
the same story across outlets; alerts."""

from __future__ import annotations

import datetime as dt
import io
import json
import time
from typing import Any

import pytest
from django.core import mail
from django.core.management import CommandError, call_command
from django.utils import timezone
from wagtail.models import Page

from moduong.monitoring import services
from moduong.monitoring.models import ALERT_IMMEDIATE, Item, Match, Rule, Source
from tests.factories import UserFactory

from .conftest import REPRINT, STORY, FeedServer, Route, item, rss

pytestmark = pytest.mark.django_db


def _two_outlets(feeds: FeedServer) -> None:
    feeds.routes["/a"] = Route(
        body=rss(
            item("Hoàn Kiếm có thêm thư viện", STORY, guid="a1", link="http://a.example.vn/1"),
            item("Giá rau tăng mạnh", "Chợ đầu mối báo giá mới.", guid="a2"),
        ).encode()
    )
    feeds.routes["/b"] = Route(
        body=rss(item("Thư viện mới ở phố Hàng Bài", REPRINT, guid="b1")).encode()
    )
    services.source_add(url=feeds.url("/a"), name="Báo A", outlet="Báo A")
    services.source_add(url=feeds.url("/b"), name="Báo B", outlet="Báo B")


def test_the_same_story_in_two_outlets_is_one_cluster(feeds: FeedServer) -> None:
    _two_outlets(feeds)
    services.sources_fetch()
    library = Item.objects.filter(title__icontains="thư viện")
    assert library.count() == 2
    assert len({i.cluster_id for i in library}) == 1
    assert library.first().cluster.size == 2  # type: ignore[union-attr]
    other = Item.objects.get(title="Giá rau tăng mạnh")
    assert other.cluster_id != library.first().cluster_id  # type: ignore[union-attr]


def test_the_command_line(feeds: FeedServer) -> None:
    feeds.routes["/rss"] = Route(body=rss(item("Hoàn Kiếm mở thư viện", STORY, guid="1")).encode())
    out = io.StringIO()
    call_command("monitor", "add-source", feeds.url("/rss"), "--name", "Báo Thủ Đô", stdout=out)
    call_command("monitor", "add-rule", "Thư viện", '"thư viện" AND "Hoàn Kiếm"', stdout=out)
    with pytest.raises(CommandError, match="ngoặc"):
        call_command("monitor", "add-rule", "Hỏng", "(sách OR báo", stdout=out)
    call_command("monitor", "fetch", stdout=out)
    assert "1 tin mới" in out.getvalue()
    out = io.StringIO()
    call_command(
        "monitor", "mentions", "--rule", "Thư viện", "--since", "2020-01-01", "--json", stdout=out
    )
    (mention,) = json.loads(out.getvalue())
    assert mention["rule"] == "Thư viện" and mention["outlet"] == "Báo Thủ Đô"
    assert mention["highlight"].casefold() in {"thư viện", "hoàn kiếm"}
    assert mention["cluster"] is not None
    with pytest.raises(CommandError, match="Ngày"):
        call_command("monitor", "mentions", "--since", "hôm qua", stdout=out)


def _officer(client: Any) -> Any:
    user = UserFactory(is_superuser=True, is_staff=True)
    client.force_login(user)
    return user


def test_the_json_api(feeds: FeedServer, client: Any) -> None:
    feeds.routes["/rss"] = Route(body=rss(item("Hoàn Kiếm mở thư viện", STORY, guid="1")).encode())
    anonymous = client.get("/api/v1/monitoring/mentions")
    assert anonymous.status_code == 401
    reader = UserFactory()
    client.force_login(reader)
    assert client.get("/api/v1/monitoring/mentions").status_code == 403
    _officer(client)
    post = lambda path, data: client.post(path, data, content_type="application/json")  # noqa: E731
    assert (
        post("/api/v1/monitoring/sources", {"url": feeds.url("/rss"), "name": "Báo"}).status_code
        == 201
    )
    bad = post("/api/v1/monitoring/rules", {"name": "Hỏng", "expression": "sách)"})
    assert bad.status_code == 400 and "ngoặc" in bad.json()["message"]
    assert not Rule.objects.filter(name="Hỏng").exists()
    assert (
        post("/api/v1/monitoring/rules", {"name": "TV", "expression": "thư viện"}).status_code
        == 201
    )
    assert post("/api/v1/monitoring/fetch", {}).json()["new_items"] == 1
    (mention,) = client.get("/api/v1/monitoring/mentions?rule=TV").json()
    assert mention["title"] == "Hoàn Kiếm mở thư viện"


def test_the_dashboard_shows_mentions_and_nothing_a_source_sends_runs(
    feeds: FeedServer, client: Any
) -> None:
    feeds.routes["/rss"] = Route(
        body=rss(
            item(
                "Thư viện &lt;img src=x onerror=alert(1)&gt; mới",
                "<![CDATA[Thư viện <script>alert(2)</script> &lt;b&gt;đẹp&lt;/b&gt;]]>",
                link="javascript:alert(3)",
            )
        ).encode()
    )
    feeds.routes["/down"] = Route(status=500)
    services.source_add(url=feeds.url("/rss"), name="Báo")
    services.source_add(url=feeds.url("/down"), name="Báo hỏng")
    services.rule_add(name="TV", expression='"thư viện"')
    services.sources_fetch()
    _officer(client)
    page = client.get("/admin/theo-doi/").content.decode()
    assert "<mark>Thư viện</mark>" in page
    assert "<script>alert" not in page and "<img" not in page and "javascript:" not in page
    assert "Báo hỏng" in page and "500" in page


def test_republishing_makes_a_draft_in_moderation(
    feeds: FeedServer, client: Any, site: Any
) -> None:
    feeds.routes["/rss"] = Route(
        body=rss(
            item("Hoàn Kiếm mở thư viện", STORY, guid="1", link="http://a.example.vn/tv")
        ).encode()
    )
    services.source_add(url=feeds.url("/rss"), name="Báo Thủ Đô", outlet="Báo Thủ Đô")
    services.sources_fetch()
    stored = Item.objects.get()
    _officer(client)
    form = client.get(f"/admin/theo-doi/dang-lai/{stored.pk}/")
    assert form.status_code == 200
    section = Page.objects.get(slug="tin-tong-hop")
    refused = client.post(
        f"/admin/theo-doi/dang-lai/{stored.pk}/",
        {"section": section.pk, "title": "Thư viện mới", "lead": "", "text": STORY},
    )
    assert refused.status_code == 200 and "sapo" in refused.content.decode()
    done = client.post(
        f"/admin/theo-doi/dang-lai/{stored.pk}/",
        {
            "section": section.pk,
            "title": "Thư viện mới",
            "lead": "Một thư viện mới.",
            "text": STORY,
        },
    )
    assert done.status_code == 302
    article = Page.objects.get(slug="thu-vien-moi").specific
    assert not article.live and article.source_url == "http://a.example.vn/tv"
    assert article.source_outlet == "Báo Thủ Đô"
    assert "(Theo Báo Thủ Đô)" in str(article.body)
    assert article.workflow_in_progress


def test_an_immediate_alert_is_emailed(feeds: FeedServer) -> None:
    feeds.routes["/rss"] = Route(body=rss(item("Hoàn Kiếm mở thư viện", STORY, guid="1")).encode())
    services.source_add(url=feeds.url("/rss"), name="Báo")
    rule = services.rule_add(name="TV", expression="thư viện", alert=ALERT_IMMEDIATE)
    rule.emails = "banbientap@example.vn"
    rule.save()
    from django.test import TestCase

    with TestCase.captureOnCommitCallbacks(execute=True):
        services.sources_fetch()
    assert [m.to for m in mail.outbox] == [["banbientap@example.vn"]]
    assert "Hoàn Kiếm mở thư viện" in mail.outbox[0].subject
    assert Match.objects.get().alerted


def test_a_paused_source_is_not_fetched(feeds: FeedServer) -> None:
    feeds.routes["/rss"] = Route(body=rss(item("Tin", "a", guid="1")).encode())
    source = services.source_add(url=feeds.url("/rss"), name="Báo")
    services.source_pause(source=source, paused=True)
    services.sources_fetch()
    assert feeds.hits("/rss") == 0 and Source.objects.get().state == "paused"


def test_the_demo_monitors_its_shipped_feeds() -> None:
    from moduong.monitoring.demo import monitoring_demo_load
    from moduong.monitoring.models import Cluster

    monitoring_demo_load()
    assert Source.objects.count() == 3 and not Source.objects.exclude(state="active").exists()
    assert Match.objects.filter(rule__name="Thư viện Hoàn Kiếm").count() == 3
    assert Cluster.objects.filter(size__gte=2).exists()
    assert Page.objects.filter(title="Hoàn Kiếm có thêm thư viện cộng đồng", live=False).exists()


def test_two_feeds_of_one_site_are_asked_for_the_hosts_delay_apart(
    feeds: FeedServer, settings: Any
) -> None:
    settings.MONITORING_HOST_DELAY = 0.5
    arrived: list[float] = []

    def answer(path: str) -> Any:
        def route(headers: dict[str, str]) -> Route:
            arrived.append(time.monotonic())
            return Route(body=rss(item(f"Tin {path}", STORY, guid=path)).encode())

        return route

    for path in ("/a", "/b"):
        feeds.routes[path] = answer(path)
        services.source_add(url=feeds.url(path), name=f"Báo {path}")
    services.sources_fetch()
    assert len(arrived) == 2 and arrived[1] - arrived[0] >= 0.5


def test_the_demos_own_feed_files_are_read_without_the_hosts_delay(settings: Any) -> None:
    """The delay spares other people's servers; the three files shipped with the demo are read
    at once (a newcomer's `make demo` used to sleep a second between them)."""
    from moduong.monitoring.demo import monitoring_demo_load

    settings.MONITORING_HOST_DELAY = 30
    started = time.monotonic()
    monitoring_demo_load()
    assert Source.objects.filter(state="active").count() == 3
    assert time.monotonic() - started < 30


def test_an_alert_the_mail_server_refused_is_sent_by_the_next_run(feeds: FeedServer) -> None:
    import socket

    from django.test import override_settings

    feeds.routes["/rss"] = Route(body=rss(item("Hoàn Kiếm mở thư viện", STORY, guid="1")).encode())
    services.source_add(url=feeds.url("/rss"), name="Báo")
    rule = services.rule_add(name="TV", expression="thư viện", alert=ALERT_IMMEDIATE)
    rule.emails = "banbientap@example.vn"
    rule.save()
    services.sources_fetch()
    match = Match.objects.get()
    with socket.socket() as closed:  # a port nothing listens on: the server refuses
        closed.bind(("127.0.0.1", 0))
        port = closed.getsockname()[1]
    smtp = "django.core.mail.backends.smtp.EmailBackend"
    refused = override_settings(EMAIL_BACKEND=smtp, EMAIL_HOST="127.0.0.1", EMAIL_PORT=port)
    with refused:
        assert services.mentions_alert(match_ids=[match.pk]) == 0
    match.refresh_from_db()
    assert not match.alerted and mail.outbox == []
    # The next fetch pass queues it again (its task runs at once in the tests), once.
    services.sources_fetch(now=timezone.now() + dt.timedelta(hours=1))
    services.sources_fetch(now=timezone.now() + dt.timedelta(hours=2))
    assert services.mentions_alert(match_ids=[match.pk]) == 0  # run again: no second copy
    assert [m.to for m in mail.outbox] == [["banbientap@example.vn"]]
