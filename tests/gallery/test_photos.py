from io import BytesIO

import pytest
from bs4 import BeautifulSoup
from django.core.files.images import ImageFile
from django.test import Client
from PIL import Image as PILImage
from wagtail.images.models import Image

from moduong.gallery.demo import drawn_photo
from moduong.gallery.models import AlbumPage

pytestmark = pytest.mark.django_db

OPEN_ALBUM = "/thu-vien-anh/hoi-sach-mua-thu-cong-vien-thong-nhat/"
CLOSED_ALBUM = "/thu-vien-anh/chuyen-xe-sach-ve-xa-minh-phu/"


def _soup(response) -> BeautifulSoup:  # type: ignore[no-untyped-def]
    return BeautifulSoup(response.content, "html.parser")


def _exif(data: bytes) -> dict[int, object]:
    with PILImage.open(BytesIO(data)) as image:
        return dict(image.getexif())


def test_library_lists_albums_with_cover_date_and_count(site, client: Client) -> None:  # type: ignore[no-untyped-def]
    page = _soup(client.get("/thu-vien-anh/"))
    titles = [a.get_text(strip=True) for a in page.select(".album-card .card-title a")]
    assert titles == ["Hội sách mùa thu ở công viên Thống Nhất", "Chuyến xe sách về xã Minh Phú"]
    assert page.select_one(".album-card .meta").get_text(" ", strip=True).endswith("5 ảnh")
    assert page.select_one(".album-card picture source[type='image/webp']")


def test_album_has_captions_photographer_and_responsive_webp(site, client: Client) -> None:  # type: ignore[no-untyped-def]
    page = _soup(client.get(OPEN_ALBUM))
    assert "Ảnh: Minh Đức" in page.select_one(".album .meta").get_text()
    figures = page.select(".photo-grid figure")
    assert len(figures) == 5
    first = figures[0]
    assert first.figcaption.get_text(" ", strip=True).startswith(
        "Cổng chính hội sách sáng ngày khai mạc"
    )
    webp = first.select_one("source[type='image/webp']")
    assert webp["srcset"].count(".webp") == 2 and " 800w" in webp["srcset"]
    assert webp["sizes"]
    img = first.select_one("img")
    assert img["alt"] == "Cổng chính hội sách sáng ngày khai mạc"
    assert img["loading"] == "lazy" and img["srcset"].count(".jpg") == 2
    link = first.select_one("a.photo-link")
    assert link["href"].endswith(".jpg") and link["data-webp"].endswith(".webp")
    dialog = page.select_one("dialog.viewer")
    labels = {b["aria-label"] for b in dialog.select("button")}
    assert labels == {"Ảnh trước", "Ảnh sau", "Đóng trình xem ảnh"}


def test_originals_download_only_where_the_album_allows_it(site, client: Client) -> None:  # type: ignore[no-untyped-def]
    open_album = AlbumPage.objects.get(slug="hoi-sach-mua-thu-cong-vien-thong-nhat")
    closed = AlbumPage.objects.get(slug="chuyen-xe-sach-ve-xa-minh-phu")
    photo = open_album.photos.first()
    page = _soup(client.get(OPEN_ALBUM))
    assert page.select_one(".photo-download")["href"] == f"{OPEN_ALBUM}tai-anh/{photo.pk}/"
    response = client.get(f"{OPEN_ALBUM}tai-anh/{photo.pk}/")
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    data = b"".join(response.streaming_content)
    assert 0x8825 not in _exif(data)  # the original the reader gets has no GPS position
    assert _soup(client.get(CLOSED_ALBUM)).select_one(".photo-download") is None
    other = closed.photos.first()
    assert client.get(f"{CLOSED_ALBUM}tai-anh/{other.pk}/").status_code == 404
    # A photo of another album is not reachable through this one, nor one that cannot exist.
    assert client.get(f"{OPEN_ALBUM}tai-anh/{other.pk}/").status_code == 404
    assert client.get(f"{OPEN_ALBUM}tai-anh/{'9' * 25}/").status_code == 404


