"""Reads for letters and exchanges."""

from __future__ import annotations

import time

from django.core.cache import cache
from django.db.models import Max, Q, QuerySet
from django.template.loader import render_to_string
from django.utils import timezone

from moduong.core.selectors import public_q

from .models import LETTER_PAGE_SIZE, ExchangeIndexPage, ExchangePage, Letter, LettersPage, Question

ANSWERS_VERSION_KEY = "community:exchange:{}:version"
# The number kept for an exchange that is not there for everyone: unpublished or private.
HIDDEN = -1
# exchange id -> (until, number): each process's copy of the number (services forget it).
local_versions: dict[int, tuple[float, int]] = {}
VERSION_SECONDS = 3600
# A number read on a cache miss may race a publish committing at that moment: it is kept only
# briefly, while the one services.answers_version_refresh puts there after a publish is kept long.
MISS_SECONDS = 1
# Each process also keeps the number for a second: with 1,000 readers polling every 3 s a
# process answers hundreds of polls a second, and all but one a second then need no round trip
# to the cache. A published answer reaches readers at most this much later.
LOCAL_SECONDS = 1.0
LOCAL_MAX = 1000
_MISSING = HIDDEN
# Ids come from addresses: past the integer columns' range SQLite raises instead of finding none.
MAX_ID = 2**31 - 1


def letters_public(*, page: LettersPage) -> QuerySet[Letter]:
    """Approved and answered letters, the newest published first; none while the letters'
    page is private (core's one visibility rule, as for every page)."""
    return (
        Letter.objects.filter(public_q("page__"), page=page, status__in=Letter.PUBLIC)
        .only("pk", "name", "subject", "message", "reply", "status", "published_at", "answered_at")
        .order_by("-published_at", "-pk")
    )


def letter_listing_number(*, page: LettersPage, letter_id: int) -> int | None:
    """The page of the public listing that shows the letter, None if it is not public."""
    if letter_id > MAX_ID:
        return None
    letter = letters_public(page=page).filter(pk=letter_id).first()
    if letter is None:
        return None
    newer = (
        letters_public(page=page)
        .filter(
            Q(published_at__gt=letter.published_at)
            | Q(published_at=letter.published_at, pk__gt=letter.pk)
        )
        .count()
    )
    return newer // LETTER_PAGE_SIZE + 1


def exchange_list(*, index: ExchangeIndexPage) -> dict[str, list[ExchangePage]]:
    """The exchanges below the index, as upcoming, live and archived."""
    now = timezone.now()
    pages = ExchangePage.objects.child_of(index).filter(public_q()).order_by("-starts_at")
    grouped: dict[str, list[ExchangePage]] = {"live": [], "upcoming": [], "archived": []}
    for page in pages.select_related("image"):
        grouped[page.state(now)].append(page)
    grouped["upcoming"].reverse()  # the soonest first
    return grouped


def answers_published(*, exchange_id: int) -> list[Question]:
    return list(
        Question.objects.filter(exchange_id=exchange_id, status=Question.Status.ANSWERED)
        .select_related("guest")
        .order_by("sequence")
    )


def answers_after(*, exchange_id: int, after: int) -> list[Question]:
    return list(
        Question.objects.filter(
            exchange_id=exchange_id, status=Question.Status.ANSWERED, sequence__gt=after
        )
        .select_related("guest")
        .order_by("sequence")
    )


def answers_fragment(*, exchange_id: int, after: int, version: int, poll_seconds: int) -> str:
    """The HTML of the answers after number `after`, with the poller asking from `version` on:
    rendered once per (after, version) pair, since every reader at the same point asks the same,
    and kept until the next published answer changes the version."""
    key = f"community:exchange:{exchange_id}:answers:{after}:{version}"
    fragment = cache.get(key)
    if fragment is None:
        fragment = render_to_string(
            "community/includes/new_answers.html",
            {
                "answers": answers_after(exchange_id=exchange_id, after=after),
                "exchange_id": exchange_id,
                "answers_version": version,
                "poll_seconds": poll_seconds,
            },
        )
        cache.set(key, fragment, VERSION_SECONDS)
    return str(fragment)


def answers_version(*, exchange_id: int) -> int | None:
    """The number of the exchange's newest published answer (0 before the first), None if no
    such exchange is published or it is private (a view restriction on it or above it). One
    cache read; the database only when the cache has no answer."""
    if exchange_id > MAX_ID:
        return None
    now = time.monotonic()
    local = local_versions.get(exchange_id)
    if local is not None and local[0] > now:
        return None if local[1] == _MISSING else local[1]
    key = ANSWERS_VERSION_KEY.format(exchange_id)
    version = cache.get(key)
    if version is None:
        if not ExchangePage.objects.filter(public_q(), pk=exchange_id).exists():
            version = _MISSING
        else:
            version = (
                Question.objects.filter(exchange_id=exchange_id).aggregate(last=Max("sequence"))[
                    "last"
                ]
                or 0
            )
        cache.set(key, version, MISS_SECONDS)
    if len(local_versions) >= LOCAL_MAX:  # made-up exchange numbers must not fill memory
        local_versions.clear()
    local_versions[exchange_id] = (now + LOCAL_SECONDS, int(version))
    return None if version == _MISSING else int(version)
