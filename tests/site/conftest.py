"""`make check-site`: the demo site built and served the way a reader gets it (`moduong demo
--no-serve` into a fresh data dir, then `moduong serve`), and each page type visited once per
width by Debian's chromium. The checks in this folder read what these visits recorded."""

import json
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import lxml.html
import pytest

from ..browser.conftest import browser  # noqa: F401 - the one chromium launch, shared
from .pages import PAGE_TYPES, WIDTHS, PageType

ROOT = Path(__file__).resolve().parents[2]
NODE_MODULES = ROOT / "node_modules"
AXE = NODE_MODULES / "axe-core" / "axe.min.js"
VNU = NODE_MODULES / "vnu-jar" / "build" / "dist" / "vnu.jar"
SITEMAP_XSD = NODE_MODULES / "sitemap" / "schema" / "sitemap.xsd"
SCREENSHOTS = Path(os.environ.get("MODUONG_SITE_SCREENSHOTS", ROOT / "test-artifacts" / "site"))
BIN = Path(sys.executable).parent
READER = ("kiemtra", "Đọc-sách-mỗi-ngày-8")
ADMIN = ("admin", "Quản-trị-mỗi-ngày-8")  # the demo's admin, given its password by the check
# Every Content-Security-Policy violation the browser reports on a page, as the page sees it.
CSP_LISTENER = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (e) => window.__cspViolations.push(
    `${e.effectiveDirective} blocked ${e.blockedURI || "inline"} at ${e.sourceFile}:${e.lineNumber}`
));
"""
# WCAG 2.1 A and AA (colour contrast at AA, not AAA) and axe's best practices.
AXE_OPTIONS = {
    "runOnly": {
        "type": "tag",
        "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"],
    },
    "resultTypes": ["violations"],
}


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="session")
def site_url() -> Iterator[str]:
    """The embedded demo (`make demo`'s site), whatever DATABASE_URL and REDIS_URL say."""
    if not NODE_MODULES.joinpath(".package-lock.json").exists():
        pytest.fail("node_modules is missing: run `make check-site` (it runs `npm ci`)")
    data_dir = Path(tempfile.mkdtemp(prefix="moduong-site-"))
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL"}}
    env |= {
        "DJANGO_SETTINGS_MODULE": "moduong.settings.dev",
        "MODUONG_DATA_DIR": str(data_dir),
        "MODUONG_ADMIN_PASSWORD": ADMIN[1],
    }
    subprocess.run(
        [BIN / "moduong", "demo", "--no-serve"], env=env, check=True, stdout=subprocess.DEVNULL
    )
    subprocess.run(
        [BIN / "python", Path(__file__).with_name("seed.py"), *READER], env=env, check=True
    )
    port = _free_port()
    log = (data_dir / "server.log").open("w")
    server = subprocess.Popen(
        [BIN / "moduong", "serve"],
        env=env | {"BIND": f"127.0.0.1:{port}"},
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(url + "/healthz", timeout=2)  # noqa: S310 - our own server
                break
            except OSError:
                time.sleep(0.2)
        else:
            pytest.fail("the demo site did not start: " + (data_dir / "server.log").read_text())
        yield url
    finally:
        server.terminate()
        server.wait(timeout=20)
        log.close()
        shutil.rmtree(data_dir, ignore_errors=True)


def http_get(url: str) -> tuple[int, bytes, str]:
    """Status, body and final address of a plain GET, as a partner site or crawler sees it."""
    request = urllib.request.Request(url, headers={"User-Agent": "moduong-check-site"})  # noqa: S310
    try:
        with urllib.request.urlopen(request, timeout=90) as response:  # noqa: S310
            return response.status, response.read(), response.url
    except urllib.error.HTTPError as error:
        return error.code, error.read(), url
    except urllib.error.URLError as error:  # not answered at all: a link to a dead address
        return 0, str(error.reason).encode(), url


def resolve(site_url: str, page_type: PageType) -> str:
    """The page's address on this demo site."""
    if not page_type.found_on:
        return page_type.path
    found_on = page_type.found_on
    if not found_on.startswith("/"):
        found_on = resolve(site_url, next(p for p in PAGE_TYPES if p.name == found_on))
    _status, body, _url = http_get(site_url + found_on)
    for href in re.findall(r'<a\s[^>]*href="([^"]+)"', body.decode()):
        if re.search(page_type.path, href):
            return href
    pytest.fail(f"{page_type.name}: no link like {page_type.path} on {page_type.found_on}")


@pytest.fixture(scope="session")
def reader_state(site_url: str, browser) -> dict:  # type: ignore[no-untyped-def]  # noqa: F811
    """The created reader logs in through the login form, as a person does."""
    context = browser.new_context(locale="vi-VN")
    page = context.new_page()
    page.goto(site_url + "/tai-khoan/login/")
    page.get_by_label("Tên đăng nhập hoặc email").fill(READER[0])
    page.get_by_label("Mật khẩu").fill(READER[1])
    page.get_by_role("button", name="Đăng nhập").click()
    page.locator("header .account-links").get_by_text("Trần Thị Kiểm Tra").wait_for()
    state = context.storage_state()
    context.close()
    return state


@dataclass
class Visit:
    url: str = ""
    status: int = 0
    html: str = ""
    console_errors: list[str] = field(default_factory=list)
    failed_requests: list[str] = field(default_factory=list)
    scroll_width: int = 0
    axe_violations: list[dict[str, Any]] = field(default_factory=list)
    # Requests to any other host: the site must work offline and tell no one who reads what.
    outside_requests: list[str] = field(default_factory=list)
    csp_header: str = ""
    csp_violations: list[str] = field(default_factory=list)


def record_outside_requests(page: Any, site_url: str, into: list[str]) -> None:
    own = urllib.parse.urlsplit(site_url).netloc

    def on_request(request: Any) -> None:
        parts = urllib.parse.urlsplit(request.url)
        if parts.scheme in {"http", "https", "ws", "wss"} and parts.netloc != own:
            into.append(request.url)

    page.on("request", on_request)


def _visit(context: Any, site_url: str, page_type: PageType, width: int) -> Visit:
    visit = Visit()
    page = context.new_page()
    console: list[tuple[str, str]] = []
    page.on("console", lambda m: m.type == "error" and console.append((m.text, m.location["url"])))
    page.on("pageerror", lambda error: visit.console_errors.append(str(error)))
    page.on(
        "requestfailed",
        # Chromium's own PDF viewer is an extension whose internal requests are sometimes
        # aborted as the viewer starts: the browser's business, not a request of the site.
        lambda r: (
            r.url.startswith("chrome-extension://")
            or visit.failed_requests.append(f"{r.url} ({r.failure})")
        ),
    )

    def on_response(response: Any) -> None:
        # The page's own status is checked on its own; its sub-requests must all succeed.
        if response.status >= 400 and response.request.resource_type != "document":
            visit.failed_requests.append(f"{response.url} ({response.status})")

    page.on("response", on_response)
    record_outside_requests(page, site_url, visit.outside_requests)
    response = page.goto(site_url + resolve(site_url, page_type))
    if page_type.arrive:
        response = page_type.arrive(page)
    # Load the images a reader would scroll to, so that their requests are checked too and the
    # full-page screenshot shows them.
    page.evaluate(
        "document.querySelectorAll('img[loading=lazy]').forEach(i => i.loading = 'eager')"
    )
    page.wait_for_load_state("networkidle")
    page.wait_for_function("[...document.images].every(image => image.complete)")
    visit.url = page.url
    visit.status = response.status
    visit.html = response.text()
    visit.csp_header = response.headers.get("content-security-policy", "")
    visit.csp_violations = page.evaluate("window.__cspViolations || []")
    # Chromium logs an error page's own status (404, 403) as a console error: that one is
    # expected; any other error is not.
    visit.console_errors += [
        text
        for text, source in console
        if not (source == page.url and visit.status == page_type.status != 200)
    ]
    visit.scroll_width = page.evaluate("document.documentElement.scrollWidth")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SCREENSHOTS / f"{page_type.name}-{width}.png", full_page=True)
    page.evaluate(AXE.read_text())
    result = page.evaluate("options => axe.run(document, options)", AXE_OPTIONS)
    visit.axe_violations = result["violations"]
    page.close()
    return visit


@pytest.fixture(scope="session")
def visits(site_url: str, browser, reader_state: dict) -> dict[tuple[str, int], Visit]:  # type: ignore[no-untyped-def]  # noqa: F811
    """Every page type at every width, visited once; each check reads the record."""
    records = {}
    for width in WIDTHS:
        viewport = {"width": width, "height": 740 if width < 600 else 900}
        for logged_in in (False, True):
            context = browser.new_context(
                locale="vi-VN", viewport=viewport, storage_state=reader_state if logged_in else None
            )
            context.add_init_script(CSP_LISTENER)
            for page_type in PAGE_TYPES:
                if page_type.logged_in == logged_in:
                    records[page_type.name, width] = _visit(context, site_url, page_type, width)
            context.close()
    return records


@pytest.fixture(scope="session")
def vnu_messages(visits: dict[tuple[str, int], Visit]) -> dict[str, list[str]]:
    """The Nu HTML Checker's errors for each page type's HTML as served, in one run of vnu."""
    folder = Path(tempfile.mkdtemp(prefix="moduong-vnu-"))
    for page_type in PAGE_TYPES:
        (folder / f"{page_type.name}.html").write_text(visits[page_type.name, WIDTHS[-1]].html)
    result = subprocess.run(
        ["java", "-jar", VNU, "--errors-only", "--format", "json", *sorted(folder.iterdir())],
        capture_output=True,
        text=True,
        check=False,
    )
    messages: dict[str, list[str]] = {page_type.name: [] for page_type in PAGE_TYPES}
    for message in json.loads(result.stderr)["messages"]:
        name = Path(message.get("url", "?")).stem
        assert name in messages, message  # vnu's own failure, or a file it was not given
        messages[name].append(
            f"line {message.get('lastLine')}: {message['message']} [{message.get('extract', '')!r}]"
        )
    shutil.rmtree(folder)
    return messages


@dataclass
class Crawl:
    statuses: dict[str, int] = field(default_factory=dict)
    # Where each address was found first, to name the page that holds a broken link.
    found_on: dict[str, str] = field(default_factory=dict)
    feeds: set[str] = field(default_factory=set)


# Not for a crawler: the admin is Wagtail's (it redirects to its login), logout is a form.
CRAWL_SKIP = re.compile(r"^/(admin|tai-khoan/logout)/")
CRAWL_LIMIT = 3000


def _links(base: str, body: bytes) -> tuple[set[str], set[str]]:
    document = lxml.html.fromstring(body, base_url=base)
    document.make_links_absolute(base, resolve_base_href=True)
    links = {
        element.get(attribute)
        for element, attribute in (
            *((e, "href") for e in document.iter("a", "link")),
            *((e, "src") for e in document.iter("img", "script", "source", "iframe")),
        )
        if element.get(attribute)
    }
    feeds = {
        e.get("href")
        for e in document.iter("link")
        if e.get("rel") == "alternate" and "xml" in (e.get("type") or "")
    }
    return links, feeds


@pytest.fixture(scope="session")
def crawl(site_url: str) -> Crawl:
    """Every address reachable from the home page and the sitemap, on this site, fetched once."""
    result = Crawl()
    _status, sitemap, _ = http_get(site_url + "/sitemap.xml")
    queue = [site_url + "/", *(loc.decode() for loc in re.findall(rb"<loc>([^<]+)</loc>", sitemap))]
    for url in queue:
        result.found_on.setdefault(url, "/sitemap.xml")
    seen = set(queue)
    with ThreadPoolExecutor(max_workers=4) as pool:
        while queue and len(seen) < CRAWL_LIMIT:
            batch, queue = queue, []
            for url, (status, body, final) in zip(batch, pool.map(http_get, batch), strict=True):
                result.statuses[url] = status
                if status != 200 or not final.startswith(site_url):
                    continue
                if not body.lstrip()[:200].lower().startswith((b"<!doctype html", b"<html")):
                    continue
                links, feeds = _links(final, body)
                result.feeds |= feeds
                for link in links:
                    link = link.split("#")[0]
                    path = link.removeprefix(site_url)
                    if not link.startswith(site_url + "/") or CRAWL_SKIP.match(path):
                        continue
                    if link not in seen:
                        seen.add(link)
                        result.found_on[link] = url
                        queue.append(link)
    return result
