"""The task worker on Redis (TASKS_BACKEND=django_tasks_rq.RQBackend, docs/operator.md): rq's
worker, made to run again, within a bounded time, a task whose worker died in the middle of it.

How rq 2.x treats such a task: while a job runs, the worker refreshes the job's entry in the
queue's StartedJobRegistry every `job_monitoring_interval` (its heartbeat), each time for a
little longer (rq: 30 s, entry kept 60 s more). When the worker is killed the entry is no
longer refreshed; the next worker that cleans the registries (at its start, then every
`maintenance_interval`, rq: 10 minutes, checked between waits for work of up to 405 s) finds
it expired and calls the job abandoned: moved to the failed jobs, unless it has retries left
(rq's `Retry`), then queued again at once. Here:

- heartbeat every TASKS_RQ_HEARTBEAT_SECONDS (5), the entry expiring 3 heartbeats later;
- registries cleaned every 2 heartbeats, an idle worker waking up as often to do it;
- a job its worker abandoned gets a retry, up to ABANDONED_RUNS runs in all (a task that kills
  its worker every time is not run for ever); a task that raised an error is not run again
  (django-tasks' own rule: it failed);
- the work horse (rq's forked child that runs the job) dies with its worker, as on a host that
  goes down, so that no orphan goes on with a job that is also handed out again.

So a task killed mid-run is queued again at most 5 heartbeats (25 s) after its worker died,
when a worker is running then, or as soon as a worker starts after that; the cluster test
(tests/cluster) measures it. A task may therefore run twice: each one is safe to run again
(see docs/operator.md).
"""

from __future__ import annotations

import ctypes
import sys
from typing import Any

from django.conf import settings
from rq.exceptions import AbandonedJobError
from rq.job import Job
from rq.worker import Worker as RQWorker

ABANDONED_RUNS = 3
_PR_SET_PDEATHSIG = 1
_SIGKILL = 9


def abandoned_job_retry(job: Job, exc_type: type, exc_value: Any, traceback: Any) -> bool:
    """rq's exception handler, called by the registry's cleanup for an abandoned job: gives it
    one more run (rq queues a job with retries left again), up to ABANDONED_RUNS runs in all.
    Other errors go on to rq's default handling (True)."""
    if exc_type is not AbandonedJobError:
        return True
    runs = int(job.meta.get("moduong_runs", 1))
    if runs >= ABANDONED_RUNS:
        return True
    job.meta["moduong_runs"] = runs + 1
    job.retries_left = 1
    job.retry_intervals = [0]
    return False


class Worker(RQWorker):
    """`moduong worker` on the RQ backend (see the module's docstring)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        beat = int(getattr(settings, "TASKS_RQ_HEARTBEAT_SECONDS", 5))
        kwargs["job_monitoring_interval"] = beat
        kwargs["maintenance_interval"] = 2 * beat
        super().__init__(*args, **kwargs)
        self.push_exc_handler(abandoned_job_retry)

    @property
    def dequeue_timeout(self) -> int:
        # An idle worker wakes up to clean the registries, not only every 405 s.
        return max(1, min(super().dequeue_timeout, self.maintenance_interval))

    def get_heartbeat_ttl(self, job: Job) -> int:
        return min(super().get_heartbeat_ttl(job), 3 * self.job_monitoring_interval)

    def main_work_horse(self, job: Job, queue: Any) -> None:
        if sys.platform == "linux":
            # The kernel sends SIGKILL to the horse when the worker that forked it dies.
            ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, _SIGKILL, 0, 0, 0)
        super().main_work_horse(job, queue)
