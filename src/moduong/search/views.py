from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from . import selectors, services
from .forms import SearchForm


# Results change as soon as the index does, not when pages are published: they are never kept
# in the anonymous page cache.
@never_cache
def search(request: HttpRequest) -> HttpResponse:
    if services.search_rate_exceeded(request=request):
        return render(request, "429.html", status=429)
    form = SearchForm(request.GET or None)
    page = None
    message = ""
    if request.GET:
        if form.is_valid():
            page = selectors.search(
                text=form.cleaned_data["q"],
                filters=form.filters(),
                page=form.cleaned_data["trang"] or 1,
            )
            message = page.message
        else:
            message = form.first_error()
    query = request.GET.get("q", "")[:200]
    params = request.GET.copy()
    params.pop("trang", None)
    return render(
        request,
        "search/search.html",
        {
            "form": form,
            "result": page,
            "message": message,
            "search_query": query,
            "page_params": params.urlencode(),
            "breadcrumb_title": _("Search"),
        },
    )
