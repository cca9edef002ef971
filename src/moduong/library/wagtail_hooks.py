from typing import Any

from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, ObjectList
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import CreateView, SnippetViewSet, SnippetViewSetGroup

from . import services
from .forms import BookFileForm
from .models import BookCategory, BookFile, TopicPlan


class BookCategoryViewSet(SnippetViewSet):
    model = BookCategory
    icon = "folder-open-inverse"
    menu_label = _("Book categories")
    list_display = ["__str__", "slug"]
    search_fields = ["name"]
    sort_order_field = "sort_order"


class BookFileCreateView(CreateView):
    def save_instance(self) -> Any:
        form = self.form
        upload = form.cleaned_data["upload"]
        return services.book_file_create(
            book=form.cleaned_data["book"].specific,
            stream=upload,
            size=upload.size,
            name=upload.name,
            label=form.cleaned_data.get("label", ""),
            apply_metadata=form.cleaned_data.get("apply_metadata", False),
            user=self.request.user,
            inspection=form.inspection,
        )


class BookFileViewSet(SnippetViewSet):
    model = BookFile
    icon = "doc-full"
    menu_label = _("E-book files")
    add_view_class = BookFileCreateView
    list_display = ["__str__", "kind", "original_name", "check_status", "uploaded_at"]
    list_filter = ["kind", "check_status"]
    inspect_view_enabled = True
    inspect_view_fields = [
        "book", "kind", "original_name", "size", "check_status", "checked_at",
        "check_report", "notes", "metadata", "uploaded_at",
    ]  # fmt: skip
    edit_handler = ObjectList(
        [
            FieldPanel("book"),
            FieldPanel("upload"),
            FieldPanel("label"),
            FieldPanel("apply_metadata"),
            FieldPanel("check_status", read_only=True),
            FieldPanel("check_report", read_only=True),
            FieldPanel("notes", read_only=True),
        ],
        base_form_class=BookFileForm,
    )


class TopicPlanViewSet(SnippetViewSet):
    model = TopicPlan
    icon = "date"
    menu_label = _("Topic plans")
    list_display = ["title", "year", "decision_number"]


class LibraryGroup(SnippetViewSetGroup):
    menu_label = _("Library")
    menu_icon = "doc-full-inverse"
    menu_order = 250
    items = (BookCategoryViewSet, BookFileViewSet, TopicPlanViewSet)


register_snippet(LibraryGroup)
