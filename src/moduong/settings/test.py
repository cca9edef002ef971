"""Tests: the real SQLite by default, the real PostgreSQL and Redis when DATABASE_URL and
REDIS_URL point at them (as .ci/run does)."""

import tempfile
from pathlib import Path

from .base import *  # noqa: F403

ALLOWED_HOSTS = ["*"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES["staticfiles"] = {  # noqa: F405
    "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
}
DATA_DIR = Path(tempfile.mkdtemp(prefix="moduong-test-data-"))
MEDIA_ROOT = Path(tempfile.mkdtemp(prefix="moduong-test-media-"))
PRIVATE_ROOT = DATA_DIR / "private"
STATIC_ROOT = Path(tempfile.mkdtemp(prefix="moduong-test-static-"))
# Tasks run at once in tests; the "database" backend is the real queue that tests hand to the
# real worker (`db_worker`).
TASKS = {
    "default": {
        "BACKEND": "django_tasks.backends.immediate.ImmediateBackend",
        "QUEUES": ["default", "search", "email"],
    },
    "database": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]},
}
if REDIS_URL:  # noqa: F405
    # The cluster's queue, that tests hand to the real rq worker (core.taskworker).
    TASKS["rq"] = {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}
    if "django_rq" not in INSTALLED_APPS:  # noqa: F405
        INSTALLED_APPS.append("django_rq")  # noqa: F405
if REDIS_URL:  # noqa: F405
    CACHES["default"]["KEY_PREFIX"] = f"moduong-test:{RELEASE}"  # noqa: F405
    CACHES["sessions"]["KEY_PREFIX"] = "moduong-test"  # noqa: F405
else:
    CACHES["default"]["LOCATION"] = str(DATA_DIR / "cache")  # noqa: F405
WHITENOISE_USE_FINDERS = True
# Every read reaches the shared counter at once, so no test inherits another's buffered reads;
# the buffer itself is tested with its own setting.
NEWS_READS_BUFFER = 1
SEARCH_RATE_PER_MINUTE = 0  # tests search far more often than a reader; one test sets it
LOGGING["root"]["level"] = "WARNING"  # noqa: F405
LOGGING["loggers"]["moduong"]["level"] = "WARNING"  # noqa: F405
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":  # noqa: F405
    # A file, not Django's shared in-memory database: the live server used by browser tests
    # then has its own connection, as a real server would.
    DATABASES["default"]["TEST"] = {"NAME": str(DATA_DIR / "test.sqlite3")}  # noqa: F405
if "replica" not in DATABASES:  # noqa: F405
    # A second connection to the same test database, for the tests of the replica router
    # (moduong.core.dbrouter); it reads nothing unless a test sets DATABASE_REPLICA_READS.
    DATABASES["replica"] = {**DATABASES["default"], "TEST": {"MIRROR": "default"}}  # noqa: F405
