""" "Download my data" holds what every app keeps about the reader (Decree 13/2023/NĐ-CP), not
only the account: letters, questions in exchanges, contest registrations and attempts."""

import pytest
from django.test import Client

from moduong.community.models import ExchangePage, LettersPage
from moduong.community.services import letter_create, question_create
from moduong.contests.services import attempt_start
from tests.contests.factories import open_round, participant

pytestmark = pytest.mark.django_db


def test_download_my_data_has_letters_questions_and_contests(site, client: Client) -> None:
    rnd = open_round()
    reader = participant(rnd.contest, username="bandoc_tai_du_lieu")
    attempt_start(user=reader, round_id=rnd.pk)
    letter_create(
        page=LettersPage.objects.get(slug="ban-doc-va-nxb"),
        user=reader,
        name="Nguyễn Văn An",
        email="an@example.vn",
        phone="0912345678",
        subject="Góp ý về sách thiếu nhi",
        message="Mong nhà xuất bản in thêm sách tranh cho các em vùng cao.",
    )
    question_create(
        exchange=ExchangePage.objects.get(slug="dua-sach-ve-voi-thieu-nhi-vung-cao"),
        user=reader,
        name="Nguyễn Văn An",
        place="Lào Cai",
        text="Làm sao để thư viện xã nhận được sách tặng?",
    )
    other = participant(rnd.contest, username="nguoi_khac")
    attempt_start(user=other, round_id=rnd.pk)

    client.force_login(reader)
    data = client.get("/tai-khoan/ho-so/du-lieu.json").json()
    assert [letter["tieu_de"] for letter in data["thu_ban_doc"]] == ["Góp ý về sách thiếu nhi"]
    assert data["thu_ban_doc"][0]["so_dien_thoai"] == "0912345678"
    assert [q["noi_o"] for q in data["cau_hoi_giao_luu"]] == ["Lào Cai"]
    contests = data["cuoc_thi"]
    assert [p["ngay_sinh"] for p in contests["dang_ky"]] == ["1990-05-01"]
    assert len(contests["bai_thi"]) == 1 and contests["bai_thi"][0]["cuoc_thi"] == rnd.contest.title
