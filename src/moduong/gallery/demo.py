"""Demo content for Thư viện ảnh and Thư viện Video: pictures drawn here with Pillow (one of them
with a GPS position in its EXIF, which the upload removes), our own captions. Idempotent."""

from __future__ import annotations

import datetime as dt
import math
from io import BytesIO

import av
from django.core.files.base import ContentFile
from django.core.files.images import ImageFile
from django.utils import timezone
from PIL import Image as PILImage
from PIL import ImageDraw
from wagtail.images.models import Image
from wagtail.models import Page

from moduong.core.demo import placeholder_replace

from .models import (
    AlbumPage,
    AlbumPhoto,
    GalleryIndexPage,
    VideoCategory,
    VideoIndexPage,
    VideoPage,
)

ALBUMS = [
    (
        "Hội sách mùa thu ở công viên Thống Nhất",
        "hoi-sach-mua-thu-cong-vien-thong-nhat",
        "Ba ngày hội sách với hơn sáu mươi gian hàng, các buổi ký tặng và góc đọc cho thiếu nhi.",
        "Minh Đức",
        True,
        [
            "Cổng chính hội sách sáng ngày khai mạc",
            "Bạn đọc nhỏ tuổi ở góc truyện tranh",
            "Tác giả ký tặng sách cho bạn đọc",
            "Gian hàng sách lý luận chính trị",
            "Buổi tối cuối cùng của hội sách",
        ],
    ),
    (
        "Chuyến xe sách về xã Minh Phú",
        "chuyen-xe-sach-ve-xa-minh-phu",
        "Tủ sách cộng đồng thứ mười hai được trao cho nhà văn hóa thôn Đồng Đầm.",
        "Thu Trang",
        False,
        [
            "Xe sách dừng trước nhà văn hóa thôn",
            "Các em học sinh chọn sách mượn đầu tiên",
            "Cán bộ thư viện hướng dẫn ghi sổ mượn",
            "Tủ sách mới sau buổi trao tặng",
        ],
    ),
]

DRAWN_SECONDS = 6
DRAWN_CAPTIONS = """WEBVTT

00:00:00.000 --> 00:00:02.000
Sổ tay hòa giải ở cơ sở, sách mới của Mở Đường.

00:00:02.000 --> 00:00:04.000
Những tình huống thường gặp ở tổ dân phố, kể bằng lời dễ hiểu.

00:00:04.000 --> 00:00:06.000
Có ở thư viện xã và trên cổng thông tin.
"""


def drawn_video() -> bytes:
    """A short WebM (VP8), drawn frame by frame: a sun rising over rows of book spines, so the
    demo has a video that plays with no network. PyAV brings the encoder in its wheel."""
    rate, width, height = 12, 640, 360
    buffer = BytesIO()
    with av.open(buffer, mode="w", format="webm") as container:
        stream = container.add_stream("libvpx", rate=rate)
        stream.width, stream.height, stream.pix_fmt = width, height, "yuv420p"
        stream.options = {"deadline": "realtime", "cpu-used": "8", "b": "300k"}
        for frame in range(DRAWN_SECONDS * rate):
            step = frame / (DRAWN_SECONDS * rate)
            picture = PILImage.new("RGB", (width, height), (22, 78 + int(60 * step), 99))
            draw = ImageDraw.Draw(picture)
            sun = int(240 - 170 * step)
            draw.ellipse((420, sun, 520, sun + 100), fill=(255, 213, 74))
            for spine in range(16):
                colour = ((155, 28, 28), (20, 83, 45), (88, 28, 135), (124, 45, 18))[spine % 4]
                top = 250 - (spine * 37) % 50
                draw.rectangle((20 + spine * 38, top, 50 + spine * 38, 340), fill=colour)
            for packet in stream.encode(av.VideoFrame.from_image(picture)):
                container.mux(packet)
        for packet in stream.encode():
            container.mux(packet)
    return buffer.getvalue()


VIDEOS = [
    (
        "Phóng sự: Một ngày giữa những gian hàng sách mùa thu",
        "Phóng sự",
        "Những gương mặt bạn đọc, những cuộc trò chuyện bên gian hàng sách và khoảnh khắc ký"
        " tặng trong ngày hội sách.",
        245,
    ),
    (
        "Tọa đàm: Văn hóa đọc trong gia đình",
        "Tọa đàm",
        "Các khách mời bàn về cách nuôi dưỡng thói quen đọc cho trẻ em từ những việc nhỏ mỗi ngày.",
        1869,
    ),
    (
        "Giới thiệu sách: Sổ tay hòa giải ở cơ sở",
        "Giới thiệu sách",
        "Biên tập viên giới thiệu những điểm mới của cuốn sổ tay dành cho tổ hòa giải.",
        312,
    ),
]

