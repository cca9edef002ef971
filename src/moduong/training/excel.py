"""Excel in and out: the enrolment list a centre sends, and the city's report.

The enrolment list's columns, in this order (the first row holds the headings):
Họ và tên | Ngày sinh | Số thẻ đảng viên hoặc CCCD | Đơn vị
"""

from __future__ import annotations

import datetime as dt
import io
import re
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook

from moduong.core.spreadsheets import cell_text, headings_match

from .models import identifier_clean

HEADINGS = ["Họ và tên", "Ngày sinh", "Số thẻ đảng viên hoặc CCCD", "Đơn vị"]
MAX_ROWS = 20000
MAX_BYTES = 10 * 1024 * 1024
_DATE = re.compile(r"(\d{1,2})\s*[/\-.]\s*(\d{1,2})\s*[/\-.]\s*(\d{4})")
_ISO_DATE = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")


@dataclass(frozen=True)
class LearnerRow:
    line: int
    full_name: str
    date_of_birth: dt.date
    identifier: str
    unit_name: str


@dataclass
class LearnerFile:
    rows: list[LearnerRow] = field(default_factory=list)
    errors: list[tuple[int, str]] = field(default_factory=list)


def date_parse(value: Any) -> dt.date | None:
    """An Excel date, or text as offices type it: 05/03/1980, 5-3-1980, 05.03.1980, 1980-03-05."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, int | float) and 1 <= value < 80000:
        # A date cell whose format was lost shows Excel's serial number (days since 1899-12-30).
        return dt.date(1899, 12, 30) + dt.timedelta(days=int(value))
    text = cell_text(value)
    match = _DATE.fullmatch(text)
    try:
        if match:
            day, month, year = (int(g) for g in match.groups())
            return dt.date(year, month, day)
        match = _ISO_DATE.fullmatch(text)
        if match:
            year, month, day = (int(g) for g in match.groups())
            return dt.date(year, month, day)
    except ValueError:
        return None
    return None


def learners_read(data: bytes, *, today: dt.date) -> LearnerFile:
    """Every row checked; each problem reported with its row number as Excel shows it."""
    result = LearnerFile()
    if len(data) > MAX_BYTES:
        result.errors.append((0, _("The file is larger than 10 MB.")))
        return result
    try:
        # Not read-only: merged cells and formulas are only visible in the full workbook.
        book = load_workbook(io.BytesIO(data), data_only=False)
    except Exception:  # a damaged or foreign file can raise anything: say so, show no trace
        result.errors.append(
            (0, _("This file cannot be read as Excel (.xlsx). Please use the template."))
        )
        return result
    sheet = book.worksheets[0]
    merged: dict[int, str] = {}
    for cells in sheet.merged_cells.ranges:
        for number in range(cells.min_row, cells.max_row + 1):
            merged.setdefault(number, cells.coord)
    rows = sheet.iter_rows(values_only=True)
    header = [cell_text(v) for v in next(rows, ())]
    if not headings_match(header, HEADINGS):
        result.errors.append(
            (
                1,
                _("The first row must hold the template's headings: %(h)s")
                % {"h": ", ".join(HEADINGS)},
            )
        )
        return result
    for number, raw in enumerate(rows, start=2):
        if number > MAX_ROWS + 1:
            result.errors.append((number, _("At most 20.000 learners in one file.")))
            break
        values = (list(raw) + [None] * len(HEADINGS))[: len(HEADINGS)]
        if not any(cell_text(v) for v in values) and number not in merged:
            continue
        problems = []
        if number in merged:
            problems.append(
                _("cells %(c)s are merged: unmerge them and fill every cell")
                % {"c": merged[number]}
            )
        if any(isinstance(v, str) and v.startswith("=") for v in values):
            problems.append(_("a cell holds a formula: paste the values only"))
        name_raw, birth_raw, identifier_raw, unit_raw = values
        full_name = cell_text(name_raw)
        if not full_name:
            problems.append(_("the full name is empty"))
        elif len(full_name) > 150 or any(ch.isdigit() for ch in full_name):
            problems.append(_("the full name is not a person's name"))
        birth = date_parse(birth_raw)
        if birth is None:
            problems.append(
                _("the date of birth %(v)s is not a date (write it as 05/03/1980)")
                % {"v": repr(cell_text(birth_raw)) if cell_text(birth_raw) else _("(empty)")}
            )
        elif not (dt.date(1900, 1, 1) <= birth <= today.replace(year=today.year - 14)):
            problems.append(_("the date of birth is not plausible"))
        identifier = ""
        try:
            identifier = identifier_clean(cell_text(identifier_raw))
        except ValidationError as error:
            problems.append(error.messages[0][0].lower() + error.messages[0][1:].rstrip("."))
        if problems:
            message = "; ".join(problems)
            result.errors.append((number, message[0].upper() + message[1:] + "."))
            continue
        assert birth is not None
        result.rows.append(
            LearnerRow(
                line=number,
                full_name=full_name,
                date_of_birth=birth,
                identifier=identifier,
                unit_name=cell_text(unit_raw),
            )
        )
    if not result.rows and not result.errors:
        result.errors.append((0, _("The file has no learner.")))
    return result


def _save(book: Workbook) -> bytes:
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def learners_template() -> bytes:
    book = Workbook(write_only=True)
    sheet = book.create_sheet("Học viên")
    sheet.append(HEADINGS)
    sheet.append(["Nguyễn Văn An", "05/03/1980", "001080012345", "Phường Ba Đình"])
    return _save(book)


def messages_report(lines: list[tuple[int, str, str]]) -> bytes:
    """The import's report: every row with what happened to it."""
    book = Workbook(write_only=True)
    sheet = book.create_sheet("Kết quả nhập")
    sheet.append(["Dòng", "Loại", "Nội dung"])
    for line, kind, message in lines:
        sheet.append([line or "", kind, message])
    return _save(book)


