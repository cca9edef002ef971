"""A point reports through its signed link, without an account."""

import datetime as dt
import io

import pytest
from django.contrib.auth.models import Group
from django.core import signing
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from moduong.accounts.models import User
from moduong.conferences.links import point_link_read, point_link_sign
from moduong.conferences.models import ConnectionPoint, PointReport
from moduong.conferences.selectors import point_link, rollup
from moduong.conferences.services import ConferenceError, ReportInput, point_report_submit
from tests.factories import UserFactory

from .factories import categories, conference, link_of, point

pytestmark = pytest.mark.django_db


def _url(p: ConnectionPoint) -> str:
    return reverse("conferences:report", args=[point_link(point=p, conference=p.conference)])


def _jpeg_with_location() -> bytes:
    image = Image.new("RGB", (40, 30), "red")
    exif = Image.Exif()
    exif[0x8825] = {1: "N", 2: (21.0, 1.0, 0.0)}
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif.tobytes())
    return out.getvalue()


def test_a_point_reports_on_its_phone_and_the_rollup_counts_it(site) -> None:  # type: ignore[no-untyped-def]
    conf = conference()
    p = point(conf, capacity=120)
    UserFactory(username="canbo-anh").groups.add(Group.objects.get(name="Cán bộ nghiệp vụ"))
    party, staff, guests = categories(conf)
    client = Client()
    page = client.get(_url(p))
    assert page.status_code == 200 and p.name in page.text
    assert rollup(conference=conf).linked == 0
    response = client.post(
        _url(p),
        {
            "link_test": "ok",
            "linked": "on",
            f"cat_{party}": "40",
            f"cat_{staff}": "20",
            f"cat_{guests}": "5",
            "photo": io.BytesIO(_jpeg_with_location()),
        },
    )
    assert response.status_code == 302
    p.refresh_from_db()
    assert p.is_linked and p.attendance_total == 65 and p.link_test == "ok"
    with p.photo.open("rb") as photo, Image.open(photo) as image:
        assert 0x8825 not in image.getexif()  # the location is gone
    organiser = Client()
    organiser.force_login(User.objects.get(username="canbo-anh"))
    shown = organiser.get(reverse("conferences_point_photo", args=[p.pk]))
    assert shown.status_code == 200 and shown["Content-Type"] == "image/jpeg"
    assert b"".join(shown.streaming_content).startswith(b"\xff\xd8")  # type: ignore[attr-defined]
    assert client.get(reverse("conferences_point_photo", args=[p.pk])).status_code in (302, 403)
    figures = rollup(conference=conf)
    assert (figures.linked, figures.delegates) == (1, 65)
    assert figures.categories == [("Đảng viên", 40), ("Cán bộ", 20), ("Khách mời", 5)]
    report = PointReport.objects.get(point=p)
    assert report.changes["attendance_total"] == [0, 65] and report.by == "điểm cầu"
    assert "Đã kết nối" in client.get(_url(p)).text


def test_corrections_keep_every_version_in_the_history(site) -> None:  # type: ignore[no-untyped-def]
    conf = conference()
    p = point(conf)
    party, *_ = categories(conf)
    point_report_submit(link=link_of(p), report=ReportInput(attendance={party: 30}))
    point_report_submit(link=link_of(p), report=ReportInput(attendance={party: 35}))
    point_report_submit(link=link_of(p), report=ReportInput(attendance={party: 35}))  # no change
    history = list(PointReport.objects.filter(point=p).order_by("revision"))
    assert [h.changes["attendance_total"] for h in history] == [[0, 30], [30, 35]]
    p.refresh_from_db()
    assert p.revision == 2 and p.attendance_total == 35


@pytest.mark.parametrize("attendance", [{0: 101}, {0: -1}])
def test_attendance_above_capacity_or_negative_is_refused(site, attendance) -> None:  # type: ignore[no-untyped-def]
    conf = conference()
    p = point(conf, capacity=100)
    party, *_ = categories(conf)
    value = next(iter(attendance.values()))
    with pytest.raises(ConferenceError):
        point_report_submit(link=link_of(p), report=ReportInput(attendance={party: value}))
    response = Client().post(_url(p), {f"cat_{party}": str(value), "linked": "on"})
    assert response.status_code == 400
    assert "sức chứa" in response.text or "không thể là số âm" in response.text
    p.refresh_from_db()
    assert p.attendance_total == 0 and not p.is_linked
    assert not PointReport.objects.filter(point=p).exists()


