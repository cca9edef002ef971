"""Public pages: the conferences' list and a conference's page with its materials; the point's
report form behind its signed link (no account)."""

from __future__ import annotations

import re

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from . import selectors, services
from .forms import PointReportForm, point_report_checked
from .links import PointLink, point_link_read
from .models import AttendanceCategory
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


def _report_input(form: PointReportForm) -> ReportInput:
    photo = form.cleaned_data.get("photo")
    return ReportInput(
        link_test=form.cleaned_data["link_test"] or None,
        link_test_note=form.cleaned_data["link_test_note"],
        linked=form.cleaned_data["linked"],
        attendance=form.attendance(),
        photo=photo.read() if photo else None,
    )


_CATEGORY_FIELD = re.compile(r"cat_([1-9][0-9]{0,17})")
_CATEGORIES_SENT_AT_MOST = 50


def _categories_sent(request: HttpRequest) -> list[AttendanceCategory] | None:
    """The categories a report's form names (its `cat_<id>` fields), unsaved and unnamed: the
    form checks their numbers and the service's statement that they are the conference's, so
    an accepted report reads no category. None: more than a form could have."""
    ids = {int(m[1]) for name in request.POST if (m := _CATEGORY_FIELD.fullmatch(name))}
    if len(ids) > _CATEGORIES_SENT_AT_MOST:
        return None
    return [AttendanceCategory(pk=pk, name="") for pk in sorted(ids)]


def _submitted(link: PointLink, form: PointReportForm) -> bool:
    try:
        services.point_report_submit(link=link, report=_report_input(form))
    except ConferenceError:
        return False
    return True


def _thanks(request: HttpRequest) -> HttpResponse:
    messages.success(request, _("Thank you: your report has been received."))
    # The page itself, as redirect(request.path) answered, without first trying the path as
    # the name of a URL (a failed reverse() on every report).
    return HttpResponseRedirect(request.path)


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def point_report(request: HttpRequest, token: str) -> HttpResponse:
    link = point_link_read(token)
    form: PointReportForm | None = None
    if request.method == "POST":
        # Every write and every refused link counts: a page that is only read does not.
        if services.report_rate_exceeded(request=request):
            return render(request, "429.html", status=429)
        if link is not None:
            # The day's rush: a report that goes through reads nothing before the service's
            # one statement, which checks the link's point, its version, the closing and that
            # the categories the form sent are the conference's. A photo takes the path below.
            sent = None if request.FILES else _categories_sent(request)
            if sent is not None:
                form = point_report_checked(request.POST, request.FILES, categories=sent)
                if form.is_valid() and _submitted(link, form):
                    return _thanks(request)
            # Refused, or a form of categories changed since the page was shown: as before
            # the rush path, the conference's categories (a field of one deleted is ignored),
            # and any refusal is shown by the full page below.
            categories = selectors.conference_categories(conference_id=link.conference_id)
            form = PointReportForm(request.POST, request.FILES, categories=categories)
            if form.is_valid():
                try:
                    services.point_report_submit(
                        link=link,
                        report=_report_input(form),
                        categories={c.pk for c in categories},
                    )
                except ConferenceError as error:
                    form.add_error(None, error.message)
                else:
                    return _thanks(request)
    point = selectors.point_for_link(link=link) if link else None
    if (
        point is None
        and request.method != "POST"
        and services.report_rate_exceeded(request=request)
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
    categories = selectors.conference_categories(conference_id=conference.pk)
    if form is None:
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
        form = PointReportForm(initial=initial, categories=categories)
    # A refused report (a wrong field, the capacity, the closing) is shown with its message;
    # once the reporting is closed the page offers no form.
    status = 400 if request.method == "POST" else 200
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
