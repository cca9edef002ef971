"""What the production shape needs from the code: reads on a replica (core.dbrouter), sessions
that survive a restart of Redis, PgBouncer's transaction mode. The replica here is a second
connection to the test database (settings/test.py): it sees the demo portal, committed once for
the session, and not what a test writes in its own transaction, as a replica that has not caught
up. A replica that is down is one whose address nothing answers."""

import copy
import importlib
import os
import time
from collections.abc import Iterator
from contextlib import contextmanager
from types import SimpleNamespace
from typing import Any

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.db import connection, connections
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext
from wagtail.models import Page

from moduong.core import dbrouter

# A streaming replica is PostgreSQL's; CI runs these on PostgreSQL, where nothing skips.
replica_db = pytest.mark.django_db(databases="__all__")


def _replica_test(test: Any) -> Any:
    return pytest.mark.postgres(replica_db(test))


@pytest.fixture
def replica_reads(site: Any) -> Iterator[None]:
    dbrouter.health.forget()
    with override_settings(DATABASE_REPLICA_READS=True, DATABASE_REPLICA_CHECK_SECONDS=60):
        yield
    dbrouter.health.forget()
    connections["replica"].close()


@contextmanager
def replica_unreachable() -> Iterator[None]:
    replica = connections["replica"]
    saved = dict(replica.settings_dict)
    replica.close()
    if replica.vendor == "postgresql":
        replica.settings_dict.update(HOST="127.0.0.1", PORT="1")  # nothing listens there
    else:
        replica.settings_dict["NAME"] = "/nonexistent/replica.sqlite3"
    dbrouter.health.forget()
    try:
        yield
    finally:
        replica.close()
        replica.settings_dict.clear()
        replica.settings_dict.update(saved)
        dbrouter.health.forget()


def _replica_queries(client: Client, path: str, **extra: Any) -> tuple[int, int, str]:
    with (
        CaptureQueriesContext(connections["replica"]) as on_replica,
        CaptureQueriesContext(connections["default"]) as on_primary,
    ):
        response = client.get(path, **extra)
    assert response.status_code == 200
    return len(on_replica), len(on_primary), response.content.decode()


@_replica_test
def test_anonymous_listings_search_and_api_read_from_the_replica(replica_reads: None) -> None:
    client = Client()
    for path in ("/", "/tin-tuc/", "/tim-kiem/?q=s%C3%A1ch", "/api/v1/letters"):
        on_replica, _, _ = _replica_queries(client, path)
        assert on_replica > 0, path


@_replica_test
def test_signed_in_readers_and_the_contest_stay_on_the_primary(replica_reads: None) -> None:
    client = Client()
    on_replica, on_primary, _ = _replica_queries(client, "/cuoc-thi/")
    assert on_replica == 0 and on_primary > 0
    user = get_user_model().objects.create_user("ban-doc", password="mat-khau-dai-1")
    client.force_login(user)
    on_replica, on_primary, _ = _replica_queries(client, "/tin-tuc/")
    assert on_replica == 0 and on_primary > 0


@_replica_test
def test_a_browser_that_wrote_reads_from_the_primary_for_a_while(replica_reads: None) -> None:
    client = Client()
    response = client.post("/tim-kiem/", {"q": "x"})
    cookie = response.cookies[dbrouter.RECENT_WRITE_COOKIE]
    assert cookie["max-age"] == settings.DATABASE_REPLICA_STICKY_SECONDS
    on_replica, on_primary, _ = _replica_queries(client, "/tin-tuc/")
    assert on_replica == 0 and on_primary > 0
    later = Client()  # the few seconds are over: the browser has dropped the cookie
    later.cookies = client.cookies
    del later.cookies[dbrouter.RECENT_WRITE_COOKIE]
    cache.clear()  # what the first read cached (routes, listings) would need no query at all
    on_replica, _, _ = _replica_queries(later, "/tin-tuc/")
    assert on_replica > 0


@_replica_test
def test_a_replica_that_is_down_leaves_reads_on_the_primary(replica_reads: None) -> None:
    with replica_unreachable():
        _, on_primary, page = _replica_queries(Client(), "/tin-tuc/")
        assert on_primary > 0 and "Tin tức" in page


