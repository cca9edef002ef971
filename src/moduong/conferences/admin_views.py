"""Organisers' pages in Wagtail's admin: the live roll-up (refreshed by htmx polling), the
points' Excel import, the QR sheet, the report in Excel, closing the reporting."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from . import excel, selectors, services
from .models import Conference, ConnectionPoint
from .qrsheet import points_sheet_pdf

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MANAGE = "conferences.change_conference"
POLL_SECONDS = 5


def _xlsx(data: bytes, name: str) -> HttpResponse:
    response = HttpResponse(data, content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def _rollup_context(conference: Conference) -> dict[str, object]:
    due = selectors.alert_due(conference=conference)
    return {
        "conference": conference,
        "rollup": selectors.rollup(conference=conference),
        "alert_due": due,
        "not_linked": list(selectors.points_not_linked(conference=conference)[:200]) if due else [],
        "now": timezone.now(),
        "poll_seconds": POLL_SECONDS,
    }


@permission_required(MANAGE, raise_exception=True)
def rollup(request: HttpRequest, conference_id: int) -> HttpResponse:
    conference = get_object_or_404(Conference, pk=conference_id)
    template = (
        "conferences/admin/rollup_figures.html"
        if request.headers.get("HX-Request")
        else "conferences/admin/rollup.html"
    )
    return render(request, template, _rollup_context(conference))


class PointsUploadForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Excel file (.xlsx) in the template's format"),
        error_messages={"required": gettext_lazy("Please choose a file.")},
    )


@permission_required(MANAGE, raise_exception=True)
@require_http_methods(["GET", "HEAD", "POST"])
def points_import(request: HttpRequest, conference_id: int) -> HttpResponse:
    conference = get_object_or_404(Conference, pk=conference_id)
    form = PointsUploadForm(request.POST or None, request.FILES or None)
    report = None
    if request.method == "POST" and form.is_valid():
        report = services.conference_points_import(
            conference=conference, data=form.cleaned_data["file"].read()
        )
        if not report.errors:
            messages.success(
                request,
                _("%(c)d new points, %(u)d points updated.")
                % {"c": report.created, "u": report.updated},
            )
            return redirect("conferences_points_import", conference_id=conference.pk)
    return render(
        request,
        "conferences/admin/import.html",
        {
            "conference": conference,
            "form": form,
            "report": report,
            "count": conference.points.count(),
        },  # type: ignore[attr-defined]
        status=400 if report and report.errors else 200,
    )


@permission_required(MANAGE, raise_exception=True)
def points_template(request: HttpRequest) -> HttpResponse:
    return _xlsx(excel.points_template(), "mau-diem-cau.xlsx")


@permission_required(MANAGE, raise_exception=True)
def qr_sheet(request: HttpRequest, conference_id: int) -> HttpResponse:
    conference = get_object_or_404(Conference, pk=conference_id)
    points = [
        (
            point,
            request.build_absolute_uri(
                reverse(
                    "conferences:report",
                    args=[selectors.point_link(point=point, conference=conference)],
                )
            ),
        )
        for point in selectors.conference_points(conference=conference)
    ]
    response = HttpResponse(
        points_sheet_pdf(conference=conference, points=points), content_type="application/pdf"
    )
    response["Content-Disposition"] = f'attachment; filename="ma-qr-{conference.slug}.pdf"'
    return response


@permission_required(MANAGE, raise_exception=True)
def report_download(request: HttpRequest, conference_id: int) -> HttpResponse:
    conference = get_object_or_404(Conference, pk=conference_id)
    data = excel.conference_report(
        conference=conference, rollup=selectors.rollup_compute(conference=conference)
    )
    return _xlsx(data, f"bao-cao-{conference.slug}.xlsx")


@permission_required(MANAGE, raise_exception=True)
@require_POST
def reporting_set(request: HttpRequest, conference_id: int) -> HttpResponse:
    conference = get_object_or_404(Conference, pk=conference_id)
    closed = request.POST.get("closed") == "1"
    services.conference_reporting_set(conference=conference, closed=closed)
    messages.success(
        request, _("Reporting is closed.") if closed else _("Reporting is open again.")
    )
    return redirect("conferences_rollup", conference_id=conference.pk)


@permission_required(MANAGE, raise_exception=True)
def index(request: HttpRequest) -> HttpResponse:
    conferences = Conference.objects.order_by("-starts_at")
    return render(request, "conferences/admin/index.html", {"conferences": conferences})


@permission_required(MANAGE, raise_exception=True)
def point_photo(request: HttpRequest, point_id: int) -> HttpResponse:
    point = get_object_or_404(ConnectionPoint, pk=point_id)
    if not point.photo:
        raise Http404
    # The bytes were checked to be a picture when they came in, and named by their type.
    kind = (point.photo.name or "").rsplit(".", 1)[-1].replace("jpg", "jpeg")
    with point.photo.open("rb") as photo:  # at most 10 MB, to organisers only
        return HttpResponse(photo.read(), content_type=f"image/{kind}")
