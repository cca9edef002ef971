from django.utils.translation import gettext_lazy as _
from wagtail.permission_policies.base import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from .models import AdminUnitVersion, Commune, Province, Unit

_WRITES = {"add", "change", "delete", "lock", "unlock"}


class ReadOnlyPolicy(ModelPermissionPolicy):
    """Official lists change only through `moduong load-admin-units`, as a new version: an edit
    in place would silently move every record that points at the row."""

    def user_has_permission(self, user, action):  # type: ignore[no-untyped-def]
        return action not in _WRITES and super().user_has_permission(user, action)

    def users_with_any_permission(self, actions):  # type: ignore[no-untyped-def]
        return super().users_with_any_permission([a for a in actions if a not in _WRITES])


class UnitViewSet(SnippetViewSet):
    model = Unit
    icon = "group"
    menu_label = _("Organisation tree")
    list_display = ["name", "parent", "headcount"]
    search_fields = ["name", "code"]


class ReadOnlyViewSet(SnippetViewSet):
    inspect_view_enabled = True


class AdminUnitVersionViewSet(ReadOnlyViewSet):
    model = AdminUnitVersion
    icon = "date"
    menu_label = _("Administrative units lists")
    list_display = ["name", "effective_from", "is_current", "loaded_at"]


class ProvinceViewSet(ReadOnlyViewSet):
    model = Province
    icon = "site"
    list_display = ["name", "code", "kind", "version"]
    list_filter = ["version"]
    search_fields = ["name", "code"]


class CommuneViewSet(ReadOnlyViewSet):
    model = Commune
    icon = "home"
    list_display = ["name", "code", "kind", "province"]
    list_filter = ["province", "kind"]
    search_fields = ["name", "code"]


class UnitsGroup(SnippetViewSetGroup):
    menu_label = _("Units")
    menu_icon = "group"
    menu_order = 300
    items = (UnitViewSet, ProvinceViewSet, CommuneViewSet, AdminUnitVersionViewSet)


for model in (AdminUnitVersion, Province, Commune):
    register_permission_policy(model, ReadOnlyPolicy(model))
register_snippet(UnitsGroup)
