"""The letters and questions a reader sent, for "download my data" (accounts.personal_data)."""

from typing import Any

from .models import Letter, Question


def _when(value: Any) -> str | None:
    return value.isoformat() if value else None


def letters_of(user: Any) -> list[dict[str, Any]]:
    return [
        {
            "ten": letter.name,
            "email": letter.email,
            "so_dien_thoai": letter.phone,
            "tieu_de": letter.subject,
            "noi_dung": letter.message,
            "tep_dinh_kem": bool(letter.attachment),
            "trang_thai": letter.get_status_display(),
            "gui_luc": _when(letter.created_at),
            "tra_loi": letter.reply,
        }
        for letter in Letter.objects.filter(user=user).order_by("created_at")
    ]


def questions_of(user: Any) -> list[dict[str, Any]]:
    return [
        {
            "buoi_giao_luu": question.exchange.title,
            "ten": question.name,
            "noi_o": question.place,
            "cau_hoi": question.text,
            "trang_thai": question.get_status_display(),
            "tra_loi": question.answer,
        }
        for question in Question.objects.filter(user=user).select_related("exchange")
    ]
