import csv
import dataclasses
import json
from pathlib import Path

import pytest
import vietnam_provinces
from django.core.management import call_command
from django.test import Client

from moduong.bulletins.models import Place, QrCode
from moduong.conferences.models import ConnectionPoint
from moduong.core import vntext
from moduong.units.models import AdminUnitVersion, Commune, Province
from moduong.units.selectors import communes_list, provinces_list
from moduong.units.services import CURRENT_LIST, AdminUnitDataError, admin_units_load
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_the_shipped_list_has_the_34_provinces_and_3321_communes_of_july_2025() -> None:
    # The demo content that every test starts from has loaded it already (and placed its
    # conference's connection points in its communes, which protect them).
    ConnectionPoint.objects.all().delete()
    QrCode.objects.all().delete()  # the demo's posters hang in its communes
    Place.objects.all().delete()
    Commune.objects.all().delete()
    Province.objects.all().delete()
    AdminUnitVersion.objects.all().delete()
    loaded = admin_units_load()
    assert (loaded.provinces, loaded.communes, loaded.created) == (34, 3321, True)
    version = AdminUnitVersion.objects.get()
    assert version.is_current and version.effective_from.isoformat() == "2025-07-01"
    assert Province.objects.count() == 34
    assert Commune.objects.count() == 3321
    assert Commune.objects.filter(kind="đặc khu").count() == 13
    hanoi = Province.objects.get(code="01")
    assert (hanoi.name, hanoi.short_name) == ("Thành phố Hà Nội", "Hà Nội")
    assert hanoi.communes.filter(name="Phường Hoàn Kiếm").exists()


def test_the_shipped_file_agrees_with_the_package_it_was_written_from() -> None:
    data = Path(vietnam_provinces.__file__).parent / "data" / "nested-divisions.json"
    theirs = {
        (f"{p['code']:02d}", f"{w['code']:05d}", vntext.normalize(w["name"]))
        for p in json.loads(data.read_text(encoding="utf-8"))
        for w in p["wards"]
    }
    with CURRENT_LIST.path.open(encoding="utf-8") as file:
        ours = {
            (row["province_code"], row["commune_code"], vntext.normalize(row["commune_name"]))
            for row in csv.DictReader(file)
        }
    assert ours == theirs


def test_loading_again_changes_nothing_and_the_command_says_so(capsys) -> None:
    ConnectionPoint.objects.all().delete()
    QrCode.objects.all().delete()  # the demo's posters hang in its communes
    Place.objects.all().delete()
    Commune.objects.all().delete()
    Province.objects.all().delete()
    AdminUnitVersion.objects.all().delete()
    call_command("load-admin-units")
    first = capsys.readouterr().out
    call_command("load-admin-units")
    second = capsys.readouterr().out
    assert "Đã nạp" in first and "34 tỉnh" in first and "3.321 xã" in first
    assert "Đã có sẵn" in second
    assert AdminUnitVersion.objects.count() == 1 and Commune.objects.count() == 3321


def _list(tmp_path: Path, text: str, code: str = "thu") -> object:
    path = tmp_path / "list.csv"
    path.write_text(text, encoding="utf-8")
    return dataclasses.replace(CURRENT_LIST, code=code, path=path)


HEADER = "province_code,province_name,province_kind,commune_code,commune_name,commune_kind\n"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("ma,ten\n01,Hà Nội\n", "Dòng đầu tiên phải là tên các cột"),
        (HEADER + "1,Tỉnh A,tỉnh,00001,Xã B,xã\n", "Dòng 2: mã tỉnh phải có hai chữ số."),
        (HEADER + "01,Tỉnh A,tỉnh,00001,Xã B,thôn\n", "Dòng 2: không rõ loại xã “thôn”."),
        (
            HEADER + "01,Tỉnh A,tỉnh,00001,Xã B,xã\n01,Tỉnh A,tỉnh,00001,Xã C,xã\n",
            "Dòng 3: mã xã 00001 xuất hiện hai lần.",
        ),
        (HEADER + "01,Tỉnh A,tỉnh,00001\n", "Dòng 2: số cột không đúng."),
        (HEADER, "Tệp không có xã nào."),
    ],
)
def test_a_broken_file_is_refused_with_its_line_and_loads_nothing(
    tmp_path: Path, text: str, message: str
) -> None:
    before = (AdminUnitVersion.objects.count(), Province.objects.count())
    with pytest.raises(AdminUnitDataError) as refused:
        admin_units_load(unit_list=_list(tmp_path, text))
    assert message in str(refused.value)
    assert (AdminUnitVersion.objects.count(), Province.objects.count()) == before


def test_a_different_file_under_a_code_already_loaded_is_refused(tmp_path: Path) -> None:
    admin_units_load(unit_list=_list(tmp_path, HEADER + "01,Tỉnh A,tỉnh,00001,Xã B,xã\n"))
    with pytest.raises(AdminUnitDataError, match="đã được nạp từ một tệp khác"):
        admin_units_load(unit_list=_list(tmp_path, HEADER + "01,Tỉnh A,tỉnh,00001,Xã C,xã\n"))
    assert list(Commune.objects.filter(version__code="thu").values_list("name", flat=True)) == [
        "Xã B"
    ]


def test_a_new_list_becomes_current_and_the_old_one_keeps_its_rows(tmp_path: Path) -> None:
    admin_units_load()
    old_commune = Commune.objects.get(code="00070")
    admin_units_load(unit_list=_list(tmp_path, HEADER + "01,Tỉnh A,tỉnh,00001,Xã B,xã\n"))
    assert AdminUnitVersion.objects.get(is_current=True).code == "thu"
    assert [p.name for p in provinces_list()] == ["Tỉnh A"]
    old_commune.refresh_from_db()
    assert old_commune.version.code == CURRENT_LIST.code


def test_provinces_and_communes_are_listed_in_vietnamese_order_by_their_own_names() -> None:
    admin_units_load()
    names = [p.short_name for p in provinces_list()]
    assert names[0] == "An Giang"
    assert names.index("Cà Mau") < names.index("Cần Thơ") < names.index("Đà Nẵng")
    assert names.index("Điện Biên") < names.index("Đồng Nai") < names.index("Gia Lai")
    assert names.index("Hà Nội") < names.index("Hà Tĩnh") < names.index("Hải Phòng")
    hanoi = next(p for p in provinces_list() if p.code == "01")
    communes = [c.short_name for c in communes_list(province=hanoi)]
    assert communes == sorted(communes, key=vntext.sort_key)
    assert len(communes) == hanoi.communes.count()


def test_the_lists_are_read_only_in_the_admin(client: Client) -> None:
    admin_units_load()
    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    listing = client.get("/admin/snippets/units/province/?q=Hu%E1%BA%BF")
    assert listing.status_code == 200
    assert "Thành phố Huế" in listing.content.decode()
    hue = Province.objects.get(name="Thành phố Huế")
    assert client.get(f"/admin/snippets/units/province/inspect/{hue.pk}/").status_code == 200
    edit = client.post(f"/admin/snippets/units/province/edit/{hue.pk}/", {"name": "Huế mới"})
    assert edit.status_code in (302, 403)
    hue.refresh_from_db()
    assert hue.name == "Thành phố Huế"
    assert client.get("/admin/snippets/units/province/add/").status_code in (302, 403)
