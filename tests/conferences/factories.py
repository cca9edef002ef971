"""A conference with three categories and points in Hà Nội and Huế, built directly."""

from __future__ import annotations

import datetime as dt
import io

from django.utils import timezone
from openpyxl import Workbook

from moduong.conferences.excel import HEADINGS
from moduong.conferences.links import PointLink
from moduong.conferences.models import AttendanceCategory, Conference, ConnectionPoint
from moduong.units.models import Commune, Province

CATEGORIES = ("Đảng viên", "Cán bộ", "Khách mời")


def hanoi() -> Province:
    return Province.objects.get(version__is_current=True, name="Thành phố Hà Nội")


def conference(
    slug: str = "hoi-nghi-thu", *, starts_in: dt.timedelta = dt.timedelta(days=3), **fields: object
) -> Conference:
    item = Conference.objects.create(
        title=fields.pop("title", "Hội nghị quán triệt nghị quyết"),
        slug=slug,
        starts_at=timezone.now() + starts_in,
        main_hall="Hội trường Thành ủy",
        target_points=10,
        target_delegates=500,
        is_published=fields.pop("is_published", True),
        **fields,
    )
    for index, name in enumerate(CATEGORIES):
        AttendanceCategory.objects.create(conference=item, name=name, sort_order=index)
    return item


def point(
    conf: Conference, code: str = "HN-001", *, capacity: int = 100, **fields: object
) -> ConnectionPoint:
    province = fields.pop("province", None) or hanoi()
    commune = fields.pop("commune", None) or Commune.objects.filter(province=province).first()
    return ConnectionPoint.objects.create(
        conference=conf,
        code=code,
        name=fields.pop("name", f"Điểm cầu {code}"),
        province=province,
        commune=commune,
        capacity=capacity,
        expected_attendance=fields.pop("expected_attendance", capacity // 2),
        contact_name=fields.pop("contact_name", "Nguyễn Văn An"),
        contact_phone=fields.pop("contact_phone", "0912345678"),
        **fields,
    )


def link_of(p: ConnectionPoint, *, expires_in: dt.timedelta = dt.timedelta(days=1)) -> PointLink:
    return PointLink(p.conference_id, p.pk, timezone.now() + expires_in)


def categories(conf: Conference) -> list[int]:
    return list(conf.categories.order_by("sort_order").values_list("pk", flat=True))  # type: ignore[attr-defined]


def workbook(rows: list[list[object]], headings: list[str] = HEADINGS) -> bytes:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(headings)
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def row(code: str, commune: str = "Phường Ba Đình", **overrides: object) -> list[object]:
    values: dict[str, object] = {
        "Mã điểm cầu": code,
        "Tên điểm cầu": f"Điểm cầu {code}",
        "Mã đơn vị chủ trì": "",
        "Tỉnh/thành phố": "Hà Nội",
        "Xã/phường": commune,
        "Địa chỉ": "Số 1 phố Hàng Bài",
        "Sức chứa": 120,
        "Hình thức kết nối": "phần mềm họp trực tuyến",
        "Người liên hệ": "Trần Thị Bình",
        "Điện thoại": "0987654321",
        "Số người dự kiến": 80,
    }
    values.update({HEADINGS[int(k[1:])]: v for k, v in overrides.items()})
    return [values[h] for h in HEADINGS]
