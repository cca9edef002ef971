"""What the training app holds about a person with an account, for "download my data"
(accounts.personal_data)."""

from typing import Any

from .models import Learner


def training_of(user: Any) -> dict[str, Any]:
    learner = Learner.objects.filter(account=user).select_related("unit").first()
    if learner is None:
        return {}
    enrolments = learner.enrolments.select_related("training_class__programme").prefetch_related(
        "attendances__session"
    )
    return {
        "ho_va_ten": learner.full_name,
        "ngay_sinh": learner.date_of_birth.isoformat(),
        "so_dinh_danh": learner.identifier,
        "don_vi": str(learner.unit) if learner.unit_id else "",
        "lop_hoc": [
            {
                "ma_lop": e.training_class.code,
                "chuong_trinh": e.training_class.programme.name,
                "diem_thi": str(e.exam_score) if e.exam_score is not None else None,
                "diem_thu_hoach": str(e.assignment_mark) if e.assignment_mark is not None else None,
                "hoan_thanh": e.completed,
                "diem_danh": [
                    {"buoi": a.session.starts_at.isoformat(), "trang_thai": a.status}
                    for a in e.attendances.all()
                ],
            }
            for e in enrolments
        ],
    }