def test_gps_position_is_removed_from_every_uploaded_image(site) -> None:  # type: ignore[no-untyped-def]
    source = drawn_photo(1, "co-vi-tri.jpg", with_gps=True)
    source.seek(0)
    assert 0x8825 in _exif(source.read())
    source.seek(0)
    image = Image(title="Ảnh có vị trí")
    image.file = source
    image.save()
    with image.file.open("rb") as stored:
        data = stored.read()
    assert 0x8825 not in _exif(data)
    assert _exif(data)[0x010F] == "Demo camera"  # the rest of the metadata stays
    assert image.file_size == len(data)
    assert (image.width, image.height) == (1200, 800)
    rendition = image.get_rendition("width-400|format-webp")
    with rendition.file.open("rb") as stored:
        assert 0x8825 not in _exif(stored.read())


def test_an_image_without_location_is_stored_untouched(site) -> None:  # type: ignore[no-untyped-def]
    buffer = BytesIO()
    PILImage.new("RGB", (300, 200), (10, 20, 30)).save(buffer, "PNG")
    original = buffer.getvalue()
    image = Image(title="Ảnh PNG")
    image.file = ImageFile(BytesIO(original), name="anh.png")
    image.save()
    with image.file.open("rb") as stored:
        assert stored.read() == original


def test_album_page_query_count(site, client: Client, django_assert_max_num_queries) -> None:  # type: ignore[no-untyped-def]
    client.get(OPEN_ALBUM)
    with django_assert_max_num_queries(12):
        assert client.get(OPEN_ALBUM).status_code == 200


def test_library_query_count_does_not_grow_with_the_albums(
    site, client: Client, django_assert_max_num_queries
) -> None:  # type: ignore[no-untyped-def]
    """Albums without a chosen cover show their first photo: read with the album list, not
    one query an album."""
    index = AlbumPage.objects.first().get_parent()
    source = AlbumPage.objects.get(slug="chuyen-xe-sach-ve-xa-minh-phu")
    for number in range(6):
        album = AlbumPage(title=f"Album thêm {number}", cover=None)
        index.add_child(instance=album)
        album.photos.create(image=source.photos.first().image, caption="Ảnh")
        album.save_revision().publish()
    client.get("/thu-vien-anh/")
    with django_assert_max_num_queries(6):  # as many as with the two albums of the demo
        page = _soup(client.get("/thu-vien-anh/"))
    assert len(page.select(".album-card picture")) == 8


def test_originals_of_an_album_are_never_at_a_public_address(site, client: Client) -> None:  # type: ignore[no-untyped-def]
    closed = AlbumPage.objects.get(slug="chuyen-xe-sach-ve-xa-minh-phu")
    original = closed.photos.first().image.file.name
    assert original.startswith("original_images/")
    assert client.get(f"/media/{original}").status_code == 404
    page = client.get(CLOSED_ALBUM).content.decode()
    assert "original_images" not in page
    # Renditions, which pages show, stay public.
    src = _soup(client.get(CLOSED_ALBUM)).select_one(".photo-link")["href"]
    rendition = client.get(src)
    assert src.startswith("/media/images/") and rendition.status_code == 200
    rendition.close()


def test_behind_nginx_an_allowed_original_is_sent_by_nginx(site, client: Client, settings) -> None:  # type: ignore[no-untyped-def]
    settings.ACCEL_REDIRECT_PREFIX = "/_noi-bo/"
    photo = AlbumPage.objects.get(slug="hoi-sach-mua-thu-cong-vien-thong-nhat").photos.first()
    response = client.get(f"{OPEN_ALBUM}tai-anh/{photo.pk}/")
    assert response.status_code == 200 and response.content == b""
    assert response["X-Accel-Redirect"] == f"/_noi-bo/media/{photo.image.file.name}"
    assert response["Content-Disposition"].startswith("attachment")


def test_a_login_only_album_is_not_listed_in_the_photo_library(site, client: Client) -> None:  # type: ignore[no-untyped-def]
    from django.core.cache import cache
    from wagtail.models import PageViewRestriction

    closed = AlbumPage.objects.get(slug="chuyen-xe-sach-ve-xa-minh-phu")
    assert closed.title in client.get("/thu-vien-anh/").content.decode()
    PageViewRestriction.objects.create(page=closed, restriction_type=PageViewRestriction.LOGIN)
    cache.clear()
    assert client.get(CLOSED_ALBUM).status_code == 302
    assert closed.title not in client.get("/thu-vien-anh/").content.decode()
    assert CLOSED_ALBUM not in client.get("/sitemap.xml").content.decode()
