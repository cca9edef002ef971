"""Polite fetching and reading of what sources send: no Django models here.

One GET at a time, with a timeout on connecting and on the whole answer, a size cap, redirects
followed by hand up to a bound (a loop is an error), conditional requests (ETag,
Last-Modified), robots.txt honoured. Bytes become NFC text through core.vntext whatever the
encoding declared: UTF-8 if the bytes are UTF-8, else the declared encoding, else windows-1258.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import time
import urllib.robotparser
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit, urlunsplit

import feedparser
import urllib3
from django.utils.translation import gettext as _

from moduong.core import vntext

USER_AGENT = "ModuongMonitor/1.0 (+theo doi thong tin; robots.txt honoured)"
MAX_REDIRECTS = 5
_TRACKING = re.compile(r"^(utm_.*|fbclid|gclid|zarsrc|zalo_.*|mc_[ce]id|ref|cmpid|_ga)$", re.I)
_http = urllib3.PoolManager(num_pools=50, maxsize=2, retries=False)


class FetchError(Exception):
    """What went wrong, in Vietnamese, for the source's state."""


@dataclass
class Answer:
    url: str
    status: int
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)

    @property
    def not_modified(self) -> bool:
        return self.status == 304


def canonical_url(url: str) -> str:
    """The address without tracking parameters, fragment, default port or letter-case in the
    host: the identity of an item that has no guid."""
    parts = urlsplit(url.strip())
    query = [
        (k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if not _TRACKING.match(k)
    ]
    host = (parts.hostname or "").lower()
    if parts.port and not (
        (parts.scheme == "http" and parts.port == 80)
        or (parts.scheme == "https" and parts.port == 443)
    ):
        host = f"{host}:{parts.port}"
    return urlunsplit((parts.scheme.lower(), host, parts.path or "/", urlencode(query), ""))


def host_of(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}".lower()


def _local_file(url: str, allowed: Path | None, max_bytes: int) -> Answer:
    """file:// sources (the demo's shipped feeds), only below the one folder allowed."""
    path = Path(urlsplit(url).path).resolve()
    if allowed is None or not path.is_relative_to(allowed.resolve()) or not path.is_file():
        raise FetchError(_("This local address is not allowed."))
    body = path.read_bytes()[: max_bytes + 1]
    if len(body) > max_bytes:
        raise FetchError(_("The answer is larger than the size limit."))
    return Answer(url=url, status=200, body=body)


def get(
    url: str,
    *,
    timeout: float,
    max_bytes: int,
    etag: str = "",
    last_modified: str = "",
    local_root: Path | None = None,
) -> Answer:
    """GET with the bounds above; FetchError (Vietnamese) for anything but 200 or 304."""
    if url.startswith("file:"):
        return _local_file(url, local_root, max_bytes)
    headers = {"User-Agent": USER_AGENT, "Accept-Encoding": "gzip, deflate"}
    if etag:
        headers["If-None-Match"] = etag
    if last_modified:
        headers["If-Modified-Since"] = last_modified
    seen = {url}
    deadline = time.monotonic() + timeout * 3
    for _hop in range(MAX_REDIRECTS + 1):
        if urlsplit(url).scheme not in {"http", "https"}:
            raise FetchError(_("Only http and https addresses can be fetched."))
        try:
            response = _http.request(
                "GET",
                url,
                headers=headers,
                redirect=False,
                preload_content=False,
                timeout=urllib3.Timeout(connect=timeout, read=timeout),
            )
        except urllib3.exceptions.TimeoutError as exc:
            raise FetchError(_("The server did not answer in time.")) from exc
        except urllib3.exceptions.HTTPError as exc:
            raise FetchError(_("Could not connect to the server.")) from exc
        try:
            if response.status in {301, 302, 303, 307, 308}:
                location = response.headers.get("Location", "")
                if not location:
                    raise FetchError(_("A redirect without an address."))
                url = urljoin(url, location)
                if url in seen:
                    raise FetchError(_("The addresses redirect in a loop."))
                seen.add(url)
                continue
            if response.status == 304:
                return Answer(url=url, status=304, headers=dict(response.headers))
            if response.status != 200:
                raise FetchError(
                    _("The server answered with error %(status)s.") % {"status": response.status}
                )
            length = response.headers.get("Content-Length", "")
            if length.isdigit() and int(length) > max_bytes:
                raise FetchError(_("The answer is larger than the size limit."))
            chunks: list[bytes] = []
            size = 0
            try:
                for chunk in response.stream(65536, decode_content=True):
                    size += len(chunk)
                    if size > max_bytes:
                        raise FetchError(_("The answer is larger than the size limit."))
                    if time.monotonic() > deadline:
                        raise FetchError(_("The server did not answer in time."))
                    chunks.append(chunk)
            except urllib3.exceptions.TimeoutError as exc:
                raise FetchError(_("The server did not answer in time.")) from exc
            except urllib3.exceptions.HTTPError as exc:
                raise FetchError(_("The answer was cut off.")) from exc
            return Answer(
                url=url, status=200, body=b"".join(chunks), headers=dict(response.headers)
            )
        finally:
            response.release_conn()
    raise FetchError(_("Too many redirects."))


class Robots:
    """robots.txt per host, read once per pass; a missing or broken file allows everything."""

    def __init__(self, fetch: Callable[[str], Answer]) -> None:
        self._fetch = fetch
        self._parsers: dict[str, urllib.robotparser.RobotFileParser | None] = {}

    def allowed(self, url: str) -> bool:
        host = host_of(url)
        if host.startswith("file:"):
            return True
        if host not in self._parsers:
            parser: urllib.robotparser.RobotFileParser | None = None
            try:
                answer = self._fetch(host + "/robots.txt")
                parser = urllib.robotparser.RobotFileParser()
                parser.parse(decode(answer.body).splitlines())
            except FetchError:
                parser = None
            self._parsers[host] = parser
        parser = self._parsers[host]
        return parser is None or parser.can_fetch(USER_AGENT, url)


_DECLARED = re.compile(rb"""<\?xml[^>]*encoding=["']([A-Za-z0-9_.:-]+)["']""")
_META_CHARSET = re.compile(rb"""<meta[^>]+charset=["']?([A-Za-z0-9_.:-]+)""", re.I)


def decode(body: bytes, content_type: str = "") -> str:
    """Text from bytes: UTF-8 when they are UTF-8 (whatever is declared), else the declared
    encoding, else windows-1258 (the Vietnamese code page of old Windows sites); NFC."""
    if body.startswith(b"\xef\xbb\xbf"):
        body = body[3:]
    try:
        return vntext.normalize(body.decode("utf-8"))
    except UnicodeDecodeError:
        pass
    declared = ""
    match = re.search(r"charset=([A-Za-z0-9_.:-]+)", content_type) or None
    if match:
        declared = match.group(1)
    else:
        found = _DECLARED.search(body[:500]) or _META_CHARSET.search(body[:4096])
        declared = found.group(1).decode("ascii") if found else ""
    for encoding in (declared, "cp1258"):
        if not encoding or encoding.lower().replace("_", "-") in {"utf-8", "utf8"}:
            continue
        try:
            return vntext.normalize(body.decode(encoding))
        except (LookupError, UnicodeDecodeError):
            continue
    return vntext.normalize(body.decode("cp1258", errors="replace"))


@dataclass
class Entry:
    guid: str
    url: str
    title: str
    text: str
    author: str
    published: dt.datetime | None


def _when(entry: Any) -> dt.datetime | None:
    for key in ("published_parsed", "updated_parsed"):
        value = dict.get(entry, key)  # not entry.get: it maps one key to the other, warning
        if value:
            try:
                year, month, day, hour, minute, second = value[:6]
                return dt.datetime(year, month, day, hour, minute, second, tzinfo=dt.UTC)
            except (TypeError, ValueError):
                continue
    return None


def parse_feed(body: bytes, content_type: str = "") -> list[Entry]:
    """The entries of an RSS or Atom feed; FetchError when the bytes are not a feed."""
    text = decode(body, content_type)
    text = re.sub(r"""^\s*<\?xml[^>]*\?>""", '<?xml version="1.0" encoding="utf-8"?>', text)
    parsed = feedparser.parse(
        text.encode("utf-8"), response_headers={"content-type": "application/xml; charset=utf-8"}
    )
    version = parsed.get("version", "")
    if not version and not parsed.entries:
        raise FetchError(_("This is not an RSS or Atom feed."))
    entries = []
    for entry in parsed.entries:
        link = entry.get("link", "") or ""
        summary = entry.get("summary", "") or ""
        contents = entry.get("content") or []
        body_html = contents[0].get("value", "") if contents else summary
        title = vntext.plain_text(entry.get("title", "") or "")
        text_value = vntext.plain_text(body_html)
        if not title and not text_value:
            continue
        entries.append(
            Entry(
                guid=vntext.clean_line(entry.get("id", "") or "")[:500],
                url=link.strip()[:500],
                title=" ".join(title.split())[:500],
                text=text_value,
                author=vntext.clean_line(entry.get("author", "") or "")[:200],
                published=_when(entry),
            )
        )
    return entries


_LINK = re.compile(r"""<a\s[^>]*href=["']([^"'#]+)["']""", re.I)
_ARTICLE_PATH = re.compile(r"(\.html?$|/[^/]*-[^/]*-[^/]*-[^/]*/?$|\d{5,})")


def listing_links(body: bytes, base: str, limit: int) -> list[str]:
    """Article addresses on an HTML listing page: same host, a path that looks like an article
    (a long slug, a number, .html), each once, in page order."""
    text = decode(body)
    host = host_of(base)
    links: list[str] = []
    for href in _LINK.findall(text):
        url = urljoin(base, href.strip())
        if host_of(url) != host or not _ARTICLE_PATH.search(urlsplit(url).path):
            continue
        url = canonical_url(url)
        if url not in links and url != canonical_url(base):
            links.append(url)
        if len(links) >= limit:
            break
    return links


def extract_article(body: bytes, url: str) -> Entry | None:
    """An article page's title, text, author and date through trafilatura."""
    import trafilatura  # noqa: PLC0415  # heavy: loaded only when an HTML source is read

    document = trafilatura.bare_extraction(decode(body), url=url, with_metadata=True)
    if document is None:
        return None
    data = document.as_dict() if hasattr(document, "as_dict") else dict(document)
    text = vntext.plain_text(data.get("text") or "")
    title = " ".join(vntext.plain_text(data.get("title") or "").split())[:500]
    if not text and not title:
        return None
    published = None
    if data.get("date"):
        try:
            published = dt.datetime.fromisoformat(str(data["date"])).replace(tzinfo=dt.UTC)
        except ValueError:
            published = None
    return Entry(
        guid="",
        url=url,
        title=title,
        text=text,
        author=vntext.clean_line(data.get("author") or "")[:200],
        published=published,
    )


def identity(entry: Entry) -> str:
    """The guid if the feed gives one, else the canonical address, else the title."""
    value = entry.guid or (canonical_url(entry.url) if entry.url else "") or entry.title
    return hashlib.sha256(value.encode()).hexdigest()
