import datetime as dt
import io

import pypdfium2
import pytest
import zxingcpp
from bs4 import BeautifulSoup
from django.apps import apps
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from openpyxl import load_workbook
from PIL import Image

from moduong.bulletins import selectors, services
from moduong.bulletins.models import EditionPage, Place, QrCode, Scan, ScanSalt

from .conftest import CHROME

pytestmark = pytest.mark.django_db


def test_code_leads_to_the_latest_edition_with_a_302_and_is_counted(
    code, latest, client: Client
) -> None:  # type: ignore[no-untyped-def]
    before = Scan.objects.filter(code=code).count()
    response = client.get(f"/q/{code.code}", HTTP_USER_AGENT=CHROME, REMOTE_ADDR="203.0.113.9")
    assert response.status_code == 302
    assert response["Location"] == latest.url
    scan = Scan.objects.filter(code=code).latest("pk")
    assert Scan.objects.filter(code=code).count() == before + 1
    assert (scan.place_id, scan.edition_id, scan.browser) == (code.place_id, latest.pk, "Chrome")
    # No raw address anywhere in the row
    assert "203.0.113.9" not in str(Scan.objects.filter(pk=scan.pk).values().first())


def test_code_follows_a_newly_published_edition(code, latest, client: Client) -> None:  # type: ignore[no-untyped-def]
    client.get(f"/q/{code.code}", HTTP_USER_AGENT=CHROME)  # now cached
    newer = EditionPage(
        title="Số mới nhất", number=2, issue_date=latest.issue_date + dt.timedelta(days=30)
    )
    latest.get_parent().add_child(instance=newer)
    newer.save_revision().publish()
    assert client.get(f"/q/{code.code}", HTTP_USER_AGENT=CHROME)["Location"] == newer.url


def test_pinned_code_keeps_its_edition_and_can_be_repointed(series, client: Client) -> None:  # type: ignore[no-untyped-def]
    pinned = QrCode.objects.filter(series=series).exclude(edition=None).get()
    assert client.get(f"/q/{pinned.code}", HTTP_USER_AGENT=CHROME)["Location"] == pinned.edition.url
    pinned.edition = None
    pinned.save()
    latest = EditionPage.objects.child_of(series).live().order_by("-issue_date").first()
    assert client.get(f"/q/{pinned.code}", HTTP_USER_AGENT=CHROME)["Location"] == latest.url


@pytest.mark.parametrize(
    "path",
    [
        "/q/",
        "/q/" + "a" * 2000,
        "/q/../../etc/passwd",
        "/q/%2e%2e%2fadmin",
        "/q/zzzzzzz",  # well formed, no such code
        "/q/ABCDEFG",
        "/q/аbcdеfg",  # Cyrillic а and е
        "/q/ｂｃｄｅｆｇｈ",  # full-width letters
        "/q/bcdefgh/extra",
        "/q/%00%ff",
    ],
)
def test_anything_that_is_not_a_code_gets_a_vietnamese_page_and_is_not_counted(  # type: ignore[no-untyped-def]
    site, client: Client, path: str
) -> None:
    before = Scan.objects.count()
    response = client.get(path, HTTP_USER_AGENT=CHROME)
    assert response.status_code == 404
    page = BeautifulSoup(response.content, "html.parser")
    assert page.h1.get_text(strip=True) == "Không tìm thấy mã này"
    assert Scan.objects.count() == before


def test_look_alike_of_a_real_code_is_not_that_code(code, client: Client) -> None:  # type: ignore[no-untyped-def]
    look_alike = code.code.upper()
    assert client.get(f"/q/{look_alike}", HTTP_USER_AGENT=CHROME).status_code == 404
    cyrillic = code.code.translate(str.maketrans("aeopc", "аеорс"))
    if cyrillic != code.code:
        assert client.get(f"/q/{cyrillic}", HTTP_USER_AGENT=CHROME).status_code == 404


def test_retired_code_says_so_and_is_not_counted(code, client: Client) -> None:  # type: ignore[no-untyped-def]
    client.get(f"/q/{code.code}", HTTP_USER_AGENT=CHROME)
    code.retired = True
    code.save()
    before = Scan.objects.count()
    response = client.get(f"/q/{code.code}", HTTP_USER_AGENT=CHROME)
    assert response.status_code == 410
    assert "không còn được dùng" in response.content.decode()
    assert Scan.objects.count() == before


