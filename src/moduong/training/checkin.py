"""The rotating check-in code shown on the classroom's screen.

A code names its session and a 30-second window, signed with the site's secret. The code of the
current window and of the one before are accepted (a scan at 29 s still reaches the server), so
a photo sent to a friend stops working within a minute; the session must be under way and the
person enrolled in its class, which the service checks."""

from __future__ import annotations

import datetime as dt
import hmac

from django.utils.crypto import salted_hmac

WINDOW_SECONDS = 30
SALT = "moduong.training.checkin"


def window_of(now: dt.datetime) -> int:
    return int(now.timestamp()) // WINDOW_SECONDS


def _signature(session_id: int, window: int) -> str:
    return salted_hmac(SALT, f"{session_id}:{window}", algorithm="sha256").hexdigest()[:20]


def checkin_code(*, session_id: int, now: dt.datetime) -> str:
    window = window_of(now)
    return f"{session_id}-{window}-{_signature(session_id, window)}"


def checkin_code_read(code: str) -> tuple[int, int] | None:
    """(session id, window) of a genuine code, or None for anything forged or mangled."""
    parts = code.split("-")
    if len(parts) != 3 or not parts[0].isdigit() or not parts[1].isdigit():
        return None
    session_id, window = int(parts[0]), int(parts[1])
    if not hmac.compare_digest(parts[2], _signature(session_id, window)):
        return None
    return session_id, window
