"""The rotating check-in code shown on the classroom's screen.

A code names its session and a 30-second window, signed with the site's secret. The code of the
current window and of the one before are accepted (a scan at 29 s still reaches the server), so
a photo sent to a friend stops working within a minute; the session must be under way and the
person enrolled in its class, which the service checks."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac

from django.core import signing
from django.utils.crypto import salted_hmac

WINDOW_SECONDS = 30
SALT = "moduong.training.checkin"
TICKET_SALT = "moduong.training.checkin-ticket"
#: The check-in page's ticket: long enough to read the page and tap the button.
TICKET_MAX_AGE = 120


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


def _cookie_digest(session_key: str) -> str:
    return hashlib.sha256(session_key.encode()).hexdigest()[:24]


def ticket_make(*, account_id: int, session_key: str, code: str) -> str:
    """What the check-in page (shown to a logged-in learner) puts in its form: the account,
    bound to this browser's session cookie and to the scanned code, signed and dated. The tap
    that follows is then checked without reading the session or the account again; a ticket
    copied to another browser, another code or two minutes later is worth nothing."""
    signer = signing.TimestampSigner(salt=TICKET_SALT)
    return signer.sign(f"{account_id}:{_cookie_digest(session_key)}:{code}")


def ticket_read(ticket: str, *, session_key: str, code: str) -> int | None:
    """The account id of a genuine, fresh ticket for this cookie and code; else None."""
    if not ticket or not session_key or len(ticket) > 300:
        return None
    try:
        value = signing.TimestampSigner(salt=TICKET_SALT).unsign(ticket, max_age=TICKET_MAX_AGE)
    except signing.BadSignature:
        return None
    account, _sep, rest = value.partition(":")
    digest, _sep, signed_code = rest.partition(":")
    if not account.isdigit() or signed_code != code:
        return None
    if not hmac.compare_digest(digest, _cookie_digest(session_key)):
        return None
    return int(account)
