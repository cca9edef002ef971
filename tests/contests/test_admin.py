"""The organisers' admin: staff of the office manage contests, import the bank, see the
dashboard, rank, disqualify and export."""

import datetime as dt
import io

import pytest
from django.contrib.auth.models import Group, Permission
from django.test import Client
from django.utils import timezone
from openpyxl import Workbook, load_workbook

from moduong.contests.excel import HEADINGS
from moduong.contests.models import (
    Attempt,
    Disqualification,
    ParticipantProfile,
    Question,
    RankingEntry,
    RoundJob,
)
from moduong.contests.services import (
    attempt_start,
    attempt_submit,
    export_job_run,
    export_request,
    participant_disqualify,
)
from moduong.units.models import Commune, Province
from tests.factories import UserFactory

from .factories import ContestFactory, open_round, participant
from .test_ranking import add, closed_round, positions

pytestmark = pytest.mark.django_db


def download(client: Client, url: str, name: str = "") -> bytes:
    """A private file as staff get it (the streamed response read whole), its download name
    starting with `name`."""
    response = client.get(url)
    assert response.status_code == 200, response.status_code
    assert f'filename="{name}' in response["Content-Disposition"]
    return b"".join(response.streaming_content)  # type: ignore[attr-defined]


@pytest.fixture
def staff() -> Client:
    user = UserFactory(username="canbo")
    user.groups.add(Group.objects.get(name="Cán bộ nghiệp vụ"))
    client = Client()
    client.force_login(user)
    return client


def test_staff_see_the_contest_admin_and_readers_do_not(site, staff: Client) -> None:  # type: ignore[no-untyped-def]
    contest = ContestFactory(title="Tìm hiểu Hiến pháp")
    for url in (
        "/admin/snippets/contests/contest/",
        "/admin/snippets/contests/round/",
        "/admin/snippets/contests/question/",
        "/admin/snippets/contests/attempt/",
        "/admin/cuoc-thi/",
        f"/admin/cuoc-thi/{contest.pk}/ngan-hang/",
    ):
        assert staff.get(url).status_code == 200, url
    # Personal data leaves through these pages and exports: only staff with the contest
    # permissions get them, never a reader nor an admin user without those permissions.
    rnd = open_round(contest=contest)
    user = participant(contest)
    attempt_submit(user=user, attempt_id=attempt_start(user=user, round_id=rnd.pk).pk)
    export, _new = export_request(round_id=rnd.pk, report="luot-thi", format="xlsx")
    export_job_run(job_id=export.pk)
    editor = UserFactory()
    editor.user_permissions.add(Permission.objects.get(codename="access_admin"))
    for url in (
        "/admin/cuoc-thi/",
        f"/admin/cuoc-thi/{contest.pk}/ngan-hang/",
        f"/admin/cuoc-thi/{contest.pk}/ngan-hang.xlsx",
        f"/admin/cuoc-thi/vong/{rnd.pk}/",
        f"/admin/cuoc-thi/xuat/{export.pk}/",
        "/admin/snippets/contests/attempt/",
    ):
        for someone in (UserFactory(), editor):
            client = Client()
            client.force_login(someone)
            response = client.get(url)
            assert response.status_code in (302, 403), (url, response.status_code)
            assert "0912345678" not in response.content.decode(errors="replace")
            assert not response.get("Content-Disposition")
    client.post(
        f"/admin/cuoc-thi/vong/{rnd.pk}/",
        {"action": "disqualify", "username": user.username, "reason": "Thử"},
    )
    assert not Disqualification.objects.exists()
    assert download(staff, f"/admin/cuoc-thi/xuat/{export.pk}/")[:2] == b"PK"  # a zip: xlsx


