from typing import Any

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.viewsets.base import ViewSetGroup
from wagtail.admin.viewsets.model import ModelViewSet

from . import admin_views
from .models import Letter, Question


class ModerationViewSet(ModelViewSet):
    """A queue: readers write, moderators decide. No "add" or "copy" here, and "edit" is the
    moderation screen, which acts through services."""

    copy_view_enabled = False
    list_filter = ["status"]
    # The portal's search index holds what readers may read (subject, message, answer), not a
    # writer's name or email, which moderators look for: the queue searches the table itself.
    search_backend_name = None
    moderate_view: Any = None

    def get_common_view_kwargs(self, **kwargs: Any) -> Any:
        view_kwargs = super().get_common_view_kwargs(**kwargs)
        view_kwargs["add_url_name"] = None
        return view_kwargs

    def get_urlpatterns(self) -> Any:
        patterns = [p for p in super().get_urlpatterns() if p.name not in {"add", "edit"}]
        return [*patterns, path("edit/<int:pk>/", self._moderate, name="edit")]

    def _moderate(self, request: Any, pk: int) -> Any:
        return type(self).moderate_view(request, pk, index_url=reverse(self.get_url_name("index")))


class LetterViewSet(ModerationViewSet):
    model = Letter
    icon = "mail"
    menu_label = _("Readers' letters")
    form_fields = ["status"]
    list_display = ["subject", "name", "status", "created_at"]
    search_fields = ["subject", "message", "name", "email"]
    moderate_view = staticmethod(admin_views.letter_moderate)


class QuestionViewSet(ModerationViewSet):
    model = Question
    icon = "help"
    menu_label = _("Exchange questions")
    form_fields = ["status"]
    list_display = ["__str__", "name", "exchange", "status", "created_at"]
    list_filter = ["status", "exchange"]
    search_fields = ["text", "name", "answer"]
    moderate_view = staticmethod(admin_views.question_moderate)


class CommunityGroup(ViewSetGroup):
    menu_label = _("Readers")
    menu_icon = "group"
    menu_order = 250
    items = (LetterViewSet("thu-ban-doc"), QuestionViewSet("cau-hoi-giao-luu"))


@hooks.register("register_admin_viewset")
def register_viewsets() -> ViewSetGroup:
    return CommunityGroup()


@hooks.register("register_admin_urls")
def register_urls() -> list[Any]:
    return [
        path(
            "thu-ban-doc/tep/<int:pk>/",
            admin_views.letter_attachment,
            name="community_letter_attachment",
        )
    ]
