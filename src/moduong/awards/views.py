"""Public pages (awards, rules, results, certificate verification), the submitter's pages
(send an entry, correct a returned one) and the judge's pages (assigned entries and score
sheets). A judge reaches only their own active assignments: anything else is a 404, the same
as an address that does not exist, so nothing tells them what lies behind it."""

from __future__ import annotations

from pathlib import PurePath

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from moduong.accounts.models import User

from . import selectors, services
from .certificates import certificate_pdf
from .forms import ConflictForm, EntryForm
from .models import Assignment, Award, Entry, EntryFile
from .services import AwardError


def _award_or_404(slug: str) -> Award:
    award = selectors.award_get_published(slug=slug)
    if award is None:
        raise Http404
    return award


def _user(request: HttpRequest) -> User:
    return request.user  # type: ignore[return-value]


def award_list(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "awards/award_list.html",
        {"awards": selectors.award_list_published(), "breadcrumb_title": _("Press awards")},
    )


def award_detail(request: HttpRequest, slug: str) -> HttpResponse:
    award = _award_or_404(slug)
    now = timezone.now()
    return render(
        request,
        "awards/award_detail.html",
        {
            "award": award,
            "categories": award.categories.all(),
            "rounds": award.rounds.all(),
            "open": award.entries_open_at <= now < award.entries_close_at,
            "breadcrumb_title": award.title,
        },
    )


def results(request: HttpRequest, slug: str) -> HttpResponse:
    award = _award_or_404(slug)
    if not award.confirmed_method:
        raise Http404
    return render(
        request,
        "awards/results.html",
        {
            "award": award,
            "prizes": selectors.prizes_published(award=award),
            "breadcrumb_title": _("Results"),
        },
    )


@never_cache
@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def entry_new(request: HttpRequest, slug: str) -> HttpResponse:
    award = _award_or_404(slug)
    user = _user(request)
    form = EntryForm(request.POST or None, request.FILES or None, award=award)
    if request.method == "POST" and form.is_valid():
        try:
            services.entry_submit(
                award=award, user=user, data=form.entry_data(), files=form.cleaned_data["files"]
            )
        except AwardError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("Your entry has been received."))
            return redirect("awards:my_entries", slug=award.slug)
    return render(
        request,
        "awards/entry_form.html",
        {
            "award": award,
            "form": form,
            "unit": selectors.unit_of(user=user),
            "breadcrumb_title": _("Send an entry"),
        },
        status=400 if form.errors else 200,
    )


@never_cache
@login_required
def my_entries(request: HttpRequest, slug: str) -> HttpResponse:
    award = _award_or_404(slug)
    return render(
        request,
        "awards/my_entries.html",
        {
            "award": award,
            "entries": selectors.entries_of(award=award, user=_user(request)),
            "breadcrumb_title": _("My entries"),
        },
    )


@never_cache
@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def entry_edit(request: HttpRequest, entry_id: int) -> HttpResponse:
    entry = Entry.objects.filter(
        pk=entry_id, submitted_by=_user(request), status=Entry.RETURNED
    ).first()
    if entry is None:
        raise Http404
    award = entry.award
    form = EntryForm(request.POST or None, request.FILES or None, award=award, entry=entry)
    if request.method == "POST" and form.is_valid():
        try:
            services.entry_correct(
                entry=entry,
                user=_user(request),
                data=form.entry_data(),
                files=form.cleaned_data["files"],
            )
        except AwardError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("Your corrected entry has been received."))
            return redirect("awards:my_entries", slug=award.slug)
    return render(
        request,
        "awards/entry_form.html",
        {"award": award, "form": form, "entry": entry, "breadcrumb_title": _("Correct an entry")},
        status=400 if form.errors else 200,
    )


@login_required
def entry_file(request: HttpRequest, file_id: int) -> FileResponse:
    """An entry's file for its submitter, a judge assigned to it, or the secretariat."""
    found = EntryFile.objects.filter(pk=file_id).select_related("entry").first()
    if found is None:
        raise Http404
    user = _user(request)
    allowed = (
        found.entry.submitted_by_id == user.pk
        or user.has_perm("awards.change_award")
        or any(
            selectors.assignment_for_judge(user=user, assignment_id=a.pk)
            for a in found.entry.assignments.filter(judge__user=user)
        )
    )
    if not allowed:
        raise Http404
    # Not the sender's file name: in a blind round it could carry the author's or the unit's.
    suffix = PurePath(found.name).suffix.lower()
    return FileResponse(
        found.file.open("rb"), as_attachment=True, filename=f"tep-{found.pk}{suffix}"
    )


