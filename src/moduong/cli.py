"""The `moduong` command: Django's manage.py with our settings, and a few verbs of our own.

moduong demo      migrate, load demo content, print the admin login, serve on :8000
moduong serve     serve the site (gunicorn; one process, plus a task worker, on the embedded
                  default)
moduong worker    run background tasks of every queue (news reads, search index, e-mail), on the
                  configured backend: the database (default) or Redis (TASKS_BACKEND)
moduong <any manage.py command>
"""

import atexit
import os
import subprocess
import sys

import django
from django.core.management import execute_from_command_line
from gunicorn.app.wsgiapp import run


def _serve(args: list[str]) -> None:
    bind = os.environ.get("BIND", "127.0.0.1:8000")
    # Without Redis the cache is a folder of files whose counters (rate limits, reads) are not
    # atomic across processes, so the site runs as one process with threads; with Redis any
    # number of processes share it.
    shared_cache = bool(os.environ.get("REDIS_URL"))
    workers = os.environ.get("WEB_CONCURRENCY", "4") if shared_cache else "1"
    if not os.environ.get("DATABASE_URL"):
        # The embedded site has no separate worker to start: without one, what editors publish
        # would never reach search and read counts would never reach the database.
        worker = subprocess.Popen([sys.executable, "-m", "moduong.cli", "worker"])
        atexit.register(worker.terminate)
    sys.argv = [
        "gunicorn",
        "moduong.wsgi:application",
        "--bind",
        bind,
        "--workers",
        workers,
        "--threads",
        os.environ.get("THREADS", "8"),
        # Long addresses reach Django's Vietnamese 414 page; longer ones get the worker's own.
        "--worker-class",
        "moduong.core.httpserver.ThreadWorker",
        "--limit-request-line",
        "8190",
        "--access-logfile",
        "-",
        "--no-control-socket",
        *args,
    ]
    run()


def _worker_argv(args: list[str]) -> list[str]:
    """The worker of the configured task backend: rq's on Redis (core.taskworker: a task whose
    worker died mid-run is run again), django-tasks-db's on the embedded default."""
    django.setup()
    from django.conf import settings  # noqa: PLC0415  # after django.setup()

    if settings.TASKS_BACKEND == "django_tasks_rq.RQBackend":
        named = any(a in settings.RQ_QUEUES for a in args)
        return [
            "rqworker",
            "--worker-class",
            "moduong.core.taskworker.Worker",
            "--job-class",
            "django_tasks_rq.Job",
            *args,
            *([] if named else settings.TASK_QUEUES),
        ]
    queues = [] if any(a.startswith("--queue-name") for a in args) else ["--queue-name", "*"]
    return ["db_worker", *queues, *args]


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "moduong.settings.dev")
    argv = sys.argv[1:]
    command = argv[0] if argv else "help"

    if command == "serve":
        _serve(argv[1:])
        return
    if command == "worker":
        argv = _worker_argv(argv[1:])
    if command == "demo":
        django.setup()
        from moduong import demo  # noqa: PLC0415  # its models need django.setup() first

        demo.main(serve="--no-serve" not in argv)
        if "--no-serve" not in argv:
            _serve([])
        return
    execute_from_command_line(["moduong", *argv])


if __name__ == "__main__":
    main()
