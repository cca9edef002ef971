"""The organisers' admin: conferences (agenda, materials, categories), connection points,
the points' report history; per conference the live roll-up, the import, the QR sheet and the
report."""

from collections.abc import Mapping
from typing import Any

from django.http import HttpRequest
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.components import Component
from wagtail.admin.ui.tables import Column
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from . import admin_views, selectors
from .models import Conference, ConnectionPoint, Delegate, PointReport


class ConferenceViewSet(SnippetViewSet):
    model = Conference
    icon = "group"
    menu_label = _("Conferences")
    list_display = ["title", "slug", "level", "starts_at", "is_published"]
    search_fields = ["title"]


class PhotoColumn(Column):
    """A link to the room's photo, served to organisers only (media of points is not public)."""

    cell_template_name = "conferences/admin/photo_cell.html"

    def get_value(self, instance: ConnectionPoint) -> str:
        if not instance.photo:
            return ""
        return reverse("conferences_point_photo", args=[instance.pk])


class LinkColumn(Column):
    """The point's reporting link: see it, print its QR sheet, revoke it for a new one."""

    cell_template_name = "conferences/admin/link_cell.html"

    def get_value(self, instance: ConnectionPoint) -> str:
        return reverse("conferences_point_link", args=[instance.pk])


class ConnectionPointViewSet(SnippetViewSet):
    model = ConnectionPoint
    icon = "site"
    menu_label = _("Connection points")
    list_display = [
        "code",
        "name",
        "province",
        "commune",
        "capacity",
        "linked_at",
        "attendance_total",
        PhotoColumn("photo", label=_("photo of the room")),
        LinkColumn("link", label=_("reporting link")),
    ]
    list_filter = ["conference", "connection_type", "link_test"]
    search_fields = ["code", "name", "contact_name"]


class DelegateViewSet(SnippetViewSet):
    """The main hall's delegates' list (registration by the organisers): badges and check-in
    are on the conference's roll-up."""

    model = Delegate
    icon = "user"
    menu_label = _("Delegates (main hall)")
    list_display = ["full_name", "position", "organisation", "seat", "code", "checked_in_at"]
    list_filter = ["conference", "category"]
    search_fields = ["full_name", "organisation", "code"]


class PointReportViewSet(SnippetViewSet):
    """The history is read, never written by hand."""

    model = PointReport
    icon = "history"
    menu_label = _("Point report history")
    list_display = ["point", "created_at", "by", "revision", "changes"]
    add_view_enabled = False
    edit_view_enabled = False
    inspect_view_enabled = True


class ConferencesGroup(SnippetViewSetGroup):
    menu_label = _("Conferences")
    menu_icon = "group"
    menu_order = 260
    items = (ConferenceViewSet, ConnectionPointViewSet, DelegateViewSet, PointReportViewSet)


register_snippet(ConferencesGroup)


@hooks.register("register_admin_urls")
def _urls() -> list:
    return [
        path("hoi-nghi/", admin_views.index, name="conferences_admin"),
        path("hoi-nghi/<int:conference_id>/", admin_views.rollup, name="conferences_rollup"),
        path(
            "hoi-nghi/<int:conference_id>/nhap-diem-cau/",
            admin_views.points_import,
            name="conferences_points_import",
        ),
        path(
            "hoi-nghi/mau-diem-cau.xlsx", admin_views.points_template, name="conferences_template"
        ),
        path("hoi-nghi/<int:conference_id>/ma-qr.pdf", admin_views.qr_sheet, name="conferences_qr"),
        path(
            "hoi-nghi/<int:conference_id>/bao-cao.xlsx",
            admin_views.report_download,
            name="conferences_report",
        ),
        path(
            "hoi-nghi/diem-cau/<int:point_id>/anh/",
            admin_views.point_photo,
            name="conferences_point_photo",
        ),
        path(
            "hoi-nghi/diem-cau/<int:point_id>/lien-ket/",
            admin_views.point_link,
            name="conferences_point_link",
        ),
        path(
            "hoi-nghi/diem-cau/<int:point_id>/ma-qr.pdf",
            admin_views.point_qr,
            name="conferences_point_qr",
        ),
        path(
            "hoi-nghi/<int:conference_id>/the-dai-bieu.pdf",
            admin_views.badges,
            name="conferences_badges",
        ),
        path(
            "hoi-nghi/<int:conference_id>/diem-danh/",
            admin_views.check_in,
            name="conferences_check_in",
        ),
        path(
            "hoi-nghi/<int:conference_id>/diem-danh/<str:code>/",
            admin_views.check_in_code,
            name="conferences_check_in_code",
        ),
        path(
            "hoi-nghi/<int:conference_id>/bao-cao-diem-cau/",
            admin_views.reporting_set,
            name="conferences_reporting",
        ),
    ]


@hooks.register("register_admin_menu_item")
def _menu() -> MenuItem:
    return MenuItem(
        _("Conference roll-up"), reverse("conferences_admin"), icon_name="table", order=261
    )


class NotLinkedPanel(Component):
    """On the admin's dashboard, first of all: each conference whose warning time has come and
    the number of its points not linked yet, with a link to its roll-up (the list with the
    contacts' phones). The same warning the organisers get by email, for whoever opens the
    admin, shown until every point is linked or the conference is an hour old."""

    order = 50
    template_name = "conferences/admin/not_linked_panel.html"

    def __init__(self, warnings: list[selectors.ConferenceWarning]) -> None:
        self.warnings = warnings

    def get_context_data(
        self, parent_context: Mapping[str, Any] | None = None
    ) -> Mapping[str, Any]:
        return {"warnings": self.warnings}


@hooks.register("construct_homepage_panels")
def _not_linked_panel(request: HttpRequest, panels: list[Component]) -> None:
    if not request.user.has_perm(admin_views.MANAGE):
        return
    warnings = selectors.conferences_warned()
    if warnings:
        panels.append(NotLinkedPanel(warnings))
