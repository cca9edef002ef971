import logging

import pytest
from django.test import Client, override_settings


@pytest.mark.django_db
@override_settings(ROOT_URLCONF="tests.urls_raising")
def test_a_failing_view_shows_the_vietnamese_500_page_and_logs_the_traceback(
    site, caplog: pytest.LogCaptureFixture
) -> None:
    client = Client(raise_request_exception=False)
    with caplog.at_level(logging.ERROR, logger="django.request"):
        response = client.get("/hong/")
    assert response.status_code == 500
    body = response.content.decode()
    assert "Trang web đang gặp sự cố" in body
    assert '<html lang="vi">' in body
    assert "Index was outside" not in body
    assert "Traceback" not in body
    logged = [r for r in caplog.records if r.exc_info]
    assert logged, "the failure must be logged with its traceback"
    assert logged[0].exc_info[0] is IndexError


@pytest.mark.django_db
@override_settings(ROOT_URLCONF="tests.urls_raising")
def test_when_the_500_page_itself_fails_the_reader_still_gets_plain_vietnamese(
    site, settings, tmp_path, caplog: pytest.LogCaptureFixture
) -> None:
    """A site served without its collected static files (the manifest missing) used to answer a
    failure with a second traceback: the 500 page's own stylesheet could not be found."""
    settings.STATIC_ROOT = tmp_path
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"},
    }
    client = Client(raise_request_exception=False)
    with caplog.at_level(logging.ERROR):
        response = client.get("/hong/")
    assert response.status_code == 500
    body = response.content.decode()
    assert "Trang web đang gặp sự cố" in body and '<html lang="vi">' in body
    assert "Traceback" not in body and "manifest" not in body
    assert any("plain one was sent" in r.getMessage() for r in caplog.records)


@pytest.mark.django_db
def test_unknown_address_shows_the_404_page_in_the_site_look(site, client: Client) -> None:
    response = client.get("/khong-co-trang-nay/")
    assert response.status_code == 404
    body = response.content.decode()
    assert "Không tìm thấy trang" in body
    assert "Menu chính" in body  # inside the site's shell, not a bare error
    assert "Thể loại sách" in body


@pytest.mark.django_db
def test_post_without_csrf_token_is_refused_in_vietnamese(site) -> None:
    client = Client(enforce_csrf_checks=True)
    response = client.post("/tai-khoan/login/", {"login": "a", "password": "b"})
    assert response.status_code == 403
    assert "Biểu mẫu đã hết hạn" in response.content.decode()


@pytest.mark.django_db
def test_bad_request_host_gets_the_400_page(site) -> None:
    client = Client(HTTP_HOST="bad host name")
    with override_settings(ALLOWED_HOSTS=["testserver"]):
        response = client.get("/")
    assert response.status_code == 400
    assert "Yêu cầu không hợp lệ" in response.content.decode()


@pytest.mark.django_db
def test_admin_page_for_anonymous_redirects_to_login_not_error(site, client: Client) -> None:
    response = client.get("/admin/", follow=True)
    assert response.status_code == 200
    body = response.content.decode()
    assert "Đăng nhập vào Wagtail" in body
    assert "Sign in" not in body


@pytest.mark.django_db
def test_pages_refuse_frames_but_the_admin_preview_may_frame_itself(site, client: Client) -> None:
    assert client.get("/")["X-Frame-Options"] == "DENY"
    assert client.get("/admin/login/")["X-Frame-Options"] == "SAMEORIGIN"


@pytest.mark.django_db
def test_permission_denied_page_is_vietnamese(site) -> None:
    from django.test import RequestFactory

    from moduong.core.views import permission_denied

    request = RequestFactory().get("/bi-mat/")
    from django.contrib.auth.models import AnonymousUser

    request.user = AnonymousUser()
    response = permission_denied(request)
    assert response.status_code == 403
    assert "Bạn không có quyền xem trang này" in response.content.decode()