GROUPS = [
    ("by_centre", "Theo trung tâm", "Trung tâm"),
    ("by_area", "Theo khu vực", "Khu vực"),
    ("by_unit", "Theo đơn vị", "Đơn vị của học viên"),
    ("by_programme", "Theo chương trình", "Chương trình"),
    ("by_month", "Theo tháng", "Tháng khai giảng"),
]
FIGURES = ["Số lớp", "Lượt học viên", "Số học viên (mỗi người một lần)", "Hoàn thành"]


def report_export(report: dict[str, Any]) -> bytes:
    """The office's reporting shape: a numbered row per group, the total on the last row (the
    total counts each person once, so it is not the sum of the rows above when a person
    studied at two centres)."""
    book = Workbook(write_only=True)
    totals = report["totals"]
    for key, title, heading in GROUPS:
        sheet = book.create_sheet(title)
        sheet.append([f"Báo cáo lớp bồi dưỡng lý luận chính trị: {report['period']}"])
        sheet.append(["STT", heading, *FIGURES])
        for index, row in enumerate(report[key], start=1):
            sheet.append(
                [
                    index,
                    row["name"],
                    row["classes"],
                    row["enrolments"],
                    row["learners"],
                    row["completions"],
                ]
            )
        sheet.append(
            [
                "",
                "Tổng cộng",
                totals["classes"],
                totals["enrolments"],
                totals["learners"],
                totals["completions"],
            ]
        )
    sheet = book.create_sheet("Danh sách lớp")
    sheet.append(
        [
            "STT",
            "Mã lớp",
            "Tên lớp",
            "Trung tâm",
            "Chương trình",
            "Khai giảng",
            "Bế giảng",
            "Học viên",
            "Hoàn thành",
        ]
    )
    for index, row in enumerate(report["classes"], start=1):
        sheet.append(
            [
                index,
                row["code"],
                row["name"],
                row["centre"],
                row["programme"],
                row["starts_on"],
                row["ends_on"],
                row["enrolments"],
                row["completions"],
            ]
        )
    return _save(book)
