"""The monitoring dashboard as the office's staff see it, in the real browser."""

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from moduong.monitoring.demo import monitoring_demo_load
from moduong.monitoring.models import Item
from tests.factories import UserFactory

from .conftest import screenshot
from .test_admin import PASSWORD, admin_login

pytestmark = pytest.mark.django_db(transaction=True)


def test_staff_see_the_charts_and_the_days_largest_cluster(site, live_server, page) -> None:  # type: ignore[no-untyped-def]
    monitoring_demo_load()  # the shipped feeds: a story run by two outlets is a cluster
    # The demo's items as published yesterday, so the 14 days drawn hold them whatever the date.
    Item.objects.update(published_at=timezone.now() - dt.timedelta(days=1))
    user = UserFactory(username="bientap", is_superuser=True, is_staff=True)
    user.set_password(PASSWORD)
    user.save()
    admin_login(page, live_server, "bientap")
    page.goto(f"{live_server.url}/admin/theo-doi/")
    chart = page.get_by_role("img", name="Số lần nhắc đến theo ngày và quy tắc")
    expect(chart).to_be_visible()
    expect(chart.locator("circle")).not_to_have_count(0)
    assert chart.bounding_box()["width"] > 300  # type: ignore[index]
    expect(
        page.get_by_role("img", name="Số lần nhắc đến theo ngày và cơ quan báo chí")
    ).to_be_visible()
    legend = page.locator("#bieu-do-quy-tac .monitoring-legend")
    expect(legend).to_contain_text("Thư viện Hoàn Kiếm (3)")
    expect(
        page.get_by_role("heading", name="Hoàn Kiếm có thêm thư viện cộng đồng (2)")
    ).to_be_visible()
    screenshot(page, "quan-tri-theo-doi")
    # The admin scrolls inside its own panel: a second shot at the day's clusters.
    page.get_by_role(
        "heading", name="Những cụm tin lớn nhất trong ngày"
    ).scroll_into_view_if_needed()
    screenshot(page, "quan-tri-theo-doi-cum-tin")
    assert page.console_errors == []  # type: ignore[attr-defined]
