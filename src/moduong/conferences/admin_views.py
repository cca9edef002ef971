"""Organisers' pages in Wagtail's admin: the live roll-up (refreshed by htmx polling), the
points' Excel import, the QR sheet, the report in Excel, closing the reporting."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from moduong.core import files, vntext

from . import excel, selectors, services
from .models import Conference, ConnectionPoint
from .qrsheet import badges_pdf, points_sheet_pdf

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MANAGE = "conferences.change_conference"
POLL_SECONDS = 5
NOT_LINKED_SHOWN = 200


def _xlsx(data: bytes, name: str) -> HttpResponse:
    response = HttpResponse(data, content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def _rollup_context(conference: Conference) -> dict[str, object]:
    due = selectors.alert_due(conference=conference)
    figures = selectors.rollup(conference=conference)
    missing = figures.points - figures.linked
    return {
        "conference": conference,
        "rollup": figures,
        "alert_due": due,
        # Nothing to list when the cached figures say every point is linked: no query.
        "not_linked": (
            list(selectors.points_not_linked(conference=conference)[:NOT_LINKED_SHOWN])
            if due and missing
            else []
        ),
        "not_linked_count": missing,
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
def point_photo(request: HttpRequest, point_id: int) -> HttpResponseBase:
    """The room's photo, to organisers only: it lives in the private root, which no public
    address serves (core.files)."""
    point = get_object_or_404(ConnectionPoint, pk=point_id)
    if not point.photo:
        raise Http404
    # The bytes were checked to be a picture when they came in, and named by their type.
    extension = (point.photo.name or "").rsplit(".", 1)[-1].lower()
    return files.file_response(
        point.photo,
        filename=f"{vntext.slugify(point.code, 40) or 'diem-cau'}.{extension}",
        as_attachment=False,
    )


def _point_url(request: HttpRequest, point: ConnectionPoint) -> str:
    token = selectors.point_link(point=point, conference=point.conference)
    return request.build_absolute_uri(reverse("conferences:report", args=[token]))


@permission_required(MANAGE, raise_exception=True)
@require_http_methods(["GET", "HEAD", "POST"])
def point_link(request: HttpRequest, point_id: int) -> HttpResponse:
    """A point's current reporting link, its QR sheet, and revoking it for a new one (a
    leaked link, a lost sheet): the old link then opens a page that says it was replaced."""
    point = get_object_or_404(ConnectionPoint.objects.select_related("conference"), pk=point_id)
    if request.method == "POST":
        services.point_link_reissue(point=point, by=request.user.get_username())
        messages.success(
            request,
            _("The old links of %(point)s are revoked. Send the point its new link or QR sheet.")
            % {"point": point.name},
        )
        return redirect("conferences_point_link", point_id=point.pk)
    return render(
        request,
        "conferences/admin/point_link.html",
        {"point": point, "conference": point.conference, "url": _point_url(request, point)},
    )


@permission_required(MANAGE, raise_exception=True)
def point_qr(request: HttpRequest, point_id: int) -> HttpResponse:
    point = get_object_or_404(ConnectionPoint.objects.select_related("conference"), pk=point_id)
    response = HttpResponse(
        points_sheet_pdf(conference=point.conference, points=[(point, _point_url(request, point))]),
        content_type="application/pdf",
    )
    name = vntext.slugify(point.code, 40) or "diem-cau"
    response["Content-Disposition"] = f'attachment; filename="ma-qr-{name}.pdf"'
    return response


def _check_in_url(request: HttpRequest, conference: Conference, code: str) -> str:
    return request.build_absolute_uri(
        reverse("conferences_check_in_code", args=[conference.pk, code])
    )


@permission_required(MANAGE, raise_exception=True)
def badges(request: HttpRequest, conference_id: int) -> HttpResponse:
    """Every delegate's badge: its QR code opens the check-in address on the organiser's phone
    (the phone's own camera reads it; no app to install)."""
    conference = get_object_or_404(Conference, pk=conference_id)
    delegates = [
        (delegate, _check_in_url(request, conference, delegate.code))
        for delegate in selectors.conference_delegates(conference=conference)
    ]
    response = HttpResponse(
        badges_pdf(conference=conference, delegates=delegates), content_type="application/pdf"
    )
    response["Content-Disposition"] = f'attachment; filename="the-dai-bieu-{conference.slug}.pdf"'
    return response


class CodeForm(forms.Form):
    code = forms.CharField(
        label=gettext_lazy("Code on the badge"),
        max_length=32,
        error_messages={"required": gettext_lazy("Please enter the code on the badge.")},
    )


def _check_in_context(conference: Conference) -> dict[str, object]:
    # Counted now, not the roll-up's figures of a few seconds ago: the organiser at the door
    # sees the delegate just checked in counted.
    registered, checked_in = selectors.hall_counts(conference=conference)
    return {"conference": conference, "registered": registered, "checked_in": checked_in}


@permission_required(MANAGE, raise_exception=True)
@require_http_methods(["GET", "HEAD", "POST"])
def check_in(request: HttpRequest, conference_id: int) -> HttpResponse:
    """The door of the main hall on an organiser's phone: scanning a badge with the phone's
    camera opens `check_in_code`; a badge that will not scan is checked in by its code."""
    conference = get_object_or_404(Conference, pk=conference_id)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        code = "".join(form.cleaned_data["code"].split()).upper()
        if selectors.delegate_by_code(conference=conference, code=code) is not None:
            return redirect("conferences_check_in_code", conference_id=conference.pk, code=code)
        form.add_error(
            "code",
            _("No delegate of this conference has the code %(code)s.") % {"code": code[:16]},
        )
    return render(
        request,
        "conferences/admin/check_in.html",
        {**_check_in_context(conference), "form": form},
        status=400 if form.errors else 200,
    )


@permission_required(MANAGE, raise_exception=True)
@require_http_methods(["GET", "HEAD", "POST"])
def check_in_code(request: HttpRequest, conference_id: int, code: str) -> HttpResponse:
    """What a badge's QR code opens: the delegate, and a button to check them in (a GET
    changes nothing, so a phone that opens the address twice does not count twice)."""
    conference = get_object_or_404(Conference, pk=conference_id)
    delegate = selectors.delegate_by_code(conference=conference, code=code)
    if delegate is None:
        form = CodeForm(initial={"code": code[:16]})
        return render(
            request,
            "conferences/admin/check_in.html",
            {
                **_check_in_context(conference),
                "form": form,
                "unknown": code[:16],
            },
            status=404,
        )
    already = None
    if request.method == "POST":
        try:
            done = services.delegate_check_in(
                conference=conference, code=delegate.code, by=request.user.get_username()
            )
        except services.ConferenceError as error:  # removed from the list meanwhile
            messages.error(request, error.message)
            return redirect("conferences_check_in", conference_id=conference.pk)
        if done.already:
            already = done.delegate
        else:
            messages.success(
                request, _("%(name)s is checked in.") % {"name": done.delegate.full_name}
            )
            return redirect("conferences_check_in", conference_id=conference.pk)
    return render(
        request,
        "conferences/admin/check_in_code.html",
        {**_check_in_context(conference), "delegate": delegate, "already": already},
        status=409 if already else 200,
    )
