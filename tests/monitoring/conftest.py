"""A local feed server on 127.0.0.1 (http.server in a thread) whose answers each test sets."""

from __future__ import annotations

import socketserver
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


@dataclass
class MailServer:
    """A real SMTP server on 127.0.0.1 that refuses the addresses in `refused` (550 at RCPT TO,
    as a server does for a mailbox it does not have) and keeps what it accepts."""

    host: str
    port: int
    refused: set[str] = field(default_factory=set)
    received: list[tuple[list[str], bytes]] = field(default_factory=list)

    def settings(self) -> dict[str, Any]:
        return {
            "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "EMAIL_HOST": self.host,
            "EMAIL_PORT": self.port,
        }


def _smtp_handler(server: MailServer) -> type[socketserver.StreamRequestHandler]:
    class Handler(socketserver.StreamRequestHandler):
        def reply(self, line: str) -> None:
            self.wfile.write(line.encode() + b"\r\n")

        def handle(self) -> None:
            self.reply("220 localhost ESMTP")
            recipients: list[str] = []
            while True:
                line = self.rfile.readline()
                if not line:
                    return
                command = line.decode(errors="replace").strip()
                verb = command[:4].upper()
                if verb in ("EHLO", "HELO"):
                    self.reply("250 localhost")
                elif verb == "MAIL":
                    recipients = []
                    self.reply("250 OK")
                elif verb == "RCPT":
                    address = command.split(":", 1)[1].strip().strip("<>").lower()
                    if address in server.refused:
                        self.reply("550 5.1.1 No such mailbox")
                    else:
                        recipients.append(address)
                        self.reply("250 OK")
                elif verb == "DATA":
                    self.reply("354 End with <CR><LF>.<CR><LF>")
                    body = b""
                    while (chunk := self.rfile.readline()) not in (b".\r\n", b""):
                        body += chunk
                    server.received.append((recipients, body))
                    self.reply("250 OK")
                elif verb == "QUIT":
                    self.reply("221 Bye")
                    return
                else:  # RSET, NOOP
                    self.reply("250 OK")

    return Handler


@pytest.fixture
def mail_server() -> Iterator[MailServer]:
    httpd = socketserver.ThreadingTCPServer(("127.0.0.1", 0), socketserver.BaseRequestHandler)
    holder = MailServer(host="127.0.0.1", port=httpd.server_address[1])
    httpd.RequestHandlerClass = _smtp_handler(holder)
    httpd.daemon_threads = True
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield holder
    httpd.shutdown()
    httpd.server_close()
