"""Whole-page cache for anonymous readers.

A reader without a session cookie sees exactly what every other such reader sees, so the HTML
page is cached per address; logged-in users and anything that sets a cookie (a form with a CSRF
token) bypass it. Publishing bumps a generation number; a cached page remembers the generation
it was made in and is stale once that moves on. The number and the page are read in one cache
round trip.
"""

from collections.abc import Callable
from hashlib import blake2b

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse

from .selectors import PAGE_CACHE_GENERATION_KEY
from .signals import cached_page_served

_BYPASS_PREFIXES = ("/admin/", "/django-admin/", "/tai-khoan/", "/captcha/", "/api/", "/static/")


def admin_frames_same_origin(
    get_response: Callable[[HttpRequest], HttpResponse],
) -> Callable[[HttpRequest], HttpResponse]:
    """The site refuses to be framed (X_FRAME_OPTIONS = "DENY"), except inside the admin,
    whose live preview shows the page being edited in a frame of its own origin. Placed after
    Django's XFrameOptionsMiddleware, which leaves a header that is already set alone."""

    def middleware(request: HttpRequest) -> HttpResponse:
        response = get_response(request)
        if request.path.startswith("/admin/"):
            response.headers["X-Frame-Options"] = "SAMEORIGIN"
        return response

    return middleware


class AnonymousPageCacheMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def _key(self, request: HttpRequest) -> str | None:
        if not settings.PAGE_CACHE_SECONDS or request.method not in ("GET", "HEAD"):
            return None
        if request.path.startswith(_BYPASS_PREFIXES) or request.headers.get("HX-Request"):
            return None
        cookies = request.COOKIES
        if settings.SESSION_COOKIE_NAME in cookies or "messages" in cookies:
            return None
        address = blake2b(request.build_absolute_uri().encode(), digest_size=16).hexdigest()
        return f"page:{address}"

    def __call__(self, request: HttpRequest) -> HttpResponse:
        key = self._key(request)
        if key is None:
            return self.get_response(request)
        found = cache.get_many([PAGE_CACHE_GENERATION_KEY, key])
        generation = found.get(PAGE_CACHE_GENERATION_KEY, 0)
        cached = found.get(key)
        if cached is not None and cached[0] == generation:
            response: HttpResponse = cached[1]
            response.headers["X-Page-Cache"] = "hit"
            cached_page_served.send(sender=self.__class__, request=request, response=response)
            return response
        response = self.get_response(request)
        if (
            response.status_code == 200
            and not response.streaming
            and response.get("Content-Type", "").startswith("text/html")
            and not response.cookies
            and not response.has_header("Cache-Control")
        ):
            cache.set(key, (generation, response), settings.PAGE_CACHE_SECONDS)
            response.headers["X-Page-Cache"] = "miss"
        return response
