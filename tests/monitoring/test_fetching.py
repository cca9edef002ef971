"""Fetching against a local server: what bad feeds do to a source, and what is stored."""

from __future__ import annotations

import datetime as dt
import unicodedata

import pytest
from django.utils import timezone

from moduong.monitoring import services
from moduong.monitoring.fetching import canonical_url
from moduong.monitoring.models import STATE_ACTIVE, STATE_FAILING, Item, Match

from .conftest import FeedServer, Route, item, rss

pytestmark = pytest.mark.django_db


def _feed(feeds: FeedServer, path: str, body: str | bytes, **headers: str) -> None:
    data = body.encode() if isinstance(body, str) else body
    feeds.routes[path] = Route(
        body=data, headers={"Content-Type": "application/rss+xml", **headers}
    )


def _source(feeds: FeedServer, path: str = "/rss", **kwargs):  # type: ignore[no-untyped-def]
    return services.source_add(url=feeds.url(path), name="Báo Thủ Đô", **kwargs)


def test_a_feed_is_stored_once_and_fetched_again_only_when_changed(feeds: FeedServer) -> None:
    body = rss(
        item("Khai trương thư viện Hoàn Kiếm", "Bạn đọc đến đông.", guid="a1"),
        item("Giá vàng hôm nay", "Tăng nhẹ.", guid="a2"),
    )

    def answer(headers: dict[str, str]) -> Route:
        if headers.get("If-None-Match") == '"v1"':
            return Route(status=304)
        return Route(body=body.encode(), headers={"ETag": '"v1"'})

    feeds.routes["/rss"] = answer
    source = _source(feeds)
    services.rule_add(name="Thư viện", expression='"thư viện" AND "Hoàn Kiếm"')
    first = services.sources_fetch()
    assert (first.fetched, first.new_items) == (1, 2)
    assert Match.objects.get().item.title == "Khai trương thư viện Hoàn Kiếm"

    again = services.sources_fetch(all_sources=True)
    assert (again.unchanged, again.new_items) == (1, 0)
    assert feeds.requests[-1][1]["If-None-Match"] == '"v1"'
    source.refresh_from_db()
    assert source.state == STATE_ACTIVE and Item.objects.count() == 2


def test_repeated_items_are_stored_once_and_a_reused_guid_keeps_both_stories(
    feeds: FeedServer,
) -> None:
    _feed(
        feeds,
        "/rss",
        rss(
            item("Tin một", "Nội dung một.", guid="x", link="http://example.vn/tin-mot"),
            item("Tin một", "Nội dung một.", guid="x", link="http://example.vn/tin-mot"),
            item("Tin khác hẳn", "Nội dung hai.", guid="x", link="http://example.vn/tin-hai"),
            item("Không guid", "Ba.", link="http://example.vn/ba?utm_source=fb&id=3"),
        ),
    )
    _source(feeds)
    services.sources_fetch()
    _feed(feeds, "/rss", rss(item("Không guid", "Ba.", link="http://example.vn/ba?id=3&fbclid=z")))
    services.sources_fetch(all_sources=True)
    assert sorted(Item.objects.values_list("title", flat=True)) == [
        "Không guid",
        "Tin khác hẳn",
        "Tin một",
    ]


_TONE_MARKS = "\u0300\u0301\u0303\u0309\u0323"


def _cp1258(text: str) -> bytes:
    """windows-1258 has ô, ơ, ư, ă… but writes tones as combining marks after the letter."""
    out = []
    for char in text:
        try:
            out.append(char.encode("cp1258"))
        except UnicodeEncodeError:
            parts = unicodedata.normalize("NFD", char)
            tones = "".join(c for c in parts if c in _TONE_MARKS)
            base = unicodedata.normalize("NFC", "".join(c for c in parts if c not in _TONE_MARKS))
            out.append((base + tones).encode("cp1258"))
    return b"".join(out)


def test_windows_1258_declared_as_utf8_comes_out_as_nfc_vietnamese(feeds: FeedServer) -> None:
    title = "Hội nghị tuyên truyền về quản lý đô thị"
    body = rss(item(title, "Ủy ban quận."), encoding="utf-8")
    _feed(feeds, "/rss", _cp1258(body), **{"Content-Type": "text/xml; charset=utf-8"})
    _source(feeds)
    services.sources_fetch()
    stored = Item.objects.get()
    assert stored.title == title and unicodedata.is_normalized("NFC", stored.title)
    assert stored.text == "Ủy ban quận."


def test_entities_and_scripts_in_titles_are_stored_as_plain_text(feeds: FeedServer) -> None:
    _feed(
        feeds,
        "/rss",
        rss(
            item(
                "&lt;script&gt;alert(1)&lt;/script&gt;Tin &amp;amp; ảnh &#272;ảng",
                "<![CDATA[<p onclick='x()'>Đoạn <b>một</b></p><script>steal()</script>]]>",
            )
        ),
    )
    _source(feeds)
    services.sources_fetch()
    stored = Item.objects.get()
    assert "<" not in stored.title and "script" not in stored.text
    assert stored.title.endswith("Tin & ảnh Đảng")
    assert stored.text == "Đoạn một"


def test_future_and_unreadable_dates_become_the_time_of_fetching(feeds: FeedServer) -> None:
    _feed(
        feeds,
        "/rss",
        rss(
            item("Tin tương lai", "a", guid="1", date="Fri, 01 Jan 2100 00:00:00 +0700"),
            item("Tin ngày hỏng", "b", guid="2", date="hôm qua lúc chiều"),
        ),
    )
    _source(feeds)
    before = timezone.now()
    services.sources_fetch()
    for stored in Item.objects.all():
        assert before - dt.timedelta(seconds=1) <= stored.published_at <= timezone.now()


