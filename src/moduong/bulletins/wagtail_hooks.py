"""Bulletins in the admin: places, QR codes and subscribers as snippets; the codes' files,
poster sheets and the scan dashboard as admin pages. Series and editions are pages (Trang)."""

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.panels import FieldPanel
from wagtail.admin.viewsets.pages import PageViewSet
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from . import admin_views
from .models import EditionPage, Place, QrCode, Subscriber


class PlaceViewSet(SnippetViewSet):
    model = Place
    icon = "site"
    menu_label = _("Distribution places")
    list_display = ["name", "kind", "created_at"]
    list_filter = ["kind"]
    search_fields = ["label"]
    panels = [FieldPanel("kind"), FieldPanel("commune"), FieldPanel("unit"), FieldPanel("label")]


class QrCodeViewSet(SnippetViewSet):
    model = QrCode
    icon = "link"
    menu_label = _("QR codes")
    list_display = ["code", "place", "series", "edition", "posted_on", "retired"]
    list_filter = ["series", "retired"]
    search_fields = ["code"]
    panels = [
        FieldPanel("series"),
        FieldPanel("edition"),
        FieldPanel("place"),
        FieldPanel("posted_on"),
        FieldPanel("retired"),
    ]


class SubscriberViewSet(SnippetViewSet):
    model = Subscriber
    icon = "mail"
    menu_label = _("Subscribers")
    list_display = ["email", "series", "status", "created_at", "confirmed_at", "left_at"]
    list_filter = ["series", "status"]
    search_fields = ["email"]
    add_view_enabled = False
    panels = [FieldPanel("status", read_only=True)]


class BulletinsGroup(SnippetViewSetGroup):
    menu_label = _("Bulletins")
    menu_icon = "doc-full-inverse"
    menu_order = 255
    items = (PlaceViewSet, QrCodeViewSet, SubscriberViewSet)


register_snippet(BulletinsGroup)


@hooks.register("register_admin_urls")
def _urls() -> list:
    return [
        path("ban-tin/", admin_views.index, name="bulletins_admin"),
        path("ban-tin/ma/<int:code_id>.<str:kind>", admin_views.code_file, name="bulletins_code"),
        path(
            "ban-tin/noi-dat/<int:place_id>/ap-phich/",
            admin_views.posters,
            name="bulletins_posters",
        ),
        path(
            "ban-tin/<int:series_id>/thong-ke/",
            admin_views.dashboard,
            name="bulletins_dashboard",
        ),
        path(
            "ban-tin/<int:series_id>/luot-quet.xlsx",
            admin_views.scans_export,
            name="bulletins_export",
        ),
    ]


@hooks.register("register_admin_menu_item")
def _menu() -> MenuItem:
    return MenuItem(
        _("Bulletin codes and scans"), reverse("bulletins_admin"), icon_name="table", order=256
    )


class EditionPageViewSet(PageViewSet):
    model = EditionPage
    workflow_action_view_class = admin_views.EditionWorkflowActionView


@hooks.register("register_admin_viewset")
def _edition_viewset() -> EditionPageViewSet:
    return EditionPageViewSet("bulletin_editions")
