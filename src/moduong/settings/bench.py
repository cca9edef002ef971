"""Benchmarks: production settings plus the baseline views that exist only here."""

import os

from .production import *  # noqa: F403

ROOT_URLCONF = "moduong.bench_urls"
SECURE_SSL_REDIRECT = False
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
LOGGING["root"]["level"] = "WARNING"  # noqa: F405
LOGGING["loggers"]["moduong"]["level"] = "WARNING"  # noqa: F405

# The "nothing cached" scenarios: every route, listing and fragment is computed afresh on every
# request, as right after a publish.
if os.environ.get("BENCH_CACHE") == "none":
    CACHES = {
        alias: {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}
        for alias in ("default", "renditions")
    }
