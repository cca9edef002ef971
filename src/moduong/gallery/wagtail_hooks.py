from django.utils.translation import gettext_lazy as _
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from .models import VideoCategory


class VideoCategoryViewSet(SnippetViewSet):
    model = VideoCategory
    icon = "media"
    menu_label = _("Video categories")
    menu_order = 260
    add_to_admin_menu = True
    list_display = ["name", "slug"]


register_snippet(VideoCategoryViewSet)
