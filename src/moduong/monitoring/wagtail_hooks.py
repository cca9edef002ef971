"""Monitoring in the admin: sources, rules (an unreadable expression is refused with its
message), mentions and clusters (read only), the dashboard, republishing."""

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.panels import FieldPanel
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from . import admin_views
from .models import Cluster, Match, Rule, Source


class SourceViewSet(SnippetViewSet):
    model = Source
    icon = "link"
    menu_label = _("Sources")
    list_display = ["name", "outlet", "kind", "state", "last_error", "last_fetched_at"]
    list_filter = ["state", "kind"]
    search_fields = ["name", "outlet", "url"]
    panels = [
        FieldPanel("name"),
        FieldPanel("outlet"),
        FieldPanel("url"),
        FieldPanel("kind"),
        FieldPanel("interval_minutes"),
        FieldPanel("state"),
        FieldPanel("last_error", read_only=True),
    ]


class RuleViewSet(SnippetViewSet):
    model = Rule
    icon = "search"
    menu_label = _("Rules")
    list_display = ["name", "expression", "alert", "active"]
    search_fields = ["name", "expression"]
    panels = [
        FieldPanel("name"),
        FieldPanel("expression"),
        FieldPanel("alert"),
        FieldPanel("emails"),
        FieldPanel("spike_factor"),
        FieldPanel("active"),
    ]


class MatchViewSet(SnippetViewSet):
    model = Match
    icon = "mail"
    menu_label = _("Mentions")
    list_display = ["rule", "item", "snippet", "created_at"]
    list_filter = ["rule"]
    add_view_enabled = False
    panels = [FieldPanel("snippet", read_only=True)]


class ClusterViewSet(SnippetViewSet):
    model = Cluster
    icon = "group"
    menu_label = _("Story clusters")
    list_display = ["title", "size", "created_at"]
    add_view_enabled = False
    panels = [FieldPanel("title", read_only=True), FieldPanel("size", read_only=True)]


class MonitoringGroup(SnippetViewSetGroup):
    menu_label = _("Online news monitoring")
    menu_icon = "view"
    menu_order = 280
    items = (SourceViewSet, RuleViewSet, MatchViewSet, ClusterViewSet)


register_snippet(MonitoringGroup)


@hooks.register("register_admin_urls")
def _urls() -> list:
    return [
        path("theo-doi/", admin_views.dashboard, name="monitoring_dashboard"),
        path(
            "theo-doi/dang-lai/<int:item_id>/", admin_views.republish, name="monitoring_republish"
        ),
    ]


@hooks.register("register_admin_menu_item")
def _menu() -> MenuItem:
    return MenuItem(
        _("Monitoring dashboard"), reverse("monitoring_dashboard"), icon_name="view", order=281
    )
