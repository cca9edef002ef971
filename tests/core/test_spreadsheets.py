"""The heading row of every Excel import (contests' banks, conferences' points, training's
enrolment lists) is read the way Vietnamese is matched everywhere: core.vntext's folding, so
an organiser who typed the headings in capitals, without marks or with the tone placed the
other way is not turned away."""

import datetime as dt

import pytest

from moduong.core.spreadsheets import headings_match
from moduong.training.excel import HEADINGS, learners_read
from tests.training.helpers import xlsx

TEMPLATE = ["Họ và tên", "Ngày sinh", "Mã điểm cầu", "Hình thức kết nối", "Hòa Bình"]


@pytest.mark.parametrize(
    "typed",
    [
        ["Họ và tên", "Ngày sinh", "Mã điểm cầu", "Hình thức kết nối", "Hòa Bình"],
        ["HỌ VÀ TÊN", "NGÀY SINH", "MÃ ĐIỂM CẦU", "HÌNH THỨC KẾT NỐI", "HÒA BÌNH"],
        ["Ho va ten", "Ngay sinh", "Ma diem cau", "Hinh thuc ket noi", "Hoa Binh"],
        ["ho va ten", "ngay sinh", "ma diem cau", "hinh thuc ket noi", "hoa binh"],
        ["Họ và tên", "Ngày sinh", "Mã điểm cầu", "Hình thức kết nối", "Hoà Bình"],  # old tones
    ],
)
def test_headings_typed_in_any_case_with_or_without_marks_match(typed: list[str]) -> None:
    assert headings_match([*typed, "Ghi chú"], TEMPLATE)


def test_other_headings_do_not_match() -> None:
    assert not headings_match(["Họ tên", "Ngày sinh", "Mã điểm cầu"], TEMPLATE[:3])
    assert not headings_match(["Ngày sinh", "Họ và tên"], TEMPLATE[:2])  # order matters
    assert not headings_match(["Họ và tên"], TEMPLATE[:2])  # a heading missing


@pytest.mark.django_db
@pytest.mark.parametrize(
    "headings",
    [
        HEADINGS,
        ["HỌ VÀ TÊN", "NGÀY SINH", "SỐ THẺ ĐẢNG VIÊN HOẶC CCCD", "ĐƠN VỊ"],
        ["Ho va ten", "Ngay sinh", "So the dang vien hoac CCCD", "Don vi"],
    ],
)
def test_an_enrolment_list_is_read_whatever_the_case_or_marks_of_its_headings(
    headings: list[str],
) -> None:
    data = xlsx([["Nguyễn Văn An", "05/03/1980", "001080012345", "Quận Ba Đình"]], headings)
    read = learners_read(data, today=dt.date(2026, 12, 31))
    assert read.errors == []
    assert [row.full_name for row in read.rows] == ["Nguyễn Văn An"]
