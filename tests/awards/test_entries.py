"""Entries: what is refused (in Vietnamese, with nothing stored) and screening."""

import datetime as dt
import html

import pytest
from django.utils import timezone

from moduong.awards import services
from moduong.awards.models import Entry, EntryFile
from moduong.units.models import Unit
from tests.factories import UserFactory

from . import factories as f

pytestmark = pytest.mark.django_db


def _refused(match: str, **kwargs) -> None:  # type: ignore[no-untyped-def]
    award = kwargs.pop("award")
    files = kwargs.pop("files", [f.upload()])
    user = kwargs.pop("user", None) or UserFactory()
    now = kwargs.pop("now", None)
    before = (Entry.objects.count(), EntryFile.objects.count())
    with pytest.raises(services.AwardError, match=match):
        services.entry_submit(
            award=award, user=user, data=f.data(award, **kwargs), files=files, now=now
        )
    assert (Entry.objects.count(), EntryFile.objects.count()) == before


def test_an_entry_is_stored_with_its_checked_files() -> None:
    award = f.award()
    user = UserFactory()
    entry = services.entry_submit(
        award=award,
        user=user,
        data=f.data(award, authors="Trần Thị Bình\n  Lê Văn Cường  \n"),
        files=[f.upload(), f.upload("phong-su.mp3", f.MP3), f.upload("anh.png", f.png())],
    )
    assert entry.author_list == ["Trần Thị Bình", "Lê Văn Cường"]
    assert entry.status == Entry.SUBMITTED
    assert sorted(entry.files.values_list("kind", flat=True)) == ["audio", "image", "pdf"]


def test_after_the_deadline_is_refused() -> None:
    award = f.award()
    _refused("hết hạn", award=award, now=award.entries_close_at + dt.timedelta(seconds=1))


def test_before_opening_is_refused() -> None:
    award = f.award()
    _refused("Chưa mở", award=award, now=award.entries_open_at - dt.timedelta(seconds=1))


@pytest.mark.parametrize("day", [dt.date(2024, 12, 31), dt.date(2026, 1, 1)])
def test_a_work_published_outside_the_period_is_refused(day: dt.date) -> None:
    _refused("01/01/2025", award=f.award(), published_on=day)


def test_an_author_over_the_limit_is_refused_whatever_the_marks_or_case() -> None:
    award = f.award(author_max_entries=2)
    f.entry(award, authors="Trần Thị Bình")
    f.entry(award, authors="Lê Văn Cường\nTRẦN THỊ BÌNH")
    _refused("Tran Thi Binh", award=award, authors="Tran Thi Binh")


def test_a_unit_over_its_limit_in_a_category_is_refused_but_not_in_another() -> None:
    award = f.award(unit_max_per_category=2)
    unit = Unit.objects.create(name="Báo Hà Nội Mới", code="bao-hnm")
    user = f.unit_account(unit)
    for n in range(2):
        f.entry(award, user=user, authors=f"Tác giả {n}")
    _refused("Báo Hà Nội Mới", award=award, user=user, authors="Tác giả mới")
    other = award.categories.last()
    services.entry_submit(
        award=award,
        user=user,
        data=f.data(award, authors="Tác giả mới", category_id=other.pk),
        files=[f.upload()],
    )


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("bai-bao.pdf", b"MZ\x90\x00" + b"\x00" * 100),  # a program renamed .pdf
        ("bai-bao.pdf", b"\x89PNG\r\n\x1a\n" + b"\x00" * 100),  # a picture renamed .pdf
        ("phong-su.mp3", b"%PDF-1.4\n"),  # a PDF renamed .mp3
        ("anh.jpg", b"<html><script>alert(1)</script></html>"),
    ],
)
def test_files_that_lie_about_their_type_are_refused(name: str, data: bytes) -> None:
    award = f.award()
    _refused("Tệp", award=award, files=[f.upload(), f.upload(name, data)])


