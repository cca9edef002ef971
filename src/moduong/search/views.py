from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from . import selectors
from .forms import SearchForm


def search(request: HttpRequest) -> HttpResponse:
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
