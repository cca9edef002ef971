"""Whole-page cache for anonymous readers.

A reader without a session cookie sees exactly what every other such reader sees, so the page
is cached per address; logged-in users and anything that sets a cookie (a form with a CSRF
token) bypass it. Publishing bumps a generation number that is part of every key, which drops
all cached pages at once without scanning the cache.
"""

from collections.abc import Callable
from hashlib import blake2b

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse

from .services import PAGE_CACHE_GENERATION_KEY

_BYPASS_PREFIXES = ("/admin/", "/django-admin/", "/tai-khoan/", "/captcha/", "/api/", "/static/")


class AnonymousPageCacheMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def _key(self, request: HttpRequest) -> str | None:
        seconds = settings.PAGE_CACHE_SECONDS
        if not seconds or request.method not in ("GET", "HEAD"):
            return None
        if request.path.startswith(_BYPASS_PREFIXES) or request.headers.get("HX-Request"):
            return None
        cookies = request.COOKIES
        if settings.SESSION_COOKIE_NAME in cookies or "messages" in cookies:
            return None
        generation = cache.get(PAGE_CACHE_GENERATION_KEY, 0)
        address = blake2b(request.build_absolute_uri().encode(), digest_size=16).hexdigest()
        return f"page:{generation}:{address}"

    def __call__(self, request: HttpRequest) -> HttpResponse:
        key = self._key(request)
        if key is not None:
            cached = cache.get(key)
            if cached is not None:
                cached.headers["X-Page-Cache"] = "hit"
                return cached
        response = self.get_response(request)
        if (
            key is not None
            and response.status_code == 200
            and not response.streaming
            and not response.cookies
            and not response.has_header("Cache-Control")
        ):
            cache.set(key, response, settings.PAGE_CACHE_SECONDS)
            response.headers["X-Page-Cache"] = "miss"
        return response
