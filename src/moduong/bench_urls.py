"""URLs for benchmarks only: the site plus baseline views to measure it against."""

from django.db import connection
from django.http import HttpRequest, HttpResponse
from django.urls import path

from moduong.urls import urlpatterns as site_urlpatterns


def baseline_hello(request: HttpRequest) -> HttpResponse:
    """The least a Django view can do: the ceiling for any page of the site."""
    return HttpResponse("xin chào", content_type="text/plain; charset=utf-8")


def baseline_insert(request: HttpRequest) -> HttpResponse:
    """One raw INSERT per request: the ceiling for a request that must write."""
    with connection.cursor() as cursor:
        cursor.execute("INSERT INTO bench_baseline_row (created) VALUES (CURRENT_TIMESTAMP)")
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [
    path("__bench__/hello", baseline_hello),
    path("__bench__/insert", baseline_insert),
    *site_urlpatterns,
]

handler400 = "moduong.core.views.bad_request"
handler403 = "moduong.core.views.permission_denied"
handler404 = "moduong.core.views.page_not_found"
handler500 = "moduong.core.views.server_error"
