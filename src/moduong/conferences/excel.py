"""Excel files of the conferences app: the connection points' import (read row by row, every
problem reported with its row number as Excel shows it) and the report after the conference.

The points' columns, in this order (the first row holds the headings):
Mã điểm cầu | Tên điểm cầu | Mã đơn vị chủ trì | Tỉnh/thành phố | Xã/phường | Địa chỉ | Sức chứa |
Hình thức kết nối | Người liên hệ | Điện thoại | Số người dự kiến
"""

from __future__ import annotations

import io
from collections import Counter
from dataclasses import dataclass, field

from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook

from moduong.core import vntext
from moduong.core.spreadsheets import cell_text, headings_match
from moduong.units.models import Commune, Province, Unit

from .models import Conference, ConnectionPoint, ConnectionType, Delegate
from .selectors import Rollup

HEADINGS = [
    "Mã điểm cầu",
    "Tên điểm cầu",
    "Mã đơn vị chủ trì",
    "Tỉnh/thành phố",
    "Xã/phường",
    "Địa chỉ",
    "Sức chứa",
    "Hình thức kết nối",
    "Người liên hệ",
    "Điện thoại",
    "Số người dự kiến",
]
CONNECTION_NAMES = {
    vntext.fold("truyền hình trực tuyến"): ConnectionType.TELEVISION,
    vntext.fold("phần mềm họp trực tuyến"): ConnectionType.SOFTWARE,
    vntext.fold("dự trực tiếp"): ConnectionType.IN_PERSON,
}
MAX_ROWS = 5000
MAX_BYTES = 5 * 1024 * 1024


@dataclass(frozen=True)
class PointRow:
    line: int
    code: str
    name: str
    host_unit: Unit | None
    province: Province
    commune: Commune | None
    address: str
    capacity: int
    connection_type: str
    contact_name: str
    contact_phone: str
    expected_attendance: int


@dataclass
class PointsFile:
    rows: list[PointRow] = field(default_factory=list)
    errors: list[tuple[int, str]] = field(default_factory=list)


def _number(text: str) -> int | None:
    text = text.replace(".", "").replace(" ", "")
    return int(text) if text.isdigit() else None


def _place_key(name: str) -> str:
    return vntext.fold(name).replace(" ", "")


