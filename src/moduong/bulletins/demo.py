"""Demo content for Bản tin: a series with three editions made of the portal's articles and
its own blocks, distribution places in two wards and a party cell, their codes and a week of
scans. Idempotent: nothing is added once the bulletins page exists."""

from __future__ import annotations

import datetime as dt
import random
import secrets

from django.apps import apps
from django.db import transaction
from django.utils import timezone
from wagtail.models import Page

from moduong.units.models import Commune, Unit
from moduong.units.selectors import admin_unit_version_current
from moduong.units.services import unit_create

from . import services
from .models import BulletinIndexPage, EditionPage, EditionPrint, Place, QrCode, Scan, SeriesPage

SERIES = (
    "Bản tin Sinh hoạt chi bộ",
    "ban-tin-sinh-hoat-chi-bo",
    "Tài liệu cho buổi sinh hoạt chi bộ hằng tháng: bài viết chọn lọc, văn bản mới và câu"
    " hỏi thảo luận.",
    "Chi bộ khu dân cư, tổ dân phố và cơ quan",
)

EDITIONS = [
    (
        11,
        dt.date(2025, 11, 5),
        "Chuyển đổi số ở khu dân cư",
        "Số này giới thiệu cách các tổ dân phố dùng mã QR để đưa tài liệu đến từng nhà.",
        [
            "Mỗi tổ dân phố đã có bảng tin điện tử chưa?",
            "Chi bộ có thể giúp người cao tuổi đọc bản tin trên điện thoại như thế nào?",
        ],
    ),
    (
        12,
        dt.date(2025, 12, 3),
        "Văn hóa đọc trong chi bộ",
        "Tháng cuối năm, chúng tôi chọn những bài viết về tủ sách cơ sở và phong trào đọc.",
        [
            "Tủ sách của khu dân cư có những đầu sách nào?",
            "Đảng viên có thể giới thiệu sách hay cho bà con bằng cách nào?",
        ],
    ),
    (
        1,
        dt.date(2026, 1, 7),
        "Học tập và làm theo nghị quyết",
        "Số đầu năm mới: những điểm mới cần nắm và kế hoạch sinh hoạt của quý I.",
        [
            "Nghị quyết mới có điểm nào liên quan trực tiếp đến địa bàn?",
            "Chi bộ sẽ làm gì trong quý I để đưa nghị quyết vào cuộc sống?",
        ],
    ),
]


def _body(articles: list[Page], rng: random.Random, questions: list[str]) -> list:
    chosen = rng.sample(articles, k=min(2, len(articles)))
    body: list = [
        (
            "text",
            "<p>Kính gửi các đồng chí bí thư chi bộ và đảng viên. Dưới đây là các bài viết"
            " được chọn cho buổi sinh hoạt tháng này.</p>",
        )
    ]
    for article in chosen:
        body.append(("article", {"page": article, "intro": ""}))
    body += [
        (
            "quote",
            {
                "text": "Học đi đôi với hành, lý luận gắn với thực tiễn.",
                "source": "Phương châm sinh hoạt chi bộ",
            },
        ),
        (
            "table",
            {
                "data": [
                    ["Nội dung", "Thời gian", "Người phụ trách"],
                    ["Thông báo tình hình", "15 phút", "Bí thư chi bộ"],
                    ["Thảo luận chuyên đề", "45 phút", "Các đảng viên"],
                ],
                "first_row_is_table_header": True,
                "first_col_is_header": False,
            },
        ),
        ("discussion", {"heading": "Câu hỏi thảo luận", "questions": questions}),
    ]
    return body


def _places() -> list[Place]:
    places = list(Place.objects.order_by("pk"))
    if places:
        return places
    version = admin_unit_version_current()
    wards = list(
        Commune.objects.filter(version=version, name__in=["Phường Ba Đình", "Phường Ngọc Hà"])
    )
    for ward, label in zip(
        wards, ["Bảng tin tổ dân phố 5", "Nhà văn hóa khu dân cư số 3"], strict=False
    ):
        places.append(services.place_create(commune_id=ward.pk, label=label))
    parent = Unit.objects.filter(name="Phường Ngọc Hà").first()
    cell = Unit.objects.filter(name="Chi bộ khu dân cư số 3").first() or unit_create(
        name="Chi bộ khu dân cư số 3", parent=parent, headcount=42
    )
    places.append(services.place_create(unit_id=cell.pk, label="Phòng sinh hoạt chi bộ"))
    places.append(services.place_create(label="Bảng tin cổng trụ sở Nhà xuất bản"))
    return places


@transaction.atomic
def bulletins_demo_load(home: Page) -> list[str]:
    if BulletinIndexPage.objects.exists():
        return []
    rng = random.Random(17)  # noqa: S311  # the same demo every time, not a secret
    index = BulletinIndexPage(
        title="Bản tin",
        slug="ban-tin",
        intro="Bản tin số của cơ quan, đọc trên điện thoại qua mã QR dán ở bảng tin khu dân cư"
        " và phòng sinh hoạt chi bộ, hoặc tải bản in A4, A5.",
    )
    home.add_child(instance=index)
    index.save_revision().publish()
    title, slug, intro, audience = SERIES
    series = SeriesPage(title=title, slug=slug, intro=intro, audience=audience)
    index.add_child(instance=series)
    series.save_revision().publish()
    article_model = apps.get_model("news", "ArticlePage")
    articles = list(article_model.objects.live().order_by("pk")[:12])
    editions = []
    for number, date, edition_title, note, questions in EDITIONS:
        edition = EditionPage(
            title=edition_title,
            slug=f"so-{number}-{date.month}-{date.year}",
            number=number,
            issue_date=date,
            editor_note=note,
            body=_body(articles, rng, questions),
        )
        series.add_child(instance=edition)
        edition.save_revision().publish()
        editions.append(edition)
    places = _places()
    codes = [services.code_create(series=series, place=place) for place in places[:3]]
    codes.append(services.code_create(series=series, place=places[3], edition=editions[0]))
    # A week of scans, more on meeting days; the last place's poster has none.
    now = timezone.now()
    scans = []
    for day in range(7):
        for code, weight in zip(codes[:3], (9, 5, 3), strict=True):
            for _ in range(rng.randint(weight // 2, weight)):
                when = now - dt.timedelta(days=day, minutes=rng.randint(0, 600))
                scans.append(
                    Scan(
                        code=code,
                        series=series,
                        place_id=code.place_id,
                        edition=editions[-1],
                        scanned_at=when,
                        browser=rng.choice(["Zalo", "Chrome", "Safari", "Cốc Cốc", "Facebook"]),
                        visitor=secrets.token_hex(16),
                    )
                )
    Scan.objects.bulk_create(scans)
    QrCode.objects.filter(pk__in=[c.pk for c in codes]).update(
        posted_on=timezone.localdate() - dt.timedelta(days=10)
    )

    def build_prints() -> None:
        # Publishing queued each edition's build; where no worker has made it yet (the
        # newcomer's demo has only just started one) the demo makes it now, so that the print
        # files are there at once. A build the task made, or is making, is not made twice.
        ready = set(
            EditionPrint.objects.filter(
                edition__in=editions,
                status__in=(EditionPrint.Status.READY, EditionPrint.Status.BUILDING),
            ).values_list("edition_id", flat=True)
        )
        for edition in editions:
            if edition.pk not in ready:
                services.edition_print_build(edition_id=edition.pk)

    transaction.on_commit(build_prints)
    return ["bản tin số (1 bộ, 3 số, 4 mã QR, một tuần lượt quét)"]
