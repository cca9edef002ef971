"""gunicorn's threaded worker, refusing a malformed or oversized request in Vietnamese.

`moduong serve` raises gunicorn's request-line limit to its maximum (8190 bytes), so that an
address that is merely long reaches Django and its 414 page (core.middleware). What gunicorn
still refuses before Django sees anything (a longer line, too many or too long headers, a
request that is not HTTP) gets this short page instead of gunicorn's English one.
"""

from __future__ import annotations

from typing import Any

from gunicorn import util
from gunicorn.http.errors import (
    InvalidHeader,
    InvalidHeaderName,
    InvalidHTTPVersion,
    InvalidRequestLine,
    InvalidRequestMethod,
    LimitRequestHeaders,
    LimitRequestLine,
)
from gunicorn.workers.gthread import ThreadWorker as GunicornThreadWorker

_REFUSALS: list[tuple[tuple[type[Exception], ...], int, str, str, str]] = [
    (
        (LimitRequestLine,),
        414,
        "URI Too Long",
        "Địa chỉ quá dài",
        "Địa chỉ của trang dài hơn mức trang web chấp nhận. Vui lòng kiểm tra lại đường dẫn.",
    ),
    (
        (LimitRequestHeaders,),
        431,
        "Request Header Fields Too Large",
        "Yêu cầu quá lớn",
        "Trình duyệt gửi kèm quá nhiều dữ liệu (cookie). Vui lòng xóa cookie của trang rồi thử"
        " lại.",
    ),
    (
        (
            InvalidRequestLine,
            InvalidRequestMethod,
            InvalidHTTPVersion,
            InvalidHeader,
            InvalidHeaderName,
        ),
        400,
        "Bad Request",
        "Yêu cầu không hợp lệ",
        "Máy chủ không hiểu yêu cầu này. Vui lòng quay lại trang chủ và thử lại.",
    ),
]

_PAGE = (
    '<!DOCTYPE html><html lang="vi"><head><meta charset="utf-8"><title>{title}</title></head>'
    '<body><h1>{title}</h1><p>{message}</p><p><a href="/">Về trang chủ</a></p></body></html>'
)


class ThreadWorker(GunicornThreadWorker):
    def handle_error(self, req: Any, client: Any, addr: Any, exc: BaseException) -> None:
        for kinds, status, reason, title, message in _REFUSALS:
            if isinstance(exc, kinds):
                ip = addr[0] if addr else ""
                self.log.warning("Invalid request from ip=%s: %s", ip, str(exc)[:200])
                body = _PAGE.format(title=title, message=message).encode()
                head = (
                    f"HTTP/1.1 {status} {reason}\r\nConnection: close\r\n"
                    "Content-Type: text/html; charset=utf-8\r\n"
                    f"Content-Length: {len(body)}\r\n\r\n"
                ).encode("latin-1")
                try:
                    util.write_nonblock(client, head + body)
                except OSError:
                    self.log.debug("Failed to send error message.")
                return
        super().handle_error(req, client, addr, exc)