def points_read(data: bytes, *, provinces: list[Province]) -> PointsFile:
    """Every row checked against the current list of provinces and communes; each problem
    reported with its row number."""
    result = PointsFile()
    if len(data) > MAX_BYTES:
        result.errors.append((0, _("The file is larger than 5 MB.")))
        return result
    try:
        # Not data_only: a formula is seen as a formula, and refused (its cached value may be
        # stale or missing, and what is imported must be what the organiser sees typed).
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    except Exception:  # a damaged or foreign file can raise anything: say so, show no trace
        result.errors.append(
            (0, _("This file cannot be read as Excel (.xlsx). Please use the template."))
        )
        return result
    sheet = book.worksheets[0]
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
    by_province: dict[str, Province] = {}
    for item in provinces:
        by_province[_place_key(item.name)] = item
        by_province[_place_key(item.short_name)] = item
    communes: dict[int, dict[str, Commune]] = {}
    units = {u.code.lower(): u for u in Unit.objects.all()}
    seen: dict[str, int] = {}
    for number, raw in enumerate(rows, start=2):
        if number > MAX_ROWS + 1:
            result.errors.append((number, _("At most 5.000 points in one file.")))
            break
        values = (list(raw) + [None] * len(HEADINGS))[: len(HEADINGS)]
        formulas = [
            HEADINGS[i]
            for i, v in enumerate(values)
            if isinstance(v, str) and v.startswith("=") and len(v) > 1
        ]
        cells = [cell_text(v) for v in values]
        if not any(cells):
            continue  # an empty row between points is not a mistake
        (code, name, unit_code, province_name, commune_name, address, capacity_text, kind_text,
         contact, phone, expected_text) = cells  # fmt: skip
        problems: list[str] = []
        if formulas:
            problems.append(
                _("the column(s) %(c)s hold a formula: please paste the values")
                % {"c": ", ".join(formulas)}
            )
        if not code:
            problems.append(_("the code is empty"))
        elif len(code) > 40:
            problems.append(_("the code is longer than 40 characters"))
        elif code in seen:
            problems.append(_("the code %(c)s is also on row %(r)d") % {"c": code, "r": seen[code]})
        if code:
            seen.setdefault(code, number)
        if not name:
            problems.append(_("the name is empty"))
        host_unit = None
        if unit_code:
            host_unit = units.get(unit_code.lower())
            if host_unit is None:
                problems.append(_("no unit has the code %(c)s") % {"c": unit_code})
        province = by_province.get(_place_key(province_name)) if province_name else None
        commune = None
        if province is None:
            problems.append(
                _("the province %(p)s is not in the current list") % {"p": province_name or "–"}
            )
        elif commune_name:
            if province.pk not in communes:
                communes[province.pk] = {}
                for c in Commune.objects.filter(province=province):
                    communes[province.pk][_place_key(c.name)] = c
                    communes[province.pk].setdefault(_place_key(c.short_name), c)
            commune = communes[province.pk].get(_place_key(commune_name))
            if commune is None:
                problems.append(
                    _("the commune %(c)s is not in %(p)s in the current list")
                    % {"c": commune_name, "p": province.name}
                )
        capacity = _number(capacity_text)
        if not capacity:
            problems.append(_("the capacity must be a whole number above 0"))
        expected = _number(expected_text) if expected_text else 0
        if expected is None:
            problems.append(_("the expected attendance must be a whole number"))
        elif capacity and expected > capacity:
            problems.append(_("the expected attendance is above the capacity"))
        kind = CONNECTION_NAMES.get(vntext.fold(kind_text)) if kind_text else None
        if kind_text and kind is None:
            problems.append(
                _("the connection type must be one of: %(k)s")
                % {"k": ", ".join(str(label) for label in ConnectionType.labels)}
            )
        if len(phone) > 20:
            problems.append(_("the phone number is longer than 20 characters"))
        if problems:
            message = "; ".join(problems)
            result.errors.append((number, message[0].upper() + message[1:] + "."))
            continue
        assert province is not None and capacity is not None and expected is not None
        result.rows.append(
            PointRow(
                line=number,
                code=code,
                name=name[:255],
                host_unit=host_unit,
                province=province,
                commune=commune,
                address=address[:300],
                capacity=capacity,
                connection_type=kind or ConnectionType.TELEVISION,
                contact_name=contact[:150],
                contact_phone=phone,
                expected_attendance=expected,
            )
        )
    if not result.rows and not result.errors:
        result.errors.append((0, _("The file has no connection point.")))
    return result


def _save(book: Workbook) -> bytes:
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def errors_export(errors: list[tuple[int, str]]) -> bytes:
    book = Workbook(write_only=True)
    sheet = book.create_sheet("Lỗi")
    sheet.append(["Dòng", "Lỗi"])
    for line, message in errors:
        sheet.append([line or "", message])
    return _save(book)


def points_template() -> bytes:
    book = Workbook(write_only=True)
    sheet = book.create_sheet("Điểm cầu")
    sheet.append(HEADINGS)
    sheet.append(
        [
            "HN-001",
            "Điểm cầu Đảng ủy phường Ba Đình",
            "",
            "Hà Nội",
            "Phường Ba Đình",
            "Số 1, đường Điện Biên Phủ",
            120,
            "truyền hình trực tuyến",
            "Nguyễn Văn An",
            "0912345678",
            100,
        ]
    )
    return _save(book)


