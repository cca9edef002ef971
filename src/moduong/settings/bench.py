"""Benchmarks: production settings plus the baseline views that exist only here."""

from .production import *  # noqa: F403

ROOT_URLCONF = "moduong.bench_urls"
SECURE_SSL_REDIRECT = False
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
LOGGING["root"]["level"] = "WARNING"  # noqa: F405
LOGGING["loggers"]["moduong"]["level"] = "WARNING"  # noqa: F405
