from django.utils.translation import gettext_lazy as _
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from .models import Unit


class UnitViewSet(SnippetViewSet):
    model = Unit
    icon = "group"
    menu_label = _("Units")
    add_to_admin_menu = True
    menu_order = 300
    list_display = ["name", "parent", "headcount"]
    search_fields = ["name", "code"]


register_snippet(UnitViewSet)
