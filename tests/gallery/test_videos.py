import struct

import pytest
from bs4 import BeautifulSoup
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from moduong.gallery.models import VideoCategory, VideoIndexPage, VideoPage

pytestmark = pytest.mark.django_db

LIBRARY = "/thu-vien-video/"


def _soup(response) -> BeautifulSoup:  # type: ignore[no-untyped-def]
    return BeautifulSoup(response.content, "html.parser")


def _box(kind: bytes, payload: bytes) -> bytes:
    return struct.pack(">I", 8 + len(payload)) + kind + payload


def mp4(seconds: int = 125, name: str = "phong-su.mp4") -> SimpleUploadedFile:
    """The boxes of an MP4 file a player reads first: its type and the movie header."""
    mvhd = _box(b"mvhd", b"\x00\x00\x00\x00" + struct.pack(">IIII", 0, 0, 1000, seconds * 1000))
    data = _box(b"ftyp", b"isom\x00\x00\x02\x00isomiso2mp41") + _box(b"moov", mvhd)
    return SimpleUploadedFile(name, data + b"\x00" * 64, content_type="video/mp4")


def _video(**fields: object) -> VideoPage:
    index = VideoIndexPage.objects.get(slug="thu-vien-video")
    video = VideoPage(title="Phóng sự mới", **fields)
    index.add_child(instance=video)
    video.save_revision().publish()
    return video


def test_library_lists_videos_with_duration_and_filters_by_category(site, client: Client) -> None:  # type: ignore[no-untyped-def]
    page = _soup(client.get(LIBRARY))
    assert len(page.select(".video-card")) == 3
    assert page.select_one(".video-duration").get_text() == "4:05"
    categories = [a.get_text(strip=True) for a in page.select(".subsections a")]
    assert categories[0] == "Tất cả" and "Tọa đàm" in categories
    filtered = _soup(client.get(LIBRARY + "?the-loai=toa-dam"))
    titles = [a.get_text(strip=True) for a in filtered.select(".video-card .card-title a")]
    assert titles == ["Tọa đàm: Văn hóa đọc trong gia đình"]
    assert "0:31:09" not in filtered.text and "31:09" in filtered.text
    assert filtered.h1.get_text(strip=True) == "Thư viện Video: Tọa đàm"


def test_an_unreachable_outside_host_falls_back_to_a_plain_link(site, client: Client) -> None:  # type: ignore[no-untyped-def]
    video = VideoPage.objects.get(slug="phong-su-mot-ngay-giua-nhung-gian-hang-sach-mua-thu")
    page = _soup(client.get(video.url))
    link = page.select_one(".video-fallback a")
    assert link["href"] == video.external_url
    assert link.get_text(strip=True) == "Xem video trên trang gốc"
    assert page.select_one("iframe") is None
    assert page.select_one(".video .meta time[datetime='PT245S']").get_text() == "4:05"


def test_an_uploaded_mp4_plays_with_poster_and_captions(site, client: Client) -> None:  # type: ignore[no-untyped-def]
    poster = VideoPage.objects.first().poster
    captions = SimpleUploadedFile(
        "phu de.vtt", b"WEBVTT\n\n00:00.000 --> 00:02.000\nXin ch\xc3\xa0o\n"
    )
    video = _video(video_file=mp4(), captions=captions, poster=poster)
    assert (video.video_type, video.duration) == ("video/mp4", 125)
    page = _soup(client.get(video.url))
    player = page.select_one("video[controls]")
    assert player["poster"].endswith(".jpg")
    assert player.source["type"] == "video/mp4"
    assert player.source["src"].startswith("/media/videos/phong-su")
    track = player.track
    assert (track["kind"], track["srclang"], track["label"]) == ("captions", "vi", "Tiếng Việt")
    assert page.select_one(".video .meta").get_text(" ", strip=True).endswith("Thời lượng 2:05")


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (
            lambda: SimpleUploadedFile("phim.mp4", b"MZ\x90\x00" + b"\x00" * 200),
            "không phải là video MP4 hoặc WebM",
        ),
        (
            lambda: SimpleUploadedFile("phim.webm", b"%PDF-1.4\n" + b"\x00" * 200),
            "không phải là video MP4 hoặc WebM",
        ),
        (lambda: mp4(name="phim.webm"), "phần đuôi tên tệp không khớp"),
        (
            lambda: SimpleUploadedFile(
                "anh.mp4", _box(b"ftyp", b"avif\x00\x00\x00\x00avifmif1") + b"\x00" * 200
            ),
            "không phải là video MP4 hoặc WebM",
        ),
    ],
    ids=["exe-as-mp4", "pdf-as-webm", "mp4-named-webm", "avif-picture-as-mp4"],
)
def test_a_file_that_claims_to_be_a_video_and_is_not_is_refused(site, upload, message) -> None:  # type: ignore[no-untyped-def]
    before = VideoPage.objects.count()
    with pytest.raises(ValidationError) as error:
        _video(video_file=upload())
    assert message in " ".join(error.value.message_dict["video_file"])
    assert VideoPage.objects.count() == before


def test_captions_must_be_webvtt_and_a_video_needs_a_source(site) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ValidationError) as error:
        _video(video_file=mp4(), captions=SimpleUploadedFile("a.vtt", b"1\n00:00:00,000 --> x"))
    assert "WebVTT" in error.value.message_dict["captions"][0]
    with pytest.raises(ValidationError) as error:
        _video()
    assert "tải lên tệp video hoặc nhập địa chỉ" in error.value.message_dict["video_file"][0]


def test_categories_get_vietnamese_slugs(site) -> None:  # type: ignore[no-untyped-def]
    category = VideoCategory.objects.create(name="  Đời sống   đô thị ")
    assert (category.name, category.slug) == ("Đời sống đô thị", "doi-song-do-thi")


def test_video_page_describes_itself_for_search_engines(site, client: Client) -> None:  # type: ignore[no-untyped-def]
    import json

    video = VideoPage.objects.get(slug="toa-dam-van-hoa-doc-trong-gia-dinh")
    data = json.loads(
        _soup(client.get(video.url)).find("script", type="application/ld+json").string
    )
    assert data["@type"] == "VideoObject" and data["name"] == video.title
    assert data["duration"] == "PT1869S" and data["embedUrl"] == video.external_url
    assert data["thumbnailUrl"][0].startswith("http://testserver/")


@pytest.mark.parametrize("url", ["/thu-vien-anh/", LIBRARY])
def test_bad_page_numbers_are_not_found_and_unknown_categories_show_everything(
    site, client: Client, url: str
) -> None:  # type: ignore[no-untyped-def]
    for junk in ("abc", "0", "-1", "999", "1e3", ""):
        assert client.get(f"{url}?trang={junk}").status_code == 404
    assert client.head(url).status_code == 200
    everything = _soup(client.get(url)).select(".card")
    assert len(_soup(client.get(f"{url}?the-loai=khong-co")).select(".card")) == len(everything)
