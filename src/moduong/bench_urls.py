"""URLs for benchmarks only: the site plus baseline views to measure it against."""

from collections.abc import Callable

from django.db import connection
from django.http import HttpRequest, HttpResponse
from django.urls import path

from moduong.core.services import page_cache_invalidate
from moduong.urls import urlpatterns as site_urlpatterns


def baseline_hello(request: HttpRequest) -> HttpResponse:
    """The least a Django view can do: the ceiling for any page of the site."""
    return HttpResponse("xin chào", content_type="text/plain; charset=utf-8")


def baseline_insert(request: HttpRequest) -> HttpResponse:
    """One raw INSERT per request: the ceiling for a request that must write."""
    with connection.cursor() as cursor:
        cursor.execute("INSERT INTO bench_baseline_row (created) VALUES (CURRENT_TIMESTAMP)")
    return HttpResponse("ok", content_type="text/plain")


def publish_before_each_page(
    get_response: Callable[[HttpRequest], HttpResponse],
) -> Callable[[HttpRequest], HttpResponse]:
    """BENCH_CACHE=publish: the content generation moves before every page request, as if an
    editor published something between any two readers, so each page is the first one served
    after a publish (routes, listings and fragments all computed again). Wagtail's own caches
    (site root paths, renditions) stay, as they do after a real publish."""

    def middleware(request: HttpRequest) -> HttpResponse:
        if not request.path.startswith("/__bench__/"):
            page_cache_invalidate()
        return get_response(request)

    return middleware


urlpatterns = [
    path("__bench__/hello", baseline_hello),
    path("__bench__/insert", baseline_insert),
    *site_urlpatterns,
]

handler400 = "moduong.core.views.bad_request"
handler403 = "moduong.core.views.permission_denied"
handler404 = "moduong.core.views.page_not_found"
handler500 = "moduong.core.views.server_error"
