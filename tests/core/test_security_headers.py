"""The Content-Security-Policy every page carries, and HSTS preload left to the operator."""

import os
import re
import secrets
import subprocess
import sys

import pytest
from django.test import Client

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _directives(header: str) -> dict[str, list[str]]:
    parts = (part.split() for part in header.split(";") if part.strip())
    return {name: values for name, *values in parts}


def test_public_pages_allow_only_their_own_nonced_scripts(site, client: Client) -> None:
    response = client.get("/")
    policy = _directives(response["Content-Security-Policy"])
    html = response.content.decode()
    nonce = re.search(r'<script src="[^"]+" nonce="([^"]+)"', html).group(1)
    assert f"'nonce-{nonce}'" in policy["script-src"]
    assert f"'nonce-{nonce}'" in policy["style-src"]
    for directive in ("script-src", "style-src"):
        assert "'unsafe-inline'" not in policy[directive]
        assert "'unsafe-eval'" not in policy[directive]
    assert policy["object-src"] == ["'self'"]
    assert policy["frame-ancestors"] == ["'none'"]
    # Every script and stylesheet on the page carries that nonce: nothing inline without it.
    assert len(re.findall(r"<script\b", html)) == len(
        re.findall(rf'<script\b[^>]*nonce="{re.escape(nonce)}"', html)
    ) + len(re.findall(r'<script type="application/ld\+json"', html))
    # A second request gets another nonce.
    again = client.get("/")
    assert again["Content-Security-Policy"] != response["Content-Security-Policy"]


def test_error_pages_and_forms_carry_the_policy_too(site, client: Client) -> None:
    for url in ("/khong-co-trang-nay/", "/tai-khoan/login/", "/tim-kiem/?q=sach"):
        response = client.get(url)
        assert "'unsafe-inline'" not in response["Content-Security-Policy"], url


def test_the_admin_has_its_own_policy_still_closed_to_other_sites(site, client: Client) -> None:
    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    response = client.get("/admin/")
    assert response.status_code == 200
    policy = _directives(response["Content-Security-Policy"])
    assert policy["script-src"] == ["'self'", "'unsafe-inline'"]
    assert policy["default-src"] == ["'self'"]
    assert policy["object-src"] == ["'none'"]
    assert policy["frame-ancestors"] == ["'self'"]
    assert "'unsafe-eval'" not in policy["script-src"]


@pytest.mark.parametrize(("value", "expected"), [(None, "False"), ("1", "True")])
def test_hsts_preload_is_the_operators_choice(value: str | None, expected: str) -> None:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "moduong.settings.production",
        "SECRET_KEY": "x" * 60,
    }
    env.pop("SECURE_HSTS_PRELOAD", None)
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)  # set for Playwright by the browser tests
    if value is not None:
        env["SECURE_HSTS_PRELOAD"] = value
    out = subprocess.run(
        [
            sys.executable,
            "-c",
            "import django; django.setup(); from django.conf import settings;"
            " print(settings.SECURE_HSTS_PRELOAD)",
        ],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    assert out.stdout.strip() == expected


def test_the_deploy_checks_pass_with_preload_left_off(tmp_path) -> None:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "moduong.settings.production",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "moduong.example.vn",
        "MODUONG_DATA_DIR": str(tmp_path),
    }
    env.pop("SECURE_HSTS_PRELOAD", None)
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)  # set for Playwright by the browser tests
    result = subprocess.run(
        [sys.executable, "-m", "moduong.cli", "check", "--deploy", "--fail-level", "WARNING"],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