def conference_report(*, conference: Conference, rollup: Rollup) -> bytes:
    """The report after the conference: per point, per area, the totals and the attendance by
    category, one sheet each."""
    categories = list(conference.categories.order_by("sort_order", "pk"))
    book = Workbook(write_only=True)
    sheet = book.create_sheet("Tổng hợp")
    sheet.append(["Hội nghị", conference.title])
    sheet.append(["Điểm cầu đã kết nối", rollup.linked, "trên", rollup.points])
    sheet.append(["Chỉ tiêu điểm cầu", rollup.target_points])
    sheet.append(["Đại biểu tham dự", rollup.delegates])
    sheet.append(["Chỉ tiêu đại biểu", rollup.target_delegates])
    sheet.append(
        [
            "Hội trường chính: đại biểu đã điểm danh",
            rollup.hall_checked_in,
            "trên",
            rollup.hall_registered,
        ]
    )
    sheet.append([])
    sheet.append(["Thành phần", "Số người"])
    for name, count in rollup.categories:
        sheet.append([name, count])
    points = list(
        ConnectionPoint.objects.filter(conference=conference)
        .select_related("province", "commune", "host_unit")
        .order_by("code")
    )
    sheet = book.create_sheet("Theo điểm cầu")
    sheet.append(
        [
            "Mã điểm cầu",
            "Tên điểm cầu",
            "Đơn vị chủ trì",
            "Tỉnh/thành phố",
            "Xã/phường",
            "Sức chứa",
            "Dự kiến",
            "Đã kết nối",
            "Thử kết nối",
            *[c.name for c in categories],
            "Tổng số tham dự",
        ]
    )
    for point in points:
        sheet.append(
            [
                point.code,
                point.name,
                point.host_unit.name if point.host_unit else "",
                point.province.name,
                point.commune.name if point.commune else "",
                point.capacity,
                point.expected_attendance,
                "Có" if point.linked_at else "Chưa",
                point.get_link_test_display() if point.link_test else "",
                *[int((point.attendance or {}).get(str(c.pk), 0)) for c in categories],
                point.attendance_total,
            ]
        )
    sheet.append(
        [
            "Tổng cộng",
            f"{rollup.points} điểm cầu",
            None,
            None,
            None,
            sum(p.capacity for p in points),
            rollup.expected,
            rollup.linked,
            None,
            *[count for _name, count in rollup.categories],
            rollup.delegates,
        ]
    )
    sheet = book.create_sheet("Hội trường chính")
    sheet.append(["Họ và tên", "Chức vụ", "Đơn vị", "Thành phần", "Ghế", "Mã thẻ", "Điểm danh lúc"])
    for delegate in (
        Delegate.objects.filter(conference=conference)
        .select_related("category")
        .order_by("full_name", "pk")
    ):
        sheet.append(
            [
                delegate.full_name,
                delegate.position,
                delegate.organisation,
                delegate.category.name if delegate.category else "",
                delegate.seat,
                delegate.code,
                vntext.format_datetime(delegate.checked_in_at, weekday=False)
                if delegate.checked_in_at
                else "",
            ]
        )
    # Each area's attendance by category, from the same points as the per-point sheet.
    by_area: dict[str, dict[int | None, Counter[str]]] = {
        "province_id": {},
        "commune_id": {},
        "host_unit_id": {},
    }
    for point in points:
        for key, sums in by_area.items():
            sums.setdefault(getattr(point, key), Counter()).update(
                {str(k): int(v) for k, v in (point.attendance or {}).items()}
            )
    for title, areas, key in (
        ("Theo tỉnh", rollup.provinces, "province_id"),
        ("Theo xã", rollup.communes, "commune_id"),
        ("Theo đơn vị", rollup.units, "host_unit_id"),
    ):
        sheet = book.create_sheet(title)
        sheet.append(
            [
                "STT",
                "Khu vực",
                "Số điểm cầu",
                "Đã kết nối",
                "Chưa kết nối",
                "Dự kiến",
                *[c.name for c in categories],
                "Tổng số tham dự",
            ]
        )
        for number, area in enumerate(areas, start=1):
            counted = by_area[key].get(area.key, Counter())
            sheet.append(
                [
                    number,
                    area.name,
                    area.points,
                    area.linked,
                    area.points - area.linked,
                    area.expected,
                    *[counted[str(c.pk)] for c in categories],
                    area.attendance,
                ]
            )
        sheet.append(
            [
                None,
                "Tổng cộng",
                rollup.points,
                rollup.linked,
                rollup.points - rollup.linked,
                rollup.expected,
                *[count for _name, count in rollup.categories],
                rollup.delegates,
            ]
        )
    return _save(book)
