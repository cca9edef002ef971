"""`make check-security`: the attack tools that found issue 15's faults, run against the demo
site as `make check-site` builds and serves it (its fixtures, reused)."""

import http.cookiejar
import json
import re
import urllib.parse
import urllib.request
from dataclasses import dataclass

import pytest

from ..site.conftest import READER, site_url  # noqa: F401 - the served demo, shared

SECURITY_CHECKS = "security"


@dataclass
class Session:
    """A reader logged in through the login form, as the tools must send it."""

    cookie: str
    csrf_token: str


@pytest.fixture(scope="session")
def reader_session(site_url: str) -> Session:  # noqa: F811
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    page = opener.open(site_url + "/tai-khoan/login/").read().decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    data = urllib.parse.urlencode(
        {"login": READER[0], "password": READER[1], "csrfmiddlewaretoken": token}
    ).encode()
    request = urllib.request.Request(  # noqa: S310 - our own server
        site_url + "/tai-khoan/login/", data=data, headers={"Referer": site_url + "/"}
    )
    opener.open(request).read()
    cookies = {cookie.name: cookie.value for cookie in jar}
    assert "sessionid" in cookies, "the reader could not log in"
    return Session(
        cookie="; ".join(f"{name}={value}" for name, value in cookies.items()),
        csrf_token=cookies["csrftoken"],
    )


@pytest.fixture(scope="session")
def contest_round(site_url: str) -> str:  # noqa: F811
    """The address that starts an attempt in the demo's open contest round."""
    with urllib.request.urlopen(site_url + "/api/v1/contests") as response:  # noqa: S310
        slug = json.load(response)[0]["slug"]
    return f"/api/v1/contests/{slug}/rounds/1/attempts"