@never_cache
@login_required
def judge_home(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "awards/judge_home.html",
        {
            "assignments": selectors.assignments_for_judge(user=_user(request)),
            "breadcrumb_title": _("Entries to mark"),
        },
    )


def _assignment_or_404(request: HttpRequest, assignment_id: int) -> Assignment:
    assignment = selectors.assignment_for_judge(user=_user(request), assignment_id=assignment_id)
    if assignment is None:
        raise Http404
    return assignment


def _sheet_context(assignment: Assignment) -> dict:
    values = selectors.sheet_values(sheet=assignment.sheet)
    return {
        "assignment": assignment,
        "entry": assignment.entry,
        "round": assignment.round,
        "sheet": assignment.sheet,
        "criteria": [(c, values.get(c.pk, "")) for c in selectors.criteria(round=assignment.round)],
        "files": list(assignment.entry.files.all()),
        "conflict_form": ConflictForm(),
        "breadcrumb_title": _("Score sheet"),
    }


@never_cache
@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def judge_sheet(request: HttpRequest, assignment_id: int) -> HttpResponse:
    """Without JavaScript the form posts every score at once ("Save" or "Submit"); with htmx
    each score is saved as it is typed (judge_score_save)."""
    assignment = _assignment_or_404(request, assignment_id)
    errors: list[str] = []
    if request.method == "POST":
        user = _user(request)
        for criterion in selectors.criteria(round=assignment.round):
            value = request.POST.get(f"c{criterion.pk}", "").strip()
            if value:
                try:
                    services.score_save(
                        assignment=assignment, criterion_id=criterion.pk, value=value, by=user
                    )
                except AwardError as error:
                    errors.append(error.message)
        if "comment" in request.POST and not errors:
            try:
                services.comment_save(assignment=assignment, text=request.POST["comment"], by=user)
            except AwardError as error:
                errors.append(error.message)
        if not errors and request.POST.get("action") == "submit":
            try:
                services.sheet_submit(assignment=assignment, by=user)
            except AwardError as error:
                errors.append(error.message)
        if not errors:
            messages.success(
                request,
                _("Your score sheet has been submitted.")
                if request.POST.get("action") == "submit"
                else _("Saved."),
            )
            return redirect("awards:sheet", assignment_id=assignment.pk)
        assignment.sheet.refresh_from_db()
    context = _sheet_context(assignment)
    context["errors"] = errors
    return render(request, "awards/sheet.html", context, status=400 if errors else 200)


@login_required
@require_POST
def judge_score_save(request: HttpRequest, assignment_id: int, criterion_id: int) -> HttpResponse:
    assignment = _assignment_or_404(request, assignment_id)
    try:
        services.score_save(
            assignment=assignment,
            criterion_id=criterion_id,
            value=request.POST.get(f"c{criterion_id}", ""),
            by=_user(request),
        )
    except AwardError as error:
        return render(
            request, "awards/_saved.html", {"message": error.message, "error": True}, status=400
        )
    return render(request, "awards/_saved.html", {"message": _("Saved.")})


@login_required
@require_POST
def judge_conflict(request: HttpRequest, assignment_id: int) -> HttpResponse:
    assignment = _assignment_or_404(request, assignment_id)
    form = ConflictForm(request.POST)
    if not form.is_valid():
        context = _sheet_context(assignment)
        context["conflict_form"] = form
        return render(request, "awards/sheet.html", context, status=400)
    services.conflict_declare(
        judge=assignment.judge,
        entry=assignment.entry,
        reason=form.cleaned_data["reason"],
        by=_user(request),
    )
    messages.success(
        request, _("Your declaration has been recorded: the entry goes to another judge.")
    )
    return redirect("awards:judge")


def verify(request: HttpRequest) -> HttpResponse:
    code = request.GET.get("ma", "").strip()[:32]
    prize = selectors.prize_by_code(code=code) if code else None
    return render(
        request,
        "awards/verify.html",
        {"code": code, "prize": prize, "breadcrumb_title": _("Verify a certificate")},
        status=404 if code and prize is None else 200,
    )


def certificate(request: HttpRequest, code: str) -> HttpResponse:
    prize = selectors.prize_by_code(code=code)
    if prize is None:
        raise Http404
    response = HttpResponse(
        certificate_pdf(
            prize=prize, verify_url=request.build_absolute_uri(reverse("awards:verify"))
        ),
        content_type="application/pdf",
    )
    response["Content-Disposition"] = f'inline; filename="giay-chung-nhan-{prize.number}.pdf"'
    return response
