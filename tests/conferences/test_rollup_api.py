"""The organisers' roll-up (admin, htmx), the warning about points not linked, the QR sheet,
the Excel report, and the JSON API with the same figures."""

import datetime as dt
import io

import pytest
from django.contrib.auth.models import Group
from django.core import mail
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from moduong.conferences.models import AgendaItem, Conference, ConnectionPoint
from moduong.conferences.selectors import rollup
from moduong.conferences.services import (
    ReportInput,
    conference_alert_send,
    delegate_check_in,
    delegate_register,
    point_report_submit,
)
from moduong.conferences.tasks import conference_alert
from moduong.units.models import Commune, Province
from tests.factories import UserFactory

from .factories import categories, conference, link_of, point

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff() -> Client:
    user = UserFactory(username="canbo-hoinghi")
    user.groups.add(Group.objects.get(name="Cán bộ nghiệp vụ"))
    client = Client()
    client.force_login(user)
    return client


def _report(p, party, n):  # type: ignore[no-untyped-def]
    point_report_submit(link=link_of(p), report=ReportInput(linked=True, attendance={party: n}))


def test_the_rollup_counts_by_province_commune_and_unit(site, staff) -> None:  # type: ignore[no-untyped-def]
    conf = conference()
    hue = Province.objects.get(version__is_current=True, name="Thành phố Huế")
    a = point(conf, "HN-1")
    point(conf, "HN-2")
    b = point(conf, "HUE-1", province=hue, commune=Commune.objects.filter(province=hue).first())
    party, *_ = categories(conf)
    _report(a, party, 30)
    _report(b, party, 12)
    figures = rollup(conference=conf)
    assert (figures.points, figures.linked, figures.delegates) == (3, 2, 42)
    provinces = {
        area.name: (area.points, area.linked, area.attendance) for area in figures.provinces
    }
    assert provinces == {"Thành phố Hà Nội": (2, 1, 30), "Thành phố Huế": (1, 1, 12)}
    page = staff.get(reverse("conferences_rollup", args=[conf.pk]))
    assert page.status_code == 200 and 'hx-trigger="every' in page.text
    fragment = staff.get(reverse("conferences_rollup", args=[conf.pk]), HTTP_HX_REQUEST="true")
    assert "<html" not in fragment.text and "2 / 3" in fragment.text and "42" in fragment.text


def test_the_cached_rollup_is_forgotten_when_a_point_reports(site) -> None:  # type: ignore[no-untyped-def]
    conf = conference()
    p = point(conf)
    party, *_ = categories(conf)
    assert rollup(conference=conf).delegates == 0
    _report(p, party, 7)
    assert rollup(conference=conf).delegates == 7


def test_points_not_linked_before_the_start_are_highlighted_and_emailed(site, staff) -> None:  # type: ignore[no-untyped-def]
    conf = conference(
        starts_in=dt.timedelta(minutes=20), alert_minutes=30, alert_emails="bantochuc@example.vn"
    )
    linked = point(conf, "HN-1")
    point(conf, "HN-2", contact_phone="0900111222")
    party, *_ = categories(conf)
    _report(linked, party, 10)
    fragment = staff.get(reverse("conferences_rollup", args=[conf.pk]), HTTP_HX_REQUEST="true")
    assert 'class="not-linked"' in fragment.text and "0900111222" in fragment.text
    assert "HN-1 –" not in fragment.text
    conference_alert.enqueue(conf.pk)
    assert len(mail.outbox) == 1
    assert "0900111222" in mail.outbox[0].body and "HN-1 " not in mail.outbox[0].body
    assert conference_alert_send(conference_id=conf.pk) == 0  # sent once
    assert len(mail.outbox) == 1


def test_the_admin_dashboard_warns_of_points_not_linked_before_the_start(site, staff) -> None:  # type: ignore[no-untyped-def]
    soon = conference(
        "sap-khai-mac",
        title="Hội nghị sắp khai mạc",
        starts_in=dt.timedelta(minutes=20),
        alert_minutes=30,
    )
    linked = point(soon, "HN-1")
    point(soon, "HN-2")
    point(soon, "HN-3")
    conference("con-lau", title="Hội nghị còn lâu", starts_in=dt.timedelta(hours=5))
    point(Conference.objects.get(slug="con-lau"), "HN-9")
    party, *_ = categories(soon)
    _report(linked, party, 10)
    home = staff.get("/admin/")
    assert home.status_code == 200
    assert "Hội nghị sắp khai mạc" in home.text and "2 điểm cầu chưa kết nối" in home.text
    assert reverse("conferences_rollup", args=[soon.pk]) in home.text
    assert "Hội nghị còn lâu" not in home.text
    for p in ConnectionPoint.objects.filter(conference=soon, linked_at__isnull=True):
        _report(p, party, 5)
    assert "Hội nghị sắp khai mạc" not in staff.get("/admin/").text  # every point linked


