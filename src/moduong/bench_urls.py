"""URLs for benchmarks only: the site plus baseline views to measure it against."""

from collections.abc import Callable

from django.db import connection
from django.http import HttpRequest, HttpResponse
from django.urls import path
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from moduong.core.services import page_cache_invalidate
from moduong.news.models import ArticlePage
from moduong.urls import urlpatterns as site_urlpatterns


def baseline_hello(request: HttpRequest) -> HttpResponse:
    """The least a Django view can do: the ceiling for any page of the site."""
    return HttpResponse("xin chào", content_type="text/plain; charset=utf-8")


def baseline_insert(request: HttpRequest) -> HttpResponse:
    """One raw INSERT per request: the ceiling for a request that must write."""
    with connection.cursor() as cursor:
        cursor.execute("INSERT INTO bench_baseline_row (created) VALUES (CURRENT_TIMESTAMP)")
    return HttpResponse("ok", content_type="text/plain")


@csrf_exempt
@require_POST
def editor_publish(request: HttpRequest) -> HttpResponse:
    """What an editor does when they press "Publish" on an article (a new revision, published
    through Wagtail, sending the signals every publish sends): the newsroom benchmark calls it
    every few seconds on one of the articles the readers read. ?all=1 also empties every cached
    page, fragment and listing, as every publish did before publishing learnt what it touches."""
    article = ArticlePage.objects.live().order_by("?").first()
    if article is None:
        return HttpResponse("no article", status=404, content_type="text/plain")
    article.save_revision(log_action=False).publish(log_action=False)
    if request.GET.get("all"):
        page_cache_invalidate()
    return HttpResponse(article.url_path, content_type="text/plain; charset=utf-8")


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
    path("__bench__/publish", editor_publish),
    *site_urlpatterns,
]

handler400 = "moduong.core.views.bad_request"
handler403 = "moduong.core.views.permission_denied"
handler404 = "moduong.core.views.page_not_found"
handler500 = "moduong.core.views.server_error"
