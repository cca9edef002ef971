"""Whole-page cache for anonymous readers.

A reader without a session cookie sees exactly what every other such reader sees, so the HTML
page is cached per address; logged-in users and anything that sets a cookie (a form with a CSRF
token) bypass it. A cached page remembers the generations it was made under (see caching.py: a
page at its own address follows its path's, everything else every publish) and is stale once
they move on. The numbers and the page are read in one cache round trip.
"""

import logging
from collections.abc import Callable
from hashlib import blake2b

from csp.middleware import CSPMiddleware, PolicyParts
from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from wagtail.models import Page
from wagtail.views import serve as wagtail_serve

from . import views
from .caching import generation_pinning, stamped_get, stamped_get_with_stale, stamped_set
from .dbrouter import RECENT_WRITE_COOKIE
from .locks import is_lock_timeout
from .signals import cached_page_served

logger = logging.getLogger(__name__)

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


def refuse_long_addresses(
    get_response: Callable[[HttpRequest], HttpResponse],
) -> Callable[[HttpRequest], HttpResponse]:
    """An address longer than MAX_URL_LENGTH gets the site's own 414 page in Vietnamese. The
    server lets longer request lines through to here (see moduong.core.httpserver), so that
    only absurd ones meet its plainer refusal."""
    limit = int(getattr(settings, "MAX_URL_LENGTH", 8000))

    def middleware(request: HttpRequest) -> HttpResponse:
        if len(request.get_full_path()) > limit:
            return views.uri_too_long(request)
        return get_response(request)

    return middleware


ROUTE_CACHE_KEY = "core:route:{}"
ROUTE_CACHE_SECONDS = 3600
# How long a reader making a stale page again may take before another reader tries: the bound
# on serving the copy from before a publish if that reader's process died mid-render.
REBUILD_SECONDS = 10


