import re
import unicodedata

import pytest
from allauth.account.models import EmailAddress
from bs4 import BeautifulSoup
from django.core import mail
from django.test import Client, override_settings

from moduong.accounts.models import User
from tests.factories import PASSWORD, UserFactory

from .helpers import SIGNUP_URL, errors_of, signup_data, solved_captcha

pytestmark = pytest.mark.django_db


def test_signup_form_has_exactly_the_reference_fields_in_order(site, client: Client) -> None:
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(client.get(SIGNUP_URL).content, "html.parser")
    form = soup.find("form", class_="form")
    labels = [
        label.get_text(" ", strip=True).rstrip(" *")
        for label in form.select(".field:not(.trap) > label")
    ]
    assert labels == [
        "Tên truy cập",
        "Mật khẩu",
        "Xác nhận mật khẩu",
        "Email",
        "Họ và tên",
        "Số điện thoại",
        "Địa chỉ",
        "Mã xác nhận",
    ]
    required = [
        label.get_text(" ", strip=True).rstrip(" *")
        for label in form.select(".field:not(.trap) > label")
        if label.find(class_="required")
    ]
    assert required == ["Tên truy cập", "Mật khẩu", "Xác nhận mật khẩu", "Email", "Mã xác nhận"]


def test_register_confirm_email_then_log_in(site, client: Client) -> None:
    response = client.post(SIGNUP_URL, signup_data(client), follow=True)
    assert "Hãy kiểm tra hộp thư" in response.content.decode()
    user = User.objects.get(username="nguyenvana")
    assert (user.full_name, user.phone) == ("Nguyễn Văn A", "0912345678")
    assert user.address == "Số 5 ngõ Trạm, phường Hoàn Kiếm, Hà Nội"

    # Not confirmed yet: logging in sends the reader back to confirm.
    client.logout()
    response = client.post(
        "/tai-khoan/login/", {"login": "nguyenvana", "password": "Sách-hay-2026!"}, follow=True
    )
    assert "_auth_user_id" not in client.session

    assert mail.outbox, "a confirmation email is sent"
    message = mail.outbox[0]
    assert message.to == ["nguyenvana@example.vn"]
    assert "Xác nhận địa chỉ email" in message.subject
    link = re.search(r"http://testserver(/tai-khoan/confirm-email/\S+/)", message.body).group(1)
    response = client.post(link, follow=True)
    assert EmailAddress.objects.get(email="nguyenvana@example.vn").verified

    response = client.post(
        "/tai-khoan/login/",
        {"login": "NGUYENVANA@example.vn", "password": "Sách-hay-2026!"},
        follow=True,
    )
    assert client.session["_auth_user_id"] == str(user.pk)
    assert "Nguyễn Văn A" in response.content.decode()


def test_login_by_username_or_email(site, client: Client) -> None:
    user = UserFactory(username="tranthib", full_name="Trần Thị B")
    for login in ("tranthib", user.email):
        client.logout()
        client.post("/tai-khoan/login/", {"login": login, "password": PASSWORD})
        assert client.session.get("_auth_user_id") == str(user.pk), login


def _assert_rejected(client: Client, data: dict[str, str], message: str) -> None:
    before = User.objects.count()
    response = client.post(SIGNUP_URL, data)
    assert response.status_code == 200
    assert message in errors_of(response)
    assert User.objects.count() == before
    assert not mail.outbox


def test_mismatched_passwords(site, client: Client) -> None:
    data = signup_data(client, password2="Sách-khác-2026!")
    _assert_rejected(client, data, "Hai lần nhập mật khẩu không khớp nhau.")


@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("12345678901", "Mật khẩu không được chỉ gồm chữ số."),
        ("password", "Mật khẩu này quá phổ biến"),
        ("ab1", "Mật khẩu quá ngắn: cần ít nhất 8 ký tự."),
    ],
)
def test_weak_passwords(site, client: Client, password: str, message: str) -> None:
    data = signup_data(client, password1=password, password2=password)
    _assert_rejected(client, data, message)


@pytest.mark.parametrize("taken_as", ["NguyenVanA", "NGUYENVANA", "nguyenvana"])
def test_username_taken_in_another_case(site, client: Client, taken_as: str) -> None:
    UserFactory(username=taken_as)
    _assert_rejected(client, signup_data(client), "Tên truy cập này đã có người dùng")


def test_vietnamese_username_taken_in_nfd_or_old_tone_style(site, client: Client) -> None:
    UserFactory(username="Hòa.Bình")
    nfd_old_style = unicodedata.normalize("NFD", "hoà.bình")
    assert nfd_old_style != "hòa.bình"
    _assert_rejected(
        client, signup_data(client, username=nfd_old_style), "Tên truy cập này đã có người dùng"
    )


