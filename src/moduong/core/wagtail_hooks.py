from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms.models import register_form_field_override
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from .forms import VietnameseSlugField, VietnameseSlugInput
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

# Every slug box of the admin (pages, and any snippet with a slug) folds Vietnamese the way
# vntext.slugify does, in the browser and again on the server.
register_form_field_override(
    models.SlugField,
    override={"widget": VietnameseSlugInput, "form_class": VietnameseSlugField},
)
