"""Benchmarks: production settings plus the baseline views that exist only here."""

import os

from .production import *  # noqa: F403

ROOT_URLCONF = "moduong.bench_urls"
SECURE_SSL_REDIRECT = False
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
LOGGING["root"]["level"] = "WARNING"  # noqa: F405
LOGGING["loggers"]["moduong"]["level"] = "WARNING"  # noqa: F405

# The "first view after a publish" scenarios (see bench_urls.publish_before_each_page).
if os.environ.get("BENCH_CACHE") == "publish":
    MIDDLEWARE = ["moduong.bench_urls.publish_before_each_page", *MIDDLEWARE]  # noqa: F405
