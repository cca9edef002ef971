"""Enrolment from a centre's Excel list: matching by identifier, near-duplicates flagged, every
wrong row reported, nothing written when a row is wrong, nothing doubled on a second run."""

import datetime as dt
import io
import unicodedata
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.management import call_command
from openpyxl import Workbook, load_workbook

from moduong.training.excel import HEADINGS
from moduong.training.models import Attendance, DuplicateFlag, Enrolment, Learner
from moduong.training.services import duplicate_decide, enrolment_import
from tests.factories import UserFactory

from .helpers import VN, learner, session, training_class, xlsx

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 12, 31)


def _import(cls, data: bytes):  # type: ignore[no-untyped-def]
    return enrolment_import(training_class=cls, data=data, today=TODAY)


def test_a_good_list_enrols_and_a_second_run_changes_nothing() -> None:
    cls = training_class()
    data = xlsx(
        [
            ["Nguyễn Văn An", "05/03/1980", "001080012345", "Quận Ba Đình"],
            ["Trần Thị Bình", dt.datetime(1985, 7, 9), "12.345.678", ""],
            ["Lê Văn Cường", "9-7-1979", "87654321", ""],
            ["Phạm Thu Dung", "1990-01-31", "001190000001", ""],
        ]
    )
    report = _import(cls, data)
    assert report.errors == []
    assert (report.learners_created, report.enrolled) == (4, 4)
    an = Learner.objects.get(identifier="001080012345")
    assert an.unit is not None and an.unit.name == "Quận Ba Đình"
    assert Learner.objects.get(identifier="87654321").date_of_birth == dt.date(1979, 7, 9)
    again = _import(cls, data)
    assert again.errors == []
    assert (again.learners_created, again.enrolled, again.already_enrolled) == (0, 0, 4)
    assert Enrolment.objects.filter(training_class=cls).count() == 4


def test_a_known_person_is_matched_by_identifier_across_classes() -> None:
    first, second = training_class("t-a"), training_class("t-b")
    learner("12345678", "Trần Thị Bình", dt.date(1985, 7, 9))
    _import(first, xlsx([["Trần Thị Bình", "09/07/1985", "12345678", ""]]))
    report = _import(second, xlsx([["Trần Thị Bình", "09/07/1985", "12 345 678", ""]]))
    assert (report.learners_created, report.learners_matched, report.enrolled) == (0, 1, 1)
    assert Learner.objects.filter(identifier="12345678").count() == 1
    assert Enrolment.objects.filter(learner__identifier="12345678").count() == 2


def test_wrong_headings_are_refused() -> None:
    cls = training_class()
    report = _import(
        cls,
        xlsx([["Nguyễn Văn An", "05/03/1980", "12345678", ""]], ["Tên", "Ngày", "Số", "Đơn vị"]),
    )
    assert report.errors[0][0] == 1
    assert "Họ và tên" in report.errors[0][1]
    assert not Enrolment.objects.filter(training_class=cls).exists()


def _book_bytes(book: Workbook) -> bytes:
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_merged_cells_and_formulas_are_reported_by_row_and_nothing_is_written() -> None:
    cls = training_class()
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(HEADINGS)
    sheet.append(["Nguyễn Văn An", "05/03/1980", "12345678", "Quận Ba Đình"])
    sheet.append(["Trần Thị Bình", "09/07/1985", "12345679", "Quận Ba Đình"])
    sheet.merge_cells("D2:D3")
    sheet.append(["Lê Văn Cường", "=DATE(1979,7,9)", "87654321", ""])
    sheet.append(["Phạm Thu Dung", "31/01/1990", "001190000001", ""])
    report = _import(cls, _book_bytes(book))
    rows = dict(report.errors)
    assert set(rows) == {2, 3, 4}
    assert "D2:D3" in rows[2] and "D2:D3" in rows[3]
    assert "formula" in rows[4] or "công thức" in rows[4]
    assert not Learner.objects.filter(identifier="001190000001").exists()
    assert not Enrolment.objects.filter(training_class=cls).exists()