@pytest.mark.parametrize(
    ("name", "data", "match"),
    [
        ("bai-bao.pdf", f.PDF_WITH_SCRIPT, "JavaScript"),  # runs a script when opened
        (
            "bai-bao.pdf",
            f.PDF.replace(b"\n", b"\n%<html><script>alert(1)</script>\n", 1),
            "JavaScript",
        ),
        ("bai-bao.pdf", b"%PDF-1.4\n" + b"\x00" * 100, "hỏng"),  # a PDF in name and head only
    ],
)
def test_entry_files_go_through_the_sites_shared_checks(name: str, data: bytes, match: str) -> None:
    """The same checks as readers' letters and the library: a PDF that would run something in a
    judge's reader is refused, not only one whose first bytes lie."""
    _refused(match, award=f.award(), files=[f.upload(name, data)])


@pytest.mark.parametrize("field", ["link", "published_url"])
@pytest.mark.parametrize(
    "address",
    [
        "javascript:alert(document.cookie)",
        "data:text/html,<script>alert(1)</script>",
        "nhandan",
        "https://nhandan.vn/" + "a" * 200,
    ],
)
def test_the_service_refuses_an_address_that_is_not_a_web_page(field: str, address: str) -> None:
    """The judge's sheet makes the link clickable: the service, not only the form, keeps out a
    script in its place (and an address longer than the column)."""
    _refused("địa chỉ", award=f.award(), **{field: address})


def test_a_work_with_neither_file_nor_link_is_refused() -> None:
    _refused("đường dẫn", award=f.award(), files=[])


def test_returned_entry_is_corrected_before_the_deadline_and_screened_again() -> None:
    award = f.award()
    staff = UserFactory()
    user = UserFactory()
    entry = f.entry(award, user=user, status=Entry.SUBMITTED)
    services.entry_screen(entry=entry, status=Entry.RETURNED, reason="Thiếu bản PDF", by=staff)
    corrected = services.entry_correct(
        entry=entry, user=user, data=f.data(award, title="Tên đã sửa"), files=[]
    )
    assert corrected.status == Entry.SUBMITTED and corrected.title == "Tên đã sửa"
    assert corrected.files.count() == 1  # the old file stays when none is sent


def test_screening_needs_a_reason_and_no_return_after_the_deadline() -> None:
    award = f.award()
    entry = f.entry(award, status=Entry.SUBMITTED)
    staff = UserFactory()
    with pytest.raises(services.AwardError, match="lý do"):
        services.entry_screen(entry=entry, status=Entry.INELIGIBLE, reason=" ", by=staff)
    with pytest.raises(services.AwardError, match="hết hạn"):
        services.entry_screen(
            entry=entry,
            status=Entry.RETURNED,
            reason="Sửa tên",
            by=staff,
            now=award.entries_close_at,
        )
    entry.refresh_from_db()
    assert entry.status == Entry.SUBMITTED


def test_the_entry_form_refuses_a_lying_file_in_vietnamese(client) -> None:  # type: ignore[no-untyped-def]
    award = f.award()
    user = UserFactory()
    client.force_login(user)
    response = client.post(
        f"/giai-bao-chi/{award.slug}/gui-tac-pham/",
        {
            "category": award.categories.first().pk,
            "title": "Bài dự thi",
            "authors": "Nguyễn Văn A",
            "outlet": "Báo Mở Đường",
            "published_on": "01/06/2025",
            "statement": "on",
            "files": [f.upload("bai.pdf", b"MZ" + b"\x00" * 100)],
        },
    )
    assert response.status_code == 400
    assert "không đúng như tên" in html.unescape(response.content.decode())
    assert not Entry.objects.exists()
    ok = client.post(
        f"/giai-bao-chi/{award.slug}/gui-tac-pham/",
        {
            "category": award.categories.first().pk,
            "title": "Bài dự thi",
            "authors": "Nguyễn Văn A",
            "outlet": "Báo Mở Đường",
            "published_on": "01/06/2025",
            "statement": "on",
            "files": [f.upload()],
        },
    )
    assert ok.status_code == 302
    assert Entry.objects.get().submitted_at <= timezone.now()
