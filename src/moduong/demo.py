"""Demo content: an office portal that looks lived in, written for Mở Đường.

Every sentence here is our own. Loading is idempotent: pages are found by slug, menu entries by
label, so a second run changes nothing and duplicates nothing.
"""

from __future__ import annotations

import datetime as dt
import os
import random
import secrets
from dataclasses import dataclass, field
from io import BytesIO

from django.conf import settings
from django.core.files.images import ImageFile
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone
from PIL import Image as PILImage
from PIL import ImageDraw
from wagtail.images.models import Image
from wagtail.models import Collection, Locale, Page, Site

from moduong import demo_text
from moduong.accounts.models import User
from moduong.awards.demo import awards_demo_load
from moduong.bulletins.demo import bulletins_demo_load
from moduong.community import demo as community_demo
from moduong.conferences.demo import conferences_demo_load
from moduong.contests.demo import contests_demo_load
from moduong.core.models import MenuItem, SiteContact
from moduong.gallery import demo as gallery_demo
from moduong.library.demo import library_demo_load
from moduong.monitoring.demo import monitoring_demo_load
from moduong.news.models import ArticlePage, HomePage, SectionPage, StandardPage
from moduong.search.services import search_index_rebuild
from moduong.training.demo import training_demo_load
from moduong.units.models import Unit
from moduong.units.services import admin_units_load, unit_create

HOME_INTRO = (
    "<p>Cổng thông tin của Nhà xuất bản Mở Đường: tin hoạt động, sách điện tử đọc trực tuyến,"
    " kế hoạch đề tài, thư bạn đọc và các cuộc giao lưu với tác giả. Mọi nội dung trên trang"
    " đều đọc được trên điện thoại, kể cả khi đường truyền chậm.</p>"
)

ABOUT_BODY = [
    ("heading", "Chúng tôi là ai"),
    (
        "paragraph",
        "<p>Nhà xuất bản Mở Đường là đơn vị xuất bản sách chính trị, lý luận và phổ biến kiến"
        " thức cho cán bộ, đảng viên và mọi người đọc. Mỗi năm chúng tôi phát hành vài trăm đầu"
        " sách, từ giáo trình bồi dưỡng lý luận đến sách hỏi đáp pháp luật dành cho thôn, tổ"
        " dân phố.</p>",
    ),
    ("heading", "Điều chúng tôi làm"),
    (
        "paragraph",
        "<ul><li>Biên tập và xuất bản sách in, sách điện tử;</li>"
        "<li>Tổ chức các cuộc thi tìm hiểu trực tuyến;</li>"
        "<li>Phát hành bản tin số đến cơ sở bằng mã QR;</li>"
        "<li>Giao lưu trực tuyến giữa bạn đọc với tác giả, chuyên gia.</li></ul>",
    ),
    (
        "quote",
        {
            "text": "Sách tốt phải đến được tay người cần đọc, dù họ ở thành phố hay ở bản xa.",
            "source": "Phương châm làm việc của Nhà xuất bản",
        },
    ),
    ("heading", "Liên hệ"),
    (
        "paragraph",
        "<p>Bạn đọc có thể gửi góp ý qua mục Bạn đọc và NXB, hoặc gọi số điện thoại ghi ở chân"
        " trang trong giờ hành chính.</p>",
    ),
]


@dataclass(frozen=True)
class Section:
    title: str
    slug: str
    intro: str
    coming_soon: bool = True
    children: tuple[Section, ...] = ()
    news: bool = False  # a news section (SectionPage) rather than a standard page
    all_articles: bool = False


