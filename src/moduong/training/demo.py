"""Demo content of the training app: two centres, three programmes, six classes with sessions,
attendance and results, and a learner with an account (`hocvien`) who sees their record.
Loading again adds nothing."""

from __future__ import annotations

import datetime as dt
import secrets
from decimal import Decimal

from allauth.account.models import EmailAddress
from django.conf import settings
from django.db import transaction
from django.utils import timezone

from moduong.accounts.models import User
from moduong.units.models import Unit
from moduong.units.services import unit_create

from . import services
from .models import (
    Attendance,
    Centre,
    Enrolment,
    Learner,
    Programme,
    Session,
    TrainingClass,
)

CENTRES = [
    ("Trung tâm Chính trị khu vực Ba Đình", "Khu vực nội thành"),
    ("Trung tâm Chính trị khu vực Sóc Sơn", "Khu vực ngoại thành"),
]
PROGRAMMES = [
    ("Sơ cấp lý luận chính trị", Programme.Kind.ELEMENTARY, 176, 80, True),
    ("Bồi dưỡng lý luận chính trị cho đảng viên mới", Programme.Kind.NEW_MEMBERS, 56, 80, True),
    ("Học tập, quán triệt nghị quyết của Đảng", Programme.Kind.RESOLUTION, 8, 100, False),
]
# Given, middle and family names are combined into learners; every name is invented.
FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đặng", "Bùi"]
MIDDLE = ["Văn", "Thị", "Minh", "Thu", "Quốc", "Ngọc"]
GIVEN = ["An", "Bình", "Chi", "Dũng", "Giang", "Hòa", "Khánh", "Lan", "Mai", "Nam", "Phúc", "Thủy"]
LEARNER_USERNAME = "hocvien"


def _learners(units: list[Unit]) -> list[Learner]:
    learners = []
    for index in range(24):
        name = (
            f"{FAMILY[index % len(FAMILY)]} {MIDDLE[index % len(MIDDLE)]}"
            f" {GIVEN[index % len(GIVEN)]}"
        )
        learner, _created = Learner.objects.get_or_create(
            identifier=f"{10203040 + index:08d}"
            if index % 2
            else f"0010{85 + index % 10:02d}0{index:05d}",
            defaults={
                "full_name": name,
                "date_of_birth": dt.date(1975 + index, 1 + index % 12, 1 + index % 27),
                "unit": units[index % len(units)] if units else None,
            },
        )
        learners.append(learner)
    return learners


def _account() -> User:
    user = User.objects.filter(username=LEARNER_USERNAME).first()
    if user is None:
        password_file = settings.DATA_DIR / "learner_password"
        password = secrets.token_urlsafe(12)
        user = User.objects.create_user(
            LEARNER_USERNAME, "hocvien@moduong.example.vn", password, full_name="Nguyễn Văn An"
        )
        # A confirmed address: the demo learner logs in at once, no email to open.
        EmailAddress.objects.update_or_create(
            user=user, email=user.email, defaults={"primary": True, "verified": True}
        )
        settings.DATA_DIR.mkdir(parents=True, exist_ok=True)
        password_file.write_text(password)
        password_file.chmod(0o600)
    return user


@transaction.atomic
def training_demo_load() -> list[str]:
    if TrainingClass.objects.filter(code="bd-demo-1").exists():
        return []
    parent = Unit.objects.filter(parent=None).first()
    centres = []
    for name, area in CENTRES:
        unit = Unit.objects.filter(name=name).first() or unit_create(name=name, parent=parent)
        centres.append(Centre.objects.get_or_create(unit=unit, defaults={"area": area})[0])
    programmes = [
        Programme.objects.get_or_create(
            name=name,
            defaults={
                "kind": kind,
                "required_hours": hours,
                "min_attendance_percent": share,
                "assignment_required": assignment,
            },
        )[0]
        for name, kind, hours, share, assignment in PROGRAMMES
    ]
    units = list(Unit.objects.exclude(training_centre__isnull=False).order_by("pk")[:6])
    learners = _learners(units or ([parent] if parent else []))
    learners[0].account = _account()
    learners[0].save(update_fields=["account"])
    now = timezone.now()
    today = timezone.localdate()
    admin = User.objects.filter(is_superuser=True).first()
    # Three finished classes, two under way (one session now, for the check-in code), one to
    # come; learners 0–7 attend several classes, so the report's distinct count is below the
    # enrolments'.
    plans = [(-120, 0), (-90, 1), (-60, 2), (-3, 0), (-1, 2), (20, 1)]
    for number, (offset, programme_index) in enumerate(plans, start=1):
        programme = programmes[programme_index]
        first_day = today + dt.timedelta(days=offset)
        training_class = TrainingClass.objects.create(
            code=f"bd-demo-{number}",
            name=f"{programme.name}, lớp {number}",
            centre=centres[number % 2],
            programme=programme,
            starts_on=first_day,
            ends_on=first_day + dt.timedelta(days=10),
            place=f"Hội trường tầng {1 + number % 3}, {centres[number % 2]}",
            capacity=60,
        )
        if admin is not None:
            training_class.teachers.add(admin)
        starts = [now + dt.timedelta(days=offset + 3 * i) for i in range(3)]
        if offset in (-3, -1):
            # One session under way right now, so the check-in code works in the demo.
            starts[1] = now - dt.timedelta(minutes=20)
        sessions = [
            Session.objects.create(
                training_class=training_class,
                topic=f"Chuyên đề {i + 1}",
                starts_at=start,
                ends_at=start + dt.timedelta(hours=4),
            )
            for i, start in enumerate(starts)
        ]
        group = learners[:8] + learners[8 + number * 2 : 14 + number * 2]
        enrolments = Enrolment.objects.bulk_create(
            Enrolment(training_class=training_class, learner=learner) for learner in group
        )
        statuses = ["present", "present", "late", "present", "excused", "absent"]
        for session in sessions:
            if session.starts_at > now:
                continue
            Attendance.objects.bulk_create(
                Attendance(
                    session=session,
                    enrolment=enrolment,
                    status=statuses[(i + session.pk) % len(statuses)] if i % 3 else "present",
                    method="teacher",
                    marked_by=admin,
                    marked_at=session.starts_at,
                )
                for i, enrolment in enumerate(enrolments)
            )
        if offset < -30:
            for i, enrolment in enumerate(enrolments):
                enrolment.exam_score = Decimal(6 + i % 5)
                enrolment.assignment_mark = Decimal(7 + i % 3)
            Enrolment.objects.bulk_update(enrolments, ["exam_score", "assignment_mark"])
            services.certificates_issue(training_class=training_class)
    return ["lớp bồi dưỡng lý luận chính trị (tài khoản học viên: hocvien)"]
