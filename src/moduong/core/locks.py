"""Row locks with a time limit: nothing waits forever behind a long transaction.

Every connection to PostgreSQL starts with the setting LOCK_TIMEOUT_SECONDS as its
`lock_timeout` (see settings), so every lock the project takes, a `select_for_update()` or
an UPDATE's row lock, gives up after it; a service that knows its own limit sets it for its
transaction with `lock_timeout(seconds)`. A wait that runs out raises PostgreSQL's
lock_not_available error, which the middleware `busy_page` turns into a Vietnamese message
(503, "try again in a moment") instead of an error page. SQLite has one writer at a time and
its own busy_timeout: nothing to do there."""

from __future__ import annotations

from django.conf import settings
from django.db import connection, transaction

#: PostgreSQL's SQLSTATE for "lock_not_available" (a lock_timeout or NOWAIT that ran out).
LOCK_NOT_AVAILABLE = "55P03"


def default_lock_timeout_ms() -> int:
    return int(float(getattr(settings, "LOCK_TIMEOUT_SECONDS", 10)) * 1000)


def lock_timeout(seconds: float | None = None) -> None:
    """In the current transaction, a lock waited for longer than `seconds` (the setting
    LOCK_TIMEOUT_SECONDS when None) fails instead. Call it inside `transaction.atomic`,
    before the first lock."""
    if connection.vendor != "postgresql":
        return
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("lock_timeout() applies to a transaction: call it in atomic()")
    ms = default_lock_timeout_ms() if seconds is None else max(1, int(seconds * 1000))
    with connection.cursor() as cursor:
        # SET takes no parameters; the value is an int made here, never the user's text.
        cursor.execute(f"SET LOCAL lock_timeout = {int(ms)}")


def is_lock_timeout(error: BaseException | None) -> bool:
    """Whether `error` (a Django database error, or what it wraps) is a lock wait that ran
    out."""
    seen = 0
    while error is not None and seen < 5:
        if getattr(error, "sqlstate", None) == LOCK_NOT_AVAILABLE:
            return True
        if getattr(error, "pgcode", None) == LOCK_NOT_AVAILABLE:
            return True
        error = error.__cause__
        seen += 1
    return False
