"""The question bank in and out of Excel, with a report of every wrong row; reports."""

import io

import pytest
from openpyxl import Workbook, load_workbook

from moduong.contests.excel import (
    HEADINGS,
    bank_export,
    bank_template,
    report_bytes,
)
from moduong.contests.models import Option, Question
from moduong.contests.services import attempt_start, attempt_submit, question_bank_import

from .factories import ContestFactory, open_round, participant

pytestmark = pytest.mark.django_db


def xlsx(rows: list[list[object]], headings: list[str] = HEADINGS) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.append(headings)
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def row(
    text: str = "Thủ đô của Việt Nam là thành phố nào?",
    options: tuple = ("Huế", "Hà Nội", "Đà Nẵng", "", "", ""),
    answer: str = "B",
    topic: str = "Địa lý",
    level: object = 1,
    code: str = "",
) -> list:  # type: ignore[type-arg]
    return [code, text, *options, answer, topic, level]


def test_a_good_file_is_imported_and_exported_back() -> None:
    contest = ContestFactory()
    data = xlsx(
        [
            row(code="DL-1"),
            row(
                text="Sông nào dài nhất Việt Nam?",
                options=("Sông Hồng", "Sông Đà", "Sông Mã", "Sông Đồng Nai", "", ""),
                answer="d",
                code="DL-2",
                level=3,
            ),
        ]
    )
    report = question_bank_import(contest=contest, data=data)
    assert (report.created, report.errors) == (2, [])
    first = Question.objects.get(code="DL-1")
    assert [o.text for o in first.options.all()] == ["Huế", "Hà Nội", "Đà Nẵng"]
    assert first.options.get(is_correct=True).text == "Hà Nội"
    assert Question.objects.get(code="DL-2").difficulty == 3
    exported = load_workbook(io.BytesIO(bank_export(contest=contest))).active
    rows = list(exported.iter_rows(values_only=True))
    assert list(rows[0]) == HEADINGS
    assert rows[1][:5] == (
        "DL-1",
        "Thủ đô của Việt Nam là thành phố nào?",
        "Huế",
        "Hà Nội",
        "Đà Nẵng",
    )
    assert rows[2][8] == "D"
    # Importing the export again replaces by code: nothing doubles.
    assert question_bank_import(contest=contest, data=bank_export(contest=contest)).created == 2
    assert Question.objects.filter(contest=contest).count() == 2
    assert Option.objects.filter(question__contest=contest).count() == 7
    template = load_workbook(io.BytesIO(bank_template())).active
    assert [c.value for c in template[1]] == HEADINGS


def test_every_wrong_row_is_reported_and_nothing_is_imported() -> None:
    contest = ContestFactory()
    data = xlsx(
        [
            row(code="A1"),
            row(text=""),
            row(options=("Chỉ một", "", "", "", "", "")),
            row(answer="E"),
            row(options=("Một", "", "Ba", "", "", "")),
            row(level="khó"),
            [],
            row(code="A1"),
            row(text="x" * 2001),
        ]
    )
    report = question_bank_import(contest=contest, data=data)
    assert report.created == 0
    assert report.errors == [
        (3, "Câu hỏi đang để trống."),
        (4, "Mỗi câu hỏi cần ít nhất 2 phương án; đáp án đúng phải là một trong các chữ A, B."),
        (5, "Đáp án đúng phải là một trong các chữ A, B, C."),
        (6, "Có phương án để trống nằm giữa hai phương án đã điền."),
        (7, "Độ khó phải là số từ 1 đến 5."),
        (9, "Mã A1 trùng với dòng 2."),
        (10, "Câu hỏi dài quá 2.000 ký tự."),
    ]
    assert not Question.objects.filter(contest=contest).exists()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (
            b"not a spreadsheet",
            "Không đọc được tệp này dưới dạng Excel (.xlsx). Vui lòng dùng tệp mẫu.",
        ),
        (
            b"PK\x03\x04broken zip",
            "Không đọc được tệp này dưới dạng Excel (.xlsx). Vui lòng dùng tệp mẫu.",
        ),
        (xlsx([row()], headings=["Câu", "Đáp án"]), None),
        (xlsx([]), "Tệp không có câu hỏi nào."),
    ],
)
def test_files_that_are_not_the_template_are_refused(data: bytes, message: str | None) -> None:
    contest = ContestFactory()
    report = question_bank_import(contest=contest, data=data)
    assert report.created == 0 and len(report.errors) == 1
    if message:
        assert report.errors[0][1] == message
    else:
        assert report.errors[0][1].startswith("Dòng đầu tiên phải là tiêu đề của tệp mẫu")
    assert not Question.objects.filter(contest=contest).exists()


def test_reports_list_attempts_ranking_and_units() -> None:
    rnd = open_round()
    user = participant(rnd.contest)
    attempt = attempt_start(user=user, round_id=rnd.pk)
    attempt_submit(user=user, attempt_id=attempt.pk, prediction=7)
    sheet = load_workbook(io.BytesIO(report_bytes(round=rnd, report="luot-thi"))).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[1][0] == attempt.pk and rows[1][2] == "Nguyễn Văn An" and rows[1][9] == 7
    assert rows[1][6] is not None
    for report, heading in (("xep-hang", "Hạng"), ("theo-don-vi", "Đơn vị")):
        sheet = load_workbook(io.BytesIO(report_bytes(round=rnd, report=report))).active
        assert sheet["A1"].value == heading