@_replica_test
def test_a_replica_lagging_past_the_bound_is_not_read(replica_reads: None) -> None:
    with override_settings(DATABASE_REPLICA_MAX_LAG=-1):  # any lag at all is too much
        on_replica, on_primary, _ = _replica_queries(Client(), "/tin-tuc/")
    assert on_replica <= 1 and on_primary > 0  # only the check itself ran on the replica


@_replica_test
def test_a_replica_going_down_between_checks_is_answered_from_the_primary(
    replica_reads: None,
) -> None:
    assert dbrouter.health.ok()  # checked: healthy for the next minute
    with replica_unreachable():
        dbrouter.health.checked_at = time.monotonic()
        dbrouter.health.healthy = True
        response = Client(raise_request_exception=False).get("/tin-tuc/")
        assert response.status_code == 200 and "Tin tức" in response.content.decode()
        assert not dbrouter.health.healthy


def test_without_a_replica_every_read_stays_on_the_primary(site: Any, client: Client) -> None:
    assert not settings.DATABASE_REPLICA_READS
    assert dbrouter.ReplicaRouter().db_for_read(get_user_model()) == "default"
    assert dbrouter.RECENT_WRITE_COOKIE not in client.post("/tim-kiem/", {"q": "x"}).cookies


@pytest.mark.django_db
def test_sessions_survive_a_restart_of_the_cache(site: Any, client: Client) -> None:
    user = get_user_model().objects.create_user("ban-doc", password="mat-khau-dai-1")
    client.force_login(user)
    assert client.get("/tai-khoan/email/").status_code == 200
    cache.clear()  # what a restarted Redis holds
    assert client.get("/tai-khoan/email/").status_code == 200


def _settings_with(**env: str) -> SimpleNamespace:
    """The settings base.py makes from this environment (it is read again, then restored)."""
    import moduong.settings.base as base

    saved = dict(os.environ)
    os.environ.update(SECRET_KEY="x" * 50, **env)
    try:
        made = importlib.reload(base)
        return SimpleNamespace(
            SESSION_ENGINE=made.SESSION_ENGINE, DATABASES=copy.deepcopy(made.DATABASES)
        )
    finally:
        os.environ.clear()
        os.environ.update(saved)
        importlib.reload(base)


def test_sessions_are_kept_in_the_database_behind_redis() -> None:
    assert _settings_with(REDIS_URL="redis://127.0.0.1:6379/5").SESSION_ENGINE == (
        "django.contrib.sessions.backends.cached_db"
    )


def test_pgbouncer_mode_turns_off_what_outlives_a_transaction() -> None:
    url = "postgres://u@db:5432/moduong"
    plain = _settings_with(DATABASE_URL=url, DATABASE_REPLICA_URL=url).DATABASES
    assert not plain["default"].get("DISABLE_SERVER_SIDE_CURSORS")
    for env in (
        {"DATABASE_URL": url, "DATABASE_REPLICA_URL": url, "MODUONG_PGBOUNCER": "1"},
        {"DATABASE_URL": url.replace("5432", "6432"), "DATABASE_REPLICA_URL": url},
    ):
        bounced = _settings_with(**env).DATABASES
        for alias in ("default", "replica"):
            assert bounced[alias]["DISABLE_SERVER_SIDE_CURSORS"] is True, env
            assert bounced[alias]["OPTIONS"]["prepare_threshold"] is None


def _open_cursors() -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT name FROM pg_cursors")
        return [row[0] for row in cursor.fetchall()]


@pytest.mark.postgres
@pytest.mark.django_db
def test_pgbouncer_mode_is_honoured_by_the_connection(site: Any) -> None:
    """With the setting, .iterator() reads without a server-side cursor (a named cursor lives
    in the server's session, which PgBouncer hands to someone else after each transaction)."""
    pages = Page.objects.order_by("pk")
    for _page in pages.iterator(chunk_size=2):
        assert _open_cursors()  # the default: a cursor held on the server
        break
    connection.settings_dict["DISABLE_SERVER_SIDE_CURSORS"] = True
    try:
        for _page in pages.iterator(chunk_size=2):
            assert not _open_cursors()
            break
    finally:
        connection.settings_dict["DISABLE_SERVER_SIDE_CURSORS"] = False
