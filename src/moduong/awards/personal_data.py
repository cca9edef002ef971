"""What a person sent to awards and did as a judge, for "download my data"
(accounts.personal_data)."""

from typing import Any

from .models import Entry, Judge


def awards_of(user: Any) -> dict[str, list[dict[str, Any]]]:
    entries = Entry.objects.filter(submitted_by=user).select_related("award", "category", "unit")
    judgeships = Judge.objects.filter(user=user).select_related("award", "unit")
    return {
        "tac_pham": [
            {
                "giai": e.award.title,
                "the_loai": e.category.name,
                "ten_tac_pham": e.title,
                "tac_gia": e.author_list,
                "co_quan_dang": e.outlet,
                "ngay_dang": e.published_on.isoformat(),
                "don_vi": e.unit.name if e.unit else "",
                "trang_thai": e.get_status_display(),
                "gui_luc": e.submitted_at.isoformat(),
            }
            for e in entries
        ],
        "giam_khao": [
            {
                "giai": j.award.title,
                "don_vi": j.unit.name if j.unit else "",
                "tac_gia_da_ke_khai": [n for n in j.declared_authors.splitlines() if n.strip()],
                "so_phieu_cham": j.assignments.count(),
            }
            for j in judgeships
        ],
    }
