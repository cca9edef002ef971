"""Reads on a streaming replica (settings: DATABASE_REPLICA_URL adds the "replica" alias).

Only what an anonymous reader asks for with GET or HEAD reads from the replica: listings,
articles, search, the read-only API. Everything else stays on the primary ("default"):
every write, every read inside a transaction, the contest, course, award and conference pages
(their readers act on what they just read), the admin and the accounts, and any request of a
browser that wrote something in the last DATABASE_REPLICA_STICKY_SECONDS (the middleware marks
it with a cookie, so nobody sees the letter they just sent vanish from a replica that has not
replayed it yet). Tasks and commands run outside a request: primary.

When the replica cannot be reached, or lags past DATABASE_REPLICA_MAX_LAG seconds, reads go to
the primary. Each process checks at most every DATABASE_REPLICA_CHECK_SECONDS; a request whose
replica read fails in between marks it down and is answered again from the primary."""

import logging
import sys
import threading
import time
from collections.abc import Callable
from contextvars import ContextVar
from typing import Any

from django.conf import settings
from django.core.signals import got_request_exception
from django.db import DEFAULT_DB_ALIAS, OperationalError, connections
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse

logger = logging.getLogger(__name__)

REPLICA = "replica"
# Set on the response to any request that may have written: its browser reads from the primary
# for a few seconds.
RECENT_WRITE_COOKIE = "moduong_wrote"
_PRIMARY_PREFIXES = (
    "/admin/",
    "/django-admin/",
    "/tai-khoan/",
    "/captcha/",
    "/cuoc-thi/",
    "/lop-boi-duong/",
    "/giai-bao-chi/",
    "/hoi-nghi/",
    "/healthz",
)
_SAFE_METHODS = ("GET", "HEAD", "OPTIONS")

_replica_allowed: ContextVar[bool] = ContextVar("moduong_replica_reads", default=False)


class _Health:
    """Whether the replica may be read, rechecked at most every few seconds per process."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.checked_at = float("-inf")
        self.healthy = False

    def ok(self) -> bool:
        now = time.monotonic()
        if now - self.checked_at < settings.DATABASE_REPLICA_CHECK_SECONDS:
            return self.healthy
        with self.lock:
            if now - self.checked_at >= settings.DATABASE_REPLICA_CHECK_SECONDS:
                self.healthy = replica_lag_acceptable()
                self.checked_at = time.monotonic()
        return self.healthy

    def mark_down(self) -> None:
        self.healthy = False
        self.checked_at = time.monotonic()

    def forget(self) -> None:
        self.checked_at = float("-inf")


health = _Health()


def replica_lag() -> float:
    """Seconds the replica is behind the primary: 0 when it has replayed all it received (an
    idle primary sends nothing, which is no lag) or when it is no replica at all."""
    connection = connections[REPLICA]
    with connection.cursor() as cursor:
        if connection.vendor != "postgresql":
            return 0.0
        cursor.execute(
            "SELECT CASE WHEN NOT pg_is_in_recovery() THEN 0"
            " WHEN pg_last_wal_receive_lsn() = pg_last_wal_replay_lsn() THEN 0"
            " ELSE COALESCE(EXTRACT(EPOCH FROM now() - pg_last_xact_replay_timestamp()), 0)"
            " END"
        )
        row = cursor.fetchone()
    return float(row[0]) if row else 0.0


def replica_lag_acceptable() -> bool:
    try:
        lag = replica_lag()
    except Exception as error:  # unreachable, refused, in recovery trouble: all mean "not now"
        logger.warning("Replica unavailable, reading from the primary: %s", error)
        connections[REPLICA].close()
        return False
    if lag > settings.DATABASE_REPLICA_MAX_LAG:
        logger.warning("Replica %.1f s behind, reading from the primary", lag)
        return False
    return True


def _in_transaction() -> bool:
    """Inside an atomic block the code opened (a test's own wrapping, which Django marks the
    way its durable check does, is no transaction of the code under test)."""
    blocks = connections[DEFAULT_DB_ALIAS].atomic_blocks
    return any(not getattr(block, "_from_testcase", False) for block in blocks)


class ReplicaRouter:
    def db_for_read(self, model: type, **hints: Any) -> str:
        if not _replica_allowed.get():
            return DEFAULT_DB_ALIAS
        if _in_transaction():  # read-then-write: the reads must see what the writes see
            return DEFAULT_DB_ALIAS
        return REPLICA if health.ok() else DEFAULT_DB_ALIAS

    def db_for_write(self, model: type, **hints: Any) -> str:
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1: object, obj2: object, **hints: Any) -> bool:
        return True  # the same data on both

    def allow_migrate(self, db: str, app_label: str, **hints: Any) -> bool:
        return db == DEFAULT_DB_ALIAS


def replica_reads_allowed(request: HttpRequest) -> bool:
    if not settings.DATABASE_REPLICA_READS or request.method not in _SAFE_METHODS:
        return False
    if request.path.startswith(_PRIMARY_PREFIXES):
        return False
    cookies = request.COOKIES
    return settings.SESSION_COOKIE_NAME not in cookies and RECENT_WRITE_COOKIE not in cookies


class ReplicaReadsMiddleware:
    """Decides for each request whether its reads may use the replica, answers a request again
    from the primary when the replica failed it, and marks browsers that wrote so that their
    next requests read from the primary."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        allowed = replica_reads_allowed(request)
        token = _replica_allowed.set(allowed)
        failed = _replica_failed.set(False)
        try:
            response = self.get_response(request)
            if allowed and _replica_failed.get():  # a GET or HEAD: safe to answer again
                _replica_allowed.set(False)
                response = self.get_response(request)
        finally:
            _replica_allowed.reset(token)
            _replica_failed.reset(failed)
        if settings.DATABASE_REPLICA_READS and request.method not in _SAFE_METHODS:
            response.set_cookie(
                RECENT_WRITE_COOKIE,
                "1",
                max_age=settings.DATABASE_REPLICA_STICKY_SECONDS,
                httponly=True,
                samesite="Lax",
                secure=request.is_secure(),
            )
        return response


_replica_failed: ContextVar[bool] = ContextVar("moduong_replica_failed", default=False)


@receiver(got_request_exception)
def _replica_failure_noted(**kwargs: object) -> None:
    """A request that read from the replica ended in a database error: the replica went away
    between two checks. It is marked down, and the middleware answers the request again."""
    if _replica_allowed.get() and isinstance(sys.exc_info()[1], OperationalError):
        health.mark_down()
        connections[REPLICA].close()
        _replica_failed.set(True)
