"""The organisers' admin: contests, rounds, the question bank, participants, attempts (essay
marking), headcounts of places; per round a results page (dashboard, ranking, Excel exports),
a fair-play page (the bank's freeze, the disqualification log, the suspicious-attempts report)
and per contest the bank's Excel import and export."""

from typing import Any

from django.http import HttpResponse
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.panels import FieldPanel
from wagtail.log_actions import log
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import EditView, SnippetViewSet, SnippetViewSetGroup

from . import admin_views, services
from .models import Attempt, Contest, ParticipantProfile, PlaceHeadcount, Question, Round


class ContestViewSet(SnippetViewSet):
    model = Contest
    icon = "trophy"
    menu_label = _("Contests")
    list_display = ["title", "slug", "is_published", "created_at"]
    search_fields = ["title"]


class RoundViewSet(SnippetViewSet):
    model = Round
    icon = "time"
    menu_label = _("Rounds")
    list_display = ["title", "contest", "opens_at", "closes_at", "bank_frozen_at", "ranked_at"]
    list_filter = ["contest"]


class QuestionViewSet(SnippetViewSet):
    model = Question
    icon = "help"
    menu_label = _("Question bank")
    list_display = ["text", "topic", "difficulty", "is_active", "contest"]
    list_filter = ["contest", "topic", "difficulty", "is_active"]
    search_fields = ["text", "code", "topic"]


class ParticipantViewSet(SnippetViewSet):
    model = ParticipantProfile
    icon = "user"
    menu_label = _("Participants")
    list_display = ["full_name", "contest", "unit", "province", "created_at"]
    list_filter = ["contest"]
    search_fields = ["full_name", "phone"]
    panels = [FieldPanel("full_name"), FieldPanel("unit")]


class _ServiceEditView(EditView):
    """Wagtail's edit form, but the write is the service's, so its checks and its log apply
    whoever edits; a refusal is shown on the form."""

    def service_save(self) -> Any:
        raise NotImplementedError

    def save_instance(self) -> Any:
        instance = self.service_save()
        log(instance=instance, action="wagtail.edit", user=self.request.user)
        return instance

    def form_valid(self, form: Any) -> HttpResponse:
        try:
            return super().form_valid(form)  # type: ignore[no-any-return]
        except services.ContestError as error:
            form.add_error(None, error.message)
            self.produced_error_code = "validation_error"
            self.produced_error_message = error.message
            return self.form_invalid(form)  # type: ignore[no-any-return]


class EssayMarkView(_ServiceEditView):
    def service_save(self) -> Any:
        return services.essay_mark(
            attempt_id=self.object.pk,
            mark=self.form.cleaned_data["essay_score"],
            marked_by=self.request.user,
        )


class AttemptViewSet(SnippetViewSet):
    """Attempts are read-only but for the essay mark, given by staff."""

    model = Attempt
    icon = "doc-full"
    menu_label = _("Attempts and essays")
    list_display = ["__str__", "user", "round", "score", "submitted_at", "essay_score"]
    list_filter = ["round"]
    add_view_enabled = False
    panels = [FieldPanel("essay", read_only=True), FieldPanel("essay_score")]
    edit_view_class = EssayMarkView


class PlaceHeadcountViewSet(SnippetViewSet):
    """How many people each province or commune counts, for the statistics' shares."""

    model = PlaceHeadcount
    icon = "group"
    menu_label = _("Headcounts of places")
    list_display = ["__str__", "contest", "headcount"]
    list_filter = ["contest"]


class ContestsGroup(SnippetViewSetGroup):
    menu_label = _("Contests")
    menu_icon = "trophy"
    menu_order = 250
    items = (
        ContestViewSet,
        RoundViewSet,
        QuestionViewSet,
        ParticipantViewSet,
        AttemptViewSet,
        PlaceHeadcountViewSet,
    )


register_snippet(ContestsGroup)


@hooks.register("register_admin_urls")
def _urls() -> list:
    return [
        path("cuoc-thi/", admin_views.index, name="contests_admin"),
        path("cuoc-thi/<int:contest_id>/ngan-hang/", admin_views.bank, name="contests_bank"),
        path(
            "cuoc-thi/<int:contest_id>/ngan-hang.xlsx",
            admin_views.bank_download,
            name="contests_bank_download",
        ),
        path(
            "cuoc-thi/mau-ngan-hang.xlsx",
            admin_views.bank_template_download,
            name="contests_bank_template",
        ),
        path("cuoc-thi/vong/<int:round_id>/", admin_views.round_results, name="contests_round"),
        path(
            "cuoc-thi/vong/<int:round_id>/cong-bang/",
            admin_views.round_fairness,
            name="contests_round_fairness",
        ),
        path(
            "cuoc-thi/vong/<int:round_id>/thong-ke.xlsx",
            admin_views.statistics_export,
            name="contests_round_statistics",
        ),
        path(
            "cuoc-thi/xuat/<int:job_id>/",
            admin_views.export_download,
            name="contests_export_download",
        ),
    ]


@hooks.register("register_admin_menu_item")
def _menu() -> MenuItem:
    return MenuItem(_("Contest results"), reverse("contests_admin"), icon_name="table", order=251)
