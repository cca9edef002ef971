"""A feed's new items are stored as one batch: the queries of a pass over a feed do not grow
with the feed's new items, and what is stored is the same (each item once, in its story's
cluster across outlets, matched with its snippet, one alert for the feed)."""

from __future__ import annotations

import random

import pytest
from django.db import connection
from django.test import TestCase
from django.test.utils import CaptureQueriesContext

from moduong.monitoring import services
from moduong.monitoring.models import ALERT_IMMEDIATE, Item, Match

from .conftest import FeedServer, Route, item, rss

pytestmark = pytest.mark.django_db

VOCABULARY = (
    "phường quận chợ đường cầu sông hồ phố nhà trường bệnh viện công viên xe buýt đèn cây nước"
    " điện rác bến cảng ga sân bay chùa đình hội làng nghề gạo rau cá thịt giá bán mua tăng giảm"
    " mới cũ lớn nhỏ sáng chiều tối đêm mưa nắng gió bão lũ hạn mặn người dân cán bộ học sinh"
)
WORDS = VOCABULARY.split()


def _story(n: int, i: int) -> tuple[str, str]:
    rng = random.Random(n * 1000 + i)
    return f"Thư viện và {rng.choice(WORDS)} (tin {n}-{i})", " ".join(rng.choices(WORDS, k=60))


def _outlet(feeds: FeedServer, path: str, entries: list[str], name: str) -> None:
    feeds.routes[path] = Route(body=rss(*entries).encode())
    services.source_add(url=feeds.url(path), name=name, outlet=name)


def _queries_for_a_feed_of(feeds: FeedServer, n: int) -> int:
    """Outlet A runs n stories; outlet B then runs the n stories again, reworded: the queries of
    the pass that stores B's n new items (each joins A's story, each a mention)."""
    stories = [_story(n, i) for i in range(n)]
    _outlet(
        feeds,
        f"/a{n}",
        [item(title, text, guid=f"a{n}-{i}") for i, (title, text) in enumerate(stories)],
        f"Báo A{n}",
    )
    services.sources_fetch()
    reprints = [
        item(f"Bản đăng lại: {title}", text.rsplit(" ", 5)[0] + " theo tin riêng", guid=f"b{n}-{i}")
        for i, (title, text) in enumerate(stories)
    ]
    _outlet(feeds, f"/b{n}", reprints + reprints[:2], f"Báo B{n}")  # two repeated: stored once
    # The alert itself runs after the count (its task's own queries are the e-mail's business).
    with (
        TestCase.captureOnCommitCallbacks(execute=True) as callbacks,
        CaptureQueriesContext(connection) as queries,
    ):
        summary = services.sources_fetch()
    assert summary.new_items == n and summary.fetched == 1
    assert len(callbacks) == 1  # one alert task for the feed, not one per mention
    stored = Item.objects.filter(source__name=f"Báo B{n}").select_related("cluster")
    assert stored.count() == n
    for reprint in stored:
        assert reprint.cluster is not None and reprint.cluster.size == 2
        assert reprint.cluster.items.filter(source__name=f"Báo A{n}").count() == 1
    matches = Match.objects.filter(item__source__name=f"Báo B{n}")
    assert matches.count() == n
    assert all(m.snippet_parts[1] == "Thư viện" for m in matches)
    return len(queries)


def test_storing_a_feed_takes_no_more_queries_for_more_new_items(feeds: FeedServer) -> None:
    services.rule_add(name="Thư viện", expression='"thư viện"', alert=ALERT_IMMEDIATE)
    few = _queries_for_a_feed_of(feeds, 3)
    many = _queries_for_a_feed_of(feeds, 40)
    assert many == few
    assert many <= 25