class PageRouteCacheMiddleware:
    """Wagtail finds the page behind an address with several queries on every request: the
    site, the tree below it, the view restrictions of the page and its ancestors. That answer
    changes only when something is published, unpublished, moved, deleted or restricted, or a
    site is edited: exactly the events that move the content generation. So the route is kept
    in the cache with the generation it was found in, and Wagtail is handed it through the
    attributes it caches its own answers in (request._wagtail_site and
    request._wagtail_route_for_request). Whether the reader may see the page is still decided
    on every request, from the cached restrictions."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        with generation_pinning() as pin:
            request._pin_generation = pin  # type: ignore[attr-defined]
            return self.get_response(request)

    def process_view(
        self,
        request: HttpRequest,
        view_func: Callable[..., HttpResponse],
        view_args: tuple[object, ...],
        view_kwargs: dict[str, object],
    ) -> HttpResponse | None:
        if view_func is not wagtail_serve or request.method not in ("GET", "HEAD"):
            return None
        path = str(view_kwargs.get("path", view_args[0] if view_args else ""))
        address = f"{request._get_raw_host()}|{request.get_port()}|{path}"  # type: ignore[attr-defined]
        key = ROUTE_CACHE_KEY.format(blake2b(address.encode(), digest_size=16).hexdigest())
        stamps, cached = stamped_get(key, request.path)
        if isinstance(cached, tuple):
            request._wagtail_site, route, restrictions = cached  # type: ignore[attr-defined]
        else:
            route = Page.route_for_request(request, path)
            if route is None:  # a 404: not worth a cache entry per made-up address
                return None
            restrictions = list(route.page.get_view_restrictions())
            site = request._wagtail_site  # type: ignore[attr-defined]
            stamped_set(
                key,
                stamps,
                (site, route, restrictions),
                ROUTE_CACHE_SECONDS,
                page=_at_own_address(route),
            )
        _answer_view_restrictions(route.page, restrictions)
        request._wagtail_route_for_request = route  # type: ignore[attr-defined]
        request._pin_generation(stamps.generation)  # type: ignore[attr-defined]
        # The page answers at its own address: publishing another page leaves it cached.
        request._page_at_own_address = _at_own_address(route)  # type: ignore[attr-defined]
        return None


def _at_own_address(route: object) -> bool:
    """A page served at its own address, not one of its sub-routes (a section's listing or
    feeds, which show other pages and so follow every publish)."""
    return not route[1]  # type: ignore[index]  # a RouteResult: (page, args, kwargs)


def _answer_view_restrictions(page: object, restrictions: list[object]) -> None:
    """Wagtail's before-serve hook asks the page for its restrictions (two queries); this
    instance answers from the list cached with its route."""

    def get_view_restrictions() -> list[object]:
        return restrictions

    page.get_view_restrictions = get_view_restrictions  # type: ignore[attr-defined]


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
        if RECENT_WRITE_COOKIE in cookies:  # it just wrote: it sees the page as it is now
            return None
        address = blake2b(request.build_absolute_uri().encode(), digest_size=16).hexdigest()
        return f"page:{address}"

    def __call__(self, request: HttpRequest) -> HttpResponse:
        key = self._key(request)
        if key is None:
            return self.get_response(request)
        stamps, cached, fresh = stamped_get_with_stale(key, request.path)
        if isinstance(cached, HttpResponse) and fresh:
            return self._served(request, cached, "hit")
        # A publish made this page stale: one reader makes it again while those who come in
        # the meantime get the copy from before the publish, so a publish under load costs one
        # rendering of the home and each section it touches, not one per waiting reader.
        rebuild = f"{key}:rebuild"
        if isinstance(cached, HttpResponse) and not cache.add(rebuild, 1, REBUILD_SECONDS):
            return self._served(request, cached, "stale")
        try:
            response = self.get_response(request)
            if (
                response.status_code == 200
                and not response.streaming
                and response.get("Content-Type", "").startswith("text/html")
                and not response.cookies
                and not response.has_header("Cache-Control")
            ):
                own_address = getattr(request, "_page_at_own_address", False)
                stamped_set(key, stamps, response, settings.PAGE_CACHE_SECONDS, page=own_address)
                response.headers["X-Page-Cache"] = "miss"
            elif cached is not None:  # unpublished, moved away, an error: no copy is served again
                cache.delete(key)
        finally:
            if cached is not None:
                cache.delete(rebuild)
        return response

    def _served(self, request: HttpRequest, response: HttpResponse, how: str) -> HttpResponse:
        response.headers["X-Page-Cache"] = how
        cached_page_served.send(sender=self.__class__, request=request, response=response)
        return response


class BusyPageMiddleware:
    """A lock wait that ran out (core.locks) is a busy moment, not a fault: the person is told
    so in Vietnamese (503) and nothing was changed, whichever view waited."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if is_lock_timeout(exception):
            logger.warning("lock wait ran out on %s", request.path)
            return views.busy(request)
        return None


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    """django-csp's middleware, with the admin's own policy under its addresses (see
    CONTENT_SECURITY_POLICY_ADMIN in the settings for why it differs). Who may frame a response
    is decided once, by X-Frame-Options (DENY, or SAMEORIGIN for the PDF the reader page embeds
    and the admin's preview); frame-ancestors says the same, since browsers obey it first."""

    def get_policy_parts(
        self, request: HttpRequest, response: HttpResponseBase, report_only: bool = False
    ) -> PolicyParts:
        parts = super().get_policy_parts(request, response, report_only=report_only)
        if (
            not report_only
            and parts.config is None
            and request.path_info.startswith(tuple(settings.CSP_ADMIN_PREFIXES))
        ):
            parts.config = settings.CONTENT_SECURITY_POLICY_ADMIN["DIRECTIVES"]
        if response.get("X-Frame-Options", "").upper() == "SAMEORIGIN":
            parts.replace = {**(parts.replace or {}), "frame-ancestors": ["'self'"]}
        return parts