def test_robots_and_link_previews_are_not_counted(code, client: Client) -> None:  # type: ignore[no-untyped-def]
    before = Scan.objects.count()
    for agent in [
        "Googlebot/2.1",
        "facebookexternalhit/1.1 (+http://www.facebook.com/externalhit_uatext.php)",
        "WhatsApp/2.23.20.0 A",
        "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 HeadlessChrome/120.0 Safari/537.36",
        "Go-http-client/1.1",
        "curl/8.0",
        "",
    ]:
        assert client.get(f"/q/{code.code}", HTTP_USER_AGENT=agent).status_code == 302
    assert Scan.objects.count() == before


def test_address_hash_changes_with_the_day_and_old_salts_are_deleted(code) -> None:  # type: ignore[no-untyped-def]
    services._salt.clear()
    ScanSalt.objects.all().delete()
    yesterday = ScanSalt.objects.create(
        day=timezone.localdate() - dt.timedelta(days=1), salt="00" * 32
    )
    first = services.visitor_hash("198.51.100.7")
    assert first == services.visitor_hash("198.51.100.7")
    assert first != services.visitor_hash("198.51.100.8")
    assert not ScanSalt.objects.filter(pk=yesterday.pk).exists()
    assert ScanSalt.objects.count() == 1
    # A new day's salt gives the same address another hash
    ScanSalt.objects.update(day=timezone.localdate() - dt.timedelta(days=1))
    services._salt.clear()
    ScanSalt.objects.create(day=timezone.localdate(), salt="11" * 32)
    assert services.visitor_hash("198.51.100.7") != first


def test_scans_behind_the_proxy_count_readers_not_the_proxy(code, client: Client, settings) -> None:  # type: ignore[no-untyped-def]
    """Behind the operator's proxy every request comes from the proxy's address: two readers
    must still be two visitors, and a forged X-Forwarded-For must not make one reader many."""
    settings.TRUSTED_PROXY_COUNT = 1
    Scan.objects.all().delete()
    for reader in ["198.51.100.1", "198.51.100.2"]:
        client.get(
            f"/q/{code.code}",
            HTTP_USER_AGENT=CHROME,
            REMOTE_ADDR="10.0.0.1",
            HTTP_X_FORWARDED_FOR=reader,
        )
    for forged in ["192.0.2.1", "192.0.2.2"]:
        client.get(
            f"/q/{code.code}",
            HTTP_USER_AGENT=CHROME,
            REMOTE_ADDR="10.0.0.1",
            HTTP_X_FORWARDED_FOR=f"{forged}, 198.51.100.3",
        )
    visitors = set(Scan.objects.values_list("visitor", flat=True))
    assert len(visitors) == 3
    assert services.visitor_hash("198.51.100.3") in visitors


def test_browser_families() -> None:
    assert services.browser_family("Mozilla/5.0 ... Zalo iOS") == "Zalo"
    assert services.browser_family("Mozilla/5.0 ... coc_coc_browser/120 Chrome/120") == "Cốc Cốc"
    assert services.browser_family("Mozilla/5.0 ... Version/17 Mobile Safari/604.1") == "Safari"
    assert services.browser_family("Mozilla/5.0 (X11) Gecko Firefox/130.0") == "Firefox"
    assert services.browser_family("Googlebot") is None


def test_code_files_decode_to_the_short_address(code, admin_client) -> None:  # type: ignore[no-untyped-def]
    png = admin_client.get(f"/admin/ban-tin/ma/{code.pk}.png")
    assert png["Content-Type"] == "image/png"
    found = zxingcpp.read_barcodes(Image.open(io.BytesIO(png.content)))
    assert [r.text for r in found] == [f"http://127.0.0.1:8000/q/{code.code}"]
    assert found[0].ec_level == "H"
    svg = admin_client.get(f"/admin/ban-tin/ma/{code.pk}.svg")
    assert svg["Content-Type"] == "image/svg+xml" and b"<svg" in svg.content
    pdf = admin_client.get(f"/admin/ban-tin/ma/{code.pk}.pdf")
    assert pdf.content.startswith(b"%PDF")
    assert admin_client.get(f"/admin/ban-tin/ma/{code.pk}.exe").status_code == 404


