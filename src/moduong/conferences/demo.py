"""Demo content of the conferences app: a city conference broadcast to 600 connection points
in the communes of several provinces, about half of them linked and reported. Bulk-created, so
the demo stays quick; loading again adds nothing."""

from __future__ import annotations

import datetime as dt
import io
import random

from django.core.files.images import ImageFile
from django.db import transaction
from django.utils import timezone
from PIL import Image as PILImage
from PIL import ImageDraw
from wagtail.images.models import Image

from moduong.units.models import Commune, Unit

from .models import (
    AgendaItem,
    AttendanceCategory,
    Conference,
    ConferencePhoto,
    ConnectionPoint,
    ConnectionType,
    Delegate,
    LinkTest,
    PointReport,
)

SLUG = "hoi-nghi-quan-triet-nghi-quyet-2026"
POINTS = 600
PROVINCES = ("Thành phố Hà Nội", "Thành phố Huế", "Ninh Bình", "Bắc Ninh")
CATEGORIES = ("Đảng viên", "Cán bộ, công chức", "Khách mời")
DELEGATES = 180  # in the main hall, with badges; a third of them checked in
POSITIONS = (
    ("Bí thư Đảng ủy", "Đảng ủy phường"),
    ("Chủ tịch Ủy ban nhân dân", "Ủy ban nhân dân xã"),
    ("Trưởng ban", "Ban Tuyên giáo và Dân vận Thành ủy"),
    ("Phó Giám đốc", "Sở Văn hóa và Thể thao"),
    ("Hiệu trưởng", "Trường Trung học phổ thông"),
)
SURNAMES = ("Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đặng", "Bùi")
GIVEN = ("Văn Hùng", "Thị Lan", "Minh Tuấn", "Thu Hà", "Quốc Bảo", "Thị Hồng", "Đức Anh")
AGENDA = (
    (dt.time(7, 30), "Đón tiếp đại biểu, kiểm tra kết nối các điểm cầu", ""),
    (dt.time(8, 0), "Khai mạc hội nghị", "Đồng chí Phó Bí thư Thường trực Thành ủy"),
    (dt.time(8, 15), "Quán triệt nội dung cơ bản của Nghị quyết", "Báo cáo viên Trung ương"),
    (dt.time(10, 30), "Triển khai kế hoạch thực hiện Nghị quyết", "Ban Tuyên giáo và Dân vận"),
    (dt.time(11, 15), "Bế mạc", ""),
)


