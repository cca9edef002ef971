"""Admin pages of the contests app (Wagtail's admin shell, staff with the contest
permissions only)."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from moduong.accounts.models import User
from moduong.core.files import file_response

from . import excel, selectors, services
from .models import Attempt, Contest, Round, RoundJob
from .services import ContestError

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MANAGE = "contests.change_contest"


def _xlsx(data: bytes, name: str) -> HttpResponse:
    response = HttpResponse(data, content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@permission_required(MANAGE, raise_exception=True)
def index(request: HttpRequest) -> HttpResponse:
    contests = Contest.objects.prefetch_related("rounds").order_by("-created_at")
    return render(request, "contests/admin/index.html", {"contests": contests})


class BankUploadForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Excel file (.xlsx) in the template's format"),
        error_messages={"required": gettext_lazy("Please choose a file.")},
    )


@permission_required(MANAGE, raise_exception=True)
@require_http_methods(["GET", "HEAD", "POST"])
def bank(request: HttpRequest, contest_id: int) -> HttpResponse:
    contest = get_object_or_404(Contest, pk=contest_id)
    form = BankUploadForm(request.POST or None, request.FILES or None)
    report = None
    if request.method == "POST" and form.is_valid():
        report = services.question_bank_import(
            contest=contest, data=form.cleaned_data["file"].read()
        )
        if not report.errors:
            messages.success(request, _("%(n)d questions imported.") % {"n": report.created})
            return redirect("contests_bank", contest_id=contest.pk)
    return render(
        request,
        "contests/admin/bank.html",
        {
            "contest": contest,
            "form": form,
            "report": report,
            "count": contest.questions.count(),
        },
        status=400 if report and report.errors else 200,
    )


@permission_required(MANAGE, raise_exception=True)
def bank_download(request: HttpRequest, contest_id: int) -> HttpResponse:
    contest = get_object_or_404(Contest, pk=contest_id)
    return _xlsx(excel.bank_export(contest=contest), f"ngan-hang-cau-hoi-{contest.slug}.xlsx")


@permission_required(MANAGE, raise_exception=True)
def bank_template_download(request: HttpRequest) -> HttpResponse:
    return _xlsx(excel.bank_template(), "mau-ngan-hang-cau-hoi.xlsx")


class DisqualifyForm(forms.Form):
    username = forms.CharField(label=gettext_lazy("Username"), max_length=150)
    attempt = forms.IntegerField(
        label=gettext_lazy("Attempt number (empty: every attempt of the person)"),
        required=False,
        min_value=1,
    )
    reason = forms.CharField(label=gettext_lazy("Reason"), max_length=2000, widget=forms.Textarea)


class LiftForm(forms.Form):
    disqualification = forms.IntegerField(widget=forms.HiddenInput)
    reason = forms.CharField(label=gettext_lazy("Reason"), max_length=2000)


class DecideForm(forms.Form):
    flag = forms.CharField(max_length=100, widget=forms.HiddenInput)
    decision = forms.ChoiceField(
        label=gettext_lazy("Decision"),
        choices=[
            ("confirmed", gettext_lazy("confirmed as suspicious")),
            ("dismissed", gettext_lazy("dismissed, nothing wrong")),
        ],
    )
    reason = forms.CharField(label=gettext_lazy("Reason"), max_length=2000)


@permission_required(MANAGE, raise_exception=True)
@require_http_methods(["GET", "HEAD", "POST"])
def round_results(request: HttpRequest, round_id: int) -> HttpResponse:
    rnd = get_object_or_404(Round.objects.select_related("contest"), pk=round_id)
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "rank":
                _job, new = services.ranking_request(
                    round_id=rnd.pk,
                    requested_by=request.user,  # type: ignore[arg-type]
                )
                if new:
                    messages.success(
                        request,
                        _("The ranking has been queued: its progress is shown below."),
                    )
                else:
                    messages.info(
                        request,
                        _("A ranking of this round is already queued or running: wait for it."),
                    )
                return redirect("contests_round", round_id=rnd.pk)
            if action == "export":
                _job, new = services.export_request(
                    round_id=rnd.pk,
                    report=request.POST.get("report", ""),
                    format=request.POST.get("format", ""),
                    requested_by=request.user,  # type: ignore[arg-type]
                )
                if new:
                    messages.success(
                        request,
                        _("The export has been queued: download it below once it is ready."),
                    )
                else:
                    messages.info(
                        request, _("This export is already queued or running: wait for it.")
                    )
                return redirect("contests_round", round_id=rnd.pk)
        except ContestError as error:
            messages.error(request, error.message)
    return render(
        request,
        "contests/admin/round.html",
        {
            "round": rnd,
            "figures": selectors.dashboard(round=rnd),
            "ranking": selectors.ranking_rows(round=rnd, limit=20),
            "closed": timezone.now() >= rnd.closes_at,
            "jobs": selectors.round_jobs(round=rnd),
            "reports": RoundJob.REPORT_CHOICES,
        },
    )


@permission_required(MANAGE, raise_exception=True)
def statistics_export(request: HttpRequest, round_id: int) -> HttpResponse:
    """The dashboard's statistics in Excel: small (figures already computed off the hot path),
    so made in the request; the round's big exports are made by the worker (export_request)."""
    rnd = get_object_or_404(Round, pk=round_id)
    return _xlsx(excel.statistics_export(round=rnd), f"thong-ke-vong-{rnd.pk}.xlsx")


