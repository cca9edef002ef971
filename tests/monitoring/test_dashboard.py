"""The dashboard an officer opens: mentions over time per rule and per outlet as charts drawn on
the server (inline SVG, nothing to run), the day's largest clusters, failing sources."""

from __future__ import annotations

import datetime as dt
import email.utils
import re
from typing import Any

import pytest
from django.utils import timezone

from moduong.monitoring import charts, selectors, services
from tests.factories import UserFactory

from .conftest import REPRINT, STORY, FeedServer, Route, item, rss

pytestmark = pytest.mark.django_db


def _rfc(at: dt.datetime) -> str:
    return email.utils.format_datetime(at)


def _world(feeds: FeedServer, now: dt.datetime) -> None:
    yesterday, three_days = now - dt.timedelta(days=1), now - dt.timedelta(days=3)
    feeds.routes["/a"] = Route(
        body=rss(
            item("Hoàn Kiếm có thêm thư viện", STORY, guid="a1", date=_rfc(yesterday)),
            item(
                "Thư viện lưu động về trường",
                "Xe sách đến trường.",
                guid="a2",
                date=_rfc(three_days),
            ),
            item(
                "Ngập sau mưa lớn ở phố Huế",
                "Nước ngập sâu sau mưa.",
                guid="a3",
                date=_rfc(yesterday),
            ),
        ).encode()
    )
    feeds.routes["/b"] = Route(
        body=rss(
            item(
                "Thư viện mới ở phố Hàng Bài",
                REPRINT,
                guid="b1",
                date=_rfc(yesterday),
            )
        ).encode()
    )
    feeds.routes["/down"] = Route(status=503)
    services.source_add(url=feeds.url("/a"), name="Báo A", outlet="Báo Thủ Đô")
    services.source_add(url=feeds.url("/b"), name="Báo B", outlet="Tin <b>Đô thị</b>")
    services.source_add(url=feeds.url("/down"), name="Báo hỏng")
    services.rule_add(name="Thư viện", expression='"thư viện"')
    services.rule_add(name="Ngập úng", expression="ngập AND mưa")
    services.sources_fetch(now=now, all_sources=True)


def test_mentions_per_day_fill_every_day_with_zeros(feeds: FeedServer) -> None:
    now = timezone.now()
    _world(feeds, now)
    counts = selectors.mentions_per_day(days=7, now=now)
    today = timezone.localdate(now)
    assert counts["days"][-1] == today and len(counts["days"]) == 7
    assert list(counts["rules"]) == ["Thư viện", "Ngập úng"]  # the largest first
    yesterday = counts["days"].index(timezone.localdate(now - dt.timedelta(days=1)))
    three = counts["days"].index(timezone.localdate(now - dt.timedelta(days=3)))
    library = counts["rules"]["Thư viện"]
    assert library[yesterday] == 2 and library[three] == 1 and sum(library) == 3
    assert counts["outlets"]["Tin <b>Đô thị</b>"][yesterday] == 1


def test_the_dashboard_draws_the_charts_and_shows_clusters_and_failures(
    feeds: FeedServer, client: Any
) -> None:
    now = timezone.now()
    _world(feeds, now)
    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    page = client.get("/admin/theo-doi/").content.decode()
    charts_found = re.findall(
        r'<figure class="monitoring-chart" id="([^"]+)">\s*<svg ([^>]*)>', page
    )
    assert [name for name, _ in charts_found] == ["bieu-do-quy-tac", "bieu-do-bao"]
    for name, attributes in charts_found:
        assert (
            'role="img"' in attributes
            and f'aria-labelledby="{name}-title {name}-desc"' in attributes
        )
    assert '<title id="bieu-do-quy-tac-title">Số lần nhắc đến theo ngày và quy tắc</title>' in page
    day = f"{timezone.localdate(now - dt.timedelta(days=1)):%d/%m}"
    assert f"<title>Thư viện, {day}: 2 lần nhắc đến</title>" in page
    assert "Thư viện (3)" in page and "Ngập úng (1)" in page  # the legend, with totals
    # Coordinates with a decimal point (the Vietnamese decimal comma is no SVG number).
    numbers = re.findall(r' (?:cx|cy|y1|y2|x|y|d)="([^"]*)"', page)
    assert numbers and not [n for n in numbers if "," in n]
    # The outlet's name, whatever it holds, is text: escaped in the chart and the table.
    assert "Tin &lt;b&gt;Đô thị&lt;/b&gt;" in page and "<b>Đô thị</b>" not in page
    # Nothing to run and no style attribute in the charts: the CSP has nothing to allow.
    for figure in re.findall(r'<figure class="monitoring-chart".*?</figure>', page, re.S):
        assert (
            "<script" not in figure
            and "style=" not in figure
            and "http" not in figure.replace("http://www.w3.org/2000/svg", "")
        )
    # The day's largest cluster with both outlets, and the failing source with its error.
    clusters = page.split("Những cụm tin lớn nhất trong ngày", 1)[1]
    assert "Hoàn Kiếm có thêm thư viện (2)" in clusters
    assert "Báo Thủ Đô" in clusters and "Tin &lt;b&gt;Đô thị&lt;/b&gt;" in clusters
    assert "Báo hỏng" in page and "503" in page


def test_a_chart_with_no_mention_says_so() -> None:
    days = [dt.date(2026, 1, 1) + dt.timedelta(days=n) for n in range(14)]
    chart = charts.line_chart(days, {}, "lần nhắc đến")
    assert chart.empty and chart.lines == [] and chart.y_ticks[-1].label == "4"


def test_a_chart_shows_six_lines_at_most_and_counts_the_rest() -> None:
    days = [dt.date(2026, 1, 1) + dt.timedelta(days=n) for n in range(3)]
    series = {f"Quy tắc {n}": [n, 0, 1] for n in range(9, 0, -1)}
    chart = charts.line_chart(days, series, "lần")
    assert [line.name for line in chart.lines] == [f"Quy tắc {n}" for n in range(9, 3, -1)]
    assert chart.others == 3 and chart.y_ticks[-1].label == "10"
    top = chart.lines[0].points[0]
    assert top.y < chart.lines[-1].points[0].y  # 9 drawn above 4
    assert (
        len({line.colour for line in chart.lines}) == len({line.dash for line in chart.lines}) == 6
    )
