"""A fixed world for the training tests: dates in 2020, far from the demo's (which follow
today), so a period filter sees only what a test made."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal
from typing import Any

from openpyxl import Workbook

from moduong.training.excel import HEADINGS
from moduong.training.models import Centre, Learner, Programme, Session, TrainingClass
from moduong.units.models import Unit
from moduong.units.services import unit_create

VN = dt.timezone(dt.timedelta(hours=7))


def centre(name: str = "Trung tâm Chính trị Thử nghiệm", area: str = "Khu vực A") -> Centre:
    unit = Unit.objects.filter(name=name).first() or unit_create(name=name)
    return Centre.objects.get_or_create(unit=unit, defaults={"area": area})[0]


def programme(**kwargs: Any) -> Programme:
    values: dict[str, Any] = {
        "name": "Sơ cấp lý luận chính trị (thử)",
        "kind": Programme.Kind.ELEMENTARY,
        "required_hours": 40,
        "min_attendance_percent": 80,
        "pass_mark": Decimal("5"),
        "assignment_required": False,
    }
    values.update(kwargs)
    return Programme.objects.create(**values)


def training_class(
    code: str = "t-2020-01",
    *,
    at: Centre | None = None,
    of: Programme | None = None,
    starts_on: dt.date = dt.date(2020, 3, 2),
    capacity: int = 100,
) -> TrainingClass:
    return TrainingClass.objects.create(
        code=code,
        name=f"Lớp {code}",
        centre=at or centre(),
        programme=of or programme(),
        starts_on=starts_on,
        ends_on=starts_on + dt.timedelta(days=10),
        place="Hội trường A",
        capacity=capacity,
    )


def session(cls: TrainingClass, start: dt.datetime, hours: int = 4) -> Session:
    return Session.objects.create(
        training_class=cls,
        topic="Chuyên đề",
        starts_at=start,
        ends_at=start + dt.timedelta(hours=hours),
    )


def learner(
    identifier: str, name: str = "Nguyễn Văn An", born: dt.date = dt.date(1980, 3, 5)
) -> Learner:
    return Learner.objects.create(full_name=name, date_of_birth=born, identifier=identifier)


def xlsx(rows: list[list[Any]], headings: list[str] = HEADINGS) -> bytes:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(headings)
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