SECTIONS: tuple[Section, ...] = (
    Section(
        "Giới thiệu",
        "gioi-thieu",
        "Lịch sử, chức năng và con người của Nhà xuất bản.",
        coming_soon=False,
    ),
    Section(
        "Tin tức",
        "tin-tuc",
        "Tin hoạt động của Nhà xuất bản và của ngành, cập nhật hằng ngày.",
        news=True,
        children=(
            Section(
                "Tin tổng hợp",
                "tin-tong-hop",
                "Tin tổng hợp về xuất bản, phát hành và văn hóa đọc.",
                news=True,
            ),
            Section(
                "Tin dự án",
                "tin-du-an",
                "Tiến độ các dự án sách và các chương trình đưa sách về cơ sở.",
                news=True,
            ),
            Section(
                "Tin mới",
                "tin-moi",
                "Những tin vừa đăng ở mọi chuyên mục.",
                news=True,
                all_articles=True,
            ),
        ),
    ),
    Section(
        "Thể loại sách",
        "the-loai-sach",
        "Sách xếp theo thể loại: lý luận chính trị, pháp luật, lịch sử, kỹ năng và văn học.",
    ),
    Section(
        "Sách điện tử",
        "sach-dien-tu",
        "Đọc sách điện tử ngay trên trình duyệt, không cần cài thêm phần mềm, và tải bản gốc"
        " về máy đọc sách.",
    ),
    Section(
        "Bạn đọc và NXB",
        "ban-doc-va-nxb",
        "Thư bạn đọc gửi Nhà xuất bản và thư trả lời của biên tập viên.",
    ),
    Section(
        "Các bài viết",
        "cac-bai-viet",
        "Bài bình luận, giới thiệu sách và ghi chép của biên tập viên, tác giả.",
        news=True,
    ),
    Section(
        "Kế hoạch đề tài",
        "ke-hoach-de-tai",
        "Kế hoạch đề tài từng năm: tên sách dự kiến, tác giả, tiến độ và quyết định phê duyệt.",
    ),
    Section(
        "Giao lưu trực tuyến",
        "giao-luu-truc-tuyen",
        "Bạn đọc đặt câu hỏi, tác giả và chuyên gia trả lời trực tiếp trên trang.",
    ),
    Section(
        "Thư viện ảnh",
        "thu-vien-anh",
        "Các album ảnh về hoạt động xuất bản, hội sách và những chuyến sách về cơ sở.",
    ),
    Section(
        "Thư viện Video",
        "thu-vien-video",
        "Phóng sự, tọa đàm và giới thiệu sách bằng hình ảnh.",
    ),
)

UNITS = {
    "Ban Tuyên giáo Thành phố": ["Phòng Lý luận chính trị", "Phòng Thông tin đối ngoại"],
    "Quận Ba Đình": ["Phường Ngọc Hà", "Phường Giảng Võ"],
    "Huyện Sóc Sơn": ["Xã Minh Phú", "Xã Trung Giã"],
}


@dataclass
class DemoSummary:
    created: list[str] = field(default_factory=list)
    admin_username: str = "admin"
    admin_password: str = ""

    def report(self) -> str:
        if not self.created:
            return "Nội dung mẫu đã có sẵn, không thêm gì."
        return "Đã tạo nội dung mẫu: " + ", ".join(self.created) + "."


def _home(summary: DemoSummary) -> HomePage:
    home = HomePage.objects.first()
    if home is None:
        # A flushed database has no page tree root and no locale; Wagtail's migrations made them.
        Locale.objects.get_or_create(language_code=settings.LANGUAGE_CODE)
        root = Page.get_first_root_node() or Page.add_root(title="Gốc", slug="root")
        home = HomePage(title="Nhà xuất bản Mở Đường", slug="trang-chu", intro=HOME_INTRO)
        root.add_child(instance=home)
        home.save_revision().publish()
        site = Site.objects.filter(is_default_site=True).first()
        old_root = site.root_page if site else None
        if site is None:
            Site.objects.create(
                hostname="localhost",
                port=80,
                root_page=home,
                is_default_site=True,
                site_name="Mở Đường",
            )
        else:
            site.root_page = home
            site.site_name = "Mở Đường"
            site.save()
        if old_root is not None and old_root.pk != home.pk and not old_root.get_children():
            old_root.delete()  # Wagtail's "Welcome" placeholder
        summary.created.append("trang chủ")
    return home


