import json

import pytest
from allauth.account.models import EmailAddress
from django.test import Client

from moduong.accounts.models import User
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db


def test_header_shows_the_logged_in_name(site, client: Client) -> None:
    client.force_login(UserFactory(full_name="Lê Thị Hồng"))
    assert "Lê Thị Hồng" in client.get("/").content.decode()


def test_profile_edit_validates_and_saves(site, client: Client) -> None:
    user = UserFactory()
    client.force_login(user)
    response = client.post(
        "/tai-khoan/ho-so/", {"full_name": "<b>x</b>", "phone": "0912345678", "address": ""}
    )
    assert "Họ và tên chỉ được gồm chữ cái" in response.content.decode()
    user.refresh_from_db()
    assert user.full_name == "Nguyễn Văn An"

    response = client.post(
        "/tai-khoan/ho-so/",
        {"full_name": "Nguyễn Văn  Ân", "phone": "+84 912 345 678", "address": "Xã Minh Phú"},
        follow=True,
    )
    assert "Đã lưu thông tin của bạn." in response.content.decode()
    user.refresh_from_db()
    assert (user.full_name, user.phone, user.address) == (
        "Nguyễn Văn Ân",
        "0912345678",
        "Xã Minh Phú",
    )


def test_download_my_data(site, client: Client) -> None:
    user = UserFactory(full_name="Phạm Thị Thu", phone="0987654321", address="Phường Ngọc Hà")
    client.force_login(user)
    response = client.get("/tai-khoan/ho-so/du-lieu.json")
    assert response["Content-Type"].startswith("application/json")
    assert "attachment" in response["Content-Disposition"]
    data = json.loads(response.content)
    assert data["tai_khoan"]["ho_va_ten"] == "Phạm Thị Thu"
    assert data["tai_khoan"]["so_dien_thoai"] == "0987654321"
    assert data["email"] == [{"dia_chi": user.email, "chinh": True, "da_xac_minh": True}]
    assert "password" not in response.content.decode()


def test_personal_data_pages_need_login(site, client: Client) -> None:
    for url in (
        "/tai-khoan/ho-so/",
        "/tai-khoan/ho-so/du-lieu.json",
        "/tai-khoan/ho-so/xoa-tai-khoan/",
    ):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith("/tai-khoan/login/")


def test_delete_my_account_needs_the_password(site, client: Client) -> None:
    user = UserFactory()
    client.force_login(user)
    response = client.post("/tai-khoan/ho-so/xoa-tai-khoan/", {"password": "sai-mat-khau"})
    assert "Mật khẩu không đúng." in response.content.decode()
    assert User.objects.filter(pk=user.pk).exists()

    response = client.post("/tai-khoan/ho-so/xoa-tai-khoan/", {"password": PASSWORD}, follow=True)
    assert "Tài khoản và dữ liệu cá nhân của bạn đã được xóa." in response.content.decode()
    assert not User.objects.filter(pk=user.pk).exists()
    assert not EmailAddress.objects.filter(email=user.email).exists()
    assert "_auth_user_id" not in client.session


def test_repeated_failed_logins_are_throttled(site, client: Client) -> None:
    user = UserFactory(username="thuvien")
    for _ in range(5):
        response = client.post("/tai-khoan/login/", {"login": "thuvien", "password": "sai"})
        assert "Tên đăng nhập hoặc mật khẩu không đúng." in response.content.decode()
    response = client.post("/tai-khoan/login/", {"login": "thuvien", "password": PASSWORD})
    assert "Bạn đã đăng nhập sai quá nhiều lần" in response.content.decode()
    assert "_auth_user_id" not in client.session
    other = UserFactory(username="nguoikhac")  # other accounts from the same address still work
    client.post("/tai-khoan/login/", {"login": "nguoikhac", "password": PASSWORD})
    assert client.session["_auth_user_id"] == str(other.pk)
    assert user.pk != other.pk


def test_password_reset_sends_a_working_link(site, client: Client, mailoutbox) -> None:  # type: ignore[no-untyped-def]
    import re

    user = UserFactory()
    client.post("/tai-khoan/password/reset/", {"email": user.email})
    assert len(mailoutbox) == 1
    assert "Chọn mật khẩu mới" in mailoutbox[0].subject
    link = re.search(r"http://testserver(\S+)", mailoutbox[0].body).group(1)
    response = client.get(link, follow=True)
    action = response.request["PATH_INFO"]
    client.post(action, {"password1": "Mật-khẩu-mới-2026", "password2": "Mật-khẩu-mới-2026"})
    user.refresh_from_db()
    assert user.check_password("Mật-khẩu-mới-2026")


def test_groups_for_editors_moderators_and_staff(db) -> None:  # type: ignore[no-untyped-def]
    from django.contrib.auth.models import Group
    from wagtail.models import GroupPagePermission

    names = set(Group.objects.values_list("name", flat=True))
    assert {"Biên tập viên", "Kiểm duyệt viên", "Cán bộ nghiệp vụ"} <= names
    assert not {"Editors", "Moderators"} & names
    editors = Group.objects.get(name="Biên tập viên")
    moderators = Group.objects.get(name="Kiểm duyệt viên")
    editor_pages = set(
        GroupPagePermission.objects.filter(group=editors).values_list(
            "permission__codename", flat=True
        )
    )
    moderator_pages = set(
        GroupPagePermission.objects.filter(group=moderators).values_list(
            "permission__codename", flat=True
        )
    )
    assert "publish_page" not in editor_pages and "change_page" in editor_pages
    assert "publish_page" in moderator_pages
    assert editors.permissions.filter(codename="change_menuitem").exists()
    assert (
        Group.objects.get(name="Cán bộ nghiệp vụ")
        .permissions.filter(codename="access_admin")
        .exists()
    )


@pytest.mark.parametrize(
    "typed",
    ["Hòa.Bình", "hòa.bình", "HÒA.BÌNH", "hoà.bình", "\u0068\u006f\u0300\u0061.bi\u0300nh"],
)
def test_login_finds_the_username_however_it_is_typed(site, client: Client, typed: str) -> None:
    user = UserFactory(username="Hòa.Bình")
    client.post("/tai-khoan/login/", {"login": typed, "password": PASSWORD})
    assert client.session.get("_auth_user_id") == str(user.pk)


def test_fullwidth_look_alike_username_is_taken(site, client: Client) -> None:
    from tests.accounts.helpers import SIGNUP_URL, errors_of, signup_data

    UserFactory(username="docgia")
    response = client.post(SIGNUP_URL, signup_data(client, username="ｄｏｃｇｉａ"))
    assert "Tên truy cập này đã có người dùng" in errors_of(response)


def test_the_last_email_address_cannot_be_removed(site, client: Client) -> None:
    user = UserFactory()
    client.force_login(user)
    client.post("/tai-khoan/email/", {"email": user.email, "action_remove": ""})
    assert EmailAddress.objects.filter(user=user, email=user.email).exists()


def test_personal_pages_are_never_cached_by_browsers_or_proxies(site, client: Client) -> None:
    client.force_login(UserFactory())
    for url in ("/tai-khoan/ho-so/", "/tai-khoan/ho-so/du-lieu.json"):
        assert "no-cache" in client.get(url)["Cache-Control"]


def test_admin_password_reset_is_closed(site, client: Client) -> None:
    assert client.get("/admin/password_reset/").status_code == 404
