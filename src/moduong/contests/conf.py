"""The contests' settings: Django settings when set, else the environment (so that the
shared settings module needs no lines of ours)."""

import os

from django.conf import settings


def start_captcha() -> bool:
    """CONTESTS_START_CAPTCHA (default on): a captcha before each attempt."""
    default = os.environ.get("CONTESTS_START_CAPTCHA", "1").lower() not in {"0", "false", "no"}
    return bool(getattr(settings, "CONTESTS_START_CAPTCHA", default))


def start_rate_per_minute() -> int:
    """CONTESTS_START_RATE_PER_MINUTE (default 6): starts one person may make in a minute,
    on top of the attempts allowed; 0 turns the limit off."""
    default = int(os.environ.get("CONTESTS_START_RATE_PER_MINUTE", "6"))
    return int(getattr(settings, "CONTESTS_START_RATE_PER_MINUTE", default))


def ranking_work_mem() -> str:
    """CONTESTS_RANKING_WORK_MEM (default 64MB): PostgreSQL's work_mem for the ranking's one
    statement, so that sorting every person's best attempt stays in memory (with the server's
    default, 4MB, the sort of 1,100,000 attempts' entries went to disk). A server with little
    memory to spare, or many rankings at once, may want less."""
    default = os.environ.get("CONTESTS_RANKING_WORK_MEM", "64MB")
    return str(getattr(settings, "CONTESTS_RANKING_WORK_MEM", default))
