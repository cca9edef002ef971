from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from django.test import Client, override_settings

from moduong.core.models import MenuItem, SiteContact
from moduong.news.models import StandardPage

REFERENCE_MENU = [
    "Giới thiệu",
    "Thể loại sách",
    "Sách điện tử",
    "Bạn đọc và NXB",
    "Các bài viết",
    "Kế hoạch đề tài",
    "Giao lưu trực tuyến",
    "Thư viện ảnh",
    "Thư viện Video",
]


def _soup(response) -> BeautifulSoup:  # type: ignore[no-untyped-def]
    return BeautifulSoup(response.content, "html.parser")


@pytest.mark.django_db
def test_header_carries_the_reference_menu_in_order(site, client: Client) -> None:
    soup = _soup(client.get("/"))
    nav = soup.find("nav", attrs={"aria-label": "Menu chính"})
    labels = [a.get_text(strip=True) for a in nav.select("#menu-chinh > li > a")]
    assert [label for label in labels if label in REFERENCE_MENU] == REFERENCE_MENU
    news = nav.find("a", string="Tin tức").find_parent("li")
    assert [a.get_text() for a in news.select(".submenu a")] == [
        "Tin tổng hợp",
        "Tin dự án",
        "Tin mới",
    ]


@pytest.mark.django_db
def test_every_menu_entry_leads_to_a_page_not_a_404(site, client: Client) -> None:
    soup = _soup(client.get("/"))
    hrefs = {a["href"] for a in soup.select("#menu-chinh a")}
    assert len(hrefs) >= 13
    for href in hrefs:
        response = client.get(href)
        assert response.status_code == 200, href


@pytest.mark.django_db
def test_a_module_not_built_yet_says_what_will_be_there(site, client: Client) -> None:
    # Its own placeholder: the demo's menu pages become real modules one by one.
    from moduong.news.models import HomePage

    placeholder = StandardPage(
        title="Cuộc thi trực tuyến",
        slug="cuoc-thi-truc-tuyen",
        intro="Các cuộc thi tìm hiểu trực tuyến sẽ được tổ chức tại đây.",
        coming_soon=True,
    )
    HomePage.objects.get().add_child(instance=placeholder)
    placeholder.save_revision().publish()
    body = client.get("/cuoc-thi-truc-tuyen/").content.decode()
    assert "Phần này của trang đang được xây dựng" in body
    assert "Các cuộc thi tìm hiểu trực tuyến sẽ được tổ chức tại đây." in body


@pytest.mark.django_db
def test_editor_changes_to_the_menu_show_at_once(site, client: Client) -> None:
    client.get("/")  # fills the menu cache
    MenuItem.objects.filter(label="Thư viện ảnh").update(label="unused")  # no signal: stays cached
    item = MenuItem.objects.get(label="unused")
    item.label = "Ảnh tư liệu"
    item.save()
    body = client.get("/").content.decode()
    assert "Ảnh tư liệu" in body
    item.delete()
    assert "Ảnh tư liệu" not in client.get("/").content.decode()


@pytest.mark.django_db
def test_the_menu_marks_the_page_the_reader_is_on(site, client: Client) -> None:
    def current(path: str) -> list[str]:
        nav = _soup(client.get(path)).find("nav", attrs={"aria-label": "Menu chính"})
        return [a["href"] for a in nav.select("[aria-current=page]")]

    assert current("/") == ["/"]
    assert current("/tin-tuc/tin-du-an/") == ["/tin-tuc/tin-du-an/"]
    assert current("/tin-tuc/") == ["/tin-tuc/"]
    assert current("/tim-kiem/") == []  # the same menu served from this process, no mark


@pytest.mark.django_db
def test_a_cache_that_lost_everything_never_brings_back_an_old_menu(site, client: Client) -> None:
    """Redis keeps nothing on disk: after its restart each process may still hold the menu it
    rendered, and must not serve it under the generation that starts again."""
    from django.core.cache import cache

    def menu_labels() -> list[str]:
        nav = _soup(client.get("/")).find("nav", attrs={"aria-label": "Menu chính"})
        return [a.get_text(strip=True) for a in nav.select("a")]

    assert "Thư viện ảnh" in menu_labels()
    MenuItem.objects.filter(label="Thư viện ảnh").update(label="Ảnh tư liệu")  # no signal
    cache.clear()
    labels = menu_labels()
    assert "Ảnh tư liệu" in labels and "Thư viện ảnh" not in labels


@pytest.mark.django_db
def test_footer_shows_the_office_contact_from_site_settings(site, client: Client) -> None:
    contact = SiteContact.for_site(site)
    contact.phone = "0243 999 8888"
    contact.save()
    footer = _soup(client.get("/")).find("footer")
    assert "0243 999 8888" in footer.get_text()
    assert "Nhà xuất bản Mở Đường" in footer.get_text()


@pytest.mark.django_db
def test_breadcrumb_leads_home(site, client: Client) -> None:
    soup = _soup(client.get("/tin-tuc/tin-moi/"))
    crumbs = [li.get_text(strip=True) for li in soup.select(".breadcrumbs li")]
    assert crumbs == ["Trang chủ", "Tin tức", "Tin mới"]


