"""Writes of the units app: the organisation tree, and loading an official list of provinces
and communes."""

import csv
import datetime as dt
import hashlib
import io
from dataclasses import dataclass
from pathlib import Path

from django.db import transaction
from django.utils.translation import gettext as _

from moduong.core import vntext

from .models import AdminUnitVersion, Commune, Province, Unit

DATA_DIR = Path(__file__).parent / "data"
HEADER = [
    "province_code",
    "province_name",
    "province_kind",
    "commune_code",
    "commune_name",
    "commune_kind",
]
PROVINCE_KINDS = {"tỉnh", "thành phố trung ương"}
COMMUNE_KINDS = {"xã", "phường", "đặc khu"}


@dataclass(frozen=True)
class AdminUnitList:
    """A data file the project ships, with what is known about it."""

    code: str
    name: str
    effective_from: dt.date
    source: str
    path: Path


# The list in force since 1 July 2025: 34 provinces and 3,321 communes after the reform that
# abolished districts. Codes are the statistics office's. The file was written from the PyPI
# package vietnam-provinces 2025.10.1 by scripts/admin_units_csv.py; a test compares the two.
CURRENT_LIST = AdminUnitList(
    code="2025-07-01",
    name="Đơn vị hành chính sau sắp xếp, từ ngày 01/07/2025",
    effective_from=dt.date(2025, 7, 1),
    source=(
        "Nghị quyết 202/2025/QH15 và các nghị quyết của Ủy ban Thường vụ Quốc hội về sắp xếp"
        " đơn vị hành chính cấp xã năm 2025; mã số của cơ quan thống kê"
    ),
    path=DATA_DIR / "don-vi-hanh-chinh-2025-07-01.csv",
)


class AdminUnitDataError(ValueError):
    """The data file cannot be loaded; the message says which line and why, in Vietnamese."""


@dataclass(frozen=True)
class AdminUnitsLoaded:
    version: AdminUnitVersion
    provinces: int
    communes: int
    created: bool


def _rows(data: bytes) -> list[dict[str, str]]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise AdminUnitDataError(_("The file is not UTF-8 text.")) from exc
    reader = csv.DictReader(io.StringIO(text))
    if reader.fieldnames != HEADER:
        raise AdminUnitDataError(
            _("The first line must be the columns: %(columns)s.") % {"columns": ",".join(HEADER)}
        )
    rows = []
    seen: set[str] = set()
    for line, row in enumerate(reader, start=2):
        if None in row or any(value is None for value in row.values()):
            raise AdminUnitDataError(_("Line %(line)d: wrong number of columns.") % {"line": line})
        row = {key: vntext.clean_line(value) for key, value in row.items()}
        problem = None
        if not (len(row["province_code"]) == 2 and row["province_code"].isdigit()):
            problem = _("the province code must be two digits")
        elif not (len(row["commune_code"]) == 5 and row["commune_code"].isdigit()):
            problem = _("the commune code must be five digits")
        elif not row["province_name"] or not row["commune_name"]:
            problem = _("a name is missing")
        elif row["province_kind"] not in PROVINCE_KINDS:
            problem = _("unknown kind of province “%(kind)s”") % {"kind": row["province_kind"]}
        elif row["commune_kind"] not in COMMUNE_KINDS:
            problem = _("unknown kind of commune “%(kind)s”") % {"kind": row["commune_kind"]}
        elif row["commune_code"] in seen:
            problem = _("commune code %(code)s appears twice") % {"code": row["commune_code"]}
        if problem:
            raise AdminUnitDataError(
                _("Line %(line)d: %(problem)s.") % {"line": line, "problem": problem}
            )
        seen.add(row["commune_code"])
        rows.append(row)
    if not rows:
        raise AdminUnitDataError(_("The file lists no commune."))
    return rows


@transaction.atomic
def admin_units_load(
    *, unit_list: AdminUnitList = CURRENT_LIST, make_current: bool = True
) -> AdminUnitsLoaded:
    """Load a list of provinces and communes as a new version. Loading the same file again
    changes nothing; a different file under a code already loaded is refused, since records
    made under that version point at its rows."""
    data = unit_list.path.read_bytes()
    checksum = hashlib.sha256(data).hexdigest()
    existing = AdminUnitVersion.objects.filter(code=unit_list.code).first()
    if existing is not None:
        if existing.checksum != checksum:
            raise AdminUnitDataError(
                _(
                    "A list with the code %(code)s was already loaded from a different file."
                    " Give the new list a code of its own."
                )
                % {"code": unit_list.code}
            )
        if make_current and not existing.is_current:
            _make_current(existing)
        return AdminUnitsLoaded(
            existing, existing.provinces.count(), existing.communes.count(), created=False
        )

    rows = _rows(data)
    version = AdminUnitVersion.objects.create(
        code=unit_list.code,
        name=unit_list.name,
        effective_from=unit_list.effective_from,
        source=unit_list.source,
        checksum=checksum,
    )
    provinces: dict[str, Province] = {}
    for row in rows:
        code = row["province_code"]
        known = provinces.get(code)
        if known is None:
            provinces[code] = Province(
                version=version,
                code=code,
                name=vntext.normalize(row["province_name"]),
                kind=row["province_kind"],
            )
        elif known.name != vntext.normalize(row["province_name"]):
            raise AdminUnitDataError(
                _("Province %(code)s has two names in the file.") % {"code": code}
            )
    Province.objects.bulk_create(provinces.values())
    ids = dict(Province.objects.filter(version=version).values_list("code", "id"))
    Commune.objects.bulk_create(
        (
            Commune(
                version=version,
                province_id=ids[row["province_code"]],
                code=row["commune_code"],
                name=vntext.normalize(row["commune_name"]),
                kind=row["commune_kind"],
            )
            for row in rows
        ),
        batch_size=1000,
    )
    if make_current:
        _make_current(version)
    return AdminUnitsLoaded(version, len(provinces), len(rows), created=True)


def _make_current(version: AdminUnitVersion) -> None:
    AdminUnitVersion.objects.filter(is_current=True).update(is_current=False)
    version.is_current = True
    version.save(update_fields=["is_current"])


@transaction.atomic
def unit_create(*, name: str, parent: Unit | None = None, headcount: int | None = None) -> Unit:
    name = vntext.normalize(name).strip()
    base = vntext.slugify(name, max_length=50) or "don-vi"
    code, n = base, 1
    while Unit.objects.filter(code=code).exists():
        n += 1
        code = f"{base}-{n}"
    return Unit.objects.create(name=name, code=code, parent=parent, headcount=headcount)