def _fairness_post(request: HttpRequest, rnd: Round) -> tuple[HttpResponse | None, dict]:
    """One of the fairness page's actions; a refusal is a message or a form's error, and
    nothing changes."""
    action = request.POST.get("action")
    staff: User = request.user  # type: ignore[assignment]
    forms_bound: dict = {}
    try:
        if action == "freeze":
            services.round_bank_freeze(round_id=rnd.pk, frozen_by=staff)
            messages.success(request, _("The question bank of this round is frozen."))
            return redirect("contests_round_fairness", round_id=rnd.pk), forms_bound
        if action == "disqualify":
            form = forms_bound["disqualify"] = DisqualifyForm(request.POST)
            if form.is_valid():
                user = User.objects.filter(username=form.cleaned_data["username"]).first()
                attempt = None
                if form.cleaned_data["attempt"]:
                    attempt = Attempt.objects.filter(
                        pk=form.cleaned_data["attempt"], round=rnd, user=user
                    ).first()
                if user is None:
                    form.add_error("username", _("No account has this username."))
                elif form.cleaned_data["attempt"] and attempt is None:
                    form.add_error("attempt", _("This person has no such attempt in this round."))
                else:
                    services.participant_disqualify(
                        round=rnd,
                        user=user,
                        attempt=attempt,
                        reason=form.cleaned_data["reason"],
                        decided_by=staff,
                    )
                    messages.success(request, _("The disqualification has been logged."))
                    return redirect("contests_round_fairness", round_id=rnd.pk), forms_bound
        if action == "lift":
            lift = LiftForm(request.POST)
            if lift.is_valid():
                entry_id = lift.cleaned_data["disqualification"]
                if not rnd.disqualifications.filter(pk=entry_id).exists():
                    raise ContestError(_("This disqualification does not exist."), "not_found")
                services.disqualification_lift(
                    disqualification_id=entry_id,
                    reason=lift.cleaned_data["reason"],
                    decided_by=staff,
                )
                messages.success(request, _("The disqualification has been lifted."))
                return redirect("contests_round_fairness", round_id=rnd.pk), forms_bound
            messages.error(request, _("Please give the reason for lifting the disqualification."))
        if action == "decide":
            decide = DecideForm(request.POST)
            if decide.is_valid():
                services.suspicion_decide(
                    round=rnd,
                    flag=decide.cleaned_data["flag"],
                    decision=decide.cleaned_data["decision"],
                    reason=decide.cleaned_data["reason"],
                    decided_by=staff,
                )
                messages.success(request, _("The decision has been logged."))
                return redirect("contests_round_fairness", round_id=rnd.pk), forms_bound
            messages.error(request, _("Please choose a decision and give its reason."))
    except ContestError as error:
        messages.error(request, error.message)
    return None, forms_bound


@permission_required(MANAGE, raise_exception=True)
@require_http_methods(["GET", "HEAD", "POST"])
def round_fairness(request: HttpRequest, round_id: int) -> HttpResponse:
    """The round's fair-play page: the question bank's freeze, the disqualification log,
    the suspicious-attempts report and the staff's decisions on it."""
    rnd = get_object_or_404(Round.objects.select_related("contest", "bank_frozen_by"), pk=round_id)
    bound: dict = {}
    if request.method == "POST":
        done, bound = _fairness_post(request, rnd)
        if done is not None:
            return done
    report = selectors.suspicion_report(round=rnd)
    decisions = selectors.suspicion_decisions(round=rnd)
    flags = [(flag, decisions.get(flag.key)) for flag in (report or {}).get("flags", [])]
    return render(
        request,
        "contests/admin/fairness.html",
        {
            "round": rnd,
            "problems": [] if rnd.is_frozen else services.bank_quota_problems(round=rnd),
            "disqualify_form": bound.get("disqualify") or DisqualifyForm(),
            "active": selectors.disqualifications_active(round=rnd),
            "log": selectors.disqualification_log(round=rnd)[:200],
            "closed": timezone.now() >= rnd.closes_at,
            "report": report,
            "flags": flags,
            "decision_log": selectors.suspicion_log(round=rnd)[:200],
            "decide_choices": DecideForm.base_fields["decision"].choices,  # type: ignore[attr-defined]
        },
        status=400 if bound else 200,
    )


@permission_required(MANAGE, raise_exception=True)
def export_download(request: HttpRequest, job_id: int) -> HttpResponseBase:
    """A finished export's file: personal data, so for staff with the contest permission
    only, from private storage (core.files)."""
    job = selectors.export_job_for_download(job_id=job_id)
    if job is None:
        raise Http404
    content_type = XLSX if job.format == RoundJob.XLSX else "text/csv; charset=utf-8"
    return file_response(
        job.file, filename=services.export_filename(job), content_type=content_type
    )