@pytest.mark.parametrize(("size", "per_page"), [("a4", 4), ("a5", 2), ("a4", 8)])
def test_poster_sheet_has_many_readable_codes_per_page(code, admin_client, size, per_page) -> None:  # type: ignore[no-untyped-def]
    response = admin_client.get(
        f"/admin/ban-tin/noi-dat/{code.place_id}/ap-phich/", {"size": size, "per_page": per_page}
    )
    assert response["Content-Type"] == "application/pdf"
    document = pypdfium2.PdfDocument(response.content)
    assert len(document) == 1
    image = document[0].render(scale=3).to_pil()
    texts = [r.text for r in zxingcpp.read_barcodes(image)]
    assert texts == [f"http://127.0.0.1:8000/q/{code.code}"] * per_page
    width_mm = document[0].get_width() * 25.4 / 72
    assert round(width_mm) == {"a4": 210, "a5": 148}[size]


def test_dashboard_and_excel_show_places_days_editions_and_unscanned_posters(  # type: ignore[no-untyped-def]
    series, latest, admin_client, client: Client
) -> None:
    ward = Place.objects.filter(kind=Place.Kind.COMMUNE).order_by("pk").first()
    quiet = services.place_create(label="Bảng tin chưa ai quét")
    services.code_create(series=series, place=quiet)
    ward_code = QrCode.objects.filter(place=ward, series=series).first()
    for _ in range(3):
        client.get(f"/q/{ward_code.code}", HTTP_USER_AGENT=CHROME)
    response = admin_client.get(f"/admin/ban-tin/{series.pk}/thong-ke/")
    assert response.status_code == 200
    page = BeautifulSoup(response.content, "html.parser")
    assert "Bảng tin chưa ai quét" in page.select_one(".never-scanned").get_text()
    assert ward.name not in page.select_one(".never-scanned").get_text()
    export = admin_client.get(f"/admin/ban-tin/{series.pk}/luot-quet.xlsx")
    book = load_workbook(io.BytesIO(export.content))
    assert book.sheetnames == [
        "Lượt quét",
        "Theo nơi đặt",
        "Theo ngày",
        "Theo số bản tin",
        "Chưa có lượt quét",
    ]
    rows = list(book["Lượt quét"].iter_rows(values_only=True))
    assert rows[0][:3] == ("Thời gian", "Mã", "Nơi đặt")
    assert (
        sum(1 for row in rows if row[1] == ward_code.code)
        == Scan.objects.filter(code=ward_code).count()
    )
    places = {row[0]: row[1] for row in book["Theo nơi đặt"].iter_rows(values_only=True)}
    assert places["Bảng tin chưa ai quét"] == 0
    assert places[ward.name] == Scan.objects.filter(place=ward).count()
    assert any(
        row[1] == quiet.name for row in book["Chưa có lượt quét"].iter_rows(values_only=True)
    )


def test_dashboard_needs_the_permission(series, client: Client) -> None:  # type: ignore[no-untyped-def]
    assert client.get(f"/admin/ban-tin/{series.pk}/thong-ke/").status_code in (302, 403)


def test_dashboard_queries_do_not_grow_with_the_places(series, admin_client) -> None:  # type: ignore[no-untyped-def]
    """A series posted in every ward of the province must open its dashboard as fast as one
    posted in two: the places' names come with the places, not one query each."""
    communes = apps.get_model("units", "Commune").objects.order_by("pk")[:6]

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            response = admin_client.get(f"/admin/ban-tin/{series.pk}/thong-ke/")
        assert response.status_code == 200
        return len(captured)

    queries()  # the session and the site are cached by the first request
    before = queries()
    for commune in communes:
        place = services.place_create(commune_id=commune.pk)
        services.code_create(series=series, place=place)
    assert len(communes) == 6
    assert queries() == before
    names = [place.name for place, _n, _last in selectors.dashboard(series=series).per_place]
    assert all(commune.name in names for commune in communes)