def _section_page(parent: Page, section: Section, summary: DemoSummary) -> Page:
    page = Page.objects.child_of(parent).filter(slug=section.slug).first()
    if page is None:
        common = {
            "title": section.title,
            "slug": section.slug,
            "intro": section.intro,
            "show_in_menus": True,
        }
        if section.news:
            page = SectionPage(**common, all_articles=section.all_articles)
        else:
            body = ABOUT_BODY if not section.coming_soon else []
            page = StandardPage(**common, coming_soon=section.coming_soon, body=body)
        parent.add_child(instance=page)
        page.save_revision().publish()
        summary.created.append(section.title)
    return page


def _menu(pages: dict[str, tuple[Page, tuple[tuple[str, Page], ...]]]) -> None:
    for order, (label, (page, children)) in enumerate(pages.items()):
        item, _ = MenuItem.objects.get_or_create(
            label=label, parent=None, defaults={"page": page, "sort_order": order * 10}
        )
        for child_order, (child_label, child_page) in enumerate(children):
            MenuItem.objects.get_or_create(
                label=child_label,
                parent=item,
                defaults={"page": child_page, "sort_order": child_order * 10},
            )


IMAGE_COLOURS = [
    ((155, 28, 28), (255, 213, 74)),
    ((22, 78, 99), (125, 211, 252)),
    ((20, 83, 45), (187, 247, 208)),
    ((88, 28, 135), (233, 213, 255)),
    ((124, 45, 18), (254, 215, 170)),
    ((30, 41, 59), (203, 213, 225)),
]


