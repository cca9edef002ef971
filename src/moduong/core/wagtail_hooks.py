from django.utils.translation import gettext_lazy as _
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from .models import MenuItem


class MenuItemViewSet(SnippetViewSet):
    model = MenuItem
    icon = "list-ul"
    menu_label = _("Main menu")
    menu_order = 200
    add_to_admin_menu = True
    sort_order_field = "sort_order"
    list_display = ["__str__", "href"]


register_snippet(MenuItemViewSet)