@pytest.mark.parametrize(
    ("cell", "born"),
    [
        ("05/03/1980", dt.date(1980, 3, 5)),
        ("5-3-1980", dt.date(1980, 3, 5)),
        ("05.03.1980", dt.date(1980, 3, 5)),
        (" 5 / 3 / 1980 ", dt.date(1980, 3, 5)),
        ("1980-03-05", dt.date(1980, 3, 5)),
        (dt.datetime(1980, 3, 5), dt.date(1980, 3, 5)),
        (29285, dt.date(1980, 3, 5)),  # a date cell whose format was lost: Excel's serial
    ],
)
def test_dates_of_birth_in_the_ways_offices_write_them(cell: object, born: dt.date) -> None:
    cls = training_class()
    report = _import(cls, xlsx([["Nguyễn Văn An", cell, "12345678", ""]]))
    assert report.errors == []
    assert Learner.objects.get(identifier="12345678").date_of_birth == born


@pytest.mark.parametrize("cell", ["31/02/1980", "1980", "mùng 5 tháng 3", "", "05/03/2020"])
def test_impossible_dates_are_reported(cell: str) -> None:
    cls = training_class()
    report = _import(cls, xlsx([["Nguyễn Văn An", cell, "12345678", ""]]))
    assert report.errors and report.errors[0][0] == 2
    assert not Learner.objects.filter(identifier="12345678").exists()


def test_bad_identifiers_are_reported_with_their_row() -> None:
    cls = training_class()
    report = _import(
        cls,
        xlsx(
            [
                ["Nguyễn Văn An", "05/03/1980", "1234567", ""],
                ["Trần Thị Bình", "09/07/1985", "999080012345", ""],
                ["Lê Văn Cường", "09/07/1979", "", ""],
                ["Phạm Thu Dung", "31/01/1990", "12345678", "Đơn vị không có"],
            ]
        ),
    )
    rows = dict(report.errors)
    assert set(rows) == {2, 3, 4, 5}
    assert "12" in rows[2] and "Đơn vị không có" in rows[5]
    assert not Learner.objects.filter(identifier="12345678").exists()


def test_the_same_person_twice_in_one_file_with_other_spellings_is_enrolled_once() -> None:
    cls = training_class()
    nfd = unicodedata.normalize("NFD", "Nguyễn Thị Hòa")
    report = _import(
        cls,
        xlsx(
            [
                ["Nguyễn Thị Hòa", "05/03/1980", "12345678", ""],
                [nfd, "5/3/1980", "12.345.678", ""],  # decomposed marks
                ["Nguyễn Thị Hoà", "05-03-1980", "12345678", ""],  # the old tone placement
                ["NGUYỄN THỊ HÒA", "05/03/1980", "12345678", ""],
            ]
        ),
    )
    assert report.errors == []
    assert [line for line, _ in report.notes] == [3, 4, 5]
    assert Learner.objects.get(identifier="12345678").full_name == "Nguyễn Thị Hòa"
    assert Enrolment.objects.filter(training_class=cls).count() == 1


def test_one_identifier_with_two_different_names_is_an_error() -> None:
    cls = training_class()
    report = _import(
        cls,
        xlsx(
            [
                ["Nguyễn Thị Hòa", "05/03/1980", "12345678", ""],
                ["Trần Văn Bảo", "05/03/1980", "12345678", ""],
            ]
        ),
    )
    assert [line for line, _ in report.errors] == [3]
    assert not Enrolment.objects.filter(training_class=cls).exists()