def test_a_photo_that_is_not_a_photo_is_refused(site) -> None:  # type: ignore[no-untyped-def]
    p = point(conference())
    response = Client().post(
        _url(p), {"linked": "on", "photo": io.BytesIO(b"MZ\x90\x00 not a picture")}
    )
    assert response.status_code == 400 and "không phải" in response.text.lower()
    p.refresh_from_db()
    assert not p.is_linked and not p.photo


def test_tampered_expired_or_other_conference_links_are_refused(site) -> None:  # type: ignore[no-untyped-def]
    conf = conference()
    other = conference("hoi-nghi-khac")
    p = point(conf)
    client = Client()
    good = point_link(point=p, conference=conf)
    tampered = good[:-2] + ("AA" if not good.endswith("AA") else "BB")
    expired = point_link_sign(
        conference_id=conf.pk, point_id=p.pk, expires_at=timezone.now() - dt.timedelta(seconds=1)
    )
    foreign = point_link_sign(
        conference_id=other.pk, point_id=p.pk, expires_at=timezone.now() + dt.timedelta(days=1)
    )
    unsigned = signing.dumps([conf.pk, p.pk, 99999999999], salt="another-salt")
    for token in (tampered, expired, foreign, unsigned):
        response = client.post(
            reverse("conferences:report", args=[token]), {"linked": "on", "link_test": "ok"}
        )
        assert response.status_code == 403 and "không hợp lệ" in response.text
    assert point_link_read(expired) is None
    p.refresh_from_db()
    assert not p.is_linked and p.link_test == ""
    assert not PointReport.objects.filter(point__conference=conf).exists()


def test_reports_after_closing_are_refused(site) -> None:  # type: ignore[no-untyped-def]
    conf = conference(reporting_closed=True)
    p = point(conf)
    response = Client().post(_url(p), {"linked": "on"})
    assert response.status_code == 400 and "đã khóa" in response.text
    p.refresh_from_db()
    assert not p.is_linked and not PointReport.objects.filter(point=p).exists()
    with pytest.raises(ConferenceError, match="đã khóa"):
        point_report_submit(link=link_of(p), report=ReportInput(linked=True))


def test_once_closed_the_page_offers_no_form_and_a_late_phone_changes_nothing(site) -> None:  # type: ignore[no-untyped-def]
    conf = conference()
    p = point(conf, capacity=100)
    party, *_ = categories(conf)
    phone = Client()
    opened = phone.get(_url(p))
    assert opened.status_code == 200 and 'name="linked"' in opened.text
    conf.reporting_closed = True
    conf.save()
    # The phone that opened the form before the organisers closed sends it afterwards.
    late = phone.post(
        _url(p),
        {"linked": "on", f"cat_{party}": "30", "photo": io.BytesIO(_jpeg_with_location())},
    )
    assert late.status_code == 400 and "Ban tổ chức đã khóa báo cáo" in late.text
    assert 'name="linked"' not in late.text and "multipart/form-data" not in late.text
    reopened = phone.get(_url(p))
    assert "Ban tổ chức đã khóa báo cáo" in reopened.text and 'name="linked"' not in reopened.text
    p.refresh_from_db()
    assert not p.is_linked and p.attendance_total == 0 and not p.photo
    assert not PointReport.objects.filter(point=p).exists()


