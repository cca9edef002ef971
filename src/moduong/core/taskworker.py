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
  goes down, so that no orphan goes on with a job that is also handed out again;
- a worker that was alive but late (stopped, starved of CPU or cut off from Redis for more than
  3 heartbeats) finds at its next heartbeat that the job was taken from it and handed out
  again: it kills its horse at once and leaves the job to the worker that has it now. The two
  runs overlap at most for as long as the late worker stayed silent, which is why each task
  is also safe to run twice (docs/operator.md).

So a task killed mid-run is queued again at most 5 heartbeats (25 s) after its worker died,
when a worker is running then, or as soon as a worker starts after that; the cluster test
(tests/cluster) measures it. A task may therefore run twice: each one is safe to run again
(see docs/operator.md).
"""

from __future__ import annotations

import ctypes
import os
import signal
import sys
from typing import Any

from django.conf import settings
from rq.exceptions import AbandonedJobError
from rq.job import Job, JobStatus
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
        self._taken_away: str | None = None

    def subscribe(self) -> None:
        # rq's heartbeat while a job runs is SIGALRM breaking the worker's wait for its horse;
        # a signal sent to a process goes to any of its threads, and one caught by rq's pubsub
        # thread (started here) does not break that wait: a worker stopped and then resumed
        # would send no heartbeat again until its job ends. The thread never takes it.
        kept = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGALRM})
        try:
            super().subscribe()
        finally:
            signal.pthread_sigmask(signal.SIG_SETMASK, kept)

    def maintain_heartbeats(self, job: Job) -> None:
        execution = self.execution
        if (
            execution is not None
            and self.connection.zscore(job.started_job_registry.key, execution.composite_key)
            is None
            and job.get_status(refresh=True) not in (JobStatus.FINISHED, JobStatus.FAILED)
        ):
            # Another worker's cleanup called this run abandoned (its heartbeat came too late)
            # and the job is queued or running again: this run stops now.
            self.log.warning("Worker %s: job %s was handed out again, its horse is killed",
                             self.name, job.id)  # fmt: skip
            self._taken_away = job.id
            self.kill_horse()
            return
        super().maintain_heartbeats(job)

    def handle_job_failure(self, job: Job, queue: Any, *args: Any, **kwargs: Any) -> None:
        if self._taken_away == job.id:
            # The run killed above: the job belongs to the worker that runs it again, whose
            # state must not be overwritten with this run's failure.
            self._taken_away = None
            return
        super().handle_job_failure(job, queue, *args, **kwargs)

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
            if os.getppid() != self.pid:
                # The worker died between the fork and prctl: no signal will come.
                os._exit(1)
        super().main_work_horse(job, queue)
