"""A local feed server on 127.0.0.1 (http.server in a thread) whose answers each test sets."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

# One story as two outlets run it: the original, and a reprint with one phrase changed.
STORY = (
    "Quận Hoàn Kiếm khai trương thư viện cộng đồng tại phố Hàng Bài với hơn năm nghìn đầu sách,"
    " phòng đọc cho thiếu nhi và góc sách điện tử. Thư viện mở cửa tất cả các ngày trong tuần,"
    " miễn phí cho mọi bạn đọc. Trong tháng đầu, thư viện tổ chức các buổi giao lưu với nhà văn"
    " và hướng dẫn người cao tuổi đọc sách trên điện thoại."
)
REPRINT = STORY.replace("miễn phí cho mọi bạn đọc", "không thu phí bạn đọc")


@dataclass
class Route:
    status: int = 200
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0
    chunks: int = 0  # > 0: the body sent this many times, without a length


@dataclass
class FeedServer:
    base: str
    routes: dict[str, Route | Callable[[dict[str, str]], Route]] = field(default_factory=dict)
    requests: list[tuple[str, dict[str, str]]] = field(default_factory=list)

    def url(self, path: str) -> str:
        return self.base + path

    def hits(self, path: str) -> int:
        return sum(1 for p, _ in self.requests if p == path)


def _handler(server: FeedServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args: Any) -> None:
            pass

        def do_GET(self) -> None:
            headers = {k: v for k, v in self.headers.items()}
            server.requests.append((self.path, headers))
            route = server.routes.get(self.path)
            if callable(route):
                route = route(headers)
            if route is None:
                route = Route(status=404, body=b"not found")
            if route.delay:
                time.sleep(route.delay)
            try:
                self.send_response(route.status)
                for key, value in route.headers.items():
                    self.send_header(key, value)
                if route.chunks:
                    self.end_headers()
                    for _ in range(route.chunks):
                        self.wfile.write(route.body)
                    return
                self.send_header("Content-Length", str(len(route.body)))
                self.end_headers()
                self.wfile.write(route.body)
            except (BrokenPipeError, ConnectionResetError):
                pass

    return Handler


@pytest.fixture
def feeds(settings: Any) -> Iterator[FeedServer]:
    settings.MONITORING_TIMEOUT = 0.4
    settings.MONITORING_HOST_DELAY = 0
    settings.MONITORING_MAX_BYTES = 200_000
    holder = FeedServer(base="")
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _handler(holder))
    httpd.daemon_threads = True
    holder.base = f"http://127.0.0.1:{httpd.server_address[1]}"
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield holder
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture(autouse=True)
def _no_demo_monitoring(db: Any) -> None:
    """Each test starts with no source, rule or item (the session's demo has some); deleted in
    the test's own transaction."""
    from moduong.monitoring.models import Cluster, Rule, Source

    Source.objects.all().delete()
    Rule.objects.all().delete()
    Cluster.objects.all().delete()


def rss(*items: str, encoding: str = "utf-8") -> str:
    return (
        f'<?xml version="1.0" encoding="{encoding}"?>\n<rss version="2.0"><channel>'
        "<title>Báo thử</title><link>http://example.vn/</link><description>x</description>"
        + "".join(items)
        + "</channel></rss>"
    )


def item(
    title: str,
    text: str = "",
    guid: str | None = None,
    link: str = "",
    date: str = "Mon, 30 Nov 2026 08:00:00 +0700",
) -> str:
    parts = [f"<title>{title}</title>", f"<description>{text}</description>"]
    if guid is not None:
        parts.append(f"<guid>{guid}</guid>")
    if link:
        parts.append(f"<link>{link}</link>")
    if date:
        parts.append(f"<pubDate>{date}</pubDate>")
    return "<item>" + "".join(parts) + "</item>"
