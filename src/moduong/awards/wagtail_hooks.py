"""The secretariat's admin: awards with their categories and prizes, rounds with their panels
and criteria, judges, unit accounts, entries (read here, screened on the award's page), the
score log (read only); per award one page to screen, assign, follow marking, compare the
three methods and confirm, and the Excel exports."""

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.panels import FieldPanel
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from . import admin_views
from .models import Award, Entry, Judge, Round, ScoreLog, UnitAccount


class AwardViewSet(SnippetViewSet):
    model = Award
    icon = "trophy"
    menu_label = _("Awards")
    list_display = ["title", "slug", "is_published", "entries_close_at", "confirmed_method"]
    search_fields = ["title"]


class RoundViewSet(SnippetViewSet):
    model = Round
    icon = "time"
    menu_label = _("Rounds and panels")
    list_display = ["title", "award", "number", "is_blind", "judges_per_entry"]
    list_filter = ["award"]


class JudgeViewSet(SnippetViewSet):
    model = Judge
    icon = "group"
    menu_label = _("Judges")
    list_display = ["__str__", "award", "unit"]
    list_filter = ["award"]
    panels = [
        FieldPanel("award"),
        FieldPanel("user"),
        FieldPanel("unit"),
        FieldPanel("declared_authors"),
    ]


class UnitAccountViewSet(SnippetViewSet):
    model = UnitAccount
    icon = "user"
    menu_label = _("Unit accounts")
    list_display = ["user", "unit"]


class EntryViewSet(SnippetViewSet):
    """Entries come from their submitters; the secretariat screens them on the award's page
    (with reasons, through the services), so this list reads and never writes."""

    model = Entry
    icon = "doc-full"
    menu_label = _("Entries")
    list_display = ["title", "award", "category", "unit", "status", "submitted_at"]
    list_filter = ["award", "category", "status"]
    search_fields = ["title", "authors", "outlet"]
    add_view_enabled = False
    panels = [
        FieldPanel("title", read_only=True),
        FieldPanel("authors", read_only=True),
        FieldPanel("outlet", read_only=True),
        FieldPanel("published_on", read_only=True),
        FieldPanel("status", read_only=True),
        FieldPanel("screening_reason", read_only=True),
    ]


class ScoreLogViewSet(SnippetViewSet):
    model = ScoreLog
    icon = "history"
    menu_label = _("Score changes")
    list_display = ["at", "by", "action", "sheet", "criterion", "value"]
    list_filter = ["action"]
    add_view_enabled = False
    panels = [
        FieldPanel("action", read_only=True),
        FieldPanel("value", read_only=True),
        FieldPanel("text", read_only=True),
    ]


class AwardsGroup(SnippetViewSetGroup):
    menu_label = _("Press awards")
    menu_icon = "trophy"
    menu_order = 260
    items = (
        AwardViewSet,
        RoundViewSet,
        JudgeViewSet,
        UnitAccountViewSet,
        EntryViewSet,
        ScoreLogViewSet,
    )


register_snippet(AwardsGroup)


@hooks.register("register_admin_urls")
def _urls() -> list:
    return [
        path("giai-bao-chi/", admin_views.index, name="awards_admin"),
        path("giai-bao-chi/<int:award_id>/", admin_views.award_page, name="awards_award"),
        path(
            "giai-bao-chi/<int:award_id>/ket-qua/",
            admin_views.award_results,
            name="awards_results",
        ),
        path(
            "giai-bao-chi/<int:award_id>/<str:kind>.xlsx",
            admin_views.award_export,
            name="awards_export",
        ),
    ]


@hooks.register("register_admin_menu_item")
def _menu() -> MenuItem:
    return MenuItem(_("Award judging"), reverse("awards_admin"), icon_name="table", order=261)
