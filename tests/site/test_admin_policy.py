"""Wagtail's admin under its own Content-Security-Policy: staff log in and work on the demo's
pages, images and snippets, and the browser reports no violation and no error."""

import re

import pytest

from .conftest import ADMIN, CSP_LISTENER

ADMIN_PAGES = [
    "/admin/",
    "/admin/pages/",
    "/admin/images/",
    "/admin/documents/",
    "/admin/snippets/",
    "/admin/users/",
    # The monitoring dashboard: its charts are inline SVG drawn on the server, nothing to allow.
    "/admin/theo-doi/",
]


@pytest.fixture(scope="module")
def admin_page(site_url: str, browser):  # type: ignore[no-untyped-def]
    context = browser.new_context(locale="vi-VN", viewport={"width": 1280, "height": 900})
    context.add_init_script(CSP_LISTENER)
    page = context.new_page()
    page.goto(site_url + "/admin/login/")
    page.locator("input[name=username]").fill(ADMIN[0])
    page.locator("input[name=password]").fill(ADMIN[1])
    page.locator("form button[type=submit]").first.click()
    page.wait_for_url(re.compile(r"/admin/$"))
    yield page
    context.close()


def _visit(page, url: str) -> tuple[str, list[str], list[str]]:  # type: ignore[no-untyped-def]
    errors: list[str] = []
    page.on("console", lambda m: m.type == "error" and errors.append(m.text))
    page.on("pageerror", lambda error: errors.append(str(error)))
    response = page.goto(url)
    page.wait_for_load_state("networkidle")
    header = response.headers.get("content-security-policy", "")
    return header, page.evaluate("window.__cspViolations || []"), errors


@pytest.mark.parametrize("path", ADMIN_PAGES)
def test_admin_pages_run_under_their_policy(site_url: str, admin_page, path: str) -> None:  # type: ignore[no-untyped-def]
    header, violations, errors = _visit(admin_page, site_url + path)
    assert "default-src 'self'" in header
    assert "object-src 'none'" in header
    assert violations == []
    assert [e for e in errors if "Content Security Policy" in e] == []


def test_editing_a_page_runs_under_the_admin_policy(site_url: str, admin_page) -> None:  # type: ignore[no-untyped-def]
    admin_page.goto(site_url + "/admin/pages/")
    edit = admin_page.locator("a[href*='/edit/']").first.get_attribute("href")
    header, violations, errors = _visit(admin_page, site_url + edit)
    assert "frame-ancestors 'self'" in header
    assert violations == []
    assert [e for e in errors if "Content Security Policy" in e] == []