PALETTE = [
    ((20, 83, 45), (187, 247, 208)),
    ((22, 78, 99), (125, 211, 252)),
    ((124, 45, 18), (254, 215, 170)),
    ((88, 28, 135), (233, 213, 255)),
    ((155, 28, 28), (255, 213, 74)),
]


def _gps_exif() -> bytes:
    """EXIF saying the picture was taken in Hà Nội (21.03° N, 105.85° E)."""

    exif = PILImage.Exif()
    exif[0x010F] = "Demo camera"
    exif[0x8825] = {1: "N", 2: (21.0, 1.0, 48.0), 3: "E", 4: (105.0, 51.0, 0.0)}
    return exif.tobytes()


def drawn_photo(number: int, name: str, with_gps: bool = False) -> ImageFile:

    dark, light = PALETTE[number % len(PALETTE)]
    picture = PILImage.new("RGB", (1200, 800), dark)
    draw = ImageDraw.Draw(picture)
    for step in range(14):
        angle = step * math.pi / 7 + number
        x, y = 600 + 380 * math.cos(angle), 400 + 250 * math.sin(angle)
        radius = 40 + 6 * step
        draw.ellipse((x - radius, y - radius, x + radius, y + radius), outline=light, width=8)
    draw.rectangle((0, 700, 1200, 800), fill=light)
    buffer = BytesIO()
    picture.save(buffer, "JPEG", quality=80, **({"exif": _gps_exif()} if with_gps else {}))
    return ImageFile(buffer, name=name)


def load(home: Page, created: list[str]) -> None:

    gallery = placeholder_replace(
        home=home,
        slug="thu-vien-anh",
        page=GalleryIndexPage(
            title="Thư viện ảnh",
            intro="Các album ảnh về hoạt động xuất bản, hội sách và những chuyến sách về cơ sở.",
            show_in_menus=True,
        ),
    )
    today = timezone.localdate()
    if isinstance(gallery, GalleryIndexPage) and not AlbumPage.objects.child_of(gallery).exists():
        number = 0
        for index, (title, slug, description, photographer, download, captions) in enumerate(
            ALBUMS
        ):
            album = AlbumPage(
                title=title,
                slug=slug,
                description=description,
                photographer=photographer,
                allow_download=download,
                date=today - dt.timedelta(days=12 + 25 * index),
            )
            for order, caption in enumerate(captions):
                image = Image(title=caption)
                image.file = drawn_photo(number, f"album-{index + 1}-{order + 1}.jpg", order == 0)
                image.save()
                number += 1
                album.photos.add(AlbumPhoto(image=image, caption=caption, sort_order=order))
            gallery.add_child(instance=album)
            album.save_revision().publish()
        created.append("thư viện ảnh")

    videos = placeholder_replace(
        home=home,
        slug="thu-vien-video",
        page=VideoIndexPage(
            title="Thư viện Video",
            intro="Phóng sự, tọa đàm và giới thiệu sách bằng hình ảnh.",
            show_in_menus=True,
        ),
    )
    if isinstance(videos, VideoIndexPage) and not VideoPage.objects.child_of(videos).exists():
        for index, (title, category_name, description, seconds) in enumerate(VIDEOS):
            category, _ = VideoCategory.objects.get_or_create(name=category_name)
            poster = Image(title=f"Ảnh đại diện video {index + 1}")
            poster.file = drawn_photo(index + 2, f"video-{index + 1}.jpg")
            poster.save()
            video = VideoPage(
                title=title,
                description=description,
                category=category,
                duration=seconds,
                poster=poster,
                external_url=f"https://www.youtube.com/watch?v=moduong-{index + 1}",
                date=today - dt.timedelta(days=5 + 11 * index),
            )
            if index == len(VIDEOS) - 1:
                # One video that plays offline: drawn and encoded here, with its captions.
                video.external_url = ""
                video.duration = DRAWN_SECONDS
                video.video_file = ContentFile(drawn_video(), name="gioi-thieu-sach.webm")
                video.captions = ContentFile(DRAWN_CAPTIONS.encode(), name="gioi-thieu-sach.vtt")
            videos.add_child(instance=video)
            video.save_revision().publish()
        created.append("thư viện video")
