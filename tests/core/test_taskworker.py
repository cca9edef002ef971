"""Tasks on Redis (TASKS_BACKEND=django_tasks_rq.RQBackend, core.taskworker), with the real
Redis and the real rq worker started as `moduong worker` in a subprocess: a task whose worker
is killed with SIGKILL in the middle of it is run again by the next worker and completes once;
a ranking goes through the queue to the ranked round. Redis is CI's PostgreSQL lane's, where
nothing may skip (the postgres mark)."""

import os
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import redis
from django.conf import settings
from django.db import connection
from django_tasks import task_backends
from django_tasks.base import TaskResultStatus

from moduong.contests.models import RoundJob
from moduong.contests.services.jobs import job_claim
from moduong.contests.tasks import round_job_run
from tests.contests.factories import participant
from tests.contests.test_ranking import add, closed_round, positions

from .taskworker_tasks import held

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

ROOT = Path(__file__).resolve().parents[2]
HEARTBEAT = 1  # seconds; the default is 5 (a killed task runs again within 5 of them)


@pytest.fixture
def worker(tmp_path: Path) -> Iterator[Callable[..., subprocess.Popen[bytes]]]:
    if "rq" not in settings.TASKS:
        pytest.skip("tasks on Redis: set REDIS_URL")
    # The queue of this test's Redis database starts empty (a run killed before leaves none).
    import django_rq  # installed with REDIS_URL only (settings.test)

    django_rq.get_queue("default").empty()
    db = connection.settings_dict
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "moduong.settings.test",
        "DATABASE_URL": (
            f"postgres://{db['USER']}:{db['PASSWORD']}@{db['HOST'] or '127.0.0.1'}:"
            f"{db['PORT'] or 5432}/{db['NAME']}"
        ),
        "TASKS_BACKEND": "django_tasks_rq.RQBackend",
        "TASKS_RQ_HEARTBEAT_SECONDS": str(HEARTBEAT),
    }
    started: list[subprocess.Popen[bytes]] = []

    def start(*args: str) -> subprocess.Popen[bytes]:
        with (tmp_path / f"worker{len(started)}.log").open("wb") as log:
            process = subprocess.Popen(
                [sys.executable, "-m", "moduong.cli", "worker", *args, "default"],
                cwd=ROOT,
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
            )
        started.append(process)
        return process

    yield start
    for process in started:
        if process.poll() is None:
            process.send_signal(signal.SIGCONT)  # a worker a test stopped
            process.terminate()  # rq's warm stop: waits for the task it runs
            try:
                process.wait(30)
            except subprocess.TimeoutExpired:
                process.kill()  # its horse dies with it (core.taskworker)
                process.wait(30)


def wait_until(test: Callable[[], Any], seconds: float, what: str) -> None:
    deadline = time.monotonic() + seconds
    while not test():
        if time.monotonic() > deadline:
            raise AssertionError(f"not after {seconds} s: {what}")
        time.sleep(0.1)


def test_a_task_killed_mid_run_runs_again_on_the_next_worker_and_completes_once(
    worker: Callable[..., subprocess.Popen[bytes]],
) -> None:
    store = redis.Redis.from_url(settings.TASKS_REDIS_URL)
    key = f"moduong-test:taskworker:{uuid.uuid4().hex}"
    result = held.using(backend="rq").enqueue(key)
    first = worker()
    wait_until(lambda: store.llen(f"{key}:started") == 1, 60, "the first run started")

    first.send_signal(signal.SIGKILL)  # the worker alone, as `kill -9` of its process
    first.wait(10)
    horse = int(store.lindex(f"{key}:started", 0))  # type: ignore[arg-type]
    # The process that ran the task died with its worker: nothing goes on with it.
    wait_until(lambda: not _alive(horse), 10, "the killed worker's job process gone")
    store.set(f"{key}:go", 1, ex=300)
    time.sleep(1)
    assert store.get(f"{key}:done") is None

    began = time.monotonic()
    worker()
    wait_until(lambda: store.get(f"{key}:done") is not None, 60, "the task run again")
    # Within the bound of core.taskworker: 5 heartbeats (and the worker's start-up).
    assert time.monotonic() - began < 5 * HEARTBEAT + 20
    result.refresh()
    wait_until(lambda: _refreshed(result).status == TaskResultStatus.SUCCESSFUL, 10, "success")
    assert result.return_value == 1
    time.sleep(3 * HEARTBEAT)
    assert store.get(f"{key}:done") == b"1"  # done once
    assert store.llen(f"{key}:started") == 2  # killed once, run again once
    store.delete(f"{key}:started", f"{key}:go", f"{key}:done")


def test_a_worker_late_with_its_heartbeat_stops_its_run_when_the_task_was_handed_out_again(
    worker: Callable[..., subprocess.Popen[bytes]],
) -> None:
    """A worker alive but silent for more than 3 heartbeats (stopped here; on a host: starved,
    swapping, cut off from Redis) loses the task to the next worker; when it wakes up its own
    run is stopped, so the task completes once and not twice side by side."""
    store = redis.Redis.from_url(settings.TASKS_REDIS_URL)
    key = f"moduong-test:taskworker:{uuid.uuid4().hex}"
    result = held.using(backend="rq").enqueue(key)
    first = worker()
    wait_until(lambda: store.llen(f"{key}:started") == 1, 60, "the first run started")
    horse = int(store.lindex(f"{key}:started", 0))  # type: ignore[arg-type]
    first.send_signal(signal.SIGSTOP)  # the worker, not its horse, which runs on
    try:
        worker()
        wait_until(lambda: store.llen(f"{key}:started") == 2, 60, "the task handed out again")
    finally:
        first.send_signal(signal.SIGCONT)
    wait_until(lambda: not _alive(horse), 10 * HEARTBEAT + 10, "the late worker's run stopped")
    store.set(f"{key}:go", 1, ex=300)
    wait_until(lambda: _refreshed(result).status == TaskResultStatus.SUCCESSFUL, 60, "success")
    time.sleep(3 * HEARTBEAT)
    assert store.get(f"{key}:done") == b"1"  # run to its end once
    assert _refreshed(result).status == TaskResultStatus.SUCCESSFUL
    assert first.poll() is None  # the late worker goes on serving the queue
    store.delete(f"{key}:started", f"{key}:go", f"{key}:done")


def test_a_ranking_left_running_by_a_dead_worker_is_made_through_the_queue(
    worker: Callable[..., subprocess.Popen[bytes]],
) -> None:
    rnd = closed_round()
    a, b = participant(rnd.contest), participant(rnd.contest)
    first = add(rnd, a, 1, 5, 100, None, at=1)
    second = add(rnd, b, 1, 3, 100, None, at=2)
    job = RoundJob.objects.create(round=rnd, kind=RoundJob.RANK)
    job_claim(job_id=job.pk)  # as a run whose worker was killed leaves it: running
    result = round_job_run.using(backend="rq").enqueue(job.pk)

    assert worker("--burst").wait(120) == 0

    result = task_backends["rq"].get_result(result.id)
    assert result.status == TaskResultStatus.SUCCESSFUL
    assert result.return_value == RoundJob.DONE
    job.refresh_from_db()
    assert job.state == RoundJob.DONE and not job.error
    assert positions(rnd) == [(1, first.pk), (2, second.pk)]


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().split(")")[-1].split()[0]
    except FileNotFoundError:
        return False
    return state not in ("Z", "X")


def _refreshed(result: Any) -> Any:
    result.refresh()
    return result