def test_the_rollup_says_how_many_points_are_not_linked_beyond_those_listed(
    site, staff, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    from moduong.conferences import admin_views

    monkeypatch.setattr(admin_views, "NOT_LINKED_SHOWN", 2)
    conf = conference(starts_in=dt.timedelta(minutes=10), alert_minutes=30)
    for n in range(3):
        point(conf, f"HN-{n}")
    fragment = staff.get(reverse("conferences_rollup", args=[conf.pk]), HTTP_HX_REQUEST="true")
    assert 'data-figure="not-linked">3<' in fragment.text
    assert fragment.text.count('class="not-linked"') == 2 and "2 điểm đầu tiên" in fragment.text


def test_no_warning_long_before_the_start(site, staff) -> None:  # type: ignore[no-untyped-def]
    conf = conference(starts_in=dt.timedelta(hours=5), alert_emails="bantochuc@example.vn")
    point(conf)
    assert conference_alert_send(conference_id=conf.pk) == 0 and not mail.outbox
    fragment = staff.get(reverse("conferences_rollup", args=[conf.pk]), HTTP_HX_REQUEST="true")
    assert 'class="not-linked"' not in fragment.text


def test_qr_sheet_report_and_import_pages_for_staff_only(site, staff) -> None:  # type: ignore[no-untyped-def]
    conf = conference()
    p = point(conf)
    party, staff_cat, _ = categories(conf)
    point_report_submit(
        link=link_of(p), report=ReportInput(linked=True, attendance={party: 3, staff_cat: 4})
    )
    an = delegate_register(conference=conf, full_name="Nguyễn Văn An")
    delegate_register(conference=conf, full_name="Lê Thu Hà")
    delegate_check_in(conference=conf, code=an.code, by="bantochuc")
    pdf = staff.get(reverse("conferences_qr", args=[conf.pk]))
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    report = staff.get(reverse("conferences_report", args=[conf.pk]))
    book = load_workbook(io.BytesIO(report.content))
    assert book.sheetnames == [
        "Tổng hợp",
        "Theo điểm cầu",
        "Hội trường chính",
        "Theo tỉnh",
        "Theo xã",
        "Theo đơn vị",
    ]
    rows = list(book["Theo điểm cầu"].iter_rows(values_only=True))
    assert rows[1][0] == p.code and rows[1][-1] == 7 and rows[1][9:12] == (3, 4, 0)
    hall = list(book["Hội trường chính"].iter_rows(values_only=True))
    assert [row[0] for row in hall[1:]] == ["Lê Thu Hà", "Nguyễn Văn An"]
    assert hall[2][6] and not hall[1][6]  # checked in, and not yet
    totals = list(book["Tổng hợp"].iter_rows(values_only=True))
    assert ("Hội trường chính: đại biểu đã điểm danh", 1, "trên", 2) in totals
    assert staff.get(reverse("conferences_points_import", args=[conf.pk])).status_code == 200
    reader = Client()
    reader.force_login(UserFactory(username="bandoc-hoinghi"))
    for name in (
        "conferences_rollup",
        "conferences_qr",
        "conferences_report",
        "conferences_badges",
        "conferences_check_in",
    ):
        assert reader.get(reverse(name, args=[conf.pk])).status_code in (302, 403)


def test_closing_reporting_from_the_rollup(site, staff) -> None:  # type: ignore[no-untyped-def]
    conf = conference()
    staff.post(reverse("conferences_reporting", args=[conf.pk]), {"closed": "1"})
    conf.refresh_from_db()
    assert conf.reporting_closed


def test_the_api_lists_conferences_points_and_the_same_rollup(site, staff) -> None:  # type: ignore[no-untyped-def]
    conf = conference()
    conference("chua-cong-bo", is_published=False)
    p = point(conf)
    point(conf, "HN-002")
    party, *_ = categories(conf)
    _report(p, party, 9)
    client = Client()
    listing = client.get("/api/v1/conferences").json()
    slugs = [c["slug"] for c in listing]
    assert conf.slug in slugs and "chua-cong-bo" not in slugs
    detail = client.get(f"/api/v1/conferences/{conf.slug}").json()
    assert detail["categories"] == ["Đảng viên", "Cán bộ", "Khách mời"]
    points = client.get(f"/api/v1/conferences/{conf.slug}/points").json()
    assert points[0]["code"] == p.code and points[0]["linked"] is True
    assert "contact_phone" not in points[0]
    figures = client.get(f"/api/v1/conferences/{conf.slug}/rollup").json()
    screen = rollup(conference=conf)
    assert (figures["linked"], figures["delegates"]) == (screen.linked, screen.delegates) == (1, 9)
    assert figures["categories"][0] == {"name": "Đảng viên", "attendance": 9}
    # The organisers' screen shows the same figures, polled right after the API was read.
    shown = staff.get(reverse("conferences_rollup", args=[conf.pk]), HTTP_HX_REQUEST="true").text
    assert f'data-figure="linked">{figures["linked"]} / {figures["points"]} (' in shown
    assert (
        f'data-figure="delegates">{figures["delegates"]} / {figures["target_delegates"]}<' in shown
    )
    for area in figures["provinces"] + figures["communes"]:
        assert f"<td>{area['name']}</td><td>{area['points']}</td><td>{area['linked']}</td>" in shown
    _report(ConnectionPoint.objects.get(code="HN-002"), party, 4)  # a report: both change together
    again = client.get(f"/api/v1/conferences/{conf.slug}/rollup").json()
    shown = staff.get(reverse("conferences_rollup", args=[conf.pk]), HTTP_HX_REQUEST="true").text
    assert (again["linked"], again["delegates"]) == (2, 13)
    assert 'data-figure="linked">2 / 2 (' in shown and 'data-figure="delegates">13 / 500<' in shown
    missing = client.get("/api/v1/conferences/chua-cong-bo/rollup")
    assert missing.status_code == 404 and "hội nghị" in missing.json()["message"]
    schema = client.get("/api/v1/openapi.json").json()
    assert "404" in schema["paths"]["/api/v1/conferences/{slug}/rollup"]["get"]["responses"]


def test_the_public_page_shows_the_agenda_and_materials(site) -> None:  # type: ignore[no-untyped-def]
    conf = conference()
    AgendaItem.objects.create(
        conference=conf, starts_at=dt.time(8, 0), title="Khai mạc", speaker="Bí thư Thành ủy"
    )
    page = Client().get(reverse("conferences:detail", args=[conf.slug]))
    assert page.status_code == 200 and "Khai mạc" in page.text and "08:00" in page.text
    assert Client().get(reverse("conferences:list")).status_code == 200
    hidden = conference("an", is_published=False)
    assert Client().get(reverse("conferences:detail", args=[hidden.slug])).status_code == 404


def test_the_cron_command_sends_the_warning_of_a_conference_about_to_start(site) -> None:  # type: ignore[no-untyped-def]
    soon = conference(starts_in=dt.timedelta(minutes=10), alert_emails="btc@example.vn")
    point(soon, "HN-9", contact_phone="0900999888")
    later = conference("sau-nay", starts_in=dt.timedelta(days=5), alert_emails="btc@example.vn")
    point(later)
    call_command("conference-alerts")
    assert len(mail.outbox) == 1 and "0900999888" in mail.outbox[0].body
    call_command("conference-alerts")
    assert len(mail.outbox) == 1


def test_a_point_whose_commune_is_in_another_province_is_refused(site) -> None:  # type: ignore[no-untyped-def]
    from django.core.exceptions import ValidationError

    conf = conference()
    hue = Province.objects.get(version__is_current=True, name="Thành phố Huế")
    p = point(conf)
    p.commune = Commune.objects.filter(province=hue).first()
    with pytest.raises(ValidationError, match="không thuộc"):
        p.full_clean()


def test_the_excel_report_counts_each_area_by_category_with_a_total_row(site, staff) -> None:  # type: ignore[no-untyped-def]
    conf = conference()
    hue = Province.objects.get(version__is_current=True, name="Thành phố Huế")
    a = point(conf, "HN-1", expected_attendance=40)
    point(conf, "HN-2", expected_attendance=30)
    b = point(
        conf,
        "HUE-1",
        province=hue,
        commune=Commune.objects.filter(province=hue).first(),
        expected_attendance=20,
    )
    party, staff_cat, guests = categories(conf)
    point_report_submit(
        link=link_of(a), report=ReportInput(linked=True, attendance={party: 30, guests: 2})
    )
    point_report_submit(
        link=link_of(b), report=ReportInput(linked=True, attendance={party: 5, staff_cat: 7})
    )
    report = staff.get(reverse("conferences_report", args=[conf.pk]))
    book = load_workbook(io.BytesIO(report.content))
    provinces = list(book["Theo tỉnh"].iter_rows(values_only=True))
    assert provinces[0] == (
        "STT",
        "Khu vực",
        "Số điểm cầu",
        "Đã kết nối",
        "Chưa kết nối",
        "Dự kiến",
        "Đảng viên",
        "Cán bộ",
        "Khách mời",
        "Tổng số tham dự",
    )
    assert provinces[1] == (1, "Thành phố Hà Nội", 2, 1, 1, 70, 30, 0, 2, 32)
    assert provinces[2] == (2, "Thành phố Huế", 1, 1, 0, 20, 5, 7, 0, 12)
    assert provinces[3][1:] == ("Tổng cộng", 3, 2, 1, 90, 35, 7, 2, 44)
    per_point = list(book["Theo điểm cầu"].iter_rows(values_only=True))
    assert [row[0] for row in per_point[1:]] == ["HN-1", "HN-2", "HUE-1", "Tổng cộng"]
    assert per_point[-1][6:] == (90, 2, None, 35, 7, 2, 44)
    units = list(book["Theo đơn vị"].iter_rows(values_only=True))
    assert units[1][1:] == ("–", 3, 2, 1, 90, 35, 7, 2, 44)  # no host unit given