def test_a_near_duplicate_is_flagged_for_a_person_to_decide() -> None:
    cls = training_class()
    existing = learner("12345678", "Nguyễn Thị Hòa", dt.date(1980, 3, 5))
    report = _import(cls, xlsx([["Nguyễn Thị Hoà", "05/03/1980", "001080012345", ""]]))
    assert report.errors == []
    assert [line for line, _ in report.flagged] == [2]
    new = Learner.objects.get(identifier="001080012345")
    flag = DuplicateFlag.objects.get(learner=new)
    assert flag.existing == existing and flag.decision == DuplicateFlag.Decision.PENDING
    # Deciding "the same person" leaves one record, enrolled in the class.
    duplicate_decide(flag=flag, same=True, by=UserFactory(username="canbo-trung"))
    assert not Learner.objects.filter(pk=new.pk).exists()
    assert Enrolment.objects.get(training_class=cls).learner == existing


def test_merging_two_records_of_one_person_in_the_same_class_keeps_their_marks() -> None:
    """Both records were enrolled in the class and the teacher marked the one that goes: its
    marks and score move to the record kept, so the person still completes."""
    cls = training_class()
    start = dt.datetime(2020, 3, 2, 8, 0, tzinfo=VN)
    sessions = [session(cls, start + dt.timedelta(days=i)) for i in range(2)]
    existing = learner("12345678", "Nguyễn Thị Hòa", dt.date(1980, 3, 5))
    kept = Enrolment.objects.create(training_class=cls, learner=existing)
    _import(cls, xlsx([["Nguyễn Thị Hoà", "05/03/1980", "001080012345", ""]]))
    new = Learner.objects.get(identifier="001080012345")
    gone = Enrolment.objects.get(training_class=cls, learner=new)
    gone.exam_score = Decimal("8")
    gone.save()
    for s in sessions:
        Attendance.objects.create(
            session=s, enrolment=gone, status="present", method="teacher", marked_at=s.starts_at
        )
    flag = DuplicateFlag.objects.get(learner=new)
    duplicate_decide(flag=flag, same=True, by=UserFactory(username="canbo-gop"))
    kept.refresh_from_db()
    assert Enrolment.objects.filter(training_class=cls).count() == 1
    assert kept.attendances.count() == 2 and kept.exam_score == Decimal("8") and kept.completed


def test_a_full_class_refuses_the_list() -> None:
    cls = training_class(capacity=1)
    report = _import(
        cls,
        xlsx(
            [
                ["Nguyễn Văn An", "05/03/1980", "12345678", ""],
                ["Trần Thị Bình", "09/07/1985", "12345679", ""],
            ]
        ),
    )
    assert report.errors and "1" in report.errors[0][1]
    assert not Learner.objects.filter(identifier="12345678").exists()


def test_not_an_excel_file() -> None:
    report = _import(training_class(), b"MZ\x90\x00 not a workbook")
    assert report.errors and report.errors[0][0] == 0


def test_the_command_writes_its_report_and_is_idempotent(tmp_path: Path) -> None:
    cls = training_class("t-lenh")
    source = tmp_path / "ds.xlsx"
    source.write_bytes(xlsx([["Nguyễn Văn An", "05/03/1980", "12345678", ""]]))
    out = io.StringIO()
    call_command(
        "training-import-learners",
        "t-lenh",
        str(source),
        "--report",
        str(tmp_path / "r.xlsx"),
        stdout=out,
    )
    call_command("training-import-learners", "t-lenh", str(source), stdout=out)
    assert Enrolment.objects.filter(training_class=cls).count() == 1
    sheet = load_workbook(tmp_path / "r.xlsx").worksheets[0]
    assert [c.value for c in sheet[1]] == ["Dòng", "Loại", "Nội dung"]
    bad = tmp_path / "bad.xlsx"
    bad.write_bytes(xlsx([["Nguyễn Văn An", "05/03/1980", "123", ""]]))
    with pytest.raises(SystemExit) as exit_code:
        call_command("training-import-learners", "t-lenh", str(bad), stdout=out)
    assert exit_code.value.code == 1
    assert "Dòng 2" in out.getvalue()
