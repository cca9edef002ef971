"""The site's URLs plus a view that fails, to prove what a reader sees when code breaks."""

from django.http import HttpRequest, HttpResponse
from django.urls import path

from moduong.urls import handler400, handler403, handler404, handler500, urlpatterns

__all__ = ["handler400", "handler403", "handler404", "handler500", "urlpatterns"]


def broken(request: HttpRequest) -> HttpResponse:
    raise IndexError("Index was outside the bounds of the array.")


urlpatterns = [path("hong/", broken), *urlpatterns]
