"""Participant pages. The attempt page is one page that works without JavaScript: each choice
is a radio button of one form; with JavaScript each choice is saved as it is made (a small
POST to `answer_save`), without it the "Save" button saves every choice at once and "Submit"
saves and submits. The countdown shown is the server's deadline."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from moduong.accounts.captcha import captcha_mode_apply, captcha_switch_requested
from moduong.accounts.models import User
from moduong.core import vntext
from moduong.core.network import client_address
from moduong.core.selectors import site_contact

from . import selectors, services
from .certificates import certificate_pdf, place_of
from .forms import FinishForm, RegistrationForm, StartForm
from .models import Attempt, Contest, Round
from .services import ContestError
from .tickets import attempt_token


def _contest_or_404(slug: str) -> Contest:
    contest = selectors.contest_get_published(slug=slug)
    if contest is None:
        raise Http404
    return contest


def _round_or_404(contest: Contest, number: int) -> Round:
    rnd = selectors.round_get(contest=contest, number=number)
    if rnd is None:
        raise Http404
    return rnd


def contest_list(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "contests/contest_list.html",
        {
            "contests": selectors.contest_list_published(),
            "breadcrumb_title": _("Online contests"),
        },
    )


@never_cache
def contest_detail(request: HttpRequest, slug: str) -> HttpResponse:
    contest = _contest_or_404(slug)
    user = request.user
    profile = selectors.profile_get(contest=contest, user=user)  # type: ignore[arg-type]
    return render(
        request,
        "contests/contest_detail.html",
        {
            "contest": contest,
            "rounds": selectors.round_list(contest=contest),
            "profile": profile,
            "now": timezone.now(),
            "units": contest.organising_units.all(),
            "breadcrumb_title": contest.title,
        },
    )


@never_cache
@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def register(request: HttpRequest, slug: str) -> HttpResponse:
    contest = _contest_or_404(slug)
    user: User = request.user  # type: ignore[assignment]
    if selectors.profile_get(contest=contest, user=user):
        messages.info(request, _("You have already registered for this contest."))
        return redirect("contests:detail", slug=slug)
    initial = {"full_name": user.full_name, "phone": user.phone}
    form = RegistrationForm(request.POST or None, contest=contest, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.participant_register(
                contest=contest,
                user=user,
                address=client_address(request),
                **form.service_kwargs(),
            )
        except ContestError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("Your registration has been saved. Good luck!"))
            return redirect("contests:detail", slug=slug)
    return render(
        request,
        "contests/register.html",
        {"contest": contest, "form": form, "breadcrumb_title": _("Registration")},
    )


@never_cache
@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def round_start(request: HttpRequest, slug: str, number: int) -> HttpResponse:
    contest = _contest_or_404(slug)
    rnd = _round_or_404(contest, number)
    user: User = request.user  # type: ignore[assignment]
    if not selectors.profile_get(contest=contest, user=user):
        messages.info(request, _("Please fill in your registration for this contest first."))
        return redirect("contests:register", slug=slug)
    switching = captcha_switch_requested(request)
    form = StartForm(request.POST if request.method == "POST" and not switching else None)
    captcha_mode_apply(form, request)
    # The limit first: a wrong captcha is a start tried, or the captcha could be guessed on.
    posted = request.method == "POST" and not switching
    if posted and services.attempt_start_rate_exceeded(request=request, user=user):
        return render(request, "429.html", status=429)
    if posted and form.is_valid():
        try:
            attempt = services.attempt_start(user=user, round_id=rnd.pk)
        except ContestError as error:
            form.add_error(None, error.message)
        else:
            return redirect("contests:attempt", attempt_id=attempt.pk)
    return render(
        request,
        "contests/start.html",
        {"contest": contest, "round": rnd, "form": form, "breadcrumb_title": rnd.title},
    )


def _own_attempt(request: HttpRequest, attempt_id: int) -> Attempt:
    attempt = selectors.attempt_get_own(user=request.user, attempt_id=attempt_id)  # type: ignore[arg-type]
    if attempt is None:
        raise Http404
    return attempt


def _posted_answers(request: HttpRequest, attempt: Attempt) -> list[tuple[str, str]]:
    return [
        (str(qid), request.POST[f"q{qid}"])
        for qid, _order in attempt.questions
        if request.POST.get(f"q{qid}")
    ]


@never_cache
@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def attempt_page(request: HttpRequest, attempt_id: int) -> HttpResponse:
    attempt = _own_attempt(request, attempt_id)
    if attempt.submitted_at is not None:
        return redirect("contests:result", attempt_id=attempt.pk)
    # The prediction saved as it was typed comes back after a reload.
    saved = {}
    if attempt.prediction is not None:
        saved["prediction"] = vntext.format_number(attempt.prediction)
    form = FinishForm(request.POST if request.method == "POST" else None, initial=saved)
    error = ""
    if request.method == "POST":
        user: User = request.user  # type: ignore[assignment]
        answers = _posted_answers(request, attempt)
        try:
            if request.POST.get("action") == "submit":
                if not form.is_valid():
                    raise ContestError(_("Please check the prediction and the essay."))
                services.attempt_submit(
                    user=user,
                    attempt_id=attempt.pk,
                    answers=answers,
                    prediction=form.cleaned_data["prediction"],
                    essay=form.cleaned_data["essay"],
                )
                return redirect("contests:result", attempt_id=attempt.pk)
            for question_id, option_id in answers:
                services.attempt_answer_save(
                    user=user, attempt_id=attempt.pk, question_id=question_id, option_id=option_id
                )
            if "prediction" in request.POST and attempt.round.prediction_question:
                services.attempt_prediction_save(
                    user=user, attempt_id=attempt.pk, prediction=request.POST["prediction"]
                )
            messages.success(request, _("Your answers have been saved."))
            return redirect("contests:attempt", attempt_id=attempt.pk)
        except ContestError as refusal:
            error = refusal.message
            attempt = _own_attempt(request, attempt_id)
            if attempt.submitted_at is not None:
                return redirect("contests:result", attempt_id=attempt.pk)
    view = selectors.attempt_view(attempt=attempt)
    return render(
        request,
        "contests/attempt.html",
        {
            "view": view,
            # The page's script saves each choice through the API, with the attempt's token.
            "answer_url": reverse("api-v1:contest_answer_save", args=[attempt.pk]),
            "prediction_url": reverse("api-v1:contest_prediction_save", args=[attempt.pk]),
            "token": attempt_token(attempt),
            "round": attempt.round,
            "form": form,
            "error": error,
            "breadcrumb_title": attempt.round.title,
        },
        status=400 if error else 200,
    )


@never_cache
@login_required
def attempt_result(request: HttpRequest, attempt_id: int) -> HttpResponse:
    attempt = _own_attempt(request, attempt_id)
    if attempt.submitted_at is None:
        return redirect("contests:attempt", attempt_id=attempt.pk)
    view = selectors.attempt_view(attempt=attempt)
    return render(
        request,
        "contests/result.html",
        {
            "view": view,
            "attempt": attempt,
            "round": attempt.round,
            "contest": attempt.round.contest,
            "breadcrumb_title": _("Result"),
        },
    )


@never_cache
@login_required
def my_attempts(request: HttpRequest, slug: str) -> HttpResponse:
    contest = _contest_or_404(slug)
    return render(
        request,
        "contests/my_attempts.html",
        {
            "contest": contest,
            "attempts": selectors.attempt_list_own(user=request.user, contest=contest),  # type: ignore[arg-type]
            "breadcrumb_title": _("Your attempts"),
        },
    )


def round_winners(request: HttpRequest, slug: str, number: int) -> HttpResponse:
    contest = _contest_or_404(slug)
    rnd = _round_or_404(contest, number)
    return render(
        request,
        "contests/winners.html",
        {
            "contest": contest,
            "round": rnd,
            "winners": selectors.winners(round=rnd) if rnd.ranked_at else [],
            "breadcrumb_title": _("Winners"),
        },
    )


@never_cache
@login_required
def certificate(request: HttpRequest, attempt_id: int) -> HttpResponse:
    attempt = _own_attempt(request, attempt_id)
    if attempt.submitted_at is None:
        raise Http404
    profile = selectors.profile_get(contest=attempt.round.contest, user=request.user)  # type: ignore[arg-type]
    issued = services.certificate_issue(attempt=attempt)
    contact = site_contact(request)
    pdf = certificate_pdf(
        attempt=attempt,
        full_name=profile.full_name if profile else "",
        office_name=contact.office_name,
        place=place_of(contact.address),
        code=issued.code,
        issued_at=issued.issued_at,
        verify_url=request.build_absolute_uri(
            reverse("contests:certificate_verify", args=[issued.code])
        ),
    )
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="chung-nhan-{attempt.pk}.pdf"'
    return response


@require_http_methods(["GET", "HEAD"])
def certificate_lookup(request: HttpRequest) -> HttpResponse:
    """The form where a code read off a paper is typed; it goes to the code's own page."""
    code = request.GET.get("ma", "")
    if code:
        cleaned = selectors.certificate_code_clean(code)
        return redirect("contests:certificate_verify", code=cleaned or "khong-hop-le")
    return render(
        request,
        "contests/certificate_verify.html",
        {"lookup": True, "breadcrumb_title": _("Verify a certificate")},
    )


@require_http_methods(["GET", "HEAD"])
def certificate_verify(request: HttpRequest, code: str) -> HttpResponse:
    """The public page a certificate's QR code opens: it confirms the certificate, with the
    holder's name masked, or says that no certificate has this code."""
    found = selectors.certificate_verify(code=code)
    return render(
        request,
        "contests/certificate_verify.html",
        {
            "certificate": found,
            "code": code[:40],
            "breadcrumb_title": _("Verify a certificate"),
        },
        status=200 if found else 404,
    )


def attempt_url(attempt: Attempt) -> str:
    return reverse("contests:attempt", kwargs={"attempt_id": attempt.pk})
