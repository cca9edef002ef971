import pytest
from bs4 import BeautifulSoup
from captcha.models import CaptchaStore
from django.test import Client

from moduong.community.models import ExchangePage, LettersPage

SEND_URL = "/ban-doc-va-nxb/gui-thu/"
LIVE = "/giao-luu-truc-tuyen/dua-sach-ve-voi-thieu-nhi-vung-cao/"
ARCHIVED = "/giao-luu-truc-tuyen/xay-dung-tu-sach-gia-dinh/"


def soup(response) -> BeautifulSoup:  # type: ignore[no-untyped-def]
    return BeautifulSoup(response.content, "html.parser")


def errors_of(response) -> str:  # type: ignore[no-untyped-def]
    page = soup(response)
    return " ".join(e.get_text(" ", strip=True) for e in page.select(".errorlist, .form-errors"))


def solved_captcha(client: Client, url: str) -> dict[str, str]:
    """Answer the challenge the page showed, as a person reading the picture would."""
    key = soup(client.get(url)).find("input", attrs={"name": "captcha_0"})["value"]
    return {"captcha_0": key, "captcha_1": CaptchaStore.objects.get(hashkey=key).response}


@pytest.fixture
def letters_page(site) -> LettersPage:  # type: ignore[no-untyped-def]
    return LettersPage.objects.get(slug="ban-doc-va-nxb")


@pytest.fixture
def live_exchange(site) -> ExchangePage:  # type: ignore[no-untyped-def]
    return ExchangePage.objects.get(slug="dua-sach-ve-voi-thieu-nhi-vung-cao")


@pytest.fixture
def letter_data(client: Client):  # type: ignore[no-untyped-def]
    def make(**overrides: object) -> dict[str, object]:
        data: dict[str, object] = {
            "name": "Nguyễn Văn An",
            "email": "an.nguyen@example.vn",
            "phone": "0912 345 678",
            "subject": "Hỏi về sách hỏi đáp pháp luật",
            "message": "Xin hỏi Nhà xuất bản bao giờ phát hành cuốn sách hỏi đáp pháp luật mới?",
        }
        data.update(solved_captcha(client, SEND_URL))
        data.update(overrides)
        return data

    return make


@pytest.fixture(autouse=True)
def _forget_answer_numbers() -> None:
    """Each test's database starts again from the demo: no process copy may outlive it."""
    from moduong.community.services import local_versions

    local_versions.clear()
