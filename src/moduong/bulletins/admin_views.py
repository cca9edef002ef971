"""Admin pages of the bulletins app: per series its codes (SVG, PNG, PDF), poster sheets per
place, the scan dashboard and its Excel export."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from wagtail.admin.views.pages.workflow import WorkflowActionView

from . import excel, printing, qrcodes, selectors
from .forms import PosterForm
from .models import Place, QrCode, SeriesPage

MANAGE = "bulletins.change_qrcode"
TYPES = {"svg": "image/svg+xml", "png": "image/png", "pdf": "application/pdf"}


def _download(data: bytes, content_type: str, name: str) -> HttpResponse:
    response = HttpResponse(data, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@permission_required(MANAGE, raise_exception=True)
def index(request: HttpRequest) -> HttpResponse:
    series = SeriesPage.objects.order_by("title")
    codes = QrCode.objects.select_related("place", "place__commune", "place__unit", "edition")
    rows = [(s, [c for c in codes if c.series_id == s.pk]) for s in series]
    return render(request, "bulletins/admin/index.html", {"rows": rows, "form": PosterForm()})


@permission_required(MANAGE, raise_exception=True)
def code_file(request: HttpRequest, code_id: int, kind: str) -> HttpResponse:
    if kind not in TYPES:
        raise Http404
    code = get_object_or_404(QrCode, pk=code_id)
    data = qrcodes.qr_bytes(qrcodes.code_url(code.code), kind)
    return _download(data, TYPES[kind], f"ma-qr-{code.code}.{kind}")


@permission_required(MANAGE, raise_exception=True)
def posters(request: HttpRequest, place_id: int) -> HttpResponse:
    place = get_object_or_404(Place, pk=place_id)
    form = PosterForm(request.GET or None)
    if not form.is_valid():
        return render(request, "bulletins/admin/posters.html", {"place": place, "form": form})
    codes = (
        QrCode.objects.filter(place=place, retired=False)
        .select_related("series", "place", "place__commune", "place__unit")
        .order_by("series__title", "pk")
    )
    # One sheet of copies of each code: as many as fit on the page, for cutting.
    per_page = form.cleaned_data["per_page"]
    copies = [code for code in codes for _ in range(per_page)]
    data = printing.poster_sheet_pdf(
        codes=copies, size=form.cleaned_data["size"], per_page=per_page
    )
    return _download(data, TYPES["pdf"], f"ap-phich-{place.pk}-{form.cleaned_data['size']}.pdf")


@permission_required(MANAGE, raise_exception=True)
def dashboard(request: HttpRequest, series_id: int) -> HttpResponse:
    series = get_object_or_404(SeriesPage, pk=series_id)
    return render(
        request,
        "bulletins/admin/dashboard.html",
        {"series": series, "board": selectors.dashboard(series=series)},
    )


@permission_required(MANAGE, raise_exception=True)
def scans_export(request: HttpRequest, series_id: int) -> HttpResponse:
    series = get_object_or_404(SeriesPage, pk=series_id)
    return _download(
        excel.scans_export(series=series),
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        f"luot-quet-{series.slug}.xlsx",
    )


class EditionWorkflowActionView(WorkflowActionView):
    """A moderator's approval publishes the edition, and EditionPage.publish refuses one whose
    article was unpublished meanwhile. The task's action runs in one transaction, so the
    refusal has changed nothing: the moderator is told why, on the page, in Vietnamese."""

    def post(self, request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
        try:
            return super().post(request, *args, **kwargs)  # type: ignore[no-any-return]
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            if request.headers.get("x-requested-with") == "XMLHttpRequest":
                return self.render_modal_json(  # type: ignore[no-any-return]
                    request, {"step": "success", "redirect": self.redirect_url}
                )
            return redirect(self.redirect_url)
