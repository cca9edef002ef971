"""Connection points from Excel: row-by-row errors, all or nothing, idempotent by code, and the
management command."""

import pytest
from django.core.management import CommandError, call_command
from openpyxl import load_workbook

from moduong.conferences.models import ConnectionPoint, ConnectionType
from moduong.conferences.services import conference_points_import

from .factories import conference, row, workbook

pytestmark = pytest.mark.django_db


def test_a_good_file_imports_every_point_with_its_commune_and_type(site) -> None:  # type: ignore[no-untyped-def]
    conf = conference()
    data = workbook(
        [row("HN-001"), row("HN-002", "phường Hoàn Kiếm"), row("HUE-1", c3="Huế", c4="")]
    )
    result = conference_points_import(conference=conf, data=data)
    assert result.errors == [] and result.created == 3
    first = ConnectionPoint.objects.get(conference=conf, code="HN-001")
    assert first.commune is not None and first.commune.name == "Phường Ba Đình"
    assert first.connection_type == ConnectionType.SOFTWARE and first.capacity == 120
    assert ConnectionPoint.objects.get(code="HN-002").commune.name == "Phường Hoàn Kiếm"  # type: ignore[union-attr]
    assert ConnectionPoint.objects.get(code="HUE-1").province.name == "Thành phố Huế"


def test_importing_again_changes_nothing_and_updates_by_code(site) -> None:  # type: ignore[no-untyped-def]
    conf = conference()
    data = workbook([row("HN-001"), row("HN-002")])
    conference_points_import(conference=conf, data=data)
    again = conference_points_import(conference=conf, data=data)
    assert (again.created, again.updated) == (0, 0)
    assert ConnectionPoint.objects.filter(conference=conf).count() == 2
    changed = conference_points_import(conference=conf, data=workbook([row("HN-001", c6=300)]))
    assert (changed.created, changed.updated) == (0, 1)
    assert ConnectionPoint.objects.get(conference=conf, code="HN-001").capacity == 300


def test_wrong_rows_are_reported_by_number_and_nothing_is_imported(site) -> None:  # type: ignore[no-untyped-def]
    conf = conference()
    data = workbook(
        [
            row("HN-001"),
            [None] * 11,  # an empty row: skipped, not an error
            row("HN-001"),  # duplicate code
            row("HN-003", "Phường Không Có"),  # unknown commune
            row("HN-004", c6="=B2*2"),  # a formula
            row("HN-005", c6=-5),
            row("HN-006", c7="vệ tinh"),
        ]
    )
    result = conference_points_import(conference=conf, data=data)
    lines = dict(result.errors)
    assert set(lines) == {4, 5, 6, 7, 8}
    assert "HN-001" in lines[4] and "2" in lines[4]
    assert "Phường Không Có" in lines[5]
    assert "Sức chứa" in lines[6] and "công thức" in lines[6]
    assert "sức chứa" in lines[7].lower()
    assert "hình thức kết nối" in lines[8].lower()
    assert not ConnectionPoint.objects.filter(conference=conf).exists()


def test_a_file_that_is_not_excel_or_has_other_headings_is_refused(site) -> None:  # type: ignore[no-untyped-def]
    conf = conference()
    assert conference_points_import(conference=conf, data=b"%PDF-1.4 nope").errors[0][0] == 0
    result = conference_points_import(conference=conf, data=workbook([["x"]], headings=["Mã"]))
    assert result.errors[0][0] == 1
    assert conference_points_import(conference=conf, data=workbook([])).errors


def test_the_command_imports_and_writes_the_error_report(site, tmp_path) -> None:  # type: ignore[no-untyped-def]
    conf = conference()
    good = tmp_path / "diem.xlsx"
    good.write_bytes(workbook([row("HN-001"), row("HN-002")]))
    call_command("conference-import-points", conf.slug, str(good))
    call_command("conference-import-points", conf.slug, str(good))
    assert ConnectionPoint.objects.filter(conference=conf).count() == 2
    bad = tmp_path / "sai.xlsx"
    bad.write_bytes(workbook([row("HN-009", "Phường Không Có")]))
    report = tmp_path / "loi.xlsx"
    with pytest.raises(CommandError, match="1 dòng"):
        call_command("conference-import-points", conf.slug, str(bad), "--report", str(report))
    sheet = load_workbook(report).active
    assert sheet is not None
    assert sheet.cell(2, 1).value == 2 and "Phường Không Có" in str(sheet.cell(2, 2).value)
    with pytest.raises(CommandError, match="khong-co"):
        call_command("conference-import-points", "khong-co", str(good))