def test_vietnamese_username_is_stored_normalized(site, client: Client) -> None:
    client.post(SIGNUP_URL, signup_data(client, username=unicodedata.normalize("NFD", "Thuý")))
    assert User.objects.filter(username="Thúy").exists()


def test_signup_does_not_tell_whether_an_email_is_registered(site, client: Client) -> None:
    UserFactory(username="khac", email="nguyenvana@example.vn")
    taken = client.post(SIGNUP_URL, signup_data(client), follow=True)
    fresh = client.post(
        SIGNUP_URL,
        signup_data(client, username="tranthib", email="tranthib@example.vn"),
        follow=True,
    )
    assert taken.status_code == fresh.status_code == 200
    assert [url for url, _status in taken.redirect_chain] == [
        url for url, _status in fresh.redirect_chain
    ]
    assert "Hãy kiểm tra hộp thư" in taken.content.decode()
    assert "đã được dùng" not in taken.content.decode()
    assert not User.objects.filter(username="nguyenvana").exists()
    # The address's owner learns that someone tried, in Vietnamese, with the way back in.
    warning = next(m for m in mail.outbox if m.to == ["nguyenvana@example.vn"])
    assert "đã có tài khoản" in warning.subject
    assert "/tai-khoan/password/reset/" in warning.body


def test_email_with_vietnamese_letters(site, client: Client) -> None:
    _assert_rejected(
        client,
        signup_data(client, email="nguyễn.văn.a@example.vn"),
        "Địa chỉ email không được chứa chữ có dấu tiếng Việt",
    )


def test_ten_kilobyte_full_name(site, client: Client) -> None:
    _assert_rejected(
        client, signup_data(client, full_name="Nguyễn " * 1500), "Nội dung quá dài: tối đa 150"
    )


@pytest.mark.parametrize("phone", ["12345", "0123 456 789 999", "+1 202 555 0142", "abc"])
def test_phone_must_be_vietnamese(site, client: Client, phone: str) -> None:
    _assert_rejected(
        client, signup_data(client, phone=phone), "Vui lòng nhập số điện thoại Việt Nam"
    )


@pytest.mark.parametrize("phone", ["0912345678", "+84 912 345 678", "024 3825 1234"])
def test_vietnamese_phone_numbers_are_accepted(site, client: Client, phone: str) -> None:
    client.post(SIGNUP_URL, signup_data(client, phone=phone))
    assert User.objects.get(username="nguyenvana").phone.startswith("0")


def test_wrong_captcha(site, client: Client) -> None:
    data = signup_data(client)
    data["captcha_1"] = "00000"
    _assert_rejected(client, data, "Mã xác nhận không đúng hoặc đã hết hạn")


def test_replayed_captcha_is_refused(site, client: Client) -> None:
    data = signup_data(client)
    client.post(SIGNUP_URL, data)
    assert User.objects.filter(username="nguyenvana").exists()
    client.logout()
    replay = {**data, "username": "nguoikhac", "email": "nguoikhac@example.vn"}
    mail.outbox.clear()
    _assert_rejected(client, replay, "Mã xác nhận không đúng hoặc đã hết hạn")


def test_captcha_question_in_words_for_those_who_cannot_see_the_picture(
    site, client: Client
) -> None:
    page = BeautifulSoup(client.get(SIGNUP_URL + "?captcha=chu").content, "html.parser")
    question = page.select_one(".captcha-question").get_text(" ", strip=True)
    words = question.split(":", 1)[1].split()
    # Five digits in words: as many possible answers as the picture, not a small sum's 17.
    assert question.startswith("Gõ năm chữ số") and len(words) == 5
    digits = ("không", "một", "hai", "ba", "bốn", "năm", "sáu", "bảy", "tám", "chín")
    assert all(word in digits for word in words)
    data = signup_data(client)
    data.update(solved_captcha(client, SIGNUP_URL + "?captcha=chu"))
    client.post(SIGNUP_URL + "?captcha=chu", data)
    assert User.objects.filter(username="nguyenvana").exists()


SQL = "x'; DROP TABLE accounts_user; --"
HTML = '<script>alert("x")</script><img src=x onerror=alert(1)>'


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("username", SQL, "Tên truy cập không hợp lệ"),
        ("username", HTML, "Tên truy cập không hợp lệ"),
        ("email", SQL, "Địa chỉ email không hợp lệ"),
        ("email", HTML, "Địa chỉ email không hợp lệ"),
        ("full_name", SQL, "Họ và tên chỉ được gồm chữ cái"),
        ("full_name", HTML, "Họ và tên chỉ được gồm chữ cái"),
        ("phone", SQL, "Vui lòng nhập số điện thoại Việt Nam"),
        ("phone", HTML, "Vui lòng nhập số điện thoại Việt Nam"),
        ("address", HTML, "Địa chỉ không được chứa các ký tự"),
        ("captcha_1", SQL, "Mã xác nhận không đúng"),
    ],
)
def test_sql_and_html_in_fields(site, client: Client, field: str, value: str, message: str) -> None:
    _assert_rejected(client, signup_data(client, **{field: value}), message)


