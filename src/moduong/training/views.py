"""Public pages: a learner's own record and certificates, the QR check-in, the teacher's
attendance sheet and the classroom screen's code, the certificates' verification page."""

from __future__ import annotations

import io

import segno
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from . import certificates, checkin, selectors, services
from .models import Attendance, Certificate, Session
from .services import TrainingError


@never_cache
@login_required
def my_record(request: HttpRequest) -> HttpResponse:
    record = selectors.learner_record(user=request.user)  # type: ignore[arg-type]
    return render(
        request,
        "training/my_record.html",
        {
            "record": record,
            "checked_in": request.GET.get("da-diem-danh") == "1",
            "teaching": selectors.teaching(user=request.user),  # type: ignore[arg-type]
            "breadcrumb_title": _("My training record"),
        },
    )


@never_cache
@login_required
def certificate_download(request: HttpRequest, number: int) -> HttpResponse:
    certificate = get_object_or_404(
        Certificate.objects.select_related(
            "enrolment__learner",
            "enrolment__training_class__programme",
            "enrolment__training_class__centre__unit",
        ),
        number=number,
    )
    if certificate.enrolment.learner.account_id != request.user.pk and not request.user.has_perm(
        "training.change_trainingclass"
    ):
        raise Http404
    verify = request.build_absolute_uri(reverse("training:verify"))
    data = certificates.certificate_pdf(certificate=certificate, verify_url=verify)
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="chung-nhan-{number:06d}.pdf"'
    return response


def verify(request: HttpRequest) -> HttpResponse:
    code = request.GET.get("ma", "")[:40]
    if code and services.verify_rate_exceeded(request=request):
        return render(request, "429.html", status=429)
    certificate = selectors.certificate_by_code(code=code) if code else None
    return render(
        request,
        "training/verify.html",
        {
            "code": code,
            "certificate": certificate,
            "breadcrumb_title": _("Verify a certificate"),
        },
        status=404 if code and certificate is None else 200,
    )


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def checkin_page(request: HttpRequest, code: str) -> HttpResponse:
    """The address in the classroom's QR code: a tap on the button checks the learner in. The
    page carries a ticket (checkin.ticket_make) so that the tap, the request that writes, costs
    one statement: no read of the session or the account. Without a valid ticket the tap goes
    the ordinary way, through the login."""
    if request.method == "POST":
        account_id = checkin.ticket_read(
            request.POST.get("ve", ""),
            session_key=request.COOKIES.get(settings.SESSION_COOKIE_NAME, ""),
            code=code,
        )
        if account_id is None:
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            account_id = request.user.pk
        try:
            services.attendance_checkin(code=code, account_id=account_id)
        except TrainingError as error:
            return render(
                request,
                "training/checkin.html",
                {"error": error.message, "breadcrumb_title": _("Check in")},
                status=400,
            )
        # Said by the address, not by a message in the session: the check-in writes one row.
        return redirect(reverse("training:my_record") + "?da-diem-danh=1")
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    ticket = checkin.ticket_make(
        account_id=request.user.pk, session_key=request.session.session_key or "", code=code
    )
    return render(
        request,
        "training/checkin.html",
        {"code": code, "ticket": ticket, "breadcrumb_title": _("Check in")},
    )


def _teacher_session(request: HttpRequest, code: str, number: int) -> Session:
    session = selectors.session_by_number(code=code, number=number)
    if session is None:
        raise Http404
    if not selectors.may_teach(user=request.user, training_class=session.training_class):  # type: ignore[arg-type]
        raise PermissionDenied
    return session


@never_cache
@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def attendance_sheet(request: HttpRequest, code: str, number: int) -> HttpResponse:
    """The teacher's sheet, made for a phone. Its script keeps the marks in the browser while
    the network is away and sends them when it is back; the answer to such a send is JSON."""
    session = _teacher_session(request, code, number)
    wants_json = "application/json" in request.headers.get("Accept", "")
    error = ""
    if request.method == "POST":
        marks: dict[int, str] = {}
        for key in request.POST:
            value = request.POST.get(key, "")
            if key.startswith("m-") and key[2:].isdigit() and value:
                marks[int(key[2:])] = value
        try:
            saved = services.attendance_mark(session=session, marks=marks, by=request.user)  # type: ignore[arg-type]
        except TrainingError as refusal:
            if wants_json:
                return JsonResponse({"ok": False, "message": refusal.message}, status=400)
            error = refusal.message
        else:
            if wants_json:
                return JsonResponse({"ok": True, "saved": saved})
            messages.success(request, _("Attendance saved: %(n)d learners.") % {"n": saved})
            return redirect("training:attendance", code=code, number=number)
    return render(
        request,
        "training/attendance.html",
        {
            "session": session,
            "number": number,
            "roster": selectors.session_roster(session=session),
            "statuses": Attendance.Status.choices,
            "error": error,
            "breadcrumb_title": _("Attendance"),
        },
        status=400 if error else 200,
    )


@never_cache
@login_required
def qr_screen(request: HttpRequest, code: str, number: int) -> HttpResponse:
    session = _teacher_session(request, code, number)
    return render(
        request,
        "training/qr_screen.html",
        {"session": session, "number": number, "breadcrumb_title": _("Check-in code")},
    )


@never_cache
@login_required
def qr_image(request: HttpRequest, code: str, number: int) -> HttpResponse:
    """The code of this 30-second window, as SVG; the screen's script fetches it again."""
    session = _teacher_session(request, code, number)
    code = checkin.checkin_code(session_id=session.pk, now=timezone.now())
    url = request.build_absolute_uri(reverse("training:checkin", args=[code]))
    out = io.BytesIO()
    # A standalone file (with its namespace, without the XML declaration) for the <img>.
    segno.make(url, error="m").save(out, kind="svg", scale=8, border=2, xmldecl=False)
    response = HttpResponse(out.getvalue(), content_type="image/svg+xml")
    response["Cache-Control"] = "no-store"
    return response
