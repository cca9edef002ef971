"""Admin pages of monitoring (Wagtail's admin shell): the dashboard, and republishing an item
as a draft article."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from . import charts, selectors, services

VIEW = "monitoring.view_match"


@permission_required(VIEW, raise_exception=True)
def dashboard(request: HttpRequest) -> HttpResponse:
    counts = selectors.mentions_per_day()
    unit = _("mentions")
    return render(
        request,
        "monitoring/admin/dashboard.html",
        {
            "days": counts["days"],
            "per_rule": counts["rules"],
            "per_outlet": counts["outlets"],
            "rule_chart": charts.line_chart(counts["days"], counts["rules"], unit),
            "outlet_chart": charts.line_chart(counts["days"], counts["outlets"], unit),
            "spikes": selectors.spikes_recent(),
            "clusters": selectors.clusters_largest(),
            "failing": selectors.sources_failing(),
            "mentions": selectors.mentions_recent(),
        },
    )


@permission_required("news.add_articlepage", raise_exception=True)
@require_http_methods(["GET", "HEAD", "POST"])
def republish(request: HttpRequest, item_id: int) -> HttpResponse:
    item = selectors.item_get(item_id=item_id)
    if item is None:
        raise Http404
    sections = selectors.sections_for_republishing()
    values = {
        "title": item.title,
        "lead": item.text.split("\n", 1)[0][:300],
        "text": item.text,
        "section": "",
    }
    if request.method == "POST":
        values = {key: request.POST.get(key, "") for key in values}
        section = values["section"]
        try:
            if not section.isdigit() or int(section) not in dict(sections):
                raise ValidationError(_("Choose a section."))
            article = services.item_republish(
                item=item,
                section_id=int(section),
                title=values["title"],
                lead=values["lead"],
                text=values["text"],
                user=request.user,
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("The draft article was made and sent for moderation."))
            return redirect(reverse("wagtailadmin_pages:edit", args=[article.pk]))
    return render(
        request,
        "monitoring/admin/republish.html",
        {"item": item, "sections": sections, "values": values},
    )
