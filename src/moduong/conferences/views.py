"""Public pages: the conferences' list and a conference's page with its materials; the point's
report form behind its signed link (no account)."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from . import selectors, services
from .forms import PointReportForm
from .links import point_link_read
from .services import ConferenceError, ReportInput


def conference_list(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "conferences/conference_list.html",
        {
            "conferences": selectors.conference_list_published(),
            "breadcrumb_title": _("Online conferences"),
        },
    )


def conference_detail(request: HttpRequest, slug: str) -> HttpResponse:
    conference = selectors.conference_get_published(slug=slug)
    if conference is None:
        raise Http404
    materials = conference.materials.select_related("document").order_by("sort_order")  # type: ignore[attr-defined]
    started = timezone.now() >= conference.starts_at
    return render(
        request,
        "conferences/conference_detail.html",
        {
            "conference": conference,
            "agenda": conference.agenda_items.order_by("sort_order", "starts_at"),  # type: ignore[attr-defined]
            "materials": [m for m in materials if m.phase == "before" or started],
            "photos": (
                conference.photos.select_related("image").order_by("sort_order")  # type: ignore[attr-defined]
                if started
                else []
            ),
            "breadcrumb_title": conference.title,
        },
    )


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def point_report(request: HttpRequest, token: str) -> HttpResponse:
    link = point_link_read(token)
    point = selectors.point_for_link(link=link) if link else None
    # Every write and every refused link counts: a page that is only read does not.
    if (request.method == "POST" or point is None) and services.report_rate_exceeded(
        request=request
    ):
        return render(request, "429.html", status=429)
    if link is None or point is None:
        return render(request, "conferences/link_invalid.html", status=403)
    if selectors.link_revoked(link=link, point=point):
        # A leaked or lost link the organisers replaced: the point has a new one.
        return render(
            request, "conferences/link_invalid.html", {"revoked": True, "point": point}, status=410
        )
    conference = point.conference
    categories = list(conference.categories.order_by("sort_order", "pk"))  # type: ignore[attr-defined]
    initial = {
        "link_test": point.link_test,
        "link_test_note": point.link_test_note,
        "linked": point.is_linked,
        **{
            f"cat_{c.pk}": (point.attendance or {}).get(str(c.pk))
            for c in categories
            if point.attendance
        },
    }
    form = PointReportForm(
        request.POST or None, request.FILES or None, initial=initial, categories=categories
    )
    status = 200
    if request.method == "POST" and conference.reporting_closed:
        # The page says reporting is closed and offers no form; a phone that still had the
        # form open is told the same, and nothing is read from its request.
        status = 400
    elif request.method == "POST":
        if form.is_valid():
            photo = form.cleaned_data.get("photo")
            try:
                services.point_report_submit(
                    link=link,
                    report=ReportInput(
                        link_test=form.cleaned_data["link_test"] or None,
                        link_test_note=form.cleaned_data["link_test_note"],
                        linked=form.cleaned_data["linked"],
                        attendance=form.attendance(),
                        photo=photo.read() if photo else None,
                    ),
                )
            except ConferenceError as error:
                form.add_error(None, error.message)
                status = 400
            else:
                messages.success(request, _("Thank you: your report has been received."))
                return redirect(request.path)
        else:
            status = 400
    return render(
        request,
        "conferences/point_report.html",
        {
            "point": point,
            "conference": conference,
            "form": form,
            "history": point.reports.all()[:10],  # type: ignore[attr-defined]
            "breadcrumb_title": point.name,
        },
        status=status,
    )
