"""Where a contest request's time goes, in one process: the start and the submit sent through
Django's WSGI handler (every middleware, as gunicorn runs it), with the database queries and
the Redis round trips each one makes, the CPU time each costs, and a cProfile (CPU time) of
a few hundred of each.

    .venv/bin/python bench/contests.py --rounds 1 --seconds 2 --skip-million  # the data
    DJANGO_SETTINGS_MODULE=moduong.settings.bench SECRET_KEY=… ALLOWED_HOSTS=127.0.0.1 \\
    DATABASE_URL=<the bench's> REDIS_URL=<the bench's> \\
        .venv/bin/python bench/contests_profile.py [--requests 300] [--top 25]

Run it on the database bench/contests.py left behind (its contest, participants and round).
Nothing here is timed against a baseline: it says where the time goes, the benchmark says how
fast it is.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import json
import pstats
import sys
import time
from collections.abc import Callable
from importlib import import_module
from typing import Any

import django

django.setup()

from django.conf import settings  # noqa: E402
from django.core.handlers.wsgi import WSGIHandler  # noqa: E402
from django.db import connection  # noqa: E402
from redis.connection import AbstractConnection  # noqa: E402

from moduong.accounts.models import User  # noqa: E402

SLUG = "cuoc-thi-do-tai"
CSRF = "benchcsrfbenchcsrfbenchcsrfbench"

round_trips = 0
_send = AbstractConnection.send_packed_command


def _counted_send(self: Any, command: Any, check_health: bool = True) -> None:
    """One call per round trip: a pipeline sends all its commands in one."""
    global round_trips
    round_trips += 1
    _send(self, command, check_health)


AbstractConnection.send_packed_command = _counted_send  # type: ignore[method-assign]
handler = WSGIHandler()


def call(method: str, path: str, session: str, body: bytes, token: str = "") -> tuple[int, bytes]:
    environ = {
        "REQUEST_METHOD": method,
        "PATH_INFO": path,
        "QUERY_STRING": "",
        "SERVER_NAME": "127.0.0.1",
        "SERVER_PORT": "80",
        "REMOTE_ADDR": "127.0.0.1",
        "HTTP_HOST": "127.0.0.1",
        "HTTP_COOKIE": f"sessionid={session}; csrftoken={CSRF}",
        "HTTP_X_CSRFTOKEN": CSRF,
        "CONTENT_TYPE": "application/json",
        "CONTENT_LENGTH": str(len(body)),
        "wsgi.input": io.BytesIO(body),
        "wsgi.url_scheme": "http",
        "wsgi.errors": sys.stderr,
    }
    if token:
        environ["HTTP_X_ATTEMPT_TOKEN"] = token
    status: list[str] = []
    chunks = handler(environ, lambda s, h: status.append(s))
    content = b"".join(chunks)
    getattr(chunks, "close", lambda: None)()
    return int(status[0].split()[0]), content


def sessions(count: int) -> list[str]:
    keys = []
    for user in User.objects.filter(username__startswith="dotai").order_by("?")[:count]:
        # The site's own session engine (cached_db on Redis: a session only in the cache's
        # own keys would not be found).
        session = import_module(settings.SESSION_ENGINE).SessionStore()
        session["_auth_user_id"] = str(user.pk)
        session["_auth_user_backend"] = "django.contrib.auth.backends.ModelBackend"
        session["_auth_user_hash"] = user.get_session_auth_hash()
        session.set_expiry(3600)
        session.create()
        keys.append(session.session_key)
    return keys


def measure(name: str, calls: list[Callable[[], None]], top: int) -> None:
    """Queries and round trips of one request, then the time and profile of all of them."""
    global round_trips
    queries: list[str] = []

    def record(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        queries.append(" ".join(sql.split())[:100])
        return execute(sql, params, many, context)

    round_trips = 0
    with connection.execute_wrapper(record):
        calls[0]()
    print(f"\n## {name}: {len(queries)} queries, {round_trips} Redis round trips per request")
    for sql in queries:
        print(f"   {sql}")
    # CPU time, not wall time: on a shared machine a request's waits are mostly other
    # people's work, while its CPU is what limits how many a worker serves.
    count = len(calls) - 1
    cpu, wall = time.process_time(), time.perf_counter()
    for step in calls[1 : count // 2 + 1]:
        step()
    cpu = (time.process_time() - cpu) / (count // 2) * 1000
    wall = (time.perf_counter() - wall) / (count // 2) * 1000
    print(f"   {cpu:.2f} ms of CPU a request in this process ({wall:.1f} ms of wall time)")
    profile = cProfile.Profile(time.process_time)
    profile.enable()
    for step in calls[count // 2 + 1 :]:
        step()
    profile.disable()
    out = io.StringIO()
    pstats.Stats(profile, stream=out).sort_stats("cumulative").print_stats(top)
    print(out.getvalue())


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=300)
    parser.add_argument("--top", type=int, default=25)
    args = parser.parse_args()
    keys = sessions(args.requests + 1)
    started: list[tuple[str, dict[str, Any]]] = []

    def start(key: str) -> Callable[[], None]:
        def step() -> None:
            status, body = call("POST", f"/api/v1/contests/{SLUG}/rounds/1/attempts", key, b"{}")
            assert status == 201, (status, body[:300])
            started.append((key, json.loads(body)))

        return step

    # Warm: the round's paper and ids in this process, connections open.
    warm = sessions(5)
    for key in warm:
        start(key)()
    started.clear()
    measure("start", [start(k) for k in keys], args.top)

    def submit(key: str, data: dict[str, Any]) -> Callable[[], None]:
        answers = [
            {"question_id": q["id"], "option_id": q["options"][0]["id"]} for q in data["questions"]
        ]
        body = json.dumps({"answers": answers, "prediction": 1234}).encode()
        path = f"/api/v1/contests/attempts/{data['id']}/submit"

        def step() -> None:
            status, content = call("POST", path, key, body, data["token"])
            assert status == 200, (status, content[:300])

        return step

    measure("submit", [submit(k, d) for k, d in started], args.top)
    return 0


if __name__ == "__main__":
    sys.exit(main())