@transaction.atomic
def conferences_demo_load() -> list[str]:
    communes = list(
        Commune.objects.filter(version__is_current=True, province__name__in=PROVINCES)
        .select_related("province")
        .order_by("code")
    )
    if not communes or Conference.objects.filter(slug=SLUG).exists():
        return []
    rng = random.Random(18)  # noqa: S311 (the same demo every time)
    now = timezone.localtime(timezone.now())
    starts = now.replace(hour=8, minute=0, second=0, microsecond=0) + dt.timedelta(days=1)
    conference = Conference.objects.create(
        title="Hội nghị trực tuyến học tập, quán triệt Nghị quyết của Thành ủy năm 2026",
        slug=SLUG,
        starts_at=starts,
        ends_at=starts + dt.timedelta(hours=3, minutes=30),
        main_hall="Hội trường Thành ủy, số 1 phố Đinh Lễ",
        summary=(
            "Hội nghị được truyền trực tuyến từ hội trường Thành ủy tới 600 điểm cầu tại các xã,"
            " phường, đảng ủy cơ quan và trường học."
        ),
        host_unit=Unit.objects.filter(parent=None).first(),
        target_points=POINTS,
        target_delegates=26000,
        alert_minutes=30,
        is_published=True,
    )
    categories = AttendanceCategory.objects.bulk_create(
        AttendanceCategory(conference=conference, name=name, sort_order=i)
        for i, name in enumerate(CATEGORIES)
    )
    AgendaItem.objects.bulk_create(
        AgendaItem(conference=conference, starts_at=t, title=title, speaker=who, sort_order=i)
        for i, (t, title, who) in enumerate(AGENDA)
    )
    units = list(Unit.objects.exclude(parent=None))
    types = (
        [ConnectionType.TELEVISION] * 3 + [ConnectionType.SOFTWARE] * 2 + [ConnectionType.IN_PERSON]
    )
    points = []
    for n in range(POINTS):
        commune = communes[n * len(communes) // POINTS]
        capacity = rng.choice((40, 60, 80, 100, 150))
        reported = n % 5 < 3  # three points in five have reported
        attendance = (
            {str(c.pk): rng.randint(5, capacity // 3) for c in categories} if reported else {}
        )
        points.append(
            ConnectionPoint(
                conference=conference,
                code=f"DC-{n + 1:03d}",
                name=f"Điểm cầu {commune.name}",
                host_unit=rng.choice(units) if units else None,
                province=commune.province,
                commune=commune,
                address=f"Hội trường trụ sở {commune.name}",
                capacity=capacity,
                connection_type=rng.choice(types),
                contact_name=rng.choice(("Nguyễn Văn Hùng", "Trần Thị Lan", "Lê Minh Tuấn")),
                contact_phone=f"09{rng.randint(10_000_000, 99_999_999)}",
                expected_attendance=capacity * 4 // 5,
                link_test=(LinkTest.OK if n % 7 else LinkTest.DEGRADED) if reported else "",
                linked_at=now if reported else None,
                attendance=attendance,
                attendance_total=sum(attendance.values()),
                reported_at=now if reported else None,
                revision=1 if reported else 0,
            )
        )
    created = ConnectionPoint.objects.bulk_create(points, batch_size=300)
    PointReport.objects.bulk_create(
        (
            PointReport(
                point=p,
                by="điểm cầu",
                revision=1,
                changes={
                    "linked_at": [None, now.isoformat()],
                    "attendance_total": [0, p.attendance_total],
                },
            )
            for p in created
            if p.revision
        ),
        batch_size=500,
    )
    # One point's sheet was lost: the organisers revoked its link and issued a new one.
    lost = created[1]
    lost.link_version = 2
    lost.save(update_fields=["link_version"])
    PointReport.objects.create(
        point=lost, by="bantochuc", revision=lost.revision, changes={"link_version": [1, 2]}
    )
    Delegate.objects.bulk_create(
        (
            Delegate(
                conference=conference,
                full_name=f"{SURNAMES[n % len(SURNAMES)]} {GIVEN[n % len(GIVEN)]}",
                position=POSITIONS[n % len(POSITIONS)][0],
                organisation=POSITIONS[n % len(POSITIONS)][1],
                category=categories[0 if n % 4 else 2],
                seat=f"{chr(65 + n // 20)}{n % 20 + 1}",
                code=f"DEMO{n + 1:06d}",
                checked_in_at=now if n % 3 == 0 else None,
                checked_in_by="bantochuc" if n % 3 == 0 else "",
            )
            for n in range(DELEGATES)
        ),
        batch_size=500,
    )
    _past_conference(now=now, communes=communes)
    return [
        "hội nghị trực tuyến với 600 điểm cầu và 180 đại biểu tại hội trường chính",
        "hội nghị đã diễn ra, có ảnh",
    ]


PAST_SLUG = "hoi-nghi-so-ket-6-thang-dau-nam-2026"


def _photo(number: int) -> ImageFile:
    """A drawn picture of a hall (rows of seats before a screen): the demo stays offline."""
    picture = PILImage.new("RGB", (960, 600), (146, 28, 28) if number % 2 else (28, 64, 120))
    draw = ImageDraw.Draw(picture)
    draw.rectangle((240, 60, 720, 300), fill=(235, 235, 225))
    for row in range(5):
        for seat in range(12):
            x, y = 90 + seat * 66, 350 + row * 46
            draw.rectangle((x, y, x + 48, y + 30), fill=(210, 180, 120))
    out = io.BytesIO()
    picture.save(out, "JPEG", quality=80)
    return ImageFile(io.BytesIO(out.getvalue()), name=f"hoi-nghi-{number + 1}.jpg")


def _past_conference(*, now: dt.datetime, communes: list[Commune]) -> None:
    """A conference held last month: its page shows its materials' phase after the start and
    the organisers' photos."""
    starts = now.replace(hour=8, minute=0, second=0, microsecond=0) - dt.timedelta(days=30)
    past = Conference.objects.create(
        title="Hội nghị trực tuyến sơ kết công tác 6 tháng đầu năm 2026",
        slug=PAST_SLUG,
        starts_at=starts,
        ends_at=starts + dt.timedelta(hours=3),
        main_hall="Hội trường Thành ủy, số 1 phố Đinh Lễ",
        summary="Hội nghị đã diễn ra, truyền trực tuyến tới các điểm cầu xã, phường.",
        target_points=3,
        target_delegates=300,
        reporting_closed=True,
        is_published=True,
    )
    for number, caption in enumerate(
        (
            "Quang cảnh hội trường chính",
            "Điểm cầu Phường Ba Đình theo dõi hội nghị",
        )
    ):
        image = Image(title=caption)
        image.file = _photo(number)
        image.save()
        ConferencePhoto.objects.create(
            conference=past, image=image, caption=caption, sort_order=number
        )
    for n, commune in enumerate(communes[:3]):
        ConnectionPoint.objects.create(
            conference=past,
            code=f"SK-{n + 1:02d}",
            name=f"Điểm cầu {commune.name}",
            province=commune.province,
            commune=commune,
            capacity=120,
            expected_attendance=100,
            link_test=LinkTest.OK,
            linked_at=starts - dt.timedelta(minutes=20),
            attendance_total=95,
            reported_at=starts,
            revision=1,
        )
