"""Admin pages of the training app: the roll-up dashboard with its Excel report, a class's
page (enrolment from Excel, sessions, results, certificates), deciding a possible duplicate."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from . import excel, selectors, services
from .forms import EnrolmentUploadForm, PeriodForm
from .models import DuplicateFlag, TrainingClass

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MANAGE = "training.change_trainingclass"


def _xlsx(data: bytes, name: str) -> HttpResponse:
    response = HttpResponse(data, content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def _period(request: HttpRequest) -> tuple[PeriodForm, dict]:  # type: ignore[type-arg]
    form = PeriodForm(request.GET or None)
    if form.is_valid():
        return form, selectors.rollup(
            date_from=form.cleaned_data["date_from"], date_to=form.cleaned_data["date_to"]
        )
    return form, selectors.rollup()


@permission_required(MANAGE, raise_exception=True)
def dashboard(request: HttpRequest) -> HttpResponse:
    form, report = _period(request)
    return render(
        request,
        "training/admin/dashboard.html",
        {
            "form": form,
            "report": report,
            "query": request.GET.urlencode(),
            "flags": selectors.duplicates_pending()[:100],
        },
        status=400 if form.is_bound and not form.is_valid() else 200,
    )


@permission_required(MANAGE, raise_exception=True)
def report_download(request: HttpRequest) -> HttpResponse:
    _form, report = _period(request)
    return _xlsx(excel.report_export(report), "bao-cao-lop-boi-duong.xlsx")


@permission_required(MANAGE, raise_exception=True)
def template_download(request: HttpRequest) -> HttpResponse:
    return _xlsx(excel.learners_template(), "mau-danh-sach-hoc-vien.xlsx")


@permission_required(MANAGE, raise_exception=True)
@require_http_methods(["GET", "HEAD", "POST"])
def class_detail(request: HttpRequest, class_id: int) -> HttpResponse:
    training_class = get_object_or_404(
        TrainingClass.objects.select_related("centre__unit", "programme"), pk=class_id
    )
    action = request.POST.get("action")
    form = EnrolmentUploadForm(
        request.POST if action == "import" else None, request.FILES if action == "import" else None
    )
    report = None
    if action == "import" and form.is_valid():
        report = services.enrolment_import(
            training_class=training_class, data=form.cleaned_data["file"].read()
        )
        if not report.errors:
            messages.success(
                request,
                _(
                    "%(n)d learners enrolled, %(m)d already were;"
                    " %(f)d possible duplicates to decide."
                )
                % {"n": report.enrolled, "m": report.already_enrolled, "f": len(report.flagged)},
            )
    elif action == "certificates":
        issued = services.certificates_issue(training_class=training_class)
        messages.success(request, _("%(n)d certificates issued.") % {"n": issued})
        return redirect("training_class", class_id=training_class.pk)
    elif action == "results":
        done = services.class_results_compute(training_class=training_class)
        messages.success(request, _("Results computed: %(n)d completed.") % {"n": done})
        return redirect("training_class", class_id=training_class.pk)
    return render(
        request,
        "training/admin/class.html",
        {
            "training_class": training_class,
            "form": form,
            "report": report,
            "sessions": training_class.sessions.order_by("starts_at", "pk"),
            "enrolments": training_class.enrolments.select_related("learner", "certificate"),
        },
        status=400 if report and report.errors else 200,
    )


@permission_required(MANAGE, raise_exception=True)
@require_POST
def duplicate_decide(request: HttpRequest, flag_id: int) -> HttpResponse:
    flag = get_object_or_404(DuplicateFlag, pk=flag_id)
    try:
        services.duplicate_decide(
            flag=flag,
            same=request.POST.get("same") == "1",
            by=request.user,  # type: ignore[arg-type]
        )
        messages.success(request, _("The decision has been recorded."))
    except services.TrainingError as error:
        messages.error(request, error.message)
    return redirect("training_dashboard")
