"""The organisers' work after the rush, off the request: the ranking and the exports are
queued as tasks, the dashboard shows their progress, asking twice queues nothing more, and a
finished export is downloaded by staff only."""

import csv
import datetime as dt
import io
from pathlib import Path

import pytest
from django.contrib.auth.models import Group
from django.test import Client
from django.utils import timezone
from openpyxl import load_workbook

from moduong.contests import events
from moduong.contests.excel import report_write
from moduong.contests.models import RankingEntry, Round, RoundJob
from moduong.contests.services import (
    export_job_run,
    export_request,
    job_request,
    participant_disqualify,
    ranking_job_run,
    ranking_request,
)
from moduong.contests.services.jobs import job_claim
from moduong.core.files import private_root
from tests.factories import UserFactory

from .factories import participant
from .test_admin import download
from .test_ranking import add, closed_round, positions

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff() -> Client:
    user = UserFactory(username="canbo")
    user.groups.add(Group.objects.get(name="Cán bộ nghiệp vụ"))
    client = Client()
    client.force_login(user)
    return client


def test_the_ranking_is_queued_not_made_in_the_request_and_a_second_click_adds_nothing(  # type: ignore[no-untyped-def]
    site, staff: Client, django_capture_on_commit_callbacks
) -> None:
    rnd = closed_round()
    a, b = participant(rnd.contest), participant(rnd.contest)
    add(rnd, a, 1, 5, 100, None, at=1)
    add(rnd, b, 1, 3, 100, None, at=2)
    url = f"/admin/cuoc-thi/vong/{rnd.pk}/"
    with django_capture_on_commit_callbacks() as first:
        page = staff.post(url, {"action": "rank"}, follow=True).content.decode()
    assert "Đã xếp lịch xếp hạng" in page
    assert "Đang chờ xếp hạng" in page and 'http-equiv="refresh"' in page
    assert not RankingEntry.objects.filter(round=rnd).exists()  # nothing ranked in the request
    with django_capture_on_commit_callbacks() as second:
        page = staff.post(url, {"action": "rank"}, follow=True).content.decode()
    assert "đang chờ hoặc đang chạy" in page
    assert RoundJob.objects.filter(round=rnd, kind=RoundJob.RANK).count() == 1
    assert not second  # no second task
    # The worker takes it: its progress shows; then it runs, and the time of the ranking shows.
    job = RoundJob.objects.get(round=rnd)
    job_claim(job_id=job.pk)
    page = staff.get(url).content.decode()
    assert "Đang xếp hạng từ" in page and "bước 0/2" in page
    RoundJob.objects.filter(pk=job.pk).update(state=RoundJob.QUEUED)
    for callback in first:
        callback()
    assert len(positions(rnd)) == 2
    page = staff.get(url).content.decode()
    assert "Xếp hạng lúc" in page and 'http-equiv="refresh"' not in page
    assert RoundJob.objects.get(pk=job.pk).state == RoundJob.DONE
    # Done: a new click queues a new ranking.
    with django_capture_on_commit_callbacks() as third:
        staff.post(url, {"action": "rank"})
    assert len(third) == 1


def test_a_rerank_asked_while_one_runs_follows_it(django_capture_on_commit_callbacks) -> None:  # type: ignore[no-untyped-def]
    rnd = closed_round()
    a, b = participant(rnd.contest), participant(rnd.contest)
    add(rnd, a, 1, 5, 100, None, at=1)
    b1 = add(rnd, b, 1, 3, 100, None, at=2)
    with django_capture_on_commit_callbacks():
        job, new = ranking_request(round_id=rnd.pk)
    assert new
    job_claim(job_id=job.pk)
    RoundJob.objects.filter(pk=job.pk).update(state=RoundJob.QUEUED)
    # While it runs, another part sends the signal (a disqualification committed).
    with django_capture_on_commit_callbacks(execute=True):
        participant_disqualify(round=rnd, user=a, reason="Thi hộ", decided_by=None)
        events.ranking_requested.send(sender=Round, round_id=rnd.pk)
    # The job was queued (not running) so nothing was added; now make it run with `again`.
    assert RoundJob.objects.filter(round=rnd).count() == 1
    job_claim(job_id=job.pk)
    with django_capture_on_commit_callbacks(execute=True):
        events.ranking_requested.send(sender=Round, round_id=rnd.pk)
    assert RoundJob.objects.get(pk=job.pk).again
    with django_capture_on_commit_callbacks(execute=True):
        RoundJob.objects.filter(pk=job.pk).update(state=RoundJob.QUEUED)
        ranking_job_run(job_id=job.pk)
    # It ran, then once more: two jobs done, the disqualified person gone from the ranking.
    assert list(RoundJob.objects.filter(round=rnd).values_list("state", flat=True)) == [
        RoundJob.DONE,
        RoundJob.DONE,
    ]
    assert [p for _, p in positions(rnd)] == [b1.pk]