def test_bank_import_through_the_admin_reports_rows(site, staff: Client) -> None:  # type: ignore[no-untyped-def]
    contest = ContestFactory()
    book = Workbook()
    book.active.append(HEADINGS)
    book.active.append(["", "Câu hỏi hợp lệ?", "Có", "Không", "", "", "", "", "A", "Chung", 1])
    book.active.append(["", "Câu thiếu đáp án?", "Có", "Không", "", "", "", "", "", "Chung", 1])
    data = io.BytesIO()
    book.save(data)
    data.seek(0)
    data.name = "ngan-hang.xlsx"
    response = staff.post(f"/admin/cuoc-thi/{contest.pk}/ngan-hang/", {"file": data})
    assert response.status_code == 400
    page = response.content.decode()
    assert "Chưa nhập câu hỏi nào." in page
    assert "Đáp án đúng phải là một trong các chữ A, B." in page
    assert not Question.objects.filter(contest=contest).exists()
    exported = staff.get(f"/admin/cuoc-thi/{contest.pk}/ngan-hang.xlsx")
    assert load_workbook(io.BytesIO(exported.content)).active["B1"].value == "Câu hỏi"


def test_round_results_page_ranks_disqualifies_and_exports(
    site, staff: Client, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    rnd = open_round()
    people = [participant(rnd.contest) for _ in range(3)]
    for user in people:
        attempt = attempt_start(user=user, round_id=rnd.pk)
        attempt_submit(user=user, attempt_id=attempt.pk)
    hue = Province.objects.get(name="Thành phố Huế")
    ParticipantProfile.objects.filter(user=people[0]).update(
        province=hue, commune=Commune.objects.filter(province=hue).first()
    )
    url = f"/admin/cuoc-thi/vong/{rnd.pk}/"
    page = staff.get(url).content.decode()
    assert "Bảng điều khiển vòng thi" in page
    assert "Thành phố Huế" in page  # participation per province and commune
    assert "Các câu hỏi, câu khó nhất trước" in page
    assert page.count("Câu hỏi số") >= 5  # every question drawn, with its share of right answers
    refused = staff.post(url, {"action": "rank"}, follow=True).content.decode()
    assert "Việc xếp hạng được làm sau khi vòng thi kết thúc." in refused
    rnd.opens_at = timezone.now() - dt.timedelta(days=2)
    rnd.closes_at = timezone.now() - dt.timedelta(minutes=1)
    rnd.save()
    with django_capture_on_commit_callbacks(execute=True):  # the ranking task runs at once
        staff.post(url, {"action": "rank"})
    assert RankingEntry.objects.filter(round=rnd).count() == 3
    fair = f"/admin/cuoc-thi/vong/{rnd.pk}/cong-bang/"
    with django_capture_on_commit_callbacks(execute=True):
        staff.post(
            fair, {"action": "disqualify", "username": people[0].username, "reason": "Thi hộ"}
        )
    log = Disqualification.objects.get()
    assert (log.user, log.reason, log.decided_by.username) == (people[0], "Thi hộ", "canbo")
    # Ranked again once the disqualification is committed (tests run tasks at once): the
    # disqualified person is gone.
    assert set(RankingEntry.objects.filter(round=rnd).values_list("user", flat=True)) == {
        people[1].pk,
        people[2].pk,
    }
    missing = staff.post(fair, {"action": "disqualify", "username": "khongco", "reason": "x"})
    assert "Không có tài khoản nào có tên truy cập này." in missing.content.decode()
    sheets = {}
    for kind in ("luot-thi", "xep-hang", "theo-don-vi"):
        with django_capture_on_commit_callbacks(execute=True):  # the export task runs at once
            staff.post(url, {"action": "export", "report": kind, "format": "xlsx"})
        job = RoundJob.objects.get(round=rnd, report=kind, format="xlsx")
        assert f"/admin/cuoc-thi/xuat/{job.pk}/" in staff.get(url).content.decode()
        data = download(staff, f"/admin/cuoc-thi/xuat/{job.pk}/", f"{kind}-vong-{rnd.pk}-")
        sheets[kind] = list(load_workbook(io.BytesIO(data)).active.values)
    # Every attempt, one row each, with its account; the ranking without the disqualified.
    attempts = sheets["luot-thi"]
    assert attempts[0][:3] == ("Mã lượt", "Tài khoản", "Họ và tên")
    assert sorted(row[1] for row in attempts[1:]) == sorted(u.username for u in people)
    ranking = sheets["xep-hang"]
    assert [row[0] for row in ranking[1:]] == [1, 2]
    assert {row[2] for row in ranking[1:]} == {people[1].username, people[2].username}
    assert sheets["theo-don-vi"][0][0] == "Đơn vị"
    unknown = staff.post(url, {"action": "export", "report": "khac", "format": "xlsx"}, follow=True)
    assert "Không có bản xuất này." in unknown.content.decode()


def test_staff_mark_an_essay(site, staff: Client) -> None:  # type: ignore[no-untyped-def]
    rnd = open_round(essay_prompt="Bạn làm gì để lan tỏa văn hóa đọc?")
    user = participant(rnd.contest)
    attempt = attempt_start(user=user, round_id=rnd.pk)
    attempt_submit(user=user, attempt_id=attempt.pk, essay="Tôi tặng sách cho thư viện xã.")
    edit = staff.get(f"/admin/snippets/contests/attempt/edit/{attempt.pk}/")
    assert "Tôi tặng sách cho thư viện xã." in edit.content.decode()
    staff.post(f"/admin/snippets/contests/attempt/edit/{attempt.pk}/", {"essay_score": "8.5"})
    assert str(Attempt.objects.get(pk=attempt.pk).essay_score) == "8.50"


def test_the_admin_marks_essays_through_the_service(site, staff: Client) -> None:  # type: ignore[no-untyped-def]
    rnd = open_round(essay_prompt="Bạn làm gì để lan tỏa văn hóa đọc?")
    user = participant(rnd.contest)
    attempt = attempt_start(user=user, round_id=rnd.pk)
    address = f"/admin/snippets/contests/attempt/edit/{attempt.pk}/"
    # Not submitted yet: nothing to mark, and the form says so.
    refused = staff.post(address, {"essay_score": "7"})
    assert "Bài viết chỉ được chấm khi lượt thi đã nộp." in refused.content.decode()
    attempt_submit(user=user, attempt_id=attempt.pk, essay="Tôi tặng sách cho thư viện xã.")
    refused = staff.post(address, {"essay_score": "-1"})
    assert "Điểm không thể là số âm." in refused.content.decode()
    assert Attempt.objects.get(pk=attempt.pk).essay_score is None


def test_lifting_a_disqualification_in_the_admin_ranks_the_person_again(  # type: ignore[no-untyped-def]
    site, staff: Client, django_capture_on_commit_callbacks
) -> None:
    rnd = closed_round()
    a, b = participant(rnd.contest), participant(rnd.contest)
    a1 = add(rnd, a, 1, 5, 100, None, at=1)
    b1 = add(rnd, b, 1, 3, 100, None, at=2)
    with django_capture_on_commit_callbacks(execute=True):  # the ranking task runs at once
        entry = participant_disqualify(round=rnd, user=a, reason="Nhầm", decided_by=None)
    assert [p for _, p in positions(rnd)] == [b1.pk]
    fair = f"/admin/cuoc-thi/vong/{rnd.pk}/cong-bang/"
    # A lift needs its reason: without one nothing changes.
    refused = staff.post(fair, {"action": "lift", "disqualification": entry.pk, "reason": " "})
    assert "Vui lòng nêu lý do khôi phục quyền dự thi." in refused.content.decode()
    assert Disqualification.objects.count() == 1
    with django_capture_on_commit_callbacks(execute=True):
        staff.post(fair, {"action": "lift", "disqualification": entry.pk, "reason": "Xác minh lại"})
    lift = Disqualification.objects.order_by("id").last()
    assert (lift.action, lift.reason) == ("lift", "Xác minh lại")
    assert "(canbo)" in lift.decided_by_name
    assert Disqualification.objects.count() == 2  # the first entry is kept, unchanged
    assert [p for _, p in positions(rnd)] == [a1.pk, b1.pk]
    page = staff.get(fair).content.decode()
    assert "Nhầm" in page and "Xác minh lại" in page
    assert "Không có ai bị loại khỏi xếp hạng trong vòng này." in page