def test_an_address_that_looks_like_sql_is_just_an_address(site, client: Client) -> None:
    client.post(SIGNUP_URL, signup_data(client, address=SQL))
    user = User.objects.get(username="nguyenvana")
    assert user.address == SQL
    assert User.objects.count() >= 1  # the table is still there and holds the new account


def test_nul_bytes_in_fields_get_a_vietnamese_message(site, client: Client) -> None:
    _assert_rejected(
        client, signup_data(client, full_name="Nguyễn\x00 Văn A"), "Không được chứa ký tự rỗng"
    )


@pytest.mark.parametrize("password", [SQL, HTML])
def test_sql_and_html_as_password_are_just_a_password(site, client: Client, password: str) -> None:
    data = signup_data(client, password1=password, password2=password)
    client.post(SIGNUP_URL, data)
    user = User.objects.get(username="nguyenvana")
    assert user.check_password(password)
    assert password not in user.password


def test_signup_without_csrf_token_creates_nothing(site) -> None:
    client = Client(enforce_csrf_checks=True)
    response = client.post(SIGNUP_URL, signup_data(client))
    assert response.status_code == 403
    assert "Biểu mẫu đã hết hạn" in response.content.decode()
    assert not User.objects.filter(username="nguyenvana").exists()


def test_honeypot_filled_by_a_bot_creates_nothing(site, client: Client) -> None:
    response = client.post(
        SIGNUP_URL, signup_data(client, website="http://spam.example"), follow=True
    )
    # The bot is told what a person would be told, so it learns nothing, but nothing is made.
    assert "Hãy kiểm tra hộp thư" in response.content.decode()
    assert not User.objects.filter(username="nguyenvana").exists()
    assert not mail.outbox


@override_settings(ACCOUNT_RATE_LIMITS={"signup": "2/h/ip"})
def test_too_many_registrations_from_one_address_are_refused(site, client: Client) -> None:
    for n in range(2):
        client.post(SIGNUP_URL, signup_data(client, username=f"nguoi{n}", email=f"n{n}@example.vn"))
        client.logout()
    response = client.post(
        SIGNUP_URL, signup_data(client, username="nguoi3", email="n3@example.vn")
    )
    assert response.status_code == 429
    assert "Bạn đã thử quá nhiều lần trong thời gian ngắn" in response.content.decode()
    assert not User.objects.filter(username="nguoi3").exists()


def test_switching_the_captcha_without_javascript_keeps_what_was_typed(
    site, client: Client
) -> None:
    data = signup_data(client)
    response = client.post(SIGNUP_URL, {**data, "captcha_switch": "chu"})
    assert response.status_code == 200
    assert errors_of(response) == ""
    page = response.content.decode()
    assert "Gõ năm chữ số sau:" in page
    for name in ("username", "email", "full_name", "phone", "address"):
        assert f'value="{data[name]}"' in page
    assert not User.objects.filter(username="nguyenvana").exists()


@pytest.mark.parametrize(
    ("username", "message"),
    [
        ("\u0441\u043e\u0440\u0443", "trông giống hệt một tên đã có"),  # Cyrillic "сору"
        ("quantri.", "trông giống hệt một tên đã có"),
        ("quan_tri", "trông giống hệt một tên đã có"),
        ("ＱＵＡＮＴＲＩ", "Tên truy cập này đã có người dùng"),
        ("qu\u0430ntri2", "chữ của nhiều bảng chữ cái"),  # a Cyrillic а among Latin
        ("0912345678", "không thể chỉ gồm chữ số"),
        ("0912.345.678", "không thể chỉ gồm chữ số"),
        ("khac@example.vn", "không thể là một địa chỉ email"),
    ],
)
def test_misleading_usernames_are_refused(
    site, client: Client, username: str, message: str
) -> None:
    UserFactory(username="quantri", email="khac@example.vn")
    UserFactory(username="copy", email="copy@example.vn")
    _assert_rejected(client, signup_data(client, username=username), message)
    assert not User.objects.filter(email="nguyenvana@example.vn").exists()


@pytest.mark.parametrize("username", ["Thúy", "nguyen.van.a", "docgia2026", "Trần_Thị_B"])
def test_ordinary_usernames_still_pass(site, client: Client, username: str) -> None:
    UserFactory(username="quantri", email="khac@example.vn")
    client.post(SIGNUP_URL, signup_data(client, username=username))
    assert User.objects.filter(username=username).exists()