def test_reports_are_rate_limited_per_address(site, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from moduong.conferences import services

    monkeypatch.setattr(services, "REPORT_RATE_PER_MINUTE", 3)
    p = point(conference(), capacity=100)
    url = _url(p)
    flood = Client(REMOTE_ADDR="203.0.113.7")
    for n in range(3):
        assert flood.post(url, {"link_test_note": f"lần {n}"}).status_code == 302
    refused = flood.post(url, {"link_test_note": "lần thứ tư"})
    assert refused.status_code == 429 and "Quá nhiều" in refused.text
    guesses = flood.get(reverse("conferences:report", args=["doan-bua"]))
    assert guesses.status_code == 429
    p.refresh_from_db()
    assert p.link_test_note == "lần 2" and PointReport.objects.filter(point=p).count() == 3
    # Another point's phone, at another address, is not held back.
    assert Client(REMOTE_ADDR="198.51.100.9").post(url, {"linked": "on"}).status_code == 302


def test_a_wrong_field_is_explained_in_vietnamese_and_changes_nothing(site) -> None:  # type: ignore[no-untyped-def]
    p = point(conference())
    client = Client()
    too_long = client.post(_url(p), {"linked": "on", "link_test_note": "x" * 501})
    assert too_long.status_code == 400
    assert 'class="error"' in too_long.text and "500" in too_long.text
    unknown = client.post(_url(p), {"linked": "on", "link_test": "tuyet-voi"})
    assert unknown.status_code == 400 and 'class="error"' in unknown.text
    assert "Ensure" not in too_long.text and "Select a valid" not in unknown.text
    p.refresh_from_db()
    assert not p.is_linked and not PointReport.objects.filter(point=p).exists()


def test_a_photo_too_large_is_refused_with_a_message(site) -> None:  # type: ignore[no-untyped-def]
    from django.core.files.uploadedfile import SimpleUploadedFile

    p = point(conference())
    big = SimpleUploadedFile("phong.jpg", b"\xff\xd8" + b"0" * (10 * 1024 * 1024))
    response = Client().post(_url(p), {"linked": "on", "photo": big})
    assert response.status_code == 400 and "quá lớn" in response.text
    p.refresh_from_db()
    assert not p.is_linked and not p.photo


def test_a_report_queues_no_background_work_and_still_updates_the_rollup(site) -> None:  # type: ignore[no-untyped-def]
    from django_tasks.signals import task_enqueued

    conf = conference()
    p = point(conf, capacity=100)
    party, *_ = categories(conf)
    assert rollup(conference=conf).delegates == 0  # now cached
    queued: list[object] = []

    def seen(sender: object, task_result: object, **kwargs: object) -> None:
        queued.append(task_result)

    task_enqueued.connect(seen)
    try:
        response = Client().post(_url(p), {"linked": "on", f"cat_{party}": "25"})
    finally:
        task_enqueued.disconnect(seen)
    assert response.status_code == 302
    assert queued == []  # Wagtail's reference index is not queued twice per report any more
    p.refresh_from_db()
    assert p.is_linked and p.attendance_total == 25 and p.revision == 1
    assert PointReport.objects.filter(point=p).count() == 1
    assert rollup(conference=conf).delegates == 25 and rollup(conference=conf).linked == 1


def test_a_report_landing_while_a_poll_computes_the_rollup_shows_at_the_next_poll(  # type: ignore[no-untyped-def]
    site, monkeypatch
) -> None:
    from moduong.conferences import selectors

    conf = conference()
    p = point(conf, capacity=100)
    party, *_ = categories(conf)
    computed = selectors.rollup_compute

    def poll_overtaken_by_a_report(*, conference):  # type: ignore[no-untyped-def]
        figures = computed(conference=conference)  # the rows read before the report
        point_report_submit(
            link=link_of(p), report=ReportInput(linked=True, attendance={party: 25})
        )
        return figures  # and stored in the cache after it

    monkeypatch.setattr(selectors, "rollup_compute", poll_overtaken_by_a_report)
    assert rollup(conference=conf).delegates == 0
    monkeypatch.setattr(selectors, "rollup_compute", computed)
    figures = rollup(conference=conf)  # the organisers' next poll
    assert (figures.delegates, figures.linked) == (25, 1)


def test_another_conference_s_category_is_refused_and_a_stale_form_s_field_ignored(site) -> None:  # type: ignore[no-untyped-def]
    conf = conference()
    other = conference("hoi-nghi-khac")
    p = point(conf, capacity=100)
    party, *_ = categories(conf)
    foreign, *_ = categories(other)
    # Through the service, without the caller reading the categories first (on PostgreSQL the
    # report's one statement checks them): refused, nothing written.
    with pytest.raises(ConferenceError, match="không thuộc hội nghị này"):
        point_report_submit(link=link_of(p), report=ReportInput(attendance={foreign: 5}))
    with pytest.raises(ConferenceError, match="không thuộc hội nghị này"):
        point_report_submit(link=link_of(p), report=ReportInput(attendance={party: 5, foreign: 5}))
    p.refresh_from_db()
    assert p.attendance_total == 0 and not PointReport.objects.filter(point=p).exists()
    # A form sent with a field the conference does not have (a category deleted since the page
    # was shown, or another's): the conference's own categories are counted, the field ignored.
    response = Client().post(_url(p), {"linked": "on", f"cat_{party}": "30", f"cat_{foreign}": "7"})
    assert response.status_code == 302
    p.refresh_from_db()
    assert p.is_linked and p.attendance_total == 30
    assert str(foreign) not in p.attendance
