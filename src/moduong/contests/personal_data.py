"""What a participant gave and did in contests, for "download my data"
(accounts.personal_data)."""

from typing import Any

from .models import Attempt, ParticipantProfile


def _when(value: Any) -> str | None:
    return value.isoformat() if value else None


def contests_of(user: Any) -> dict[str, list[dict[str, Any]]]:
    profiles = ParticipantProfile.objects.filter(user=user).select_related(
        "contest", "unit", "province", "commune"
    )
    attempts = Attempt.objects.filter(user=user).select_related("round__contest")
    return {
        "dang_ky": [
            {
                "cuoc_thi": p.contest.title,
                "ho_va_ten": p.full_name,
                "ngay_sinh": _when(p.date_of_birth),
                "gioi_tinh": p.get_gender_display(),
                "so_dien_thoai": p.phone,
                "don_vi": str(p.unit) if p.unit_id else "",
                "tinh_thanh": str(p.province) if p.province_id else "",
                "xa_phuong": str(p.commune) if p.commune_id else "",
                "so_dinh_danh": p.id_number,
                "dong_y_luc": _when(p.consent_at),
            }
            for p in profiles
        ],
        "bai_thi": [
            {
                "cuoc_thi": a.round.contest.title,
                "vong_thi": a.round.title,
                "lan_thu": a.seq,
                "bat_dau": _when(a.started_at),
                "nop_bai": _when(a.submitted_at),
                "diem": a.score,
                "thoi_gian_ms": a.duration_ms,
                "du_doan": a.prediction,
                "bai_viet": a.essay,
            }
            for a in attempts.order_by("started_at")
        ],
    }
