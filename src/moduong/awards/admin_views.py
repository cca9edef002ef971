"""Admin pages of the awards app (Wagtail's admin shell; staff who may change awards)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from . import excel, selectors, services
from .models import METHOD_SHORT, METHODS, Award, Entry
from .services import AwardError

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MANAGE = "awards.change_award"


def _number(data: QueryDict, name: str) -> int:
    """A posted id, or 0 (which matches nothing): a forged value is a 404, never a 500."""
    value = data.get(name, "")
    return int(value) if value.isdigit() and len(value) < 10 else 0


@permission_required(MANAGE, raise_exception=True)
def index(request: HttpRequest) -> HttpResponse:
    awards = Award.objects.prefetch_related("rounds").order_by("-created_at")
    return render(request, "awards/admin/index.html", {"awards": awards})


@permission_required(MANAGE, raise_exception=True)
@require_http_methods(["GET", "HEAD", "POST"])
def award_page(request: HttpRequest, award_id: int) -> HttpResponse:
    award = get_object_or_404(Award, pk=award_id)
    if request.method == "POST":
        action = request.POST.get("action", "")
        try:
            if action == "screen":
                entry = get_object_or_404(Entry, pk=_number(request.POST, "entry"), award=award)
                services.entry_screen(
                    entry=entry,
                    status=request.POST.get("status", ""),
                    reason=request.POST.get("reason", ""),
                    by=request.user,  # type: ignore[arg-type]
                )
                messages.success(request, _("The decision has been saved."))
            elif action == "assign":
                rnd = get_object_or_404(award.rounds, pk=_number(request.POST, "round"))
                report = services.round_assign(round=rnd)
                messages.success(request, _("%(n)d assignments made.") % {"n": report.created})
                if report.short:
                    messages.warning(
                        request,
                        _("Not enough judges free of conflict for: %(titles)s")
                        % {"titles": "; ".join(report.short[:10])},
                    )
            return redirect("awards_award", award_id=award.pk)
        except AwardError as error:
            messages.error(request, error.message)
    rounds = list(award.rounds.all())
    return render(
        request,
        "awards/admin/award.html",
        {
            "award": award,
            "entries": award.entries.select_related("category", "unit").order_by(
                "category__sort_order", "id"
            ),
            "statuses": Entry.STATUSES,
            "rounds": [
                (
                    rnd,
                    selectors.progress_by_judge(round=rnd),
                    selectors.progress_by_entry(round=rnd),
                )
                for rnd in rounds
            ],
        },
    )


@permission_required(MANAGE, raise_exception=True)
@require_http_methods(["GET", "HEAD", "POST"])
def award_results(request: HttpRequest, award_id: int) -> HttpResponse:
    award = get_object_or_404(Award, pk=award_id)
    rnd = None
    if request.GET.get("vong"):
        rnd = award.rounds.filter(number=_number(request.GET, "vong")).first()
    if request.method == "POST":
        method = request.POST.get("method", "")
        try:
            if request.POST.get("action") == "advance":
                rnd = get_object_or_404(award.rounds, pk=_number(request.POST, "round"))
                moved = services.round_advance(round=rnd, method=method)
                messages.success(
                    request, _("%(n)d entries go on to the next round.") % {"n": moved}
                )
            else:
                prizes = services.award_results_confirm(
                    award=award,
                    method=method,
                    by=request.user,  # type: ignore[arg-type]
                )
                messages.success(
                    request, _("Results confirmed: %(n)d prizes.") % {"n": len(prizes)}
                )
            return redirect("awards_results", award_id=award.pk)
        except AwardError as error:
            messages.error(request, error.message)
    found = selectors.award_results(award=award, round=rnd)
    return render(
        request,
        "awards/admin/results.html",
        {
            "award": award,
            "found": found,
            "methods": list(METHODS.items()),
            "headings": list(METHOD_SHORT.values()),
            "rounds": award.rounds.all(),
        },
    )


@permission_required(MANAGE, raise_exception=True)
def award_export(request: HttpRequest, award_id: int, kind: str) -> HttpResponse:
    award = get_object_or_404(Award, pk=award_id)
    exports = {
        "tac-pham": excel.entries_export,
        "diem": excel.scores_export,
        "ket-qua": excel.results_export,
    }
    if kind not in exports:
        raise Http404
    response = HttpResponse(exports[kind](award=award), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{kind}-{award.slug}.xlsx"'
    return response