def _demo_images() -> list[int]:
    """Abstract pictures drawn here, so the demo needs no photo from anywhere."""

    ids = list(Image.objects.filter(title__startswith="Ảnh minh họa ").values_list("pk", flat=True))
    if ids:
        return ids
    for number, (dark, light) in enumerate(IMAGE_COLOURS, start=1):
        picture = PILImage.new("RGB", (1200, 675), dark)
        draw = ImageDraw.Draw(picture)
        for step in range(12):
            inset = step * 22
            colour = tuple(d + (lc - d) * step // 12 for d, lc in zip(dark, light, strict=True))
            draw.ellipse(
                (600 - 520 + inset, 340 - 300 + inset, 600 + 520 - inset, 340 + 300 - inset),
                outline=colour,
                width=10,
            )
        draw.rectangle((80 * number, 520, 80 * number + 360, 560), fill=light)
        buffer = BytesIO()
        picture.save(buffer, "JPEG", quality=82)
        image = Image(
            title=f"Ảnh minh họa {number}",
            description=f"Hình minh họa số {number} của bản trình diễn",
        )
        image.file = ImageFile(buffer, name=f"minh-hoa-{number}.jpg")
        image.save()
        ids.append(image.pk)
    return ids


def _articles(summary: DemoSummary) -> None:

    if ArticlePage.objects.exists():
        return

    image_ids = _demo_images()
    images = list(Image.objects.filter(pk__in=image_ids))
    rng = random.Random(2026)
    now = timezone.now()
    sections = {p.slug: p for p in SectionPage.objects.all()}
    for index, (slug, title, lead, topics) in enumerate(demo_text.ARTICLES):
        article = ArticlePage(
            title=title,
            lead=lead,
            date=now - dt.timedelta(hours=9 * index + 2),
            authors=rng.choice(["Minh Anh", "Thu Hà", "Quốc Bảo, Lan Chi", "Hoàng Nam"]),
            image_id=image_ids[index % len(image_ids)],
            body=demo_text.article_body_blocks(index, images),
            featured=index < 3,
            read_count=rng.randint(20, 900),
        )
        if index % 4 == 3:
            article.source_author = "Ngọc Mai"
            article.source_outlet = "Báo Văn hóa Mẫu"
            article.source_url = "https://example.vn/van-hoa/bai-mau"
        sections[slug].add_child(instance=article)
        article.topics.add(*topics)
        article.save_revision().publish()
    summary.created.append(f"{len(demo_text.ARTICLES)} bài viết")


def _admin(summary: DemoSummary) -> None:
    password_file = settings.DATA_DIR / "admin_password"
    user = User.objects.filter(username="admin").first()
    if user is None:
        password = os.environ.get("MODUONG_ADMIN_PASSWORD") or secrets.token_urlsafe(12)
        user = User.objects.create_superuser(
            "admin", "admin@moduong.example.vn", password, full_name="Quản trị viên"
        )
        settings.DATA_DIR.mkdir(parents=True, exist_ok=True)
        password_file.write_text(password)
        password_file.chmod(0o600)
        summary.created.append("tài khoản quản trị")
    summary.admin_password = (
        password_file.read_text().strip() if password_file.exists() else "(đã đổi)"
    )


@transaction.atomic
def demo_content_load() -> DemoSummary:
    summary = DemoSummary()
    home = _home(summary)
    if Collection.get_first_root_node() is None:  # a flushed database, as in the browser tests
        Collection.add_root(name="Tất cả")
    # The apps' pages first: a section they fill is then found in place, never made as a
    # "coming soon" page and deleted in the same run, which would leave the worker tasks about
    # pages that no longer exist (a newcomer's first `make demo` printed their tracebacks).
    community_demo.load(home, summary.created)
    gallery_demo.load(home, summary.created)
    summary.created.extend(library_demo_load(home))
    menu: dict[str, tuple[Page, tuple[tuple[str, Page], ...]]] = {}
    for section in SECTIONS:
        page = _section_page(home, section, summary)
        children = tuple(
            (child.title, _section_page(page, child, summary)) for child in section.children
        )
        menu[section.title] = (page, children)
    _menu(menu)
    _articles(summary)

    site = Site.objects.get(is_default_site=True)
    contact = SiteContact.for_site(site)
    if contact.office_name == "Mở Đường" and not contact.address:
        contact.office_name = "Nhà xuất bản Mở Đường"
        contact.tagline = "Sách hay đến với mọi người"
        contact.address = "Số 12 phố Bình Minh, phường Ba Đình, Hà Nội"
        contact.phone = "024 3825 1234"
        contact.email = "lienhe@moduong.example.vn"
        contact.licence = (
            "Giấy phép hoạt động số 01/GP-MĐ (bản trình diễn, không phải cơ quan thật)"
        )
        contact.save()
        summary.created.append("thông tin liên hệ")

    for parent_name, children in UNITS.items():
        parent = Unit.objects.filter(name=parent_name, parent=None).first()
        if parent is None:
            parent = unit_create(name=parent_name)
            summary.created.append(parent_name)
        for child in children:
            if not Unit.objects.filter(name=child, parent=parent).exists():
                unit_create(name=child, parent=parent, headcount=100 + len(child) * 7)
    if admin_units_load().created:
        summary.created.append("danh mục tỉnh, xã sau sắp xếp năm 2025")
    summary.created += contests_demo_load()
    summary.created += training_demo_load()
    summary.created += awards_demo_load()
    summary.created += bulletins_demo_load(home)
    summary.created += conferences_demo_load()
    summary.created += monitoring_demo_load()
    _admin(summary)
    # Publishing queues index updates for the worker; the demo fills the index at once so that
    # search works as soon as the site is served.

    transaction.on_commit(search_index_rebuild)
    return summary


def main(serve: bool = True) -> DemoSummary:
    call_command("migrate", interactive=False, verbosity=0)
    print("Đã cập nhật cơ sở dữ liệu.")
    summary = demo_content_load()
    print(summary.report())
    bind = os.environ.get("BIND", "127.0.0.1:8000")
    print(
        f"\nTrang web: http://{bind}/   Quản trị: http://{bind}/admin/\n"
        f"Đăng nhập quản trị: {summary.admin_username} / {summary.admin_password}\n"
        f"(mật khẩu lưu tại {settings.DATA_DIR / 'admin_password'})"
    )
    return summary