@pytest.mark.parametrize(
    ("route", "message"),
    [
        (Route(status=404, body=b"no"), "404"),
        (Route(status=500, body=b"boom"), "500"),
        (Route(body="<!doctype html><html><body><p>Trang chủ</p></body></html>".encode()), "RSS"),
        (Route(body=b"x" * 300_000), "giới hạn"),
        (Route(body=b"<rss>" + b"x" * 100_000, chunks=40), "giới hạn"),
        (Route(body=rss(item("a")).encode(), delay=1.5), "kịp"),
    ],
    ids=["404", "500", "html", "huge", "huge-unsized", "never-answers"],
)
def test_a_bad_answer_marks_the_source_failing_and_backs_off(
    feeds: FeedServer, route: Route, message: str
) -> None:
    feeds.routes["/rss"] = route
    source = _source(feeds)
    now = timezone.now()
    summary = services.sources_fetch(now=now)
    source.refresh_from_db()
    assert summary.failed == 1 and source.state == STATE_FAILING
    assert message in source.last_error
    first_wait = source.next_fetch_at - now
    services.sources_fetch(now=source.next_fetch_at)
    source.refresh_from_db()
    assert source.failures == 2
    assert Item.objects.count() == 0
    assert first_wait >= dt.timedelta(minutes=source.interval_minutes)


def test_backoff_grows_with_each_failure(feeds: FeedServer) -> None:
    feeds.routes["/rss"] = Route(status=500)
    source = _source(feeds)
    waits = []
    now = timezone.now()
    for _ in range(3):
        services.sources_fetch(now=now)
        source.refresh_from_db()
        waits.append(source.next_fetch_at - now)
        now = source.next_fetch_at
    assert waits[0] < waits[1] < waits[2]


def test_a_truncated_feed_keeps_what_could_be_read(feeds: FeedServer) -> None:
    whole = rss(item("Tin đầu tiên", "đủ", guid="1"), item("Tin thứ hai", "bị cắt", guid="2"))
    _feed(feeds, "/rss", whole[: whole.index("Tin thứ hai") + 5])
    source = _source(feeds)
    services.sources_fetch()
    source.refresh_from_db()
    assert "Tin đầu tiên" in Item.objects.values_list("title", flat=True)


def test_redirects_are_followed_but_a_loop_is_an_error(feeds: FeedServer) -> None:
    feeds.routes["/old"] = Route(status=301, headers={"Location": "/rss"})
    _feed(feeds, "/rss", rss(item("Tin chuyển", "a", guid="1")))
    feeds.routes["/a"] = Route(status=302, headers={"Location": "/b"})
    feeds.routes["/b"] = Route(status=302, headers={"Location": "/a"})
    moved = _source(feeds, "/old")
    loop = services.source_add(url=feeds.url("/a"), name="Vòng lặp")
    services.sources_fetch()
    moved.refresh_from_db()
    loop.refresh_from_db()
    assert moved.state == STATE_ACTIVE and Item.objects.get().title == "Tin chuyển"
    assert loop.state == STATE_FAILING and "vòng" in loop.last_error


def test_robots_txt_that_forbids_is_honoured(feeds: FeedServer) -> None:
    feeds.routes["/robots.txt"] = Route(body=b"User-agent: *\nDisallow: /private/\n")
    _feed(feeds, "/private/rss", rss(item("Bí mật", "a")))
    source = _source(feeds, "/private/rss")
    services.sources_fetch()
    source.refresh_from_db()
    assert source.state == STATE_FAILING and "robots.txt" in source.last_error
    assert feeds.hits("/private/rss") == 0


def test_an_html_listing_page_yields_its_articles_text(feeds: FeedServer) -> None:
    article = (
        "<html><head><title>Quận Hoàn Kiếm mở thêm thư viện</title></head><body>"
        "<article><h1>Quận Hoàn Kiếm mở thêm thư viện</h1>"
        + "".join(
            f"<p>Đoạn {n}: thư viện mới của quận phục vụ bạn đọc mọi lứa tuổi, "
            "với hàng nghìn đầu sách và không gian đọc yên tĩnh.</p>"
            for n in range(6)
        )
        + "</article></body></html>"
    )
    feeds.routes["/tin/"] = Route(
        body=(
            '<html><body><a href="/tin/quan-hoan-kiem-mo-them-thu-vien.html">Tin</a>'
            '<a href="/lien-he">Liên hệ</a></body></html>'
        ).encode(),
        headers={"Content-Type": "text/html; charset=utf-8"},
    )
    feeds.routes["/tin/quan-hoan-kiem-mo-them-thu-vien.html"] = Route(
        body=article.encode(), headers={"Content-Type": "text/html; charset=utf-8"}
    )
    services.source_add(url=feeds.url("/tin/"), name="Cổng quận", kind="html")
    services.sources_fetch()
    stored = Item.objects.get()
    assert stored.title == "Quận Hoàn Kiếm mở thêm thư viện"
    assert "hàng nghìn đầu sách" in stored.text
    assert feeds.hits("/lien-he") == 0


def test_the_canonical_address_drops_tracking_parameters() -> None:
    assert canonical_url("HTTP://Example.VN:80/a?utm_source=x&id=2&fbclid=y#top") == (
        "http://example.vn/a?id=2"
    )
