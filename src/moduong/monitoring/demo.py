"""Demo content for monitoring: three outlets' feeds shipped as files (read through file://
addresses below the app's data/demo folder, nothing fetched from outside), a few rules, one
pass of fetching (a story reprinted by two outlets makes a cluster) and one item republished
into "Tin tổng hợp" as a draft under moderation. Idempotent: nothing is added once a source
exists."""

from __future__ import annotations

from wagtail.models import Page

from . import services
from .models import Item, Source

SOURCES = [
    ("bao-thu-do.xml", "Báo Thủ Đô", "Báo Thủ Đô"),
    ("tin-do-thi.xml", "Tin Đô thị", "Tin Đô thị"),
    ("dien-dan-ha-noi.xml", "Diễn đàn Hà Nội", "Diễn đàn Hà Nội"),
]
RULES = [
    ("Thư viện Hoàn Kiếm", '"Hoàn Kiếm" AND (sách OR "thư viện") NOT "quảng cáo"'),
    ("Ngập úng", "ngập AND (mưa OR triều)"),
    ("Phố đi bộ", '"phố đi bộ"'),
]


def monitoring_demo_load() -> list[str]:
    if Source.objects.exists():
        return []
    for filename, name, outlet in SOURCES:
        path = services.DEMO_FEEDS / filename
        services.source_add(url=path.as_uri(), name=name, outlet=outlet)
    for name, expression in RULES:
        services.rule_add(name=name, expression=expression)
    summary = services.sources_fetch(all_sources=True)
    created = [f"theo dõi thông tin: {len(SOURCES)} nguồn, {summary.new_items} tin"]
    section = Page.objects.filter(slug="tin-tong-hop").first()
    item = Item.objects.filter(title="Hoàn Kiếm có thêm thư viện cộng đồng").first()
    if section is not None and item is not None:
        services.item_republish(
            item=item,
            section_id=section.pk,
            title=item.title,
            lead="Quận Hoàn Kiếm vừa mở thư viện cộng đồng thứ ba trong năm, miễn phí cho bạn đọc.",
            text=item.text,
        )
        created.append("một bài đăng lại từ báo khác, chờ duyệt")
    return created
