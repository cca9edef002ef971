from bs4 import BeautifulSoup
from captcha.models import CaptchaStore
from django.test import Client

SIGNUP_URL = "/tai-khoan/signup/"


def solved_captcha(client: Client, url: str = SIGNUP_URL) -> dict[str, str]:
    """Read the challenge the page showed and answer it as a person would (the answer is
    looked up in the real captcha store, the way a person reads the picture)."""
    soup = BeautifulSoup(client.get(url).content, "html.parser")
    key = soup.find("input", attrs={"name": "captcha_0"})["value"]
    return {"captcha_0": key, "captcha_1": CaptchaStore.objects.get(hashkey=key).response}


def signup_data(client: Client, **overrides: str) -> dict[str, str]:
    data = {
        "username": "nguyenvana",
        "password1": "Sách-hay-2026!",
        "password2": "Sách-hay-2026!",
        "email": "nguyenvana@example.vn",
        "full_name": "Nguyễn Văn A",
        "phone": "0912 345 678",
        "address": "Số 5 ngõ Trạm, phường Hoàn Kiếm, Hà Nội",
    }
    data.update(solved_captcha(client))
    data.update(overrides)
    return data


def errors_of(response) -> str:  # type: ignore[no-untyped-def]
    soup = BeautifulSoup(response.content, "html.parser")
    return " ".join(e.get_text(" ", strip=True) for e in soup.select(".errorlist, .form-errors"))