def test_a_ranking_of_an_open_round_is_refused_and_a_failed_one_says_why() -> None:
    rnd = closed_round()
    with pytest.raises(Exception, match="sau khi vòng thi kết thúc"):
        Round.objects.filter(pk=rnd.pk).update(closes_at=timezone.now() + dt.timedelta(hours=1))
        ranking_request(round_id=rnd.pk)
    Round.objects.filter(pk=rnd.pk).update(closes_at=timezone.now() - dt.timedelta(minutes=1))
    job, _new = ranking_request(round_id=rnd.pk)
    Round.objects.filter(pk=rnd.pk).update(
        opens_at=timezone.now() - dt.timedelta(days=1),
        closes_at=timezone.now() + dt.timedelta(hours=1),
    )
    job = ranking_job_run(job_id=job.pk)
    assert job is not None and job.state == RoundJob.FAILED
    assert job.error == "Việc xếp hạng được làm sau khi vòng thi kết thúc."


def _filled_round(count: int) -> Round:
    rnd = closed_round()
    people = [participant(rnd.contest) for _ in range(count)]
    for i, user in enumerate(people):
        add(rnd, user, 1, i % 5, 100 + i, None, at=1)
    return rnd


def test_excel_rows_go_on_in_a_new_sheet_past_the_row_limit() -> None:
    rnd = _filled_round(7)
    out = io.BytesIO()
    seen: list[int] = []
    written = report_write(
        round=rnd,
        report="luot-thi",
        format="xlsx",
        out=out,
        sheet_rows=4,
        progress=seen.append,
        every=2,
    )
    assert written == 7 and seen == [2, 4, 6]
    book = load_workbook(io.BytesIO(out.getvalue()))
    assert book.sheetnames == ["Lượt thi", "Lượt thi (2)", "Lượt thi (3)"]
    sheets = [list(sheet.values) for sheet in book.worksheets]
    assert [len(rows) for rows in sheets] == [4, 4, 2]  # heading + 3, heading + 3, heading + 1
    assert all(rows[0][0] == "Mã lượt" for rows in sheets)
    ids = [row[0] for rows in sheets for row in rows[1:]]
    assert ids == sorted(ids) and len(set(ids)) == 7


def test_csv_beside_excel_and_the_file_is_for_staff_only(  # type: ignore[no-untyped-def]
    site, staff: Client, django_capture_on_commit_callbacks
) -> None:
    rnd = _filled_round(3)
    url = f"/admin/cuoc-thi/vong/{rnd.pk}/"
    with django_capture_on_commit_callbacks(execute=True):
        staff.post(url, {"action": "export", "report": "luot-thi", "format": "csv"})
    job = RoundJob.objects.get(round=rnd, format="csv")
    assert (job.state, job.done, job.total) == (RoundJob.DONE, 3, 3)
    page = staff.get(url).content.decode()
    assert f"/admin/cuoc-thi/xuat/{job.pk}/" in page and "Tải về" in page
    data = download(staff, f"/admin/cuoc-thi/xuat/{job.pk}/", f"luot-thi-vong-{rnd.pk}-")
    assert data.startswith(b"\xef\xbb\xbf")  # Excel reads the Vietnamese text as UTF-8
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert rows[0][:3] == ["Mã lượt", "Tài khoản", "Họ và tên"]
    assert len(rows) == 4 and rows[1][2] == "Nguyễn Văn An"
    # The file is kept in private storage, not under MEDIA_ROOT, and readers get nothing.
    assert Path(job.file.path).is_relative_to(private_root())
    reader = Client()
    reader.force_login(UserFactory())
    refused = reader.get(f"/admin/cuoc-thi/xuat/{job.pk}/")
    assert refused.status_code in (302, 403) and not refused.get("Content-Disposition")
    assert staff.get("/admin/cuoc-thi/xuat/999999/").status_code == 404


def test_the_same_export_twice_while_queued_is_one_job() -> None:
    rnd = _filled_round(1)
    first, new = export_request(round_id=rnd.pk, report="xep-hang", format="xlsx")
    again, again_new = export_request(round_id=rnd.pk, report="xep-hang", format="xlsx")
    _other, other_new = export_request(round_id=rnd.pk, report="xep-hang", format="csv")
    assert new and not again_new and again.pk == first.pk and other_new
    assert export_job_run(job_id=first.pk).state == RoundJob.DONE  # type: ignore[union-attr]
    assert export_job_run(job_id=first.pk) is None  # taken already: not run twice
    assert job_request(round=rnd, kind=RoundJob.EXPORT, report="xep-hang", format="xlsx")[1]
