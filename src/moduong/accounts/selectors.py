"""Reads about accounts."""

from typing import Any

from allauth.account.models import EmailAddress

from moduong.core import vntext

from .models import User
from .personal_data import personal_data_readers


def user_personal_data(*, user: User) -> dict[str, Any]:
    """Everything the site holds about a person, in the form they download it: the account,
    then what each app registered (accounts.personal_data)."""
    emails = EmailAddress.objects.filter(user=user).order_by("-primary", "email")
    data: dict[str, Any] = {
        "tai_khoan": {
            "ten_truy_cap": user.username,
            "ho_va_ten": user.full_name,
            "so_dien_thoai": user.phone,
            "dia_chi": user.address,
            "ngay_dang_ky": user.date_joined.isoformat(),
            "ngay_dang_ky_hien_thi": vntext.format_datetime(user.date_joined),
            "lan_dang_nhap_cuoi": user.last_login.isoformat() if user.last_login else None,
        },
        "email": [
            {"dia_chi": e.email, "chinh": e.primary, "da_xac_minh": e.verified} for e in emails
        ],
    }
    for key, reader in personal_data_readers().items():
        data[key] = reader(user)
    return data