@pytest.mark.django_db
def test_page_is_accessible_by_structure(site, client: Client) -> None:
    soup = _soup(client.get("/"))
    assert soup.html["lang"] == "vi"
    skip = soup.find("a", class_="skip-link")
    assert skip["href"] == "#noi-dung" and soup.find(id="noi-dung").name == "main"
    assert soup.find("header") and soup.find("footer") and soup.find("nav")
    search = soup.find("form", attrs={"role": "search"})
    field = search.find("input", attrs={"name": "q"})
    assert soup.find("label", attrs={"for": field["id"]})
    assert soup.find("meta", attrs={"name": "viewport"})


@pytest.mark.django_db
def test_header_offers_login_and_registration_to_guests(site, client: Client) -> None:
    links = {
        a.get_text(strip=True): a["href"] for a in _soup(client.get("/")).select(".account-links a")
    }
    assert links == {"Đăng nhập": "/tai-khoan/login/", "Đăng ký": "/tai-khoan/signup/"}


@pytest.mark.django_db
def test_search_box_echoes_the_query_safely(site, client: Client) -> None:
    response = client.get("/tim-kiem/", {"q": "<script>alert(1)</script> nghị quyết"})
    assert response.status_code == 200
    body = response.content.decode()
    assert "<script>alert(1)</script>" not in body
    assert "&lt;script&gt;" in body


@pytest.mark.django_db
@override_settings(PAGE_CACHE_SECONDS=60)
def test_anonymous_pages_are_cached_until_something_is_published(site, client: Client) -> None:
    first = client.get("/gioi-thieu/")
    assert first["X-Page-Cache"] == "miss"
    second = client.get("/gioi-thieu/")
    assert second["X-Page-Cache"] == "hit"
    assert second.content == first.content

    page = StandardPage.objects.get(slug="gioi-thieu")
    page.title = "Về chúng tôi"
    page.save_revision().publish()
    third = client.get("/gioi-thieu/")
    assert third["X-Page-Cache"] == "miss"
    assert "Về chúng tôi" in third.content.decode()


@pytest.mark.django_db
@override_settings(PAGE_CACHE_SECONDS=60)
def test_logged_in_readers_never_get_a_cached_page(site, client: Client) -> None:
    from tests.factories import UserFactory

    client.get("/")
    user = UserFactory(full_name="Trần Thị Mai")
    client.force_login(user)
    response = client.get("/")
    assert "X-Page-Cache" not in response
    assert "Trần Thị Mai" in response.content.decode()


@pytest.mark.django_db
def test_robots_and_sitemap(site, client: Client) -> None:
    robots = client.get("/robots.txt").content.decode()
    assert "Sitemap: http://testserver/sitemap.xml" in robots
    sitemap = client.get("/sitemap.xml").content.decode()
    assert "/gioi-thieu/" in sitemap


@pytest.mark.django_db
def test_uploaded_documents_never_run_on_the_site(site, client: Client) -> None:
    from django.contrib.auth import get_user_model
    from django.core.files.uploadedfile import SimpleUploadedFile

    admin = get_user_model().objects.get(username="admin")
    client.force_login(admin)
    response = client.post(
        "/admin/documents/add/",
        {
            "title": "trang độc",
            "file": SimpleUploadedFile("x.html", b"<script>alert(1)</script>"),
            "collection": 1,
        },
    )
    assert "Không nhận tệp đuôi “html”" in response.content.decode()
    from wagtail.documents.models import Document

    assert not Document.objects.filter(title="trang độc").exists()
    assert client.get("/media/documents/x.html").status_code == 404


@pytest.mark.django_db
def test_other_modules_fill_their_place_on_the_home_page(site, client: Client, settings) -> None:
    from moduong.core import home_panels
    from moduong.core.services import page_cache_invalidate

    settings.TEMPLATES = [{**settings.TEMPLATES[0], "DIRS": [Path(__file__).parent / "templates"]}]
    home_panels.register(
        "tests/home_panel.html", lambda: {"heading": "Sách điện tử mới", "text": "Ba cuốn mới."}
    )
    home_panels.register("tests/home_panel.html", lambda: None, order=99)  # nothing to show
    try:
        page_cache_invalidate()
        soup = _soup(client.get("/"))
        panels = soup.select(".home-panel")
        assert [p.h2.get_text() for p in panels] == ["Sách điện tử mới"]
    finally:
        home_panels.unregister("tests/home_panel.html")


def test_listing_pages_are_linked_around_the_current_page() -> None:
    from django.core.paginator import Paginator
    from django.template.loader import render_to_string

    page = Paginator(range(500), 10).page(20)
    html = render_to_string(
        "core/includes/pagination.html", {"page_obj": page, "query": "nam=2025&"}
    )
    assert '<span aria-current="page">20</span>' in html
    for number in (1, 18, 19, 21, 22, 50):
        assert f'href="?nam=2025&amp;trang={number}"' in html
    assert 'href="?nam=2025&amp;trang=19" rel="prev"' in html
    assert 'trang=10"' not in html and html.count("…") == 2
