"""A task for tests/core/test_taskworker.py, run by the real rq worker (a subprocess that
imports it by its path): it says it started, waits to be let go, then counts its completion,
each in Redis."""

import os
import time

import redis
from django.conf import settings
from django_tasks import task


@task()
def held(key: str) -> int:
    store = redis.Redis.from_url(settings.TASKS_REDIS_URL)
    store.rpush(f"{key}:started", os.getpid())
    deadline = time.monotonic() + 60
    while not store.exists(f"{key}:go"):
        if time.monotonic() > deadline:
            raise RuntimeError("never let go")
        time.sleep(0.05)
    return int(store.incr(f"{key}:done"))
